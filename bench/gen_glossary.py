"""A generator of big, independent Arabic–English termbases (TBX v3, TBX-Basic DCA) for benchmarks.

Nothing here is copied from the shipped glossary: concepts are composed from domain vocabulary
(bodies, fields, adjectives, event nouns) and fictional names built from Arabic syllables with a
parallel Latin transliteration, so every organization, person and place is made up.  Terms are
multiword and realistic in shape: an organization's name in both languages (Arabic adjectives
agree with the head noun), an acronym, sometimes an Arabic spelling variant (hamza dropped, the
article removed), a deprecated or forbidden term, house styles, definitions and notes.

    python bench/gen_glossary.py big.tbx --concepts 100000 [--seed 11]

Writes the file as a stream (constant memory, ~1M concepts fine).
"""

from __future__ import annotations

import argparse
import random
from typing import IO, Iterator
from xml.sax.saxutils import escape

# -- vocabulary (domain words, no facts) --------------------------------------------------------
# head nouns of bodies: (Arabic, gender m/f, English)
BODIES = [
    ("مجلس", "m", "Council"), ("لجنة", "f", "Committee"), ("هيئة", "f", "Authority"), ("مكتب", "m", "Office"),
    ("وحدة", "f", "Unit"), ("مركز", "m", "Centre"), ("شبكة", "f", "Network"), ("جمعية", "f", "Association"),
    ("مرصد", "m", "Observatory"), ("صندوق", "m", "Fund"), ("وكالة", "f", "Agency"), ("إدارة", "f", "Directorate"),
    ("منتدى", "m", "Forum"), ("فريق", "m", "Task Force"), ("معهد", "m", "Institute"), ("برنامج", "m", "Programme"),
    ("بعثة", "f", "Mission"), ("مديرية", "f", "Department"), ("رابطة", "f", "League"), ("أكاديمية", "f", "Academy"),
]
# adjectives: (masculine, feminine, English)
ADJS = [
    ("الوطني", "الوطنية", "National"), ("الإقليمي", "الإقليمية", "Regional"), ("الدولي", "الدولية", "International"),
    ("المستقل", "المستقلة", "Independent"), ("الأعلى", "العليا", "Supreme"), ("المشترك", "المشتركة", "Joint"),
    ("الاتحادي", "الاتحادية", "Federal"), ("المركزي", "المركزية", "Central"), ("العربي", "العربية", "Arab"),
    ("الأفريقي", "الأفريقية", "African"), ("الأوروبي", "الأوروبية", "European"), ("الآسيوي", "الآسيوية", "Asian"),
    ("الاستشاري", "الاستشارية", "Advisory"), ("التنفيذي", "التنفيذية", "Executive"), ("الفني", "الفنية", "Technical"),
]
# fields of work: (Arabic with لـ prefix form, English)
FIELDS = [
    ("لمكافحة الإرهاب", "for Counter-Terrorism"), ("لمكافحة تمويل الإرهاب", "for Countering the Financing of Terrorism"),
    ("لمكافحة غسل الأموال", "against Money Laundering"), ("للأمن السيبراني", "for Cybersecurity"),
    ("لمنع التطرف العنيف", "for Preventing Violent Extremism"), ("لأمن الحدود", "for Border Security"),
    ("لحماية البنية التحتية الحيوية", "for Critical Infrastructure Protection"), ("لمكافحة الجريمة المنظمة", "against Organized Crime"),
    ("لمكافحة الاتجار بالبشر", "against Human Trafficking"), ("لأمن الطيران المدني", "for Civil Aviation Security"),
    ("للتعاون القضائي", "for Judicial Cooperation"), ("لمكافحة تهريب الأسلحة", "against Arms Smuggling"),
    ("لإعادة التأهيل والإدماج", "for Rehabilitation and Reintegration"), ("للاستخبارات المالية", "for Financial Intelligence"),
    ("لمكافحة التجنيد عبر الإنترنت", "against Online Recruitment"), ("لحماية الشهود", "for Witness Protection"),
    ("لمكافحة المخدرات", "against Drugs"), ("للأمن البحري", "for Maritime Security"), ("لإدارة الأزمات", "for Crisis Management"),
    ("لرصد المقاتلين الأجانب", "for Monitoring Foreign Fighters"),
]
# event and practice nouns for plain terms: (Arabic noun, gender, English)
NOUNS = [
    ("هجوم", "m", "attack"), ("تفجير", "m", "bombing"), ("عملية", "f", "operation"), ("شبكة", "f", "network"),
    ("خلية", "f", "cell"), ("تمويل", "m", "financing"), ("تجنيد", "m", "recruitment"), ("دعاية", "f", "propaganda"),
    ("تهديد", "m", "threat"), ("اختطاف", "m", "kidnapping"), ("تحقيق", "m", "investigation"), ("ملاحقة", "f", "prosecution"),
    ("مراقبة", "f", "surveillance"), ("تهريب", "m", "smuggling"), ("تسلل", "m", "infiltration"), ("تحويل", "m", "transfer"),
    ("منصة", "f", "platform"), ("جماعة", "f", "group"), ("حملة", "f", "campaign"), ("قاعدة", "f", "base"),
]
TERM_ADJS = [
    ("إرهابي", "إرهابية", "terrorist"), ("مسلح", "مسلحة", "armed"), ("منسق", "منسقة", "coordinated"),
    ("عابر للحدود", "عابرة للحدود", "cross-border"), ("إلكتروني", "إلكترونية", "online"), ("سري", "سرية", "covert"),
    ("متطرف", "متطرفة", "extremist"), ("انتحاري", "انتحارية", "suicide"), ("مالي", "مالية", "financial"),
    ("منظم", "منظمة", "organized"), ("محلي", "محلية", "local"), ("دولي", "دولية", "international"),
    ("ممنهج", "ممنهجة", "systematic"), ("عشوائي", "عشوائية", "indiscriminate"), ("وقائي", "وقائية", "preventive"),
]
QUALIFIERS = [
    ("ضد المدنيين", "against civilians"), ("في المناطق الحدودية", "in border areas"), ("عبر العملات المشفرة", "through cryptocurrencies"),
    ("في السجون", "in prisons"), ("عبر وسائل التواصل الاجتماعي", "through social media"), ("في المطارات", "at airports"),
    ("ضد البنية التحتية", "against infrastructure"), ("بالطائرات المسيرة", "with drones"), ("في المناطق الريفية", "in rural areas"),
    ("عبر الحوالات غير الرسمية", "through informal remittances"), ("ضد البعثات الدبلوماسية", "against diplomatic missions"),
    ("في الموانئ", "in ports"), ("", ""),
]
GIVEN = [("محمد", "Mohammed"), ("أحمد", "Ahmed"), ("علي", "Ali"), ("حسن", "Hassan"), ("عمر", "Omar"), ("خالد", "Khaled"),
         ("يوسف", "Youssef"), ("إبراهيم", "Ibrahim"), ("سعيد", "Said"), ("عبد الله", "Abdullah"), ("مصطفى", "Mustafa"),
         ("فاطمة", "Fatima"), ("مريم", "Maryam"), ("ليلى", "Layla"), ("سلمى", "Salma"), ("هدى", "Huda"), ("نور", "Nour"),
         ("كريم", "Karim"), ("طارق", "Tariq"), ("ياسين", "Yassin")]
