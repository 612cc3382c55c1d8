"""`kacard site` in a real headless browser (issue 20): Debian's chromium, driven over the
DevTools protocol (tests/browser.py). Without a browser these tests are skipped, and the
skip says so (pytest -rs prints the reason)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import Browser, chromium

SAMPLE = Path(__file__).resolve().parent.parent / "cards"
NO_BROWSER = ("no chromium on this machine: the browser tests of `kacard site` did not run "
              "(install Debian's chromium: apt-get install -y chromium; .ci/run does)")
pytestmark = pytest.mark.skipif(chromium() is None, reason=NO_BROWSER)


def make_site(out: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "kacard", "site", "--dir", str(SAMPLE), "-o", str(out), *args],
                          check=False, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "手机 site"  # a space and Chinese characters in the path
    make_site(out, "--owner", "lina", "--today", "2026-11-25")
    return out


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    b = Browser(tmp_path_factory.mktemp("profile"))
    try:
        yield b
    finally:
        b.close()


def test_every_page_loads_without_errors_and_fetches_nothing_outside_the_folder(site: Path, browser: Browser):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    folder = site.as_uri() + "/"
    for page in pages:
        browser.open(page.as_uri())
        assert browser.errors() == [], page.name
        assert browser.eval("document.querySelector('h1').textContent.length") > 0
        requests = browser.requests()
        assert page.as_uri() in requests  # the load itself is seen, so a fetch would be too
        assert [u for u in requests if not u.startswith(folder)] == [], page.name


def test_a_fetch_from_the_page_is_blocked_and_reported(site: Path, browser: Browser):
    """The check above can fail: the page's policy blocks an image from the network, and the
    browser reports it as an error."""
    browser.open((site / "index.html").as_uri())
    browser.eval("var i=document.createElement('img');i.src='https://example.com/x.png';"
                 "document.body.appendChild(i);new Promise(r=>setTimeout(r,300))")
    assert any("Content Security Policy" in e for e in browser.errors())


def test_search_finds_a_card_by_its_initials_and_full_pinyin(site: Path, browser: Browser):
    browser.open((site / "index.html").as_uri())
    browser.type("#kc-q", "tlzn")  # 杭州拓岭智能装备有限公司: initials of 拓岭智能
    links = browser.eval("[...document.querySelectorAll('#kc-results a')].map(a=>a.textContent)")
    assert links[0] == "杭州拓岭智能装备有限公司"
    browser.eval("document.querySelector('#kc-q').value=''")
    browser.type("#kc-q", "yuetang")
    links = browser.eval("[...document.querySelectorAll('#kc-results a')].map(a=>a.getAttribute('href'))")
    assert links == ["cards/hz-yuetang-software.html"]
    browser.eval("document.querySelector('#kc-q').value=''")
    browser.type("#kc-q", "qqqqzz")
    assert browser.eval("document.querySelector('#kc-results').textContent") == "No card matches."


def test_a_result_opens_the_card_and_its_phone_link_is_tel(site: Path, browser: Browser):
    browser.open((site / "index.html").as_uri())
    browser.type("#kc-q", "hz-tuoling")
    browser.eval("setTimeout(()=>document.querySelector('#kc-results a').click(),0)")
    browser.wait_for("Page.loadEventFired")
    assert browser.eval("location.pathname").endswith("/cards/hz-tuoling-equipment.html")
    tels = browser.eval("[...document.querySelectorAll('a.tel')].map(a=>a.href)")
    assert tels and all(t.startswith("tel:") and t[4:].lstrip("+").isdigit() for t in tels)
    assert browser.eval("document.scrollingElement.scrollWidth") <= 360


def test_the_start_page_at_phone_size_shows_today_then_the_due_list(site: Path, browser: Browser,
                                                                   tmp_path: Path):
    browser.open((site / "index.html").as_uri(), 360, 740)
    assert browser.eval("document.scrollingElement.scrollWidth") <= 360
    assert browser.eval("innerWidth") == 360
    today = browser.eval("document.querySelector('#today h3').textContent")
    assert today.startswith("Today") and "2026-11-25" in today
    due_top = browser.eval("document.querySelector('#due').getBoundingClientRect().top")
    assert due_top < 740  # the due list starts on the first screen
    first = browser.eval("document.querySelector('ul.due li').getBoundingClientRect().toJSON()")
    assert first["left"] >= 0 and first["right"] <= 360
    widest = browser.eval("Math.max(...[...document.querySelectorAll('body *')]"
                          ".map(e=>e.getBoundingClientRect().right))")
    assert widest <= 360
    shot = tmp_path / "phone.png"
    browser.screenshot(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(shot.read_bytes()[16:20], "big"), int.from_bytes(shot.read_bytes()[20:24], "big")
    assert (width, height) == (360, 740)


def test_the_map_links_are_those_of_kacard_route(site: Path, browser: Browser):
    """Today's map link is the one `kacard route` gives for the day (the team's map app)."""
    import json

    done = subprocess.run([sys.executable, "-m", "kacard", "route", "--dir", str(SAMPLE), "--owner", "lina",
                           "--today", "2026-11-25", "--format", "json"], check=True, capture_output=True, text=True)
    day = next(d for d in json.loads(done.stdout)["days"] if d["date"] == "2026-11-25")
    browser.open((site / "index.html").as_uri())
    links = browser.eval("[...document.querySelectorAll('#today a.map')].map(a=>a.getAttribute('href'))")
    app = json.loads(done.stdout)["map_app"]
    assert links == [day["maps"][app]["web"], day["maps"][app]["uri"]]
    navigate = browser.eval("[...document.querySelectorAll('#today a.nav')].map(a=>a.getAttribute('href'))")
    assert navigate == [s["map"]["web"] for s in day["stops"]]
