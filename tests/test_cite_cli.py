"""`factsheet cite`: from a few words to a citation that verifies when pasted."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SOURCE_ID, run_cli


def paste(project: Path, printed: str, statement: str = "A statement without numbers.") -> tuple[int, str]:
    """Paste one printed citation under `citations:` of a new fact, as an editor would; run the check."""
    item = "\n".join("      " + line for line in printed.splitlines())
    (project / "content/facts/new.yaml").write_text(
        f"statements:\n  - id: pasted\n    statement: {statement}\n    attribution: null\n    citations:\n{item}\n",
        encoding="utf-8",
    )
    return run_cli("check", "--root", str(project))


def test_words_in_one_sentence_give_a_citation_that_verifies(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "299 documented landmine casualties")
    assert code == 0
    assert out == (
        "# tdi-2023-05-02, sentence 20 (s-d2c3d6af):\n"
        "#   According to the Azerbaijani Foreign Ministry, since the end of the 2020 conflict, 299\n"
        "#   documented landmine casualties have occurred in Azerbaijan.\n"
        "- source: tdi-2023-05-02\n"
        "  quote: 299 documented landmine casualties\n"
    )
    code, check = paste(project, out, "299 documented landmine casualties.")
    assert (code, check) == (0, "ok: 39 facts, 39 citations, 1 source\n")


def test_words_are_matched_as_the_check_matches_and_printed_as_the_source_has_them(project: Path) -> None:
    """Straight quotes and extra spaces in the words; the source's typographic apostrophe in the citation."""
    code, out = run_cli(
        "cite", "--root", str(project), SOURCE_ID, "Azerbaijan's  Foreign Minister Jeyhun Bayramov also"
    )
    assert code == 0
    assert "  quote: Azerbaijan’s Foreign Minister Jeyhun Bayramov also\n" in out
    assert paste(project, out)[0] == 0


def test_unquoted_words_are_joined(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "persistent", "landmine", "threat")
    assert code == 0 and "  quote: persistent landmine threat\n" in out


def test_words_in_several_sentences_give_one_citation_per_sentence_each_naming_it(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "Foreign Minister Bayramov")
    assert code == 0
    blocks = out.strip().split("\n\n")
    assert blocks[0] == ("# the words occur in 3 sentences; each citation names its sentence: paste the one you mean")
    assert re.findall(r"sentence: (s-[0-9a-f]{8})", out) == ["s-f7edea09", "s-e708c1a0", "s-a1e3f6b4"]
    for block in blocks[1:]:
        assert paste(project, block)[0] == 0


def test_a_long_quote_is_folded_and_still_verifies(project: Path) -> None:
    words = (
        "Azerbaijan’s Foreign Minister Jeyhun Bayramov also met with United States Secretary of State "
        "Antony Blinken to strengthen the bilateral relationship"
    )
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, words)
    assert code == 0
    assert "  quote: >-\n    Azerbaijan’s Foreign Minister" in out
    assert paste(project, out)[0] == 0


def test_a_quote_that_needs_yaml_quoting_is_quoted(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "Also Read: Azerbaijan-US")
    assert code == 1  # a related-link line is not a claim
    assert out.startswith("the words are in a related-link line of 'tdi-2023-05-02' (sentence 25)")
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "Virginia, 2 May 2023 (TDI): The Foreign")
    assert code == 0
    assert '  quote: "Virginia, 2 May 2023 (TDI): The Foreign"\n' in out
    assert paste(project, out, "The report is datelined Virginia, 2 May 2023.")[0] == 0


def test_no_match_lists_the_closest_sentences_with_a_score_and_the_words_that_differ(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "300 documented landmine casualties have occured")
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "no sentence of 'tdi-2023-05-02' contains: 300 documented landmine casualties have occured"
    assert lines[2] == (
        "   67%  sentence 20 (s-d2c3d6af): [-299-] {+300+} documented landmine casualties have [-occurred-] {+occured+}"
    )
    assert len(re.findall(r"^ +\d+%  sentence \d+ ", out, re.M)) == 3
    code, out = run_cli("cite", "--root", str(project), "--limit", "1", SOURCE_ID, "the discussions focused")
    assert code == 1
    assert len(re.findall(r"^ +\d+%  sentence \d+ ", out, re.M)) == 1
    assert "[-The-] {+the+} discussions focused" in out


def test_words_across_two_sentences_are_explained(project: Path) -> None:
    code, out = run_cli("cite", "--root", str(project), SOURCE_ID, "Nagorno-Karabakh region. Both countries")
    assert code == 1
    assert out.startswith("the words cross a sentence boundary in 'tdi-2023-05-02'")


@pytest.mark.parametrize(("source", "hint"), [("tdi-2023-05-03", "did you mean 'tdi-2023-05-02'?"), ("x", "known")])
def test_an_unknown_source_suggests_the_right_one(project: Path, source: str, hint: str) -> None:
    code, out = run_cli("cite", "--root", str(project), source, "anything")
    assert code == 1
    assert out.splitlines()[0] == f"unknown source '{source}'"
    assert out.splitlines()[1].startswith(f"  hint: {hint}")
