"""Property tests: for any input of a kind, not just the examples we thought of.

- Any stretch of one sentence of the real seed text on word boundaries, retyped with other
  whitespace and apostrophes, verifies to that sentence (one that cuts a word does not);
  nothing crossing two sentences verifies.
- Any text in a fact, a reference or a source sentence, rendered by the shipped templates
  (Jinja with autoescape, no Markdown pass), yields no element, attribute or link of its
  own: the reader sees the text.
- Any bytes through the loader give a document or diagnostics, never an exception.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path

from conftest import SEED_SHEET, SOURCE_ID, copy_project
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.cite import SourceIndex, fold, normalize, whole_words
from generator.diagnostics import Report
from generator.load import parse_yaml, read_yaml
from generator.pipeline import check
from generator.render import default_templates, make_env
from generator.sources import SourceText, joins, split_sentences
from generator.views import Attribution, FactView, Link, Marker, PageView, Reference, Sentence, SourceView

# Deterministic in CI (one fixed sequence of examples per test), exploring anew elsewhere.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

TEXT = (SEED_SHEET / "content" / "sources" / f"{SOURCE_ID}.txt").read_text(encoding="utf-8")
SOURCE = SourceText(SOURCE_ID, TEXT, "")
SOURCE.paragraphs = split_sentences(SOURCE_ID, TEXT)
INDEX = SourceIndex(SOURCE)
CLAIMS = [s for s in SOURCE.sentences if s.kind == "claim"]
PAIRS = [(a, b) for p in SOURCE.paragraphs for a, b in zip(p, p[1:], strict=False) if a.kind == b.kind == "claim"]
SPACES = [" ", "  ", "\n", "\t", "\u00a0", " \n  ", "\r\n"]
APOSTROPHES = ["'", "\u2019", "\u2018"]


@st.composite
def retyped(draw: st.DrawFn, text: str) -> str:
    """The text as someone might type it: other whitespace runs and apostrophes."""
    out = [draw(st.sampled_from(["", " ", "\n"]))]
    for word_or_space in _runs(text):
        if word_or_space.isspace():
            out.append(draw(st.sampled_from(SPACES)))
        else:
            out.append("".join(draw(st.sampled_from(APOSTROPHES)) if c in "'\u2019" else c for c in word_or_space))
    out.append(draw(st.sampled_from(["", " ", "\n"])))
    return "".join(out)


def _runs(text: str) -> list[str]:
    runs: list[str] = []
    for c in text:
        if runs and runs[-1][-1].isspace() == c.isspace():
            runs[-1] += c
        else:
            runs.append(c)
    return runs


def claims_containing(q: str) -> list[str]:
    """Claims that hold `q` as whole words (issue 13: a quote never starts or ends mid-word)."""
    return [s.id for s in CLAIMS if whole_words(q, normalize(s.text)) >= 0]


def on_word_boundaries(text: str, i: int, j: int) -> bool:
    return (i == 0 or not joins(text[i - 1], text[i])) and (j == len(text) or not joins(text[j - 1], text[j]))


@settings(max_examples=300)
@given(data=st.data())
def test_any_stretch_of_one_sentence_verifies_to_that_sentence(data: st.DataObject) -> None:
    sent = data.draw(st.sampled_from(CLAIMS))
    i = data.draw(st.integers(0, len(sent.text) - 1))
    j = data.draw(st.integers(i + 1, len(sent.text)))
    stretch = sent.text[i:j]
    assume(stretch.strip())
    quote = data.draw(retyped(stretch))
    m = INDEX.find(quote)
    # a stretch on word boundaries verifies to its sentence; one that cuts a word does not
    # verify there (issue 13), though it may be whole words of another sentence
    if on_word_boundaries(sent.text, i, j):
        assert sent.id in [s.id for s in m.sentences]
    # every sentence it verifies to really contains it as whole words, and a unique stretch picks one
    q = normalize(quote)
    assert [s.id for s in m.sentences] == claims_containing(q)
    if len(m.sentences) == 1:
        assert m.span is not None
        assert normalize(TEXT[m.span[0] : m.span[1]]) == q


@settings(max_examples=200)
@given(data=st.data())
def test_nothing_crossing_two_sentences_verifies(data: st.DataObject) -> None:
    a, b = data.draw(st.sampled_from(PAIRS))
    a_words, b_words = a.text.split(), b.text.split()
    # at least the last two words of one sentence and the first word of the next
    start = a.end - len(" ".join(a_words[-data.draw(st.integers(2, len(a_words))) :]))
    end = b.start + len(" ".join(b_words[: data.draw(st.integers(1, len(b_words)))]))
    quote = data.draw(retyped(TEXT[start:end]))
    m = INDEX.find(quote)
    assert m.sentences == []
    assert m.crosses


@settings(max_examples=300)
@given(data=st.data())
def test_the_sentences_holding_a_quote_are_those_a_scan_of_each_finds(data: st.DataObject) -> None:
    """SourceIndex looks for a quote once in the joined sentences: the same sentences, in
    order, as a look in each, for any stretch of the text (inside one sentence, across
    two, or a word that occurs in many)."""
    i = data.draw(st.integers(0, len(TEXT) - 1))
    j = data.draw(st.integers(i + 1, min(len(TEXT), i + data.draw(st.integers(1, 80)))))
    q = normalize(TEXT[i:j])
    assert INDEX.containing(q) == [k for k, f in enumerate(INDEX.texts) if q and q in f]


def html_tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    class P(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            tags.append((tag, attrs))

    p = P(convert_charrefs=True)
    p.feed(html)
    p.close()
    return tags


# Characters and pieces that mean something to Markdown, HTML, Jinja or Python-Markdown's
# own placeholders (STX/ETX), mixed with arbitrary text.
MARKUP = st.lists(
    st.sampled_from(
        list("<>&\"'`*_[](){}#+-.!|\\:/=; \n\t\x02\x03ajs1")
        + ["javascript:", "<script>", "](", "&#x3c;", "{:", "\x02wzxhzdk:0\x03", "onerror=", "    ", "\n\n", "|---|"]
        + ["{{", "}}", "{%", "]]>", "<!--", "-->", "</span>", "</li>", '" onclick="']
    ),
    max_size=30,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=80), MARKUP).filter(bool)  # empty values are not shown at all

ENV = make_env([default_templates()])  # as the plugin renders pages: autoescape, StrictUndefined
MACROS = ENV.get_template("_macros.html.j2").module
TEXT_ATTRS = {"title", "aria-label", "data-quote"}  # attributes that carry a value as text


def structure(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Tags and attributes, with the text-carrying attributes' values left out."""
    return [(t, [(n, None if n in TEXT_ATTRS else v) for n, v in attrs]) for t, attrs in html_tags(html)]


