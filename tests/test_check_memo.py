"""The live preview's checks (pipeline.CheckMemo): after each edit, a check that reuses what
the check before loaded and looked up says exactly what a fresh check says, and the cache
file keeps every entry; its follow-up (exports, search index) gives way to a newer build."""

from __future__ import annotations

import gc
import hashlib
import os
from pathlib import Path

import pytest
from conftest import FIXTURES, copy_project, edit

from generator.cache import Cache
from generator.export import Sink
from generator.moot import GaveWay
from generator.pipeline import CheckMemo, check, collector_paused, summary
from generator.project import Project

WIRE = "content/sources/wire-a-2023-05-02"
COPY = "content/sources/wire-a-copy-2023-05-02"  # cited by one value of a fact, not by the fact


def outcome(p: Project) -> tuple[object, ...]:
    """What a reader or an editor sees of a check: diagnostics, summary, every resolved
    citation (its sentence and span) and value, the sources' sentences."""
    return (
        [str(d) for d in p.report.sorted()],
        summary(p),
        {fid: [(c.source, c.sentence, c.span, c.stance) for c in cs] for fid, cs in p.resolved.items()},
        p.values,
        sorted(p.invalid_ids),
        sorted(p.failed_sources),
        {sid: (s.meta, s.text) for sid, s in p.sources.items()},
        p.non_claims,
    )


def _retext(root: Path, old: str, new: str, source: str = WIRE) -> None:
    """Edit a source's text (the wire report's) and give its metadata the new sha256."""
    edit(root / f"{source}.txt", old, new)
    sha = hashlib.sha256((root / f"{source}.txt").read_bytes()).hexdigest()
    meta = (root / f"{source}.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    (root / f"{source}.yaml").write_text(
        "".join(f"sha256: {sha}\n" if x.startswith("sha256:") else x for x in meta), encoding="utf-8"
    )


AGAIN = "content/facts/again.yaml"  # read before talks.yaml: by id, its fact finds the other's citations
REPEAT = """participants:
  - id: jeyhun-bayramov
    kind: person
    name: Jeyhun Bayramov
    post: foreign minister
    country: Azerbaijan
    statement: Test Wire A names Jeyhun Bayramov as Azerbaijan's foreign minister.
    attribution: null
    citations:
      - source: wire-a-2023-05-02
        quote: Azerbaijan's foreign minister, Jeyhun Bayramov
"""

EDITS = [
    ("nothing", lambda r: None),
    ("a misquote", lambda r: edit(r / "content/facts/talks.yaml", "quote: hosted by", "quote: held by")),
    ("the misquote mended", lambda r: edit(r / "content/facts/talks.yaml", "quote: held by", "quote: hosted by")),
    ("a second file repeats a fact's id", lambda r: (r / AGAIN).write_text(REPEAT, encoding="utf-8")),
    (
        "the other fact of that id quotes other words",  # the repeat's values read its resolved citations
        lambda r: edit(
            r / "content/facts/talks.yaml",
            "quote: Azerbaijan's foreign minister, Jeyhun Bayramov",
            "quote: Jeyhun Bayramov, accused Armenian forces",
        ),
    ),
    ("the repeat removed", lambda r: os.remove(r / AGAIN)),
    ("a key misspelt", lambda r: edit(r / "content/facts/talks.yaml", "    post: foreign", "    psot: foreign")),
    ("a source's words", lambda r: _retext(r, "met on Monday at", "met on Monday, at")),
    ("the words a value quotes", lambda r: _retext(r, "Center in Arlington", "Centre in Arlington", COPY)),
    ("those words mended", lambda r: _retext(r, "Centre in Arlington", "Center in Arlington", COPY)),
    ("a source's text without its sha256", lambda r: edit(r / f"{WIRE}.txt", "Arlington.", "Arlington!")),
    ("a source's metadata removed", lambda r: os.remove(r / f"{WIRE}.yaml")),
]


def test_each_check_with_the_memo_says_what_a_fresh_check_says(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj", source=FIXTURES / "multi-source")
    memo = CheckMemo()
    for what, change in EDITS:
        change(root)
        remembered = outcome(check(root, memo=memo))
        assert remembered == outcome(check(root, cache=False)), what


def test_a_misquote_after_a_remembered_check_is_reported_where_it_is(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj", source=FIXTURES / "multi-source")
    memo = CheckMemo()
    assert not check(root, memo=memo).report.diagnostics
    edit(root / "content/facts/talks.yaml", "quote: hosted by", "quote: held by")
    report = [str(d) for d in check(root, memo=memo).report.diagnostics]
    assert len(report) == 1 and report[0].startswith("content/facts/talks.yaml:21:16: error[C201]"), report


def test_the_cache_file_keeps_the_entries_of_remembered_files(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "proj", source=FIXTURES / "multi-source")
    check(root)
    entries = {k: set(v) for k, v in Cache.for_project(root).entries.items()}
    assert entries["yaml"] and entries["sentences"]
    memo = CheckMemo()
    check(root, memo=memo)
    edit(root / "content/facts/talks.yaml", "quote: hosted by", "quote: held by")  # one file's entry replaced
    check(root, memo=memo)  # the others come from the memo, not the cache, and are still written
    now = {k: set(v) for k, v in Cache.for_project(root).entries.items()}
    assert now["sentences"] == entries["sentences"]
    assert len(now["yaml"] - entries["yaml"]) == 1 and len(entries["yaml"] - now["yaml"]) == 1


def test_a_check_leaves_the_collector_as_it_found_it(project: Path) -> None:
    gc.disable()
    try:
        check(project)
        assert not gc.isenabled()
    finally:
        gc.enable()
    check(project)
    assert gc.isenabled()
    with collector_paused(freeze=True):
        kept = check(project)
    try:
        assert gc.isenabled() and gc.get_freeze_count() > 0 and kept.facts
    finally:
        gc.unfreeze()


def test_a_follow_up_gives_way_to_a_newer_build(tmp_path: Path) -> None:
    from generator.search import build_index

    out = tmp_path / "f.json"
    with out.open("wb") as f:
        sink = Sink(f, moot=lambda: True)
        with pytest.raises(GaveWay):
            sink.write("{}")
    docs = {
        f"p{i}/index.html": f"<html><body><main><h1>Page {i} of many</h1></main></body></html>" for i in range(3000)
    }
    site = tmp_path / "site"
    with pytest.raises(GaveWay):  # a newer build started before Pagefind did
        build_index(site, docs, True, lambda: True)
    asked: list[int] = []

    def moot() -> bool:  # a newer build starts while Pagefind runs
        asked.append(1)
        return len(asked) > 1

    with pytest.raises(GaveWay):
        build_index(site, docs, True, moot)
    assert len(asked) == 2 and not (site / "pagefind" / "pagefind-entry.json").exists()
    assert build_index(site, docs, True, lambda: False)  # never moot: the index is made
    assert (site / "pagefind" / "pagefind-entry.json").exists()


def test_the_site_check_gives_way_to_a_newer_build(tmp_path: Path) -> None:
    from generator.publish import verify_site

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!DOCTYPE html><html lang=en><head><title>x</title></head><body></body></html>")
    with pytest.raises(GaveWay):
        verify_site(site, moot=lambda: True)
    assert verify_site(site, moot=lambda: False) == verify_site(site)
