"""The ``ctlex serve`` web page in a real headless browser: Debian's chromium driven by selenium
through /usr/bin/chromedriver (nothing is downloaded).  Skips, saying why, only when no browser
can be started.  Screenshots of each view go to ``$CTLEX_SCREENSHOTS`` (default: the test's
temporary directory).
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette")
uvicorn = pytest.importorskip("uvicorn")
webdriver = pytest.importorskip("selenium.webdriver")

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from ctlex.serve.app import create_app  # noqa: E402
from ctlex.serve.db import Store  # noqa: E402
from ctlex.serve.service import Service  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
EVIL = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
TEXT = "أكد جيل دو كيرشوف أن التعاون مع اليوروبول والإنتربول ضروري لمواجهة المقاتلون الأجانب. " + EVIL


def _browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service as DriverService

    if not (os.path.exists(CHROMIUM) and os.path.exists(DRIVER)):
        pytest.skip(f"no browser: need {CHROMIUM} and {DRIVER} (Debian: apt-get install chromium chromium-driver)")
    os.environ.setdefault("SE_OFFLINE", "true")  # never let selenium fetch a driver
    opts = Options()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,860",
              "--lang=en-US", "--no-first-run", "--disable-extensions"):
        opts.add_argument(a)
    try:
        return webdriver.Chrome(service=DriverService(executable_path=DRIVER), options=opts)
    except Exception as e:  # noqa: BLE001 - any failure to start is a reason to skip, stated
        pytest.skip(f"chromium could not be started headless: {str(e).splitlines()[0]}")


@pytest.fixture()
def site(tmp_path, mini_glossary):
    from ctlex.segment import Segment
    from ctlex.tm import Store as TMStore

    gpath = tmp_path / "mini.tbx"
    mini_glossary.save(gpath)
    tm = tmp_path / "tm.sqlite"
    with TMStore(tm) as s:
        s.add([Segment("أكد دو كيرشوف أن التعاون مع اليوروبول ضروري", "De Kerchove stressed that cooperation with Europol is essential"),
               Segment("المقاتلون الأجانب يعودون إلى أوروبا", "Foreign terrorist fighters are returning to Europe")])
    svc = Service(Store(tmp_path / "serve.sqlite"), glossary_path=gpath, tm_path=tm)
    term_tok = svc.create_token("terminologist", "Omar")
    trans = svc.create_token("translator", "Samira")
    from ctlex.serve.auth import Principal

    samira = Principal(trans["id"], "Samira", "translator")
    omar = Principal(term_tok["id"], "Omar", "terminologist")
    svc.create(omar, {"id": "xss-probe", "type": "term", "terms": [{"text": "probe " + EVIL, "lang": "en"},
                                                                  {"text": "مسبار", "lang": "ar"}]})
    p1 = svc.propose(samira, {"kind": "new-term", "concept_id": "europol", "base_revision": 1, "reason": "press usage",
                              "term": {"text": "الأوروبول", "lang": "ar"}})
    p2 = svc.propose(samira, {"kind": "new-term", "concept_id": "gctf", "base_revision": 1, "reason": EVIL,
                              "term": {"text": "منتدى " + EVIL, "lang": "ar"}})
    srv = uvicorn.Server(uvicorn.Config(create_app(svc), host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and t.is_alive(), "uvicorn did not start"
        time.sleep(0.02)
    port = srv.servers[0].sockets[0].getsockname()[1]
    shots = Path(os.environ.get("CTLEX_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    driver = _browser()
    driver.set_page_load_timeout(30)
    try:
        yield {"svc": svc, "url": f"http://127.0.0.1:{port}/", "token": term_tok["token"], "driver": driver,
               "shots": shots, "p1": p1["id"], "p2": p2["id"]}
    finally:
        driver.quit()
        srv.should_exit = True
        t.join(10)
        svc.store.close()


def _no_xss(d) -> None:
    assert d.execute_script("return window.__xss === undefined")
    assert d.execute_script("return document.querySelectorAll('img[src=\"x\"], main script').length") == 0


def test_web_page_views(site):
    d, wait = site["driver"], WebDriverWait(site["driver"], 20)
    d.get(site["url"])
    tok = d.find_element(By.ID, "token")
    tok.send_keys(site["token"])
    d.find_element(By.CSS_SELECTOR, "#auth button").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "who"), "Omar (terminologist)"))
    assert d.execute_script("return [...document.querySelectorAll('link[href],script[src]')]"
                            ".every(e => new URL(e.href || e.src).origin === location.origin)")

    # lookup
    box = d.find_element(By.ID, "lookup-q")
    box.send_keys("وليوروبول")
    d.find_element(By.CSS_SELECTOR, "#lookup-form button").click()
    wait.until(EC.visibility_of_element_located((By.ID, "lookup-results")))
    first = d.find_elements(By.CSS_SELECTOR, "#lookup-results tbody tr")[0].find_elements(By.TAG_NAME, "td")
    assert first[0].text == "europol" and "Europol" in first[2].text
    d.save_screenshot(str(site["shots"] / "1-lookup.png"))
    box.clear()
    box.send_keys("مسبار")
    d.find_element(By.CSS_SELECTOR, "#lookup-form button").click()
    wait.until(EC.text_to_be_present_in_element((By.CSS_SELECTOR, "#lookup-results tbody"), "xss-probe"))
    cell = d.find_elements(By.CSS_SELECTOR, "#lookup-results tbody tr td")[2]
    d.save_screenshot(str(site["shots"] / "1b-lookup-markup.png"))
    assert cell.text == "probe " + EVIL  # the markup is shown as text
    _no_xss(d)

    # text pane: every hit from the API highlighted at its offsets, English on hover and beside
    d.find_element(By.CSS_SELECTOR, "#tabs [data-view=text]").click()
    area = d.find_element(By.ID, "scan-text")
    d.execute_script("arguments[0].value = arguments[1]", area, TEXT)  # as if pasted
    d.find_element(By.CSS_SELECTOR, "#scan-form button").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "#scan-marked mark")))
    hits = site["svc"].scan(TEXT)["hits"]
    marks = d.find_elements(By.CSS_SELECTOR, "#scan-marked mark")
    assert len(hits) >= 4 and len(marks) == len(hits)
    for m, h in zip(marks, hits):
        assert m.text == TEXT[h["start"]:h["end"]] == h["text"]
        assert m.get_attribute("data-en") == h["en"][0] and m.get_attribute("title").startswith(h["en"][0])
    assert d.find_element(By.ID, "scan-marked").text.replace("\n", "") == TEXT.replace("\n", "")
    assert d.execute_script("return getComputedStyle(document.getElementById('scan-marked')).direction") == "rtl"
    beside = [li.text for li in d.find_elements(By.CSS_SELECTOR, "#scan-terms li")]
    assert beside == [f"{h['text']} → {h['en'][0]}" for h in hits]
    from selenium.webdriver.common.action_chains import ActionChains

    ActionChains(d).move_to_element(marks[1]).perform()
    tip = d.execute_script("return getComputedStyle(arguments[0], '::after').content", marks[1])
    assert hits[1]["en"][0] in tip
    d.save_screenshot(str(site["shots"] / "2-text.png"))
    _no_xss(d)

    # TM
    d.find_element(By.CSS_SELECTOR, "#tabs [data-view=tm]").click()
    d.find_element(By.ID, "tm-q").send_keys("أكد دو كيرشوف أن التعاون مع الإنتربول ضروري")
    d.find_element(By.CSS_SELECTOR, "#tm-form button").click()
    wait.until(EC.visibility_of_element_located((By.ID, "tm-results")))
    cells = d.find_elements(By.CSS_SELECTOR, "#tm-results tbody tr")[0].find_elements(By.TAG_NAME, "td")
    assert cells[2].text == "De Kerchove stressed that cooperation with Europol is essential" and float(cells[0].text) >= 50
    d.save_screenshot(str(site["shots"] / "3-tm.png"))

    # review queue: approve one, reject the other (whose text is markup)
    d.find_element(By.CSS_SELECTOR, "#tabs [data-view=review]").click()
    wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, f"#review-queue li[data-id='{site['p2']}']")))
    items = d.find_elements(By.CSS_SELECTOR, "#review-queue li")
    assert len(items) == 2 and EVIL in items[1].text
    _no_xss(d)
    d.save_screenshot(str(site["shots"] / "4-review.png"))
    items[0].find_element(By.CSS_SELECTOR, "input.reason").send_keys("attested in the press")
    items[0].find_element(By.CSS_SELECTOR, "button.approve").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), f"proposal #{site['p1']} approved"))
    d.find_element(By.CSS_SELECTOR, "#review-queue li button.reject").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "status"), f"proposal #{site['p2']} rejected"))
    assert d.find_elements(By.CSS_SELECTOR, "#review-queue li") == []
    d.save_screenshot(str(site["shots"] / "5-review-done.png"))
    store = site["svc"].store
    assert store.get("europol")[0] == 2 and any(t["text"] == "الأوروبول" for t in store.get("europol")[1]["terms"])
    assert store.history("europol")[-1]["reason"] == "attested in the press"
    assert store.proposal(site["p2"])["status"] == "rejected" and store.get("gctf")[0] == 1
    logs = [e for e in d.get_log("browser") if e.get("level") == "SEVERE"]
    assert not [e for e in logs if "favicon" not in e.get("message", "")], logs
