"""Sentences: paragraph-first split, offsets into the verbatim text, content-derived ids."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import SEED, SEED_SHEET, SOURCE_ID

from generator.diagnostics import Report
from generator.sources import sentence_hash, split_sentences

STORED = SEED_SHEET / "content" / "sources" / f"{SOURCE_ID}.txt"  # the fixture's frozen copy, not content/


def seed_text() -> str:
    return STORED.read_text(encoding="utf-8")


def test_stored_source_is_byte_identical_to_the_seed() -> None:
    expected = "9fb4aab15d811d67cb10432cff7dc42f300798c1a1dc26617f9560d1e5b3e172"
    assert hashlib.sha256(STORED.read_bytes()).hexdigest() == expected
    if SEED.exists():
        assert STORED.read_bytes() == SEED.read_bytes()


def test_seed_splits_into_the_forty_gold_segments_with_exact_offsets() -> None:
    text = seed_text()
    sents = [s for p in split_sentences(SOURCE_ID, text) for s in p]
    assert len(sents) == 40
    assert all(text[s.start : s.end] == s.text and s.text.strip() == s.text and s.text for s in sents)
    assert [s.number for s in sents] == list(range(1, 41))
    # "U.S. Secretary" must not be split
    assert sents[0].text.endswith("for the bilateral negotiations between their respective countries.")


def test_headings_and_related_links_are_not_claims() -> None:
    sents = {s.number: s for p in split_sentences(SOURCE_ID, seed_text()) for s in p}
    assert sents[25].kind == "related-link" and sents[25].text.startswith("Also Read:")
    assert sents[26].kind == "heading" and sents[26].text.startswith("Bilateral Meeting Between")
    assert sum(s.kind == "claim" for s in sents.values()) == 38


def test_ids_survive_edits_elsewhere_in_the_text() -> None:
    text = seed_text()
    before = {s.text: s.id for p in split_sentences(SOURCE_ID, text) for s in p}
    edited = "A new opening paragraph. It has two sentences.\n\n" + text.replace(
        "Both countries agreed", "Both sides agreed"
    )
    after = {s.text: s.id for p in split_sentences(SOURCE_ID, edited) for s in p}
    unchanged = [t for t in before if t in after]
    assert len(unchanged) == 39  # only the edited sentence changed
    assert all(before[t] == after[t] for t in unchanged)


def test_repeated_sentences_get_a_suffix() -> None:
    sents = [s for p in split_sentences("x", "Same here. Other one.\n\nSame here.\n") for s in p]
    h = sentence_hash("Same here.")
    assert [s.id for s in sents] == [h, sentence_hash("Other one."), f"{h}-2"]


def test_override_may_move_boundaries_but_not_change_words() -> None:
    text = "He met officials in Washington, D.C. It was cold.\n"
    report = Report()
    good = split_sentences("x", text, "He met officials in Washington, D.C.\nIt was cold.\n", "x.sents", report)
    assert [s.text for s in good[0]] == ["He met officials in Washington, D.C.", "It was cold."]
    assert report.diagnostics == []
    split_sentences("x", text, "He met officials in Washington.\nIt was cold.\n", "x.sents", report)
    assert [d.code for d in report.diagnostics] == ["S104"]


def test_no_empty_sentences_from_blank_or_whitespace_lines(tmp_path: Path) -> None:
    sents = [s for p in split_sentences("x", "\n\n  \nOne.\u00a0\n\n\t\nTwo.\n") for s in p]
    assert [s.text for s in sents] == ["One.", "Two."]
