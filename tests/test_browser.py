"""The built site in a real browser: Debian's headless Chromium, driven by Playwright.

On the fixture projects (seed-sheet, multi-source) and the shipped content (invariants
only), at 1280 and 390 px, over http (under a sub-path) and from file://:
- every link, citation and back-link resolves, nothing is requested from elsewhere;
- a marker leads to its highlighted sentence and the sentence's ↩ back to the fact,
  highlighted; ↩ in the References returns to the fact on the same page;
- the quote previews on hover, keyboard focus and a first tap (a second tap follows),
  fits a 320 px screen, Escape hides it, and no native tooltip doubles it;
- targets are at least 24 x 24 px; axe-core finds no WCAG 2.2 AA violation of any
  severity on any page, in the light and the dark scheme;
- printed to PDF, the references keep quote, source, sentence number and address;
- a cold page weighs at most 100 KB gzipped; lines hold at most 80 characters;
  shading, badges and navigation have a contrast of at least 4.5:1; no motion.
Screenshots and the measurements are kept in test-artifacts/browser/ (CI keeps them).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import json
import os
import re
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import FIXTURES, REPO, copy_project, run_cli

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
WIDTHS = (1280, 390)
MODES = ("http", "file")
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MAX_GZIPPED = 100 * 1024
# The fixtures, and the fact sheet this repository ships (checked for invariants only).
SITES = {
    "seed-sheet": FIXTURES / "seed-sheet",
    "multi-source": FIXTURES / "multi-source",
    "content": REPO,
}
SITES = {k: v for k, v in SITES.items() if (v / "content" / "site.yaml").is_file()}

if not CHROMIUM.exists():
    if os.environ.get("CI"):
        raise RuntimeError("/usr/bin/chromium is missing; .ci/run installs it from Debian")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

from axe_playwright_python.sync_playwright import Axe  # noqa: E402
from playwright.sync_api import Browser, BrowserContext, Page, Response, sync_playwright  # noqa: E402


# --- the sites ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def www(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The directory served over http: each site under a sub-path of its own (/<name>/)."""
    return tmp_path_factory.mktemp("www")


@functools.cache
def _build(name: str, where: str) -> Path:
    root = copy_project(Path(where) / name, source=SITES[name])
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root / "site"


class Site:
    def __init__(self, name: str, path: Path, http_base: str) -> None:
        self.name, self.path, self.http_base = name, path, http_base

    def base(self, mode: str) -> str:
        return self.http_base if mode == "http" else self.path.as_uri() + "/"

    def url(self, mode: str, rel: str) -> str:
        return self.base(mode) + rel

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.path).as_posix() for p in self.path.rglob("*.html"))

    def facts(self) -> list[dict]:
        return json.loads((self.path / "data" / "facts.json").read_text(encoding="utf-8"))["facts"]

    def ids(self, rel: str) -> set[str]:
        return set(re.findall(r'\sid="([^"]+)"', (self.path / rel).read_text(encoding="utf-8")))


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@pytest.fixture(scope="module")
def server(www: Path) -> Iterator[str]:
    """http://127.0.0.1:<port>/ on the first free localhost port in 8200-8299, serving www."""
    handler = functools.partial(_Quiet, directory=str(www))
    for port in range(8200, 8300):
        try:
            httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
            break
        except OSError:
            continue
    else:
        pytest.fail("no free port in 8200-8299")
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module", params=sorted(SITES))
def site(request: pytest.FixtureRequest, www: Path, server: str, tmp_path_factory: pytest.TempPathFactory) -> Site:
    name = request.param
    path = _build(name, str(tmp_path_factory.getbasetemp() / "browser-sites"))
    link = www / name
    if not link.exists():
        link.symlink_to(path, target_is_directory=True)
    return Site(name, path, f"{server}{name}/")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def context(browser: Browser, width: int, touch: bool = False, **kw: object) -> BrowserContext:
    height = 844 if width < 600 else 800
    return browser.new_context(viewport={"width": width, "height": height}, has_touch=touch, is_mobile=touch, **kw)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    ctx = context(browser, 1280)
    yield ctx.new_page()
    ctx.close()


