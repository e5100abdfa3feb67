"""Issue 13, family 3: markup that an HTML parser other than a browser's misreads.

Each payload below passed the site check when it read pages with Python's HTMLParser, and
runs script in Chromium. The test shows, in Debian's headless Chromium, that it would run
(without the check and without the Content-Security-Policy), that the site check now
refuses it, that a theme override carrying it fails `factsheet build` and leaves the
previous site alone, and that the policy alone would stop it too.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import copy_project, run_cli

from generator.publish import csp_meta, scan, verify_site

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
RUN = "document.documentElement.dataset.ran='yes'"  # what every payload does when it runs

PAYLOADS = {
    "abrupt comment": f'<!--><img src="x" onerror="{RUN}">-->',
    "comment closed by --!>": f'<!-- a --!><img src="x" onerror="{RUN}"> -->',
    "noscript attribute": f'<noscript><p title="</noscript><img src=x onerror={RUN}>"></noscript>',
    "svg style": f"<svg><style><img src=x onerror={RUN}></style></svg>",
    "math style": f"<math><style><img src=x onerror={RUN}></style></math>",
}
FILES = {
    "payload.shtml": ("text/html", f"<p>x</p><img src=x onerror={RUN}>"),
    "payload.htm": ("text/html", f"<p>x</p><img src=x onerror={RUN}>"),
    "payload.xht": (
        "application/xhtml+xml",
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body><script>{RUN}</script></body></html>',
    ),
    "payload.xhtml": (
        "application/xhtml+xml",
        f'<html xmlns="http://www.w3.org/1999/xhtml"><body><script>{RUN}</script></body></html>',
    ),
}


def _page(body: str, csp: bool = False) -> str:
    html = f"<!doctype html><html><head><meta charset=utf-8><title>t</title></head><body><p>x</p>{body}</body></html>"
    return html.replace("<head>", "<head>" + csp_meta(html)) if csp else html


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_site_check_refuses_every_payload(name: str) -> None:
    assert scan(_page(PAYLOADS[name])).problems, name


def test_the_site_check_refuses_files_a_browser_renders_as_documents(tmp_path: Path) -> None:
    for name, (_, body) in FILES.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "noext").write_text("<script>alert(1)</script>")
    problems = verify_site(tmp_path)
    assert sorted(p.split(":")[0] for p in problems) == sorted([*FILES, "noext"])


needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"), reason="Debian's chromium is not installed"
)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".xht": "application/xhtml+xml"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("payloads")
    server = None
    for port in range(8300, 8400):
        try:
            server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(_Quiet, directory=root))
            break
        except OSError:
            continue
    assert server is not None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{port}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _ran(chromium: object, url: str) -> bool:
    page = chromium.new_page()  # type: ignore[attr-defined]
    try:
        page.goto(url)
        page.wait_for_timeout(300)
        return page.evaluate("() => document.documentElement.dataset.ran === 'yes'")
    finally:
        page.close()


@needs_chromium
@pytest.mark.parametrize("name", PAYLOADS)
def test_each_payload_runs_in_chromium_without_the_check_and_not_with_the_policy(
    name: str, served: tuple[Path, str], chromium: object
) -> None:
    root, base = served
    slug = name.replace(" ", "-")
    (root / f"{slug}.html").write_text(_page(PAYLOADS[name]), encoding="utf-8")
    (root / f"{slug}-csp.html").write_text(_page(PAYLOADS[name], csp=True), encoding="utf-8")
    assert _ran(chromium, f"{base}{slug}.html"), f"{name}: the payload no longer runs; the test proves nothing"
    assert not _ran(chromium, f"{base}{slug}-csp.html"), f"{name}: the Content-Security-Policy did not stop it"


@needs_chromium
@pytest.mark.parametrize("name", FILES)
def test_each_file_type_runs_in_chromium(name: str, served: tuple[Path, str], chromium: object) -> None:
    root, base = served
    (root / name).write_text(FILES[name][1], encoding="utf-8")
    assert _ran(chromium, base + name), f"{name}: does not run in Chromium; the test proves nothing"


def test_a_theme_override_with_the_payloads_fails_the_build(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    assert run_cli("build", "--root", str(root))[0] == 0
    before = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    theme = root / "templates" / "theme"
    theme.mkdir(parents=True, exist_ok=True)
    body = "".join(PAYLOADS.values())
    (theme / "main.html").write_text(
        '{% extends "base.html" %}{% block content %}{{ super() }}' + body + "{% endblock %}", encoding="utf-8"
    )
    assets = root / "docs"  # the docs_dir: published as it is
    for name, (_, text) in FILES.items():
        (assets / name).write_text(text, encoding="utf-8")
    code, out = run_cli("build", "--root", str(root))
    assert code == 1, out
    for name in FILES:
        assert f"{name}: a file type that is not published" in out
    assert "forbidden element <noscript>" in out and "forbidden element <math>" in out
    assert "event handler attribute <img onerror=...>" in out
    after = {p.relative_to(root / "site"): p.read_bytes() for p in (root / "site").rglob("*") if p.is_file()}
    assert after == before
    shutil.rmtree(theme)