def text_attrs(html: str) -> list[str]:
    return [v or "" for _, attrs in html_tags(html) for n, v in attrs if n in TEXT_ATTRS]


def data(html: str) -> str:
    out: list[str] = []

    class P(HTMLParser):
        def handle_data(self, d: str) -> None:
            out.append(d)

    p = P(convert_charrefs=True)
    p.feed(html)
    p.close()
    return "".join(out)


def a_fact(s: str) -> str:
    marker = Marker(1, "../sources/x.html#s-1", "#ref-1", s, s, s)
    f = FactView("f", "fact-f", "#fact-f", s, Attribution("said", s, s, s), s, s, [marker], 1, s)
    return str(MACROS.fact(f))


def a_reference(s: str) -> str:
    ref = Reference(1, "ref-1", "../sources/x.html#s-1", "https://x.example/#:~:text=a", s, s, 1, s, [Link(s, "#f")])
    return str(MACROS.references(PageView("p.md", s, [ref])))


def a_source(s: str) -> str:
    sentence = Sentence("s-1", 1, s, "claim", True, s, "https://x.example/#:~:text=a", [Link(s, "#f")])
    url, sha = "https://x.example/", "0" * 64
    page = SourceView(
        "sources/x.md", s, [], "x", "article", False, "x.txt", None, None, None, s, url, "2023-05-02", s, sha, "en",
        [[sentence]], [sentence],
    )  # fmt: skip
    return ENV.get_template("source.html.j2").render(page=page, jsonld="")


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_in_a_fact_is_only_text(s: str) -> None:
    html = a_fact(s)
    assert structure(html) == structure(a_fact("x"))  # no element or attribute of its own
    assert dict(html_tags(html)[3][1])["href"] == "../sources/x.html#s-1"
    assert s in text_attrs(html)  # the marker's preview (data-quote) holds it, as text
    assert s in data(html)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_in_a_reference_stays_in_its_entry(s: str) -> None:
    html = a_reference(s)
    assert structure(html) == structure(a_reference("x"))
    assert text_attrs(html)[0] == f"Back to the fact: {s}"  # the back-link's accessible name
    assert f"“{s}” — " in data(html)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(ANY_TEXT)