def shot(page: Page, site: Site, name: str, full: bool = False) -> None:
    path = ARTIFACTS / site.name / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=full)


def record(name: str, key: str, value: object) -> None:
    """A measurement for the artifacts (test-artifacts/browser/<name>.json)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    f = ARTIFACTS / f"{name}.json"
    data = json.loads(f.read_text(encoding="utf-8")) if f.exists() else {}
    data[key] = value
    f.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")


def a_cited_fact(site: Site) -> tuple[str, str, str, str]:
    """(fact page, fact anchor, source page, sentence id) of the first fact whose page is
    not a source page, from facts.json (hrefs relative to the site root)."""
    for f in site.facts():
        page, _, anchor = f["href"].partition("#")
        if f["citations"] and not page.startswith("sources/"):
            source_page, _, sentence = f["citations"][0]["href"].partition("#")
            return page, anchor, source_page, sentence
    pytest.fail("no cited fact")


def settle(page: Page) -> None:
    """Wait until the page stops scrolling."""
    last = None
    for _ in range(50):
        now = page.evaluate("() => [scrollX, scrollY]")
        if now == last:
            return
        last = now
        page.wait_for_timeout(50)


TARGET_STATE = """(id) => {
    const el = document.getElementById(id);
    const target = document.querySelector(':target');
    const bg = (e) => getComputedStyle(e).backgroundColor;
    const kind = el.matches('.article span.sentence') ? '.article span.sentence[id]' : 'li.fact[id]';
    const others = [...document.querySelectorAll(kind)].filter((e) => e !== el);
    const line = el.getClientRects()[0];  // the first line box: a sentence may start mid-line
    const hit = document.elementFromPoint(line.left + 2, line.top + Math.min(line.height / 2, 10));
    const r = el.getBoundingClientRect();
    return {
        hash: location.hash, target: target && target.id, tag: el.tagName,
        background: bg(el), sameAsAnother: others.some((e) => bg(e) === bg(el)), nOthers: others.length,
        inView: line.top >= 0 && line.top < innerHeight, top: r.top, scrollY: scrollY,
        uncovered: hit !== null && el.contains(hit),
    };
}"""


def assert_targeted(page: Page, anchor: str) -> None:
    page.wait_for_function("(id) => location.hash === '#' + id", arg=anchor)
    settle(page)
    state = page.evaluate(TARGET_STATE, anchor)
    assert state["target"] == anchor, state
    assert not state["sameAsAnother"], f"the target's background {state['background']} is not its own: {state}"
    assert state["inView"] and state["uncovered"], f"the target is not in view: {state}"


# --- works from anywhere ----------------------------------------------------------------------
LINKS = """() => [
    ...[...document.querySelectorAll('a[href]')].map((a) => ['a', a.href]),
    ...[...document.querySelectorAll('link[href]')].map((l) => ['link', l.href]),
    ...[...document.querySelectorAll('script[src]')].map((s) => ['script', s.src]),
]"""


@pytest.mark.parametrize("mode", MODES)
def test_every_link_citation_and_back_link_resolves_and_nothing_comes_from_elsewhere(
    browser: Browser, site: Site, mode: str
) -> None:
    """As the browser resolves them: a link to a folder (a listing from file://) or to a
    missing anchor fails; every request stays within the site."""
    ctx = context(browser, 1280)
    pg = ctx.new_page()
    base = site.base(mode)
    outside: list[str] = []
    pg.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    problems: list[str] = []
    checked = 0
    for rel in site.pages():
        if rel == "404.html":  # served at any address: it has no relative links (tested below)
            continue
        pg.goto(site.url(mode, rel))
        for kind, href in pg.evaluate(LINKS):
            if not href.startswith(base):
                assert kind == "a" and urlsplit(href).scheme in ("https", "http", "mailto"), href
                continue
            path, _, fragment = unquote(href[len(base) :]).partition("#")
            path = path.partition("?")[0]
            target = site.path / path
            if not target.is_file():
                problems.append(f"{rel}: {href} is not a file of the site")
            elif fragment and path.endswith(".html") and fragment not in site.ids(path):
                problems.append(f"{rel}: {href} has no #{fragment}")
            checked += 1
    ctx.close()
    assert problems == []
    assert outside == []
    assert checked > 100


def test_the_404_page_has_no_link_that_depends_on_where_it_is_served(site: Site) -> None:
    html = (site.path / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in html
    assert not re.search(r'(?:href|src)="(?!https?:|#)', html), "a relative link on a page served at any address"


# --- citations --------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_marker_leads_to_the_sentence_and_its_back_link_to_the_fact_highlighted(
    browser: Browser, site: Site, mode: str, width: int
) -> None:
    fact_page, anchor, source_page, sentence = a_cited_fact(site)
    touch = width < 600
    ctx = context(browser, width, touch=touch)
    pg = ctx.new_page()
    pg.goto(site.url(mode, fact_page))
    marker = pg.locator(f'#{anchor} sup.cite > a[href$="#{sentence}"]').first
    marker.scroll_into_view_if_needed()
    if touch:
        marker.tap()  # the first tap shows the quote
        assert pg.url == site.url(mode, fact_page)
        marker.tap()  # the second follows the link
    else:
        marker.click()
    pg.wait_for_url(f"**/{source_page}#{sentence}")
    assert_targeted(pg, sentence)
    shot(pg, site, f"{width}-{mode}-1-sentence")
    back = pg.locator(f'[id="{sentence}"] a.backlink[href$="#{anchor}"]').first
    label = back.get_attribute("aria-label") or ""
    assert label.startswith("Back to the fact on ") and len(label) > 30, label  # it says where it leads
    if touch:
        back.tap()
    else:
        back.click()
    pg.wait_for_url(f"**/{fact_page}#{anchor}")
    assert_targeted(pg, anchor)
    shot(pg, site, f"{width}-{mode}-2-back-at-the-fact")
    # ↩ in this page's References returns to the fact on this page, and says so
    ref = pg.locator(f"#{anchor} sup.cite > a").first.get_attribute("aria-describedby")
    ref_back = pg.locator(f'#{ref} a.backlink[href="#{anchor}"]')
    assert (ref_back.get_attribute("aria-label") or "").startswith("Back to the fact: ")
    pg.goto(site.url(mode, f"{fact_page}#{ref}"))
    ref_back.click()
    assert_targeted(pg, anchor)
    ctx.close()


QUOTE = "(e) => getComputedStyle(e, '::after').content"
BOX = """(e) => { const s = getComputedStyle(e, '::after');
    return {position: s.position, width: parseFloat(s.width), left: s.left, right: s.right}; }"""


def test_the_quote_previews_on_hover_keyboard_focus_and_touch(browser: Browser, site: Site) -> None:
    fact_page, anchor, source_page, sentence = a_cited_fact(site)
    # mouse: hover shows it, Escape hides it; no native tooltip anywhere on the page
    ctx = context(browser, 1280)
    pg = ctx.new_page()
    pg.goto(site.url("http", fact_page))
    assert pg.evaluate("() => document.querySelectorAll('main [title]').length") == 0
    marker = pg.locator(f'#{anchor} sup.cite > a[href$="#{sentence}"]').first
    quote = marker.get_attribute("data-quote") or ""
    assert len(quote) > 20 and quote[:20] in (pg.locator(f"#{marker.get_attribute('aria-describedby')}").inner_text())
    assert marker.evaluate(QUOTE) in ("none", "normal")
    marker.hover()
    assert quote[:20] in marker.evaluate(QUOTE)
    shot(pg, site, "1280-preview-hover")
    pg.keyboard.press("Escape")
    assert marker.evaluate(QUOTE) in ("none", "normal")
    # keyboard: Tab reaches it (after a skip link), focus shows it, Enter follows it
    pg.mouse.move(0, 0)
    pg.goto(site.url("http", fact_page))
    for _ in range(400):
        pg.keyboard.press("Tab")
        if marker.evaluate("(e) => document.activeElement === e"):
            break
    else:
        pytest.fail("the citation marker never received keyboard focus")
    assert marker.evaluate("(e) => e.matches(':focus-visible')")
    assert quote[:20] in marker.evaluate(QUOTE)
    shot(pg, site, "1280-preview-keyboard")
    pg.keyboard.press("Enter")
    pg.wait_for_url(f"**/{source_page}#{sentence}")
    assert_targeted(pg, sentence)
    ctx.close()
    # touch on a 320 px screen: a tap shows it, fitted to the screen; a tap elsewhere hides it
    ctx = context(browser, 320, touch=True)
    pg = ctx.new_page()
    pg.goto(site.url("http", fact_page))
    marker = pg.locator(f'#{anchor} sup.cite > a[href$="#{sentence}"]').first
    marker.scroll_into_view_if_needed()
    marker.tap()
    assert pg.url == site.url("http", fact_page)
    assert quote[:20] in marker.evaluate(QUOTE)
    box = marker.evaluate(BOX)
    assert box["position"] == "fixed" and 200 <= box["width"] <= 320 - 16, box
    shot(pg, site, "320-preview-tap")
    pg.locator("h1").tap()
    assert marker.evaluate(QUOTE) in ("none", "normal")
    ctx.close()


TARGETS = (
    "sup.cite a, a.backlink, a.orig, a.sn, .permalink a, a.attr, .chain a, .site-nav a, .toc summary, "
    ".colophon a, .skip:focus, button"
)


@pytest.mark.parametrize("width", WIDTHS)
def test_targets_are_at_least_24_by_24_px(browser: Browser, site: Site, width: int) -> None:
    ctx = context(browser, width)
    pg = ctx.new_page()
    small: list[str] = []
    for rel in site.pages():
        pg.goto(site.url("http", rel))
        small += [
            f"{rel}: {t}"
            for t in pg.evaluate(
                """(sel) => [...document.querySelectorAll(sel)].flatMap((e) => {
                    const r = e.getBoundingClientRect();
                    return r.width === 0 ? [] : r.width < 24 || r.height < 24 ?
                        [`${e.outerHTML.slice(0, 60)} ${r.width.toFixed(1)}x${r.height.toFixed(1)}`] : [];
                })""",
                TARGETS,
            )
        ]
    ctx.close()
    assert small == []


# --- accessibility ------------------------------------------------------------------------------
@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "light"), (1280, "dark")])
def test_axe_finds_no_wcag_22_aa_violation_on_any_page(browser: Browser, site: Site, width: int, scheme: str) -> None:
    axe = Axe()
    ctx = context(browser, width, color_scheme=scheme)
    pg = ctx.new_page()
    found: dict[str, list[str]] = {}
    pages = site.pages()
    for rel in pages:
        pg.goto(site.url("http", rel))
        result = axe.run(pg, options={"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]})
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} - {[n['target'] for n in v['nodes']][:3]}"
            for v in result.response["violations"]
        ]
        if violations:
            found[rel] = violations
        if scheme == "light":
            shot(pg, site, f"{width}/{rel.removesuffix('.html').replace('/', '_')}", full=True)
        elif rel in ("index.html", "method.html") or rel.startswith("sources/"):
            shot(pg, site, f"dark-{width}/{rel.removesuffix('.html').replace('/', '_')}", full=True)
    ctx.close()
    record(f"axe-{site.name}", f"{width}-{scheme}", {rel: found.get(rel, []) for rel in pages})
    assert len(pages) >= 8
    assert found == {}, json.dumps(found, indent=1)


CONTRAST = """() => {
    const rgb = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); return m ? m[1].split(',').map(Number) : null; };
    const lum = (c) => { const [r, g, b] = rgb(c).slice(0, 3).map((v) => v / 255)
        .map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const page = getComputedStyle(document.body).backgroundColor;
    const bg = (e) => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
        if (rgb(c) && (rgb(c)[3] === undefined || rgb(c)[3] > 0)) return c; } return page; };
    const out = {};
    const add = (name, fg, back) => { if (fg && back) out[name] = Math.round(ratio(fg, back) * 100) / 100; };
    for (const e of document.querySelectorAll('.site-nav a, .site-name a, .attr, .chain, .chain a, sup.cite a, ' +
            'ol.references a, .colophon dt, .colophon dd, .colophon a, .article a.sn, .article .sentence, ' +
            '.article a.orig, .article a.backlink, .toc summary, .toc a')) {
        const key = e.classList[0] ? e.tagName.toLowerCase() + '.' + e.classList[0] : e.tagName.toLowerCase() +
            ' in ' + (e.closest('[class]') || document.body).className.split(' ')[0];
        add(key + ' text', getComputedStyle(e).color, bg(e));
        if (e.matches('.attr')) add(key + ' border', getComputedStyle(e).borderTopColor, bg(e.parentElement));
    }
    const cited = document.querySelector('.article .sentence.cited');
    if (cited) {  // the cue of a cited sentence: its bar, against its own shading and the page
        const bar = getComputedStyle(cited).boxShadow.match(/rgba?\\([^)]+\\)/)[0];
        add('cited sentence bar on its shading', bar, getComputedStyle(cited).backgroundColor);
        add('cited sentence bar on the page', bar, page);
    }
    return out;
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_shading_badges_and_navigation_have_a_contrast_of_at_least_4_5(
    browser: Browser, site: Site, scheme: str
) -> None:
    ctx = context(browser, 1280, color_scheme=scheme)
    pg = ctx.new_page()
    worst: dict[str, float] = {}
    for rel in site.pages():
        pg.goto(site.url("http", rel))
        for k, v in pg.evaluate(CONTRAST).items():
            worst[k] = min(v, worst.get(k, 99))
    if scheme == "dark":
        assert pg.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    ctx.close()
    record(f"contrast-{site.name}", scheme, worst)
    assert "cited sentence bar on its shading" in worst and any(k.startswith("a.attr") for k in worst)
    assert {k: v for k, v in worst.items() if v < 4.5} == {}


