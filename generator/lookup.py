"""`factsheet cite SOURCE "some words"`: find the sentence that holds the words and write a
citation an editor can paste under `citations:`.

It asks the same matcher the check uses (`cite.SourceIndex`), so a printed citation always
verifies; when nothing matches it lists the closest sentences with the differing words marked.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from .cite import SourceIndex, normalize, word_diff
from .diagnostics import Report, format_text
from .load import parse_yaml
from .pipeline import check
from .sources import Sentence
from .validate import did_you_mean

WIDTH = 96


def _yaml_text(key: str, value: str, indent: str) -> str:
    """`key: value` as YAML our loader reads back as exactly `value` (whitespace collapsed)."""
    line = f"{indent}{key}: {value}"
    doc = parse_yaml(f"{key}: {value}\n", "-", Report())
    if len(line) <= WIDTH and doc is not None and doc.data == {key: value}:
        return line
    if len(line) <= WIDTH:
        return f"{indent}{key}: {json.dumps(value, ensure_ascii=False)}"
    body = textwrap.wrap(value, WIDTH - len(indent) - 2, break_long_words=False, break_on_hyphens=False)
    return f"{indent}{key}: >-\n" + "\n".join(f"{indent}  {b}" for b in body)


def _comment(sentence: Sentence, source_id: str) -> list[str]:
    head = f"# {source_id}, sentence {sentence.number} ({sentence.id}):"
    body = textwrap.wrap(" ".join(sentence.text.split()), WIDTH - 4, break_long_words=False, break_on_hyphens=False)
    return [head] + [f"#   {b}" for b in body]


def citation(source_id: str, quote: str, sentence_id: str | None = None) -> str:
    """A citation list item, ready to paste under `citations:`."""
    lines = [f"- source: {source_id}", _yaml_text("quote", " ".join(quote.split()), "  ")]
    if sentence_id:
        lines.append(f"  sentence: {sentence_id}")
    return "\n".join(lines)


def lookup(root: Path, source_id: str, words: str, limit: int = 3) -> tuple[bool, str]:
    """(found, text to print) for the words in one source."""
    project = check(root)  # the sources as the check reads them; errors in facts do not matter here
    sources = project.sources
    src = sources.get(source_id)
    if src is None:
        if source_id in project.failed_sources:
            own = Report([d for d in project.report.diagnostics if d.file.startswith(f"content/sources/{source_id}.")])
            return False, format_text(own, f"{len(sources)} sources")
        hint = did_you_mean(source_id, sources) or f"known sources: {', '.join(sorted(sources)) or 'none'}"
        return False, f"unknown source '{source_id}'\n  hint: {hint}"
    ix = SourceIndex(src.text)
    if not normalize(words):
        return False, "give some words of the sentence to look for"
    m = ix.find(words)
    text = src.text.text
    if m.sentences:
        blocks = []
        many = len(m.sentences) > 1
        for s in m.sentences:
            span = m.span if not many else ix.find(words, s.id).span
            assert span is not None
            quote = text[span[0] : span[1]]
            blocks.append("\n".join(_comment(s, source_id) + [citation(source_id, quote, s.id if many else None)]))
        head = (
            [
                f"# the words occur in {len(m.sentences)} sentences; each citation names its sentence: paste the one you mean"
            ]
            if many
            else []
        )
        return True, "\n\n".join(head + blocks)
    if m.non_claim is not None:
        s = m.non_claim
        return False, (
            f"the words are in a {s.kind} line of '{source_id}' (sentence {s.number}), which is not a claim\n"
            "  hint: cite the sentence of the article that states it"
        )
    lines = [
        f"the words cross a sentence boundary in '{source_id}': cite each sentence in its own citation"
        if m.crosses
        else f"no sentence of '{source_id}' contains: {' '.join(words.split())}",
        "closest sentences (how alike their best-matching stretch is; [-source-] {+your words+}):",
    ]
    for score, s in ix.closest(words, limit):
        lines.append(f"  {score:4.0%}  sentence {s.number} ({s.id}): {word_diff(words, s.text)}")
        lines.extend(
            "          " + b
            for b in textwrap.wrap(" ".join(s.text.split()), WIDTH - 10, break_long_words=False, break_on_hyphens=False)
        )
    return False, "\n".join(lines)
