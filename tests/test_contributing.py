"""CONTRIBUTING.md and README.md tell the truth: the commands exist, the examples verify,
the printed output is what the command prints, the CI jobs are the ones that run."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from conftest import FIXTURES, REPO, SEED_SHEET, copy_project, run_cli

from generator.cli import main
from generator.diagnostics import Report
from generator.load import parse_yaml
from generator.model import SourceMeta

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
README = (REPO / "README.md").read_text(encoding="utf-8")


def blocks(text: str, lang: str) -> list[str]:
    """Fenced blocks of one language, dedented as the list items indent them."""
    out = []
    for m in re.finditer(rf"^( *)```{lang}\n(.*?)^\1```", text, re.M | re.S):
        indent = len(m.group(1))
        out.append("".join(line[indent:] for line in m.group(2).splitlines(keepends=True)))
    return out


def test_every_factsheet_command_mentioned_exists() -> None:
    mentioned = set(re.findall(r"(?<![/\w])factsheet ([a-z]+)", GUIDE + README))
    assert {"check", "cite", "serve", "diff", "schema", "build"} <= mentioned
    assert mentioned <= set(main.commands), mentioned - set(main.commands)


def test_the_cite_example_is_what_cite_prints() -> None:
    (example,) = blocks(GUIDE, "console")
    command, *expected = example.splitlines()
    words = re.fullmatch(r'\$ factsheet cite (\S+) "(.*)"', command)
    assert words
    code, out = run_cli("cite", "--root", str(SEED_SHEET), words.group(1), words.group(2))
    assert (code, out.splitlines()) == (0, expected)


def test_the_example_fact_verifies(project: Path) -> None:
    fact = next(b for b in blocks(GUIDE, "yaml") if b.startswith("statements:"))
    (project / "content/facts/example.yaml").write_text(fact, encoding="utf-8")
    assert run_cli("check", "--root", str(project)) == (0, "ok: 39 facts, 39 citations, 1 source\n")


def test_the_example_source_metadata_is_valid() -> None:
    meta = next(b for b in blocks(GUIDE, "yaml") if "sha256:" in b)
    doc = parse_yaml(meta, "example", Report())
    assert doc is not None
    SourceMeta.model_validate(doc.data)
    assert meta.startswith("# yaml-language-server: $schema=../../schema/source.schema.json\n")


def test_the_ci_table_names_the_jobs_that_run() -> None:
    workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    names = {job["name"] for job in workflow["jobs"].values()}
    table = set(re.findall(r"^\| ([A-Z][a-z][^|]*?) \|", GUIDE, re.M))
    assert table == names


def test_the_multi_source_example_verifies_in_the_multi_source_fixture(tmp_path: Path) -> None:
    """The guide's meeting with two places, a quoted post and null date replaces the
    fixture's meeting of the same id, and the check passes."""
    example = next(b for b in blocks(GUIDE, "yaml") if b.startswith("meetings:"))
    root = copy_project(tmp_path / "sheet", source=FIXTURES / "multi-source")
    talks = root / "content/facts/talks.yaml"
    text = talks.read_text(encoding="utf-8")
    start, end = text.index("meetings:\n"), text.index("figures:\n")
    talks.write_text(text[:start] + example + "\n" + text[end:], encoding="utf-8")
    code, out = run_cli("check", "--root", str(root))
    assert code == 0, out
