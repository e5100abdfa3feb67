"""Issue 13: what a hostile contributor still got through (characters, citations, limits)."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.diagnostics import Report, format_github, format_json, format_text
from generator.load import parse_bytes, parse_yaml, refused


def _codes(report: Report) -> list[str]:
    return [d.code for d in report.sorted()]


@pytest.mark.parametrize(
    "escape",
    ["\\u202E", "\\x00", "\\e", "\\u2066", "\\u200B", "\\U000E0041", "\\uE000", "\\r", "\\x85", "\\u2028", "\\u3164"],
)
@pytest.mark.parametrize("where", ["a: {}", "{}: a", "- {}"])
def test_an_escape_cannot_write_an_invisible_character(escape: str, where: str) -> None:
    r = Report()
    text = where.format(f'"x{escape}y"') + "\n"
    assert parse_yaml(text, "f.yaml", r) is None
    assert _codes(r) == ["Y107"]


@pytest.mark.parametrize("text", ['a: "x\\ty\\nz"\n', 'a: "\\u00a0x"\n', "a: é ü 😀 ∑\n", "a: Ամերիկա\n"])
def test_visible_text_and_spaces_stay_allowed(text: str) -> None:
    r = Report()
    assert parse_bytes(text.encode(), "f.yaml", r) is not None, [str(d) for d in r.diagnostics]


def test_every_format_control_and_private_character_is_refused() -> None:
    for cp in range(0x110000):
        ch = chr(cp)
        cat = unicodedata.category(ch)
        if cat in {"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"}:
            assert refused(ch), f"U+{cp:04X}"
        elif cat.startswith(("L", "N", "P", "S")) and cp not in (0x115F, 0x1160, 0x3164, 0xFFA0, 0x2800):
            assert not refused(ch), f"U+{cp:04X}"


HOSTILE = "unknown key 'a\n\x1b[1A\x1b[2Kok: 0 facts\u202e\x9b'"


@pytest.mark.parametrize("fmt", [format_text, format_json, format_github])
def test_no_output_format_passes_a_control_character_through(fmt) -> None:  # noqa: ANN001
    r = Report()
    r.add("content/facts/x\x1b[2K.yaml", 1, 1, "V101", HOSTILE, "hint\x07\u2067")
    out = fmt(r, "1 fact")
    if fmt is format_json:
        out = json.dumps(json.loads(out), ensure_ascii=False)
    body = out.replace("\n  hint:", " hint:").splitlines()
    assert not [c for line in out.splitlines() for c in line if unicodedata.category(c) in {"Cc", "Cf"}]
    assert not any(line.startswith("ok:") for line in body)
    assert "\\x1b[2K" in out and "\\u202e" in out


# --- citations -------------------------------------------------------------------------

from generator.cite import number_tokens, whole_words  # noqa: E402
from generator.sources import _NUMBERED_REFERENCE, _segment, split_sentences  # noqa: E402


@pytest.mark.parametrize(
    ("quote", "text", "found"),
    [
        ("regional harm", "lasting regional harmony.", False),
        ("egional harmony", "lasting regional harmony.", False),
        ("regional harmony", "lasting regional harmony.", True),
        ("Azerbaijan", "Azerbaijan's", True),
        ("Azerbaijan", "Azerbaijan-Armenia", True),
        ("cafe", "cafe\u0301 au lait", False),  # a combining mark belongs to the letter before it
        ("the U.S", "the U.S.", True),
    ],
)
def test_quotes_match_whole_words_only(quote: str, text: str, found: bool) -> None:
    assert (whole_words(quote, text) >= 0) is found


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("2,990 casualties in 2020", ["2990", "2020"]),
        ("three thousand casualties", ["3000"]),
        ("two hundred and ninety-nine", ["299"]),
        ("299 thousand", ["299000"]),
        ("299k and 2.99 million and 3bn", ["299000", "2990000", "3000000000"]),
        ("a thousand mines", ["1000"]),
        ("²⁹⁹, ２９９, ٢٩٩, ①", ["299", "299", "299", "1"]),
        ("Ⅻ and ½", ["Ⅻ", "½"]),
        ("thousands of mines, a dozen", ["thousands", "12"]),
        ("5km at 10am on the 3rd", ["5km", "10am", "3"]),
        ("the twentieth meeting", ["20"]),
        ("version 1.2.3 at 10.0.0.1", ["1.2.3", "10.0.0.1"]),  # no number: as written (it crashed the check)
    ],
)
def test_every_way_of_writing_a_number_is_read(text: str, keys: list[str]) -> None:
    assert [n.key for n in number_tokens(text)] == keys


def test_a_quotes_both_states_two() -> None:
    assert [n.key for n in number_tokens("Both diplomats", quote=True)] == ["2"]
    assert number_tokens("both diplomats") == []


def test_the_numbered_reference_rule_is_linear_and_equivalent() -> None:
    import random
    import re
    import time

    original = r"(?<=[^\d\s])(\.|∯)((\[(\d{1,3},?\s?-?\s?)*\b\d{1,3}\])+|((\d{1,3}\s?)?\d{1,3}))(\s)(?=[A-Z])"
    rng = random.Random(13)
    alphabet = list("0123456789" * 3 + " ,-[].A∯x")
    for _ in range(20000):
        s = rng.choice(["a.", "a∯", "", "b. ["]) + "".join(rng.choices(alphabet, k=rng.randint(1, 12)))
        s += rng.choice(["", " A", "] A"])
        assert re.sub(original, r"∯\2\r\7", s) == re.sub(_NUMBERED_REFERENCE, r"∯\2\r\7", s), s
    t = time.perf_counter()
    _segment("It was reported.[" + "111 " * 5000 + "]")
    assert time.perf_counter() - t < 5  # pysbd's own rule takes hours (pysbd#79)


def test_windowed_segmentation_gives_pysbd_boundaries() -> None:
    from generator.sources import _segmenter

    seed = (Path(__file__).resolve().parents[2] / "content/sources/tdi-2023-05-02.txt").read_text(encoding="utf-8")
    long = " ".join(seed.split("\n")) * 3
    long = long[: long.rindex(".") + 1]
    _segment.cache_clear()
    assert [p.strip() for p in _segment(long)] == [p.strip() for p in _segmenter().segment(long)]


def _pysbd_spans(text: str, sentences: list[str]) -> list[tuple[str, int, int]]:
    """pysbd 0.3.4's Segmenter.sentences_with_char_spans, but for the result type."""
    import re

    sent_spans = []
    prior_end_char_idx = 0
    for sent in sentences:
        for match in re.finditer(re.escape(sent) + r"\s*", text):
            match_str = match.group()
            match_start_idx, match_end_idx = match.span()
            if match_end_idx > prior_end_char_idx:
                sent_spans.append((match_str, match_start_idx, match_end_idx))
                prior_end_char_idx = match_end_idx
                break
    return sent_spans