# syllables: Arabic and a parallel transliteration, for fictional family and place names
SYLL = [("با", "ba"), ("تو", "tu"), ("ري", "ri"), ("سا", "sa"), ("كو", "ku"), ("لي", "li"), ("ما", "ma"), ("نو", "nu"),
        ("فا", "fa"), ("دي", "di"), ("غا", "gha"), ("جو", "ju"), ("شي", "shi"), ("زا", "za"), ("هو", "hu"), ("را", "ra"),
        ("وي", "wi"), ("كا", "ka"), ("مو", "mu"), ("سي", "si"), ("تا", "ta"), ("بو", "bu"), ("في", "fi"), ("نا", "na"),
        ("لا", "la"), ("يو", "yu"), ("كي", "ki"), ("دا", "da"), ("حم", "ham"), ("سل", "sal"), ("بر", "bar"), ("قا", "qa"),
        ("طو", "tu"), ("عا", "a"), ("خي", "khi"), ("ضا", "da")]
STYLES = ("UN", "EU", "US-press")
SUBJECTS = ("counter-terrorism", "terrorist financing", "border security", "criminal justice", "international cooperation",
            "cybersecurity", "violent extremism")


def _name(rnd: random.Random, parts: tuple[int, ...] = (2, 3, 3, 4)) -> tuple[str, str]:
    idx = [rnd.randrange(len(SYLL)) for _ in range(rnd.choice(parts))]
    return "".join(SYLL[k][0] for k in idx), "".join(SYLL[k][1] for k in idx).capitalize()


