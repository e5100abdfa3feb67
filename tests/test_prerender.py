"""Pages rendered ahead of MkDocs by forked workers (generator/prerender.py) are the same
bytes as pages the build renders itself, and a worker's failure is never the build's."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from casekit import tree_hashes
from conftest import copy_project, run_cli

import generator.prerender as prerender
from generator.prerender import Prerender


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Workers for every build, whatever its size; the pages they rendered."""
    monkeypatch.setattr(prerender, "MIN_PAGES", 0)
    monkeypatch.setenv("FACTSHEET_WORKERS", "2")
    pages: list[str] = []
    real = Prerender.take

    def take(self: Prerender[object], path: str) -> str | None:
        html = real(self, path)
        if html is not None:
            pages.append(path)
        return html

    monkeypatch.setattr(Prerender, "take", take)
    return pages


def test_a_site_rendered_by_workers_is_byte_for_byte_the_site_rendered_alone(
    tmp_path: Path, taken: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "sheet")
    assert run_cli("build", "--root", str(root))[0] == 0
    assert len(taken) >= 10  # the workers did render the pages
    with_workers = tree_hashes(root / "site")
    monkeypatch.setenv("FACTSHEET_WORKERS", "1")
    taken.clear()
    assert run_cli("build", "--root", str(root))[0] == 0
    assert taken == []
    assert tree_hashes(root / "site") == with_workers


def test_a_template_error_is_reported_as_without_workers(
    tmp_path: Path, taken: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project(tmp_path / "sheet")
    page = root / "templates" / "pages" / "participant.html.j2"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("<h1>{{ page.nope.deeper }}</h1>\n")
    code, out = run_cli("build", "--root", str(root))
    errors = [line for line in out.splitlines() if "template error" in line]
    assert code == 1
    assert errors and "participant.html.j2:1" in errors[0], out
    assert not (root / "site").exists()
    monkeypatch.setenv("FACTSHEET_WORKERS", "1")
    code, out = run_cli("build", "--root", str(root))
    assert (code, [line for line in out.splitlines() if "template error" in line]) == (1, errors)


def test_pages_of_a_worker_that_died_are_rendered_by_the_build() -> None:
    def render(page: str) -> str:
        if page == "c":
            os._exit(9)  # the worker dies half-way
        return f"<p>{page}</p>"

    workers = Prerender(["a", "b", "c", "d", "e"], str, render, 2)  # worker 0: a, c, e; worker 1: b, d
    try:
        got = [workers.take(p) for p in "abcde"]
    finally:
        workers.close()
    # what worker 0 had not written out (a, perhaps) is lost with it: the build renders it
    assert got[0] in (None, "<p>a</p>")
    assert got[1:] == ["<p>b</p>", None, "<p>d</p>", None]


def test_stopping_the_workers_early_leaves_no_process_behind() -> None:
    workers = Prerender([str(i) for i in range(2000)], str, lambda p: "x" * 100_000, 2)
    assert workers.take("0") == "x" * 100_000
    workers.close()  # the workers were blocked writing pages nobody asked for
    for pid in workers.pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def test_a_second_build_takes_its_page_scans_from_the_store_and_still_refuses_a_bad_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The site check keeps each page's scan by the sha256 of its bytes (publish.scan_store,
    in the cache directory): a rebuild scans only pages whose bytes changed, publishes the
    same bytes, and a page refused once is refused again from the store."""
    import generator.publish as publish

    monkeypatch.setenv("FACTSHEET_CACHE", str(tmp_path / "cache"))
    scanned: list[str] = []
    real = publish.scan

    def counting(data: bytes | str, rel: str = "index.html") -> publish.PageScan:
        scanned.append(rel)
        return real(data, rel)

    monkeypatch.setattr(publish, "scan", counting)
    root = copy_project(tmp_path / "sheet")
    assert run_cli("build", "--root", str(root))[0] == 0
    first = tree_hashes(root / "site")
    assert len([r for r in scanned if r.endswith(".html")]) >= 10
    scanned.clear()
    assert run_cli("build", "--root", str(root))[0] == 0
    assert [r for r in scanned if r.endswith(".html")] == ["404.html"]  # only the file MkDocs wrote itself is read
    assert tree_hashes(root / "site") == first
    own = root / "templates" / "theme" / "base.html"
    own.parent.mkdir(parents=True, exist_ok=True)
    theme = Path(publish.__file__).parent.parent / "templates" / "theme" / "base.html"
    own.write_text(theme.read_text(encoding="utf-8").replace("</body>", "<img src=x onerror=alert(1)></body>"))
    for _ in range(2):  # scanned, then from the store: refused both times
        code, out = run_cli("build", "--root", str(root))
        assert code == 1 and "event handler attribute <img onerror=...>" in out
        assert tree_hashes(root / "site") == first
