"""The diagnostic catalogue (generator/codes.py) is complete and true: every code the
generator can emit is defined there once, every defined code is emitted by a case that
records its exact output, DIAGNOSTICS.md is generated from it, and `factsheet explain`
prints it."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from casekit import case_dirs
from conftest import REPO, copy_project, run_cli

from generator.codes import CODES, STAGES, markdown
from generator.diagnostics import Report, format_json

CODE_LITERAL = re.compile(r"""["']([YVRSCL][0-9]{3})["']""")
SOURCE_TEXT = b"The ministers met in Virginia on Monday.\n"


def codes_in_generator() -> set[str]:
    return {
        code
        for path in (REPO / "generator").rglob("*.py")
        if path.name != "codes.py"
        for code in CODE_LITERAL.findall(path.read_text(encoding="utf-8"))
    }


def codes_in_cases() -> set[str]:
    found: set[str] = set()
    for case in case_dirs("invalid") + case_dirs("valid"):
        found |= set(re.findall(r"\b(?:error|warning)\[([A-Z][0-9]{3})\]", (case / "expected.txt").read_text("utf-8")))
    return found


# --- the catalogue is the codes the generator uses, each well formed --------------------------


def test_every_code_the_generator_uses_is_catalogued_and_every_catalogued_code_is_used() -> None:
    used = codes_in_generator()
    assert used - set(CODES) == set(), "add these to generator/codes.py"
    assert set(CODES) - used == set(), "no code in generator/ emits these; remove them from generator/codes.py"


def test_each_entry_is_well_formed() -> None:
    titles = [c.title for c in CODES.values()]
    assert len(set(titles)) == len(titles), "titles are unique"
    for key, c in CODES.items():
        assert key == c.code and re.fullmatch(r"[YVRSCL][0-9]{3}", key)
        assert c.stage == STAGES[key[0]], f"{key}: the letter names the stage"
        assert c.doc == f"DIAGNOSTICS.md#{key.lower()}"
        assert f'<a id="{key.lower()}"></a>' in markdown(), f"{key}: {c.doc} resolves"
        assert c.title and c.title == c.title.strip() and not c.title.endswith(".")
        assert c.explanation and c.example and c.fix, f"{key}: explanation, example and fix"
        assert c.hint is None or (c.hint and not c.hint.endswith(".")), f"{key}: hints are lower-case phrases"


def test_report_add_rejects_an_unknown_code() -> None:
    with pytest.raises(KeyError):
        Report().add("x.yaml", 1, 1, "Q999", "not a code")


def test_the_default_hint_is_used_only_when_the_caller_gives_none() -> None:
    report = Report()
    report.add("a.yaml", 1, 1, "Y106", "not a regular file")
    report.add("b.yaml", 1, 1, "Y106", "not a regular file", "a hint of its own")
    report.add("c.yaml", 1, 1, "V103", "a value")  # V103 has no default: no hint at all
    assert [d.hint for d in report.diagnostics] == [CODES["Y106"].hint, "a hint of its own", None]


def test_json_diagnostics_carry_the_title_and_where_the_code_is_documented() -> None:
    report = Report()
    report.add("a.yaml", 2, 3, "S107", "mismatch")
    (d,) = json.loads(format_json(report, "1 source"))["diagnostics"]
    assert (d["code"], d["title"], d["doc"]) == ("S107", CODES["S107"].title, "DIAGNOSTICS.md#s107")


# --- every code is produced by a case -----------------------------------------------------------


def small_project(dest: Path) -> Path:
    """The templates and mkdocs.yml with one tiny source and no facts: checks clean."""
    root = copy_project(dest, content=False)
    sources = root / "content" / "sources"
    sources.mkdir(parents=True)
    (root / "content" / "facts").mkdir()
    (sources / "tiny.txt").write_bytes(SOURCE_TEXT)
    (sources / "tiny.yaml").write_text(
        "title: Tiny\npublisher: Example Desk\nurl: https://example.org/tiny\npublished: 2023-05-02\n"
        f"language: en\nsha256: {hashlib.sha256(SOURCE_TEXT).hexdigest()}\n",
        encoding="utf-8",
    )
    return root


def _no_facts_dir(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.rmtree(root / "content" / "facts")


def _facts_dir_is_a_link(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = root.parent / "elsewhere"
    (root / "content" / "facts").rename(elsewhere)
    (root / "content" / "facts").symlink_to(elsewhere, target_is_directory=True)


def _content_dir_is_a_link(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = root.parent / "elsewhere"
    (root / "content").rename(elsewhere)
    (root / "content").symlink_to(elsewhere, target_is_directory=True)


def _bad_epoch(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")


# States of the project a case directory cannot express (a directory missing or replaced by a
# link, the environment): what is done to a small project, and the exact output of the check.
FILESYSTEM_CASES: dict[str, tuple[Callable[[Path, pytest.MonkeyPatch], None], list[str]]] = {
    "L101": (
        _no_facts_dir,
        [
            "content/facts:1:1: error[L101] directory is missing",
            f"  hint: {CODES['L101'].hint}",
            "1 error, 0 warnings in 0 facts, 0 citations, 1 source",
        ],
    ),
    "L104-facts": (
        _facts_dir_is_a_link,
        [
            "content/facts:1:1: error[L104] content directory is a symbolic link",
            "  hint: content must live in the repository",
            "1 error, 0 warnings in 0 facts, 0 citations, 1 source",
        ],
    ),
    "L104-content": (
        _content_dir_is_a_link,
        [
            "content:1:1: error[L104] content directory is a symbolic link",
            "  hint: content must live in the repository",
            "1 error, 0 warnings in 0 facts, 0 citations, 0 sources",
        ],
    ),
    "L105": (
        _bad_epoch,
        [
            "SOURCE_DATE_EPOCH:1:1: error[L105] SOURCE_DATE_EPOCH='yesterday' is not a whole number of seconds",
            "  hint: set it to a Unix time, e.g. $(git log -1 --format=%ct)",
            "1 error, 0 warnings in 0 facts, 0 citations, 1 source",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(FILESYSTEM_CASES))
def test_filesystem_case(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = small_project(tmp_path / "proj")
    assert run_cli("check", "--root", str(root)) == (0, "ok: 0 facts, 0 citations, 1 source\n")
    change, expected = FILESYSTEM_CASES[name]
    change(root, monkeypatch)
    assert run_cli("check", "--root", str(root)) == (1, "\n".join(expected) + "\n")


def test_every_catalogued_code_is_produced_by_a_case() -> None:
    produced = codes_in_cases() | {name.split("-")[0] for name in FILESYSTEM_CASES}
    missing = set(CODES) - produced
    assert missing == set(), f"add a case under tests/cases/invalid/ that produces {sorted(missing)}"
    assert produced <= set(CODES)


def test_a_file_name_with_a_trailing_newline_is_not_an_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = small_project(tmp_path / "proj")
    (root / "content" / "facts" / "a\n.yaml").write_text("statements: []\n", encoding="utf-8")
    code, out = run_cli("check", "--root", str(root))
    assert code == 1 and "error[L102] file name 'a\\x0a.yaml' is not a valid id" in out


# --- the documentation and the command -----------------------------------------------------------


def test_diagnostics_md_is_generated_from_the_catalogue() -> None:
    page = (REPO / "DIAGNOSTICS.md").read_text(encoding="utf-8")
    assert page == markdown(), "run: .venv/bin/factsheet explain --markdown > DIAGNOSTICS.md"
    assert run_cli("explain", "--markdown") == (0, page)


def test_the_readme_and_the_guide_link_the_catalogue() -> None:
    for name in ("README.md", "CONTRIBUTING.md"):
        assert "(DIAGNOSTICS.md)" in (REPO / name).read_text(encoding="utf-8"), name


def test_explain_prints_the_code_its_stage_an_example_the_fix_and_where_it_is_documented() -> None:
    code, out = run_cli("explain", "s107")
    c = CODES["S107"]
    assert code == 0
    assert out.startswith(f"S107 (sources): {c.title}\n\n")
    assert "For example:\n    content/sources/x.txt" in out
    assert "\nFix: Restore the stored text." in out
    assert out.endswith("\nDocumented in DIAGNOSTICS.md#s107\n")


def test_explain_shows_a_default_hint() -> None:
    assert f"Default hint: {CODES['S106'].hint}" in run_cli("explain", "S106")[1]


def test_explain_without_a_code_lists_every_code() -> None:
    code, out = run_cli("explain")
    assert code == 0
    listed = re.findall(r"^  ([A-Z][0-9]{3})  ", out, re.M)
    assert listed == list(CODES)
    assert out.splitlines()[-1].startswith(f"{len(CODES)} codes;")


def test_explain_an_unknown_code_exits_2_and_suggests_close_ones() -> None:
    code, out = run_cli("explain", "S17")  # the output holds stderr too (click >= 8.2)
    assert code == 2
    assert "no diagnostic code 'S17'; did you mean S107" in out
    code, out = run_cli("explain", "hello")
    assert code == 2 and "no diagnostic code 'hello'" in out and "did you mean" not in out


TYPED = ["generator/codes.py", "generator/diagnostics.py"]


def test_the_catalogue_and_the_report_type_check() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir=/dev/null", *TYPED],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