_SPAN_TEXT = st.text(alphabet=st.sampled_from(list("ab. A?!\u00a0\t\n\u2003\u3000\x1c'\"()1,")), max_size=30)


@settings(max_examples=400, deadline=None)
@given(_SPAN_TEXT, st.lists(_SPAN_TEXT, max_size=5))
def test_sentence_spans_are_found_as_pysbd_finds_them(text: str, sentences: list[str]) -> None:
    from types import SimpleNamespace

    from generator.sources import _sentences_with_char_spans

    seg = SimpleNamespace(original_text=text)
    found = [(t.sent, t.start, t.end) for t in _sentences_with_char_spans(seg, sentences)]
    assert found == _pysbd_spans(text, sentences)


def _pysbd_abbreviations(self, text):  # noqa: ANN001, ANN202 - pysbd 0.3.4's method, verbatim
    import re

    lowered = text.lower()
    for abbr in self.lang.Abbreviation.ABBREVIATIONS:
        stripped = abbr.strip()
        if stripped not in lowered:
            continue
        abbrev_match = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE)  # noqa: UP032
        if not abbrev_match:
            continue
        next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
        char_array = re.findall(next_word_start, text)
        for ind, match in enumerate(abbrev_match):
            text = self.scan_for_replacements(text, match, ind, char_array)
    return text


_ABBREVIATED = st.lists(
    st.sampled_from(
        ["Dr.", "dr", "Mr. Smith", "no. 5", "p.", "e.g.", "U.S.", "ph.d", "Co.", "st.", "a.m.", "etc.", "the"]
    )
    | st.text(alphabet=st.sampled_from(list("aDrSt. \t\n\x1c\u00a0\u212a\u017f5")), max_size=6),
    max_size=8,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_ABBREVIATED)
def test_abbreviations_are_found_as_pysbd_finds_them(text: str) -> None:
    from pysbd.lang.english import English

    from generator.sources import _search_for_abbreviations_in_string, _segmenter

    _segmenter()
    replacer = English.AbbreviationReplacer(text, English)
    assert _search_for_abbreviations_in_string(replacer, text) == _pysbd_abbreviations(replacer, text)


def test_the_segmenter_splits_real_text_as_pysbd_does() -> None:

    from generator.sources import _segmenter

    fixture = Path(__file__).resolve().parents[1] / "fixtures/seed-sheet/content/sources/tdi-2023-05-02.txt"
    seed = fixture.read_text(encoding="utf-8")
    seg = _segmenter()
    for paragraph in [p for p in seed.split("\n") if p.strip()]:
        seg.original_text = paragraph
        pieces = seg.processor(paragraph).process()
        spans = [(t.sent, t.start, t.end) for t in seg.sentences_with_char_spans(pieces)]
        assert spans == _pysbd_spans(paragraph, pieces)
        assert seg.segment(paragraph) == [s for s, _, _ in spans]


def test_an_override_keeps_the_kind_of_the_text_it_splits() -> None:
    text = "Also Read: Talks Held In Washington\nThe talks were held. They ended.\n"
    override = "Also Read:\nTalks Held In Washington\n\nThe talks were held. They ended.\n"
    kinds = [s.kind for p in split_sentences("x", text, override, "x.sents", Report()) for s in p]
    assert kinds == ["related-link", "related-link", "claim"]


def test_an_override_may_not_cut_a_word() -> None:
    r = Report()
    split_sentences("x", "The talks were held. They ended.\n", "The talks were he\nld. They ended.\n", "x.sents", r)
    assert _codes(r) == ["S111"]
