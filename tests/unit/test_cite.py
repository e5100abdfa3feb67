"""Quote matching: normalised, inside exactly one sentence, numbers checked."""

from __future__ import annotations

import pytest
from conftest import SEED_SHEET, SOURCE_ID

from generator.cite import SourceIndex, normalize, numbers, word_diff
from generator.sources import SourceText, split_sentences


@pytest.fixture(scope="module")
def index() -> SourceIndex:
    text = (SEED_SHEET / "content" / "sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
    src = SourceText(SOURCE_ID, text, "")
    src.paragraphs = split_sentences(SOURCE_ID, text)
    return SourceIndex(src)


def test_normalize_folds_space_quotes_and_dashes_only() -> None:
    assert normalize("  It\u2019s\u00a0 \u201cfine\u201d \u2013 ok\n") == 'It\'s "fine" - ok'
    assert normalize("Case Matters") != normalize("case matters")


@pytest.mark.parametrize(
    "quote",
    [
        "The Foreign Minister of Azerbaijan",  # the stored text has a NO-BREAK SPACE after "The"
        "the United States' involvement",  # straight apostrophe against U+2019
        "the  United\nStates\u2019 involvement",
        "Nagorno\u2013Karabakh region",  # en dash against hyphen
    ],
)
def test_variants_verify_to_one_sentence(index: SourceIndex, quote: str) -> None:
    m = index.find(quote)
    assert len(m.sentences) == 1


def test_span_points_into_the_stored_text(index: SourceIndex) -> None:
    m = index.find("the United States' involvement")
    assert m.span is not None
    assert index.src.text[m.span[0] : m.span[1]] == "the United States\u2019 involvement"


def test_ambiguous_quote_lists_every_sentence_and_a_disambiguator_picks_one(index: SourceIndex) -> None:
    m = index.find("Foreign Minister Bayramov")
    assert [s.number for s in m.sentences] == [13, 18, 32]
    assert [s.number for s in index.find("Foreign Minister Bayramov", m.sentences[1].id).sentences] == [18]


def test_quote_across_a_boundary_is_not_a_match(index: SourceIndex) -> None:
    m = index.find("Nagorno-Karabakh region. Both countries")
    assert m.sentences == [] and m.crosses


def test_heading_is_found_but_not_a_claim(index: SourceIndex) -> None:
    m = index.find("Also Read")
    assert m.sentences == [] and m.non_claim is not None and m.non_claim.kind == "related-link"


def test_closest_sentence_and_marked_differences(index: SourceIndex) -> None:
    score, sent = index.closest("300 documented landmine casualties have occured")[0]
    assert sent.number == 20 and 0.6 < score < 1
    assert word_diff("300 documented landmine casualties have occured", sent.text) == (
        "[-299-] {+300+} documented landmine casualties have [-occurred-] {+occured+}"
    )


def test_differences_in_case_and_punctuation_are_marked_not_hidden(index: SourceIndex) -> None:
    """A quote that differs only in a comma or a capital letter is not found; the diff must say where."""
    quote = "the U.S. Secretary of State Antony Blinken for the bilateral negotiations"
    assert index.find(quote).sentences == []
    score, sent = index.closest(quote)[0]
    assert score == 1.0
    assert word_diff(quote, sent.text) == (
        "the U.S. Secretary of [-State,-] {+State+} Antony [-Blinken,-] {+Blinken+} for the bilateral negotiations"
    )
    assert word_diff("the discussions focused", "The discussions focused on peace.") == (
        "[-The-] {+the+} discussions focused"
    )


def test_numbers_drop_thousands_separators_and_leading_zeros() -> None:
    assert numbers("2,737 and 299, in 2020; 05 and 1.5") == ["2737", "299", "2020", "5", "1.5"]
