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
