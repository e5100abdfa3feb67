"""Invariants of the shipped content and the examples: they hold for any valid content,
so a pull request that only adds or edits valid content passes them. (The engine itself
is tested on fixture projects; nothing here pins a count, an id or a text.)"""

from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import REPO, run_cli

from generator.export import CSV_COLUMNS
from generator.sources import normalize

SHEETS = [REPO, *sorted(p.parent for p in (REPO / "examples").glob("*/mkdocs.yml"))]
FACT_KEYS = {
    "id",
    "type",
    "statement",
    "attributed_to",
    "derived",
    "note",
    "as_of",
    "values",
    "fields",
    "file",
    "href",
    "citations",
}
CITATION_KEYS = {"source", "sentence", "sentence_number", "quote", "stance", "quoting", "source_published", "href"}


class _Elements(HTMLParser):
    """The text inside every element that has an id."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.open.append((tag, dict(attrs).get("id")))
        if self.open[-1][1]:
            self.text.setdefault(str(self.open[-1][1]), "")

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            t, _ = self.open.pop()
            if t == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, ident in self.open:
            if ident:
                self.text[ident] += data


def invariants(root: Path, site: Path) -> None:
    """What must hold for a fact sheet whose content is valid."""
    code, out = run_cli("check", "--root", str(root))
    assert code == 0 and out.startswith("ok: "), out
    code, out = run_cli("build", "--root", str(root), "--site-dir", str(site), "--strict")
    assert code == 0, out  # includes the site check: links, anchors, no script
    data = json.loads((site / "data" / "facts.json").read_text(encoding="utf-8"))
    assert set(data) == {"dataset", "build", "statistics", "sources", "facts"}
    assert data["facts"], "a fact sheet has facts"
    pages: dict[str, dict[str, str]] = {}
    for fact in data["facts"]:
        assert FACT_KEYS <= set(fact), fact["id"]
        assert fact["citations"], fact["id"]
        page, _, anchor = fact["href"].partition("#")
        pages.setdefault(page, _ids(site / page))
        assert anchor in pages[page], f"{fact['id']}: {fact['href']} has no target"
        for c in fact["citations"]:
            assert CITATION_KEYS <= set(c)
            target, _, sentence = c["href"].partition("#")
            pages.setdefault(target, _ids(site / target))
            assert normalize(c["quote"]) in normalize(pages[target][sentence]), (fact["id"], c["quote"])
    rows = list(csv.reader(io.StringIO((site / "data" / "facts.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == CSV_COLUMNS
    assert len(rows) - 1 == sum(len(f["citations"]) for f in data["facts"])


def _ids(page: Path) -> dict[str, str]:
    p = _Elements()
    p.feed(page.read_text(encoding="utf-8"))
    return p.text


@pytest.mark.parametrize("root", SHEETS, ids=lambda p: p.relative_to(REPO).as_posix() or "content")
def test_a_fact_sheet_in_this_repository_holds_the_invariants(root: Path, tmp_path: Path) -> None:
    invariants(root, tmp_path / "site")


def test_content_a_pull_request_adds_still_holds_them(tmp_path: Path) -> None:
    """An editor's pull request: a second source (here a copy of an existing one under a
    new id) and a fact citing it, and nothing else."""
    root = tmp_path / "sheet"
    for name in ("content", "docs", "mkdocs.yml"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy2)(REPO / name, root / name)
    sources = root / "content" / "sources"
    first = sorted(sources.glob("*.txt"))[0]
    for suffix in (".txt", ".yaml", ".sents"):
        if first.with_suffix(suffix).exists():
            shutil.copy2(first.with_suffix(suffix), sources / f"copy-of-{first.stem}{suffix}")
    text = first.read_text(encoding="utf-8")
    sentence = next(line for line in text.splitlines()[2:] if len(line.split()) > 6)
    words = " ".join(sentence.split()[:6])
    (root / "content" / "facts" / "added-by-a-pull-request.yaml").write_text(
        "statements:\n"
        "  - id: added-by-a-pull-request\n"
        f"    statement: {json.dumps(words)}\n"
        "    attribution: null\n"
        "    citations:\n"
        f"      - source: copy-of-{first.stem}\n"
        f"        quote: {json.dumps(words)}\n",
        encoding="utf-8",
    )
    invariants(root, tmp_path / "site")
