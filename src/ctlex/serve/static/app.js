// ctlex web page: everything is built with DOM nodes and textContent, never innerHTML, so term
// text and pasted text can hold any markup and still show as text.
"use strict";

const $ = (id) => document.getElementById(id);
let me = { role: null };

function token() { return sessionStorage.getItem("ctlex-token") || ""; }

async function api(method, path, body) {
  const headers = { "accept": "application/json" };
  if (token()) headers["authorization"] = "Bearer " + token();
  if (body !== undefined) headers["content-type"] = "application/json";
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (e) { data = { error: r.statusText }; }
  if (!r.ok) { const err = new Error(data && data.error ? data.error : ("HTTP " + r.status)); err.status = r.status; throw err; }
  return data;
}

function status(msg, isError) {
  const s = $("status");
  s.textContent = msg || "";
  s.className = isError ? "error" : "";
}

function el(tag, text, attrs) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
  return e;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const td = el("td", c.text, c.attrs);
    tr.appendChild(td);
  }
  return tr;
}

async function whoami() {
  try {
    me = await api("GET", "/api/whoami");
    $("who").textContent = me.role ? (me.name + " (" + me.role + (me.langs ? ", " + me.langs.join(" ") : "") + ")") : "no token: reading needs one";
  } catch (e) {
    me = { role: null };
    $("who").textContent = "token refused: " + e.message;
  }
}

function show(view) {
  for (const b of document.querySelectorAll("#tabs button")) b.setAttribute("aria-selected", String(b.dataset.view === view));
  for (const s of document.querySelectorAll("section.view")) s.hidden = s.id !== "view-" + view;
  status("");
  if (view === "review") loadQueue();
}

async function lookup(ev) {
  ev.preventDefault();
  const q = $("lookup-q").value.trim();
  if (!q) return;
  try {
    const d = await api("GET", "/api/lookup?q=" + encodeURIComponent(q));
    const tb = $("lookup-results").tBodies[0];
    tb.replaceChildren(...d.results.map((m) => row([
      { text: m.id }, { text: m.type }, { text: m.en.join(" · ") },
      { text: m.ar.join(" · "), attrs: { dir: "rtl", lang: "ar", class: "ar" } },
      { text: m.match + (m.matched_term ? " (" + m.matched_term + ")" : "") }, { text: m.score.toFixed(2) },
    ])));
    $("lookup-results").hidden = false;
    status(d.results.length ? d.results.length + " concept(s)" : "no match for " + q);
  } catch (e) { status(e.message, true); }
}

// Offsets from the API count code points (Python); JavaScript strings count UTF-16 units, so the
// text is sliced as an array of code points.
function marked(text, hits) {
  const cps = Array.from(text);
  const out = document.createDocumentFragment();
  let pos = 0;
  for (const h of hits) {
    if (h.start < pos) continue;
    out.appendChild(document.createTextNode(cps.slice(pos, h.start).join("")));
    const en = h.en.length ? h.en[0] : "(no English term)";
    const m = el("mark", cps.slice(h.start, h.end).join(""), { "data-en": en, title: en + " — " + h.id, "data-id": h.id,
                                                               "data-start": h.start, "data-end": h.end });
    out.appendChild(m);
    pos = h.end;
  }
  out.appendChild(document.createTextNode(cps.slice(pos).join("")));
  return out;
}

async function scan(ev) {
  ev.preventDefault();
  const text = $("scan-text").value;
  try {
    const d = await api("POST", "/api/scan", { text });
    $("scan-marked").replaceChildren(marked(text, d.hits));
    $("scan-terms").replaceChildren(...d.hits.map((h) => {
      const li = document.createElement("li");
      li.appendChild(el("span", h.text, { dir: "rtl", lang: "ar", class: "ar" }));
      li.appendChild(document.createTextNode(" → "));
      li.appendChild(el("span", h.en.length ? h.en[0] : "—", { class: "en", lang: "en" }));
      return li;
    }));
    status(d.hits.length + " term(s) recognized");
  } catch (e) { status(e.message, true); }
}

