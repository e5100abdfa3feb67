"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

A reader opens a fact page, activates a citation marker (mouse or keyboard) and lands on
the source page with the cited sentence targeted, highlighted and in view; the quote
shows on keyboard focus; axe-core finds no serious or critical accessibility violation
on any page. Screenshots are kept in test-artifacts/browser/.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO, copy_project, run_cli

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
FACT = "landmine-casualties-since-2020"

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("/usr/bin/chromium is missing; .ci/run installs it from Debian")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("browser") / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return root / "site"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    """The site over HTTP on the first free localhost port in 8200-8299."""
    handler = functools.partial(_Quiet, directory=str(site))
    for port in range(8200, 8300):
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    else:
        pytest.fail("no free port in 8200-8299")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1000, "height": 640})
    pg = context.new_page()
    yield pg
    context.close()


def citation(site: Path) -> tuple[str, str, str]:
    """(fact page URL, source page URL, sentence id) of the first citation of FACT, from facts.json."""
    facts = json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))["facts"]
    fact = next(f for f in facts if f["id"] == FACT)
    source_page, _, sentence = fact["citations"][0]["href"].partition("#")
    return fact["href"].partition("#")[0], source_page, sentence


TARGET_STATE = """(id) => {
    const el = document.getElementById(id);
    const target = document.querySelector(':target');
    const r = el.getBoundingClientRect();
    const bg = (e) => getComputedStyle(e).backgroundColor;
    const others = [...document.querySelectorAll('.article span.sentence[id^="s-"]')].filter((e) => e !== el);
    const line = el.getClientRects()[0];  // the first line box: the sentence may start mid-line
    const hit = document.elementFromPoint(line.left + 2, line.top + line.height / 2);
    return {
        hash: location.hash,
        target: target && target.id,
        isSentence: el.matches('.article span.sentence'),
        background: bg(el),
        sameAsAnother: others.some((e) => bg(e) === bg(el)),
        nOthers: others.length,
        inView: r.top >= 0 && r.bottom <= innerHeight, top: r.top, bottom: r.bottom, scrollY: scrollY,
        uncovered: hit !== null && el.contains(hit),
    };
}"""


def settle(page: Page) -> None:
    """Wait until the page stops scrolling (the theme scrolls smoothly to a target)."""
    last = None
    for _ in range(50):
        now = page.evaluate("() => [scrollX, scrollY]")
        if now == last:
            return
        last = now
        page.wait_for_timeout(100)


def assert_sentence_targeted(page: Page, sentence: str) -> None:
    page.wait_for_function("(id) => location.hash === '#' + id", arg=sentence)
    settle(page)
    state = page.evaluate(TARGET_STATE, sentence)
    assert state["hash"] == f"#{sentence}" and state["target"] == sentence
    assert state["isSentence"] and state["nOthers"] >= 39
    assert not state["sameAsAnother"], f"the target's background {state['background']} is not unique"
    assert state["inView"], f"the targeted sentence is not in the viewport: {state}"
    assert state["uncovered"], "the targeted sentence is hidden under something (the fixed navbar?)"


def test_the_cited_sentence_is_below_the_fold_without_a_target(page: Page, site: Path, base_url: str) -> None:
    _, source_page, sentence = citation(site)
    page.goto(base_url + source_page)
    settle(page)
    state = page.evaluate(TARGET_STATE, sentence)
    assert state["target"] is None and not state["inView"]  # so "in view" below means it was scrolled to


def test_clicking_a_marker_lands_on_the_highlighted_sentence(page: Page, site: Path, base_url: str) -> None:
    fact_page, source_page, sentence = citation(site)
    page.goto(base_url + fact_page)
    marker = page.locator(f'sup.cite > a[href$="#{sentence}"]').first
    marker.click()
    page.wait_for_url(f"**/{source_page}#{sentence}")
    assert_sentence_targeted(page, sentence)
    page.screenshot(path=ARTIFACTS / "click-landed-on-sentence.png")


def test_keyboard_focus_shows_the_quote_and_enter_follows_it(page: Page, site: Path, base_url: str) -> None:
    fact_page, source_page, sentence = citation(site)
    page.goto(base_url + fact_page)
    marker = page.locator(f'sup.cite > a[href$="#{sentence}"]').first
    title = marker.get_attribute("title") or ""
    assert "299 documented landmine casualties" in title
    after = "(e) => getComputedStyle(e, '::after').content"
    assert marker.evaluate(after) in ("none", "normal", "")  # nothing shown before focus
    for _ in range(200):  # Tab through the page as a keyboard user does
        page.keyboard.press("Tab")
        if marker.evaluate("(e) => document.activeElement === e"):
            break
    else:
        pytest.fail("the citation marker never received keyboard focus")
    shown = marker.evaluate(after)
    assert "299 documented landmine casualties" in shown
    assert marker.evaluate("(e) => e.matches(':focus-visible')")
    page.screenshot(path=ARTIFACTS / "quote-on-keyboard-focus.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{source_page}#{sentence}")
    assert_sentence_targeted(page, sentence)
    page.screenshot(path=ARTIFACTS / "enter-landed-on-sentence.png")


def test_no_serious_accessibility_violations_on_any_page(page: Page, site: Path, base_url: str) -> None:
    axe = Axe()
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= 5
    found: dict[str, list[str]] = {}
    for rel in pages:
        url = base_url + (rel.removesuffix("index.html"))
        page.goto(url)
        result = axe.run(page)
        serious = [
            f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[rel] = serious
        page.screenshot(path=ARTIFACTS / (rel.replace("/", "_").removesuffix(".html") + ".png"), full_page=True)
    assert found == {}, json.dumps(found, indent=1)