def test_reduced_motion_is_respected_and_nothing_moves_anyway(browser: Browser, site: Site) -> None:
    fact_page, anchor, source_page, sentence = a_cited_fact(site)
    for motion in ("reduce", "no-preference"):
        ctx = context(browser, 390, reduced_motion=motion)
        pg = ctx.new_page()
        pg.goto(site.url("http", f"{source_page}#{sentence}"))
        assert pg.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == "auto"
        assert pg.evaluate("() => document.getAnimations().length") == 0
        state = pg.evaluate(TARGET_STATE, sentence)  # no smooth scroll to wait for: in view at once
        assert state["inView"], state
        ctx.close()


def test_lines_hold_at_most_80_characters(page: Page, site: Site) -> None:
    longest: dict[str, int] = {}
    for rel in site.pages():
        if rel == "404.html":  # without site_url it has no stylesheet it could miss
            continue
        page.goto(site.url("http", rel))
        longest[rel] = page.evaluate(
            """() => {
            let most = 0;
            for (const block of document.querySelectorAll('main p, main li, main dd, main td, .colophon dd')) {
                const lines = new Map();
                const walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
                for (let n = walk.nextNode(); n; n = walk.nextNode()) {
                    for (let i = 0; i < n.length; i++) {
                        const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                        const box = r.getBoundingClientRect();
                        if (box.width === 0) continue;
                        const y = Math.round(box.bottom);
                        lines.set(y, (lines.get(y) || 0) + 1);
                    }
                }
                for (const v of lines.values()) most = Math.max(most, v);
            }
            return most;
        }"""
        )
    record(f"lines-{site.name}", "longest line in characters, per page", longest)
    assert max(longest.values()) <= 80, longest