def _acronym(en: str) -> str:
    return "".join(w[0] for w in en.replace("-", " ").split() if w[0].isupper())


def _drop_hamza(ar: str) -> str:
    return ar.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا")


def concepts(n: int, seed: int = 11) -> Iterator[dict]:
    """``n`` concepts as plain dicts: id, type, subject, definition, terms [(text, lang, status, type, styles, note)]."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    i = 0
    while i < n:
        kind = rnd.random()
        terms: list[tuple[str, str, str, str, tuple[str, ...], str | None]] = []
        definition = None
        if kind < 0.45:  # an organization
            ctype = "organization"
            body, g, body_en = rnd.choice(BODIES)
            adj = rnd.choice(ADJS)
            fld, fld_en = rnd.choice(FIELDS)
            place, place_en = _name(rnd)
            ar = f"ال{body} {adj[0] if g == 'm' else adj[1]} {fld} في {place}"
            en = f"{adj[2]} {body_en} {fld_en} in {place_en}"
            if ar in seen:
                continue
            terms.append((en, "en", "preferred", "fullForm", (), None))
            acr = _acronym(en)
            if len(acr) >= 3 and rnd.random() < 0.6:
                terms.append((acr + place_en[:2].upper(), "en", "admitted", "acronym", (), None))
            terms.append((ar, "ar", "preferred", "fullForm", tuple(s for s in STYLES if rnd.random() < 0.15), None))
            if _drop_hamza(ar) != ar and rnd.random() < 0.35:
                terms.append((_drop_hamza(ar), "ar", "admitted", "variant", (), "spelling without hamza"))
            if rnd.random() < 0.3:
                definition = f"{body_en} of the fictional territory of {place_en} working {fld_en.split(' ', 1)[1].lower()}."
        elif kind < 0.75:  # a term
            ctype = "term"
            noun, g, noun_en = rnd.choice(NOUNS)
            adj = rnd.choice(TERM_ADJS)
            q, q_en = rnd.choice(QUALIFIERS)
            place, place_en = _name(rnd, (2, 3)) if rnd.random() < 0.85 else ("", "")
            ar = " ".join(x for x in (noun, adj[0] if g == "m" else adj[1], q, f"في إقليم {place}" if place else "") if x)
            en = " ".join(x for x in (adj[2], noun_en, q_en, f"in the {place_en} province" if place_en else "") if x)
            if ar in seen:
                continue
            terms.append((en, "en", "preferred", "phrase", (), None))
            terms.append((ar, "ar", "preferred", "phrase", tuple(s for s in STYLES if rnd.random() < 0.1), None))
            if rnd.random() < 0.25:
                w = ar.split(" ")
                terms.append((" ".join(["ال" + w[0], "ال" + w[1], *w[2:]]), "ar", "admitted", "variant", (), None))
            if rnd.random() < 0.05:
                terms.append((en.replace(adj[2], "so-called " + adj[2], 1), "en", "deprecated", "phrase", (), "usage: forbidden"))
        elif kind < 0.95:  # a person
            ctype = "person"
            giv, giv_en = rnd.choice(GIVEN)
            fam, fam_en = _name(rnd, (3, 3, 4))
            father, father_en = rnd.choice(GIVEN)
            ar = f"{giv} {father} {fam}" if rnd.random() < 0.5 else f"{giv} {fam}"
            en = f"{giv_en} {father_en} {fam_en}" if ar.count(" ") >= 2 and father in ar.split(" ") else f"{giv_en} {fam_en}"
            if ar in seen:
                continue
            terms.append((en, "en", "preferred", "fullForm", (), None))
            terms.append((ar, "ar", "preferred", "fullForm", (), None))
            if rnd.random() < 0.3:
                terms.append((_drop_hamza(ar) if _drop_hamza(ar) != ar else ar.replace("ي", "ى", 1) if ar.replace("ي", "ى", 1) != ar else ar + "ي",
                              "ar", "admitted", "variant", (), "media spelling"))
        else:  # a place
            ctype = "place"
            place, place_en = _name(rnd, (3, 4))
            kindw = rnd.choice((("إقليم", "Province"), ("مدينة", "City"), ("جزيرة", "Island"), ("وادي", "Valley")))
            ar = f"{kindw[0]} {place}"
            en = f"{place_en} {kindw[1]}"
            if ar in seen:
                continue
            terms.append((en, "en", "preferred", "fullForm", (), None))
            terms.append((ar, "ar", "preferred", "fullForm", (), None))
            terms.append((place, "ar", "admitted", "shortForm", (), None))
        seen.add(ar)
        yield {"id": f"gen-{i}", "type": ctype, "subject": rnd.choice(SUBJECTS), "definition": definition, "terms": terms}
        i += 1


_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
  <tbxHeader>
    <fileDesc>
      <titleStmt>
        <title>generated benchmark termbase ({n} concepts)</title>
      </titleStmt>
      <sourceDesc>
        <p>Generated by bench/gen_glossary.py (seed {seed}); every name is fictional.</p>
      </sourceDesc>
    </fileDesc>
  </tbxHeader>
  <text>
    <body>
"""
_TAIL = """    </body>
  </text>
</tbx>
"""