def test_any_text_in_a_source_sentence_is_only_text(s: str) -> None:
    html = a_source(s)
    assert structure(html) == structure(a_source("x"))
    assert f"1 {s} ↗" in data(html)


def diagnostics_are_well_formed(report: Report) -> None:
    for d in report.diagnostics:
        assert d.line >= 1 and d.column >= 1 and d.code[0] in "YVRSCL" and d.message


@settings(max_examples=400)
@given(st.binary(max_size=400))
def test_random_bytes_through_the_loader_give_diagnostics_never_an_exception(raw: bytes) -> None:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"factsheet-fuzz-{os.getpid()}.yaml"
    path.write_bytes(raw)
    try:
        report = Report()
        doc = read_yaml(path, "f.yaml", report)
    finally:
        path.unlink()
    assert (doc is None) == bool(report.diagnostics)
    diagnostics_are_well_formed(report)


YAMLISH = st.lists(
    st.sampled_from(
        ["a", "b", ":", ": ", " ", "  ", "\n", "- ", "[", "]", "{", "}", ", ", "&x ", "*x", "!!str ", "!t ", "'", '"']
        + ["#", "? ", "|", ">", "---\n", "...\n", "\t", "%YAML 1.1\n", "\\", "~", "null", "\u00e9", "1:20", "NO"]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=500)
@given(st.one_of(YAMLISH, st.text(max_size=200)))
def test_any_text_through_the_parser_gives_data_or_diagnostics(text: str) -> None:
    report = Report()
    doc = parse_yaml(text, "f.yaml", report)
    assert (doc is None) == bool(report.diagnostics)
    diagnostics_are_well_formed(report)
    if doc is not None:
        _only_strings(doc.data)


def _only_strings(data: object) -> None:
    if isinstance(data, dict):
        assert all(isinstance(k, str) for k in data)
        for v in data.values():
            _only_strings(v)
    elif isinstance(data, list):
        for v in data:
            _only_strings(v)
    else:
        assert data is None or isinstance(data, str)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=300), YAMLISH.map(str.encode)))
def test_random_fact_files_through_the_whole_check_never_crash(tmp_path_factory: object, raw: bytes) -> None:
    root = _project()
    (root / "content/facts/fuzz.yaml").write_bytes(raw)
    project = check(root)
    diagnostics_are_well_formed(project.report)


_ROOT: list[Path] = []


def _project() -> Path:
    if not _ROOT:
        import tempfile

        _ROOT.append(copy_project(Path(tempfile.mkdtemp(prefix="factsheet-fuzz-")) / "proj"))
    return _ROOT[0]


def test_fold_keeps_an_index_into_the_original_for_every_character() -> None:
    folded, index = fold(TEXT)
    assert len(folded) == len(index)
    assert all(0 <= i < len(TEXT) for i in index)
    assert index == sorted(index)
