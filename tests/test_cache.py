"""Going fast keeps every guarantee: a check answered from the cache, or loaded on
several cores, says exactly what a fresh, serial check says, and any edit is seen."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
from conftest import REPO, SEED_SHEET, SOURCE_ID, edit
from hypothesis import given
from hypothesis import strategies as st

from generator import parallel
from generator.buildinfo import BuildInfo
from generator.cache import Cache
from generator.cite import fold, normalize
from generator.diagnostics import format_text
from generator.locations import Urls
from generator.pipeline import check, summary
from generator.registry import site_plan
from generator.render import Renderer, default_templates, render_all

FACTS = "content/facts/participants.yaml"


def outcome(root: Path, cache: Cache | bool) -> str:
    project = check(root, cache=cache)
    sentences = [(s.id, s.start, s.end, s.kind) for src in project.sources.values() for s in src.text.sentences]
    return format_text(project.report, summary(project)) + json.dumps(sentences)


def break_things(root: Path) -> None:
    """A misquote, a misspelt key and a changed source text: errors of three stages."""
    edit(
        root / "content/facts/landmines.yaml",
        "conflict, 299 documented landmine casualties",
        "conflict, 299 documented landmine deaths",
    )
    edit(root / FACTS, "    post: Foreign Minister of Azerbaijan", "    pots: Foreign Minister of Azerbaijan")


def test_a_warm_check_says_what_a_cold_one_says(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    cold = outcome(project, Cache(cache))
    assert cache.is_file()
    assert outcome(project, Cache(cache)) == cold == outcome(project, False)


def test_every_edit_after_a_warm_run_is_seen_with_its_position(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    outcome(project, Cache(cache))
    break_things(project)
    warm = check(project, cache=Cache(cache))
    fresh = check(project, cache=False)
    assert format_text(warm.report, summary(warm)) == format_text(fresh.report, summary(fresh))
    text = format_text(warm.report, summary(warm))
    assert "content/facts/participants.yaml:9:5: error[V101] unknown key 'pots'" in text
    assert "content/facts/landmines.yaml:" in text and "C201" in text


def test_a_new_sentence_override_changes_the_split_of_a_cached_text(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    before = check(project, cache=Cache(cache)).sources[SOURCE_ID].text
    text = (project / "content/sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in text.split("\n") if p.strip()]
    # one sentence per paragraph: fewer sentences than the segmenter finds
    (project / "content/sources" / f"{SOURCE_ID}.sents").write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    after = check(project, cache=Cache(cache)).sources[SOURCE_ID].text
    assert len(after.sentences) == len(paragraphs) < len(before.sentences)


def test_the_cache_lives_outside_the_project_and_can_be_turned_off(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FACTSHEET_CACHE", str(tmp_path / "elsewhere"))
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    check(project)
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
    assert len(list((tmp_path / "elsewhere").glob("*.json"))) == 1
    monkeypatch.setenv("FACTSHEET_CACHE", "off")
    assert Cache.for_project(project).path is None


def test_a_cache_from_other_code_is_ignored(project: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.json"
    outcome(project, Cache(cache))
    _, *lines = cache.read_text(encoding="utf-8").splitlines()
    assert lines, "the cache holds entries"
    empty = json.dumps({"data": {"participants": []}})
    forged = [f"{kind} {key} {empty}" for kind, key, _ in (line.split(" ", 2) for line in lines)]
    cache.write_text("\n".join([json.dumps({"version": "another-version"}), *forged]) + "\n", encoding="utf-8")
    assert outcome(project, Cache(cache)) == outcome(project, False)


def test_loading_on_every_core_says_what_a_serial_load_says(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_things(project)
    serial = outcome(project, False)
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    cache = Cache(None)
    filling = parallel.fill(cache, sorted((project / "content").rglob("*.yaml")))
    filling.close()
    assert filling.jobs > 0
    assert outcome(project, cache) == serial


@pytest.mark.parametrize("threads", [False, True], ids=["forked", "spawned"])
def test_a_check_reading_while_the_workers_fill_says_what_a_serial_check_says(
    project: Path, monkeypatch: pytest.MonkeyPatch, threads: bool
) -> None:
    """The check reads its files while the workers compute them (Cache.pending): forked
    workers in a process of one thread, spawned ones where another thread runs."""
    import threading

    break_things(project)
    serial = outcome(project, False)
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    started: list[object] = []
    real = parallel.Filling.add
    monkeypatch.setattr(parallel.Filling, "add", lambda self, f, k: (started.append(f), real(self, f, k))[1])
    stop = threading.Event()
    other = threading.Thread(target=stop.wait) if threads else None
    if other is not None:
        other.start()
    try:
        assert outcome(project, Cache(None)) == serial
    finally:
        stop.set()
    assert started  # the workers did compute the files


def test_a_check_whose_workers_die_says_what_a_serial_check_says(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_things(project)
    serial = outcome(project, False)
    monkeypatch.setattr(parallel, "MIN_JOBS", 1)
    monkeypatch.setattr(parallel, "workers", lambda: 2)
    monkeypatch.setattr(parallel, "_run", _die)  # forked: the workers run this
    assert outcome(project, Cache(None)) == serial


def _die(jobs: object) -> None:
    os._exit(1)


def renderer(root: Path) -> Renderer:
    project = check(root, cache=False)
    assert not project.report.has_errors, format_text(project.report, summary(project))
    return Renderer(project, [root / "templates", default_templates()], BuildInfo(None, False, None), Urls(False))


def test_pages_are_rendered_in_the_planned_order() -> None:
    r = renderer(SEED_SHEET)
    plan = [p.path for p in site_plan(r.project)]
    assert [p.path for p in r.pages()] == plan
    stored = [f"sources/{sid}.txt" for sid in r.project.sources]  # each source as stored
    assert list(render_all(r)) == [*plan, "data/facts.json", "data/facts.csv", *stored]
    assert plan[0] == "index.md" and plan[-3:] == ["method.md", "changes.md", "data/index.md"]


@given(st.text(alphabet=st.sampled_from(list("ab \t\n\u00a0\u2019\u201c\u2014\u00ad\u212b.-'\"")), max_size=40))
def test_the_fast_normalisation_is_the_folding(s: str) -> None:
    assert normalize(s) == fold(s)[0]


def test_a_large_site_counts_uncited_sentences_per_source_on_the_method_page(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "benchmarks"))
    import synth

    root = synth.generate(12, tmp_path / "big")  # 12 sources x 20 uncited sentences > 200
    pages = render_all(renderer(root))
    method = pages["method.md"]
    assert '<tr><td><a href="sources/src-00001.html">src-00001</a></td><td>20</td></tr>' in method
    assert "Sentence 21" not in method
    assert len(json.loads(pages["data/facts.json"])["statistics"]["uncited_sentences"]) == 12 * 20


# --- the whole check's outcome (outcome.py) ---------------------------------------------


def cli_check(root: Path, fmt: str = "text") -> tuple[int, str]:
    from conftest import run_cli

    return run_cli("check", "--root", str(root), "--format", fmt)


def fresh(root: Path) -> str:
    """What a check that reads everything afresh prints."""
    project = check(root, cache=False)
    return format_text(project.report, summary(project)) + "\n"


def no_full_check(monkeypatch: pytest.MonkeyPatch) -> None:
    import generator.pipeline

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the check ran in full")

    monkeypatch.setattr(generator.pipeline, "check", refuse)


def test_an_unchanged_project_is_answered_with_the_outcome_of_its_last_check(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    break_things(project)  # errors, hints and positions are answered too
    first = {fmt: cli_check(project, fmt) for fmt in ("text", "json", "github")}
    assert first["text"] == (1, fresh(project))
    with monkeypatch.context() as m:
        no_full_check(m)
        assert {fmt: cli_check(project, fmt) for fmt in ("text", "json", "github")} == first


@pytest.mark.parametrize(
    "change",
    [
        "source text",
        "fact file",
        "sentence override",
        "new fact file",
        "removed fact file",
        "symbolic link",
        "site",
        "build date",
        "code",
    ],
)
def test_every_change_of_what_a_check_reads_runs_the_check_again(
    project: Path, change: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator import outcome as stored

    assert cli_check(project) == (0, fresh(project))
    sources, facts = project / "content/sources", project / "content/facts"
    if change == "source text":
        edit(sources / f"{SOURCE_ID}.txt", "landmine", "landmines")
    elif change == "fact file":
        edit(facts / "landmines.yaml", "conflict, 299 documented landmine casualties", "conflict, 299 landmine deaths")
    elif change == "sentence override":
        (sources / f"{SOURCE_ID}.sents").write_text("Not the text.\n", encoding="utf-8")
    elif change == "new fact file":
        (facts / "extra.yaml").write_text("participants:\n  - id: x\n", encoding="utf-8")
    elif change == "removed fact file":
        (facts / "landmines.yaml").unlink()
    elif change == "symbolic link":
        moved = project / "elsewhere.yaml"
        (facts / "landmines.yaml").rename(moved)
        (facts / "landmines.yaml").symlink_to(moved)
    elif change == "site":
        edit(project / "content/site.yaml", "key_figures:", "key_figure:")
    elif change == "build date":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")  # 2 January 1970: every date is in the future
    elif change == "code":
        monkeypatch.setattr(stored, "code_version", lambda: "other code")
    expected = fresh(project)
    assert "error" in expected or change == "code"
    assert cli_check(project) == (1 if "error" in expected else 0, expected)


def test_an_edit_made_while_the_check_runs_is_never_filed_under_the_inputs_before_it(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import generator.pipeline

    full = generator.pipeline.check

    def check_then_edit(*args: object, **kwargs: object) -> object:
        result = full(*args, **kwargs)  # type: ignore[arg-type]
        edit(project / "content/facts/landmines.yaml", "conflict, 299 documented", "conflict, 300 documented")
        return result

    with monkeypatch.context() as m:
        m.setattr(generator.pipeline, "check", check_then_edit)
        assert cli_check(project)[0] == 0  # what it read was clean
    assert cli_check(project) == (1, fresh(project))


def test_an_outcome_naming_a_file_whose_name_is_not_utf8_is_stored_and_answered(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    (project / "content/facts").joinpath(os.fsdecode(b"caf\xe9.yaml")).write_bytes(b"participants: []\n")
    first = cli_check(project)
    assert first == (1, fresh(project)) and "L102" in first[1]
    with monkeypatch.context() as m:
        no_full_check(m)
        assert cli_check(project) == first


def test_entries_read_back_from_the_file_and_from_this_run_whatever_replaced_the_file(tmp_path: Path) -> None:
    """Values stay on disk until asked for: those of the file as it was read and those put
    in this run read back whole, unicode and all, even after another process replaced the
    file, and a save keeps exactly the entries used."""
    path = tmp_path / "cache.json"
    first = Cache(path)
    first.put("yaml", "a", {"data": "Ministère — “quoted”\nline"})
    first.put("yaml", "b", {"data": [1, 2, 3]})
    first.put("sentences", "c", {"ids": ["s-1"]})
    first.save()
    first.close()
    reader = Cache(path)
    assert set(reader.entries["yaml"]) == {"a", "b"}
    other = Cache(path)  # another process rewrites the file while `reader` holds it
    other.put("yaml", "z", {"data": "another run's"})
    other.save()
    other.close()
    assert reader.get("yaml", "a") == {"data": "Ministère — “quoted”\nline"}
    reader.put("yaml", "new", {"data": "this run's"})
    assert reader.get("yaml", "new") == {"data": "this run's"}
    assert reader.get("yaml", "b") == {"data": [1, 2, 3]}
    reader.save()  # c was not used: dropped
    reader.close()
    again = Cache(path)
    assert {k: set(v) for k, v in again.entries.items()} == {"yaml": {"a", "b", "new"}, "sentences": set()}
    assert [again.get("yaml", k) for k in ("a", "b", "new")] == [
        {"data": "Ministère — “quoted”\nline"},
        {"data": [1, 2, 3]},
        {"data": "this run's"},
    ]
    again.close()