def write_tbx(out: IO[str], n: int, seed: int = 11) -> None:
    out.write(_HEAD.format(n=n, seed=seed))
    w = out.write
    for c in concepts(n, seed):
        w(f'      <conceptEntry id="{c["id"]}">\n        <admin type="projectSubset">{c["type"]}</admin>\n'
          f'        <descrip type="subjectField">{escape(c["subject"])}</descrip>\n')
        if c["definition"]:
            w(f'        <descrip type="definition">{escape(c["definition"])}</descrip>\n')
        for lang in ("ar", "en"):
            ts = [t for t in c["terms"] if t[1] == lang]
            if not ts:
                continue
            w(f'        <langSec xml:lang="{lang}">\n')
            for text, _, status, ttype, styles, note in ts:
                tbx_status = "deprecated" if status == "deprecated" else status
                w(f"          <termSec>\n            <term>{escape(text)}</term>\n"
                  f'            <termNote type="partOfSpeech">noun</termNote>\n'
                  f'            <termNote type="termType">{ttype}</termNote>\n'
                  f'            <termNote type="administrativeStatus">{tbx_status}Term-admn-sts</termNote>\n')
                for s in styles:
                    w(f'            <admin type="customerSubset">{s}</admin>\n')
                if note:
                    w(f"            <note>{escape(note)}</note>\n")
                w("          </termSec>\n")
            w("        </langSec>\n")
        w("      </conceptEntry>\n")
    out.write(_TAIL)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out")
    ap.add_argument("--concepts", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    with open(args.out, "w", encoding="utf-8") as f:
        write_tbx(f, args.concepts, args.seed)


if __name__ == "__main__":
    main()