async function tmSearch(ev) {
  ev.preventDefault();
  const q = $("tm-q").value.trim();
  const min = $("tm-min").value || "50";
  try {
    const d = await api("GET", "/api/tm/search?limit=10&min_score=" + encodeURIComponent(min) + "&q=" + encodeURIComponent(q));
    $("tm-results").tBodies[0].replaceChildren(...d.matches.map((m) => row([
      { text: m.score.toFixed(1) }, { text: m.source, attrs: { dir: "auto", class: "ar" } },
      { text: m.target, attrs: { dir: "auto" } }, { text: m.origin || "" },
    ])));
    $("tm-results").hidden = false;
    status(d.matches.length ? d.matches.length + " match(es)" : "no match of " + min + "% or more");
  } catch (e) { status(e.message, true); }
}

function describe(p) {
  const pl = p.payload;
  if (p.kind === "new-concept") {
    return "new concept " + pl.concept.id + ": " + pl.concept.terms.map((t) => t.lang + " " + t.text).join(" · ");
  }
  if (p.kind === "new-term") return "new " + pl.term.lang + " term for " + p.concept_id + ": " + pl.term.text + " (" + pl.term.status + ")";
  return "change " + pl.old.lang + " term of " + p.concept_id + ": " + pl.old.text + " → " + pl.term.text + " (" + pl.term.status + ")";
}

async function loadQueue() {
  const ul = $("review-queue");
  try {
    const d = await api("GET", "/api/proposals?status=pending");
    const canDecide = me.role === "terminologist" || me.role === "admin";
    ul.replaceChildren(...d.proposals.map((p) => {
      const li = el("li", null, { "data-id": p.id });
      li.appendChild(el("div", describe(p), { class: "what", dir: "auto" }));
      li.appendChild(el("div", "#" + p.id + " by " + p.author + ", " + p.created + " · languages " + p.langs.join(", ")
        + (p.base_revision ? " · on revision " + p.base_revision : "") + (p.reason ? " · why: " + p.reason : ""), { class: "meta" }));
      if (canDecide) {
        const act = el("div", null, { class: "actions" });
        const why = el("input", null, { placeholder: "reason (optional)", size: "30", class: "reason" });
        const ok = el("button", "Approve", { type: "button", class: "approve" });
        const no = el("button", "Reject", { type: "button", class: "reject" });
        ok.addEventListener("click", () => decide(p.id, "approve", why.value));
        no.addEventListener("click", () => decide(p.id, "reject", why.value));
        act.append(why, ok, no);
        li.appendChild(act);
      }
      return li;
    }));
    status(d.proposals.length ? d.proposals.length + " proposal(s) pending" : "nothing to review");
  } catch (e) { ul.replaceChildren(); status(e.message, true); }
}

async function decide(id, action, reason) {
  try {
    const d = await api("POST", "/api/proposals/" + id + "/" + action, { reason });
    await loadQueue();
    status("proposal #" + id + " " + d.proposal.status + (d.revision ? " → " + d.proposal.concept_id + " revision " + d.revision : ""));
  } catch (e) { status("proposal #" + id + ": " + e.message, true); }
}

document.addEventListener("DOMContentLoaded", () => {
  $("token").value = token();
  $("auth").addEventListener("submit", (ev) => {
    ev.preventDefault();
    sessionStorage.setItem("ctlex-token", $("token").value.trim());
    whoami();
  });
  for (const b of document.querySelectorAll("#tabs button")) b.addEventListener("click", () => show(b.dataset.view));
  $("lookup-form").addEventListener("submit", lookup);
  $("scan-form").addEventListener("submit", scan);
  $("tm-form").addEventListener("submit", tmSearch);
  $("review-reload").addEventListener("click", loadQueue);
  whoami();
});