# --- print --------------------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """The text of a PDF, ligatures (ﬁ, ﬃ) and typographic quotes folded, without spaces."""
    from pypdf import PdfReader

    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages)
    return flat(text)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def test_printed_pages_keep_their_references_and_the_colophon(page: Page, site: Site) -> None:
    fact_page, _, source_page, _ = a_cited_fact(site)
    page.goto(site.url("http", fact_page))
    refs = page.evaluate(
        """() => [...document.querySelectorAll('ol.references > li')].map((li) => ({
            quote: li.textContent.match(/“([^”]{0,40})/)[1],
            source: li.querySelector('a:not(.backlink):not(.orig)').textContent,
            original: li.querySelector('a.orig').href.split('#')[0],
        }))"""
    )
    assert refs
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.locator("ol.references").is_visible()
    ARTIFACTS.joinpath(site.name).mkdir(parents=True, exist_ok=True)
    data = page.pdf(format="A4")
    (ARTIFACTS / site.name / "print-fact-page.pdf").write_bytes(data)
    text = pdf_text(data)
    assert "References" in text
    for r in refs:
        assert flat(r["quote"]) in text, r
        assert flat(r["source"]) in text, r  # "<publisher>, sentence <n>"
        assert flat(r["original"]) in text, r  # the address, for a reader on paper
    assert "Publishedby" in text and "Licence" in text and "Lastbuilt" in text
    page.goto(site.url("http", source_page))
    page.emulate_media(media="print")
    numbers = page.evaluate("() => [...document.querySelectorAll('.article a.sn')].map((a) => a.textContent)")
    text = pdf_text(page.pdf(format="A4"))
    assert numbers and all(page.locator(".article a.sn").nth(i).is_visible() for i in range(min(3, len(numbers))))
    assert "↩" not in text and "↗" not in text  # links that paper cannot follow are left off, and not explained
    assert all(flat(n) in text for n in numbers)


