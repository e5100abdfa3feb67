"""Live preview: a real `serve` on a localhost port rebuilds on every save; a broken edit
shows its diagnostics in the browser (escaped) instead of hanging, and a fix brings the
fact sheet back. Every wait is bounded."""

from __future__ import annotations

import contextlib
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import copy_project, edit

from generator.preview import error_page
from generator.render import default_templates

PORTS = range(8100, 8200)  # other engineers' servers use other ports
DEADLINE = 45.0  # seconds for any one change to show up


def free_port() -> int:
    for port in random.sample(list(PORTS), len(PORTS)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 8100-8199")


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.read().decode("utf-8")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, ok: Callable[[str], bool], what: str) -> str:
    end = time.monotonic() + DEADLINE
    last = None
    while time.monotonic() < end:
        last = fetch(url)
        if last is not None and ok(last):
            return last
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show {what} within {DEADLINE:.0f} s; last response: {(last or '')[:500]}")


def real(page: str) -> bool:
    return "299 documented landmine casualties" in page and "has errors" not in page


def broken(page: str) -> bool:
    return "The fact sheet has errors" in page


@contextlib.contextmanager
def serve(root: Path, command: str, log: Path) -> Iterator[str]:
    """`factsheet serve` or `mkdocs serve` on a free port; yields the base URL; stops it after."""
    addr = f"127.0.0.1:{free_port()}"
    exe = str(Path(sys.executable).parent / command)
    cmd = (
        [exe, "serve", "--root", str(root), "-a", addr]
        if command == "factsheet"
        else [exe, "serve", "-f", str(root / "mkdocs.yml"), "-a", addr]
    )
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield f"http://{addr}/"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


OWN_TEMPLATE = "templates/pages/figures.html.j2"
OWN_MARK = '<p class="own">From the fact sheet’s own template</p>'


def _served(command: str, tmp_path: Path, own_template: bool = False) -> Iterator[tuple[Path, str, Path]]:
    root = copy_project(tmp_path / "proj")
    if own_template:  # the fact sheet's own copy of a default template, which overrides it
        own = root / OWN_TEMPLATE
        own.parent.mkdir(parents=True)
        default = (default_templates() / "pages/figures.html.j2").read_text(encoding="utf-8")
        own.write_text(default + OWN_MARK + "\n", encoding="utf-8")
    log = tmp_path / "serve.log"
    with serve(root, command, log) as base:
        yield root, base, log


@pytest.fixture(params=["factsheet", "mkdocs"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """A project copy (with no templates of its own) being served; yields (root, base URL, log file)."""
    yield from _served(request.param, tmp_path)


@pytest.fixture(params=["factsheet", "mkdocs"])
def served_own_template(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    """The same, with a template of its own."""
    yield from _served(request.param, tmp_path, own_template=True)


def test_a_broken_edit_shows_its_diagnostics_and_a_fix_brings_the_page_back(served: tuple[Path, str, Path]) -> None:
    root, base, log = served
    landmines = root / "content/facts/landmines.yaml"
    wait_for(base + "figures/index.html", real, "the figures page")

    edit(landmines, "conflict, 299 documented", "conflict, 299 <script>alert(1)</script> documented")
    page = wait_for(base + "figures/index.html", broken, "the diagnostics")
    assert "content/facts/landmines.yaml:18:16: error[C201] quote not found in source" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert broken(wait_for(base, broken, "the diagnostics on the home page too"))

    edit(landmines, "conflict, 299 <script>alert(1)</script> documented", "conflict, 299 documented")
    wait_for(base + "figures/index.html", real, "the figures page again")
    assert "content/facts/landmines.yaml:18:16: error[C201]" in log.read_text(encoding="utf-8")


def test_a_broken_template_shows_the_template_error(served_own_template: tuple[Path, str, Path]) -> None:
    root, base, _ = served_own_template
    wait_for(base + "figures/index.html", lambda p: real(p) and OWN_MARK in p, "the figures page of its own template")
    own = root / OWN_TEMPLATE  # the fact sheet's own template: it overrides the default, and is watched
    edit(own, "{% for", "{% for for")
    page = wait_for(base + "figures/index.html", broken, "the template error")
    assert "factsheet: template error at templates/pages/figures.html.j2:4: expected token" in page
    edit(own, "{% for for", "{% for")
    wait_for(base + "figures/index.html", real, "the figures page again")


def test_serve_starts_on_broken_content_and_recovers(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj")
    edit(root / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    with serve(root, "factsheet", tmp_path / "serve.log") as base:
        page = wait_for(base, broken, "the diagnostics")
        assert "number 298 in value is not in the quote" in page
        # pages that never built yet show the problems too, rather than "404"
        assert broken(wait_for(base + "meetings/bayramov-blinken-bilateral.html", broken, "the diagnostics"))
        edit(root / "content/facts/landmines.yaml", 'value: "298"', 'value: "299"')
        wait_for(base + "figures/index.html", real, "the figures page")


def test_the_error_page_escapes_what_it_quotes() -> None:
    page = error_page(["x.yaml:1:1: error[C201] <img src=x onerror=alert(1)> [link](javascript:alert(1))", ""])
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("\n\n") == 2  # no blank line inside the <pre> block that would end it early