# --- weight -------------------------------------------------------------------------------------
def test_a_cold_page_weighs_at_most_100_kb_gzipped_and_loads_no_font(browser: Browser, site: Site) -> None:
    weights: dict[str, int] = {}
    for rel in site.pages():
        ctx = context(browser, 1280)  # a cold cache for every page
        pg = ctx.new_page()
        responses: list[Response] = []
        pg.on("response", lambda r, keep=responses: keep.append(r))
        pg.goto(site.url("http", rel), wait_until="networkidle")
        bodies = [(r.url, r.body()) for r in responses if r.ok]
        ctx.close()
        assert all(u.startswith(site.http_base) for u, _ in bodies)
        assert not [u for u, _ in bodies if re.search(r"\.(woff2?|ttf|otf|eot)$", u)]
        weights[rel] = sum(len(gzip.compress(b, 9)) for _, b in bodies)
    record(f"weight-{site.name}", "gzipped bytes of a cold page with all it loads", weights)
    assert max(weights.values()) <= MAX_GZIPPED, weights


# --- without JavaScript ----------------------------------------------------------------------
def test_without_javascript_markers_previews_and_references_still_work(browser: Browser, site: Site) -> None:
    fact_page, anchor, source_page, sentence = a_cited_fact(site)
    ctx = context(browser, 1280, java_script_enabled=False)
    pg = ctx.new_page()
    pg.goto(site.url("file", fact_page))
    marker = pg.locator(f'#{anchor} sup.cite > a[href$="#{sentence}"]').first
    marker.hover()
    assert (marker.get_attribute("data-quote") or "")[:20] in marker.evaluate(QUOTE)
    assert pg.locator("ol.references > li").count() >= 1
    marker.click()
    pg.wait_for_url(f"**/{source_page}#{sentence}")
    assert pg.evaluate("() => document.querySelector(':target').id") == sentence
    ctx.close()
