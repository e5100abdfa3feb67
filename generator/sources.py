"""Sources: verbatim article texts, split into sentences with stable, content-derived ids.

The stored text is never changed. Sentences keep (start, end) offsets into it, so the
page can show exactly what the source says, and `text[start:end] == sentence.text`.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Report

if TYPE_CHECKING:
    from .cache import Cache

MAX_SOURCE_BYTES = 1024 * 1024
SEGMENTER = "pysbd 0.3.4, paragraph-first, windows of 1500/300, linear numbered-reference rule"

_RELATED = re.compile(r"^(also read|read also|read more|related|see also)\s*:", re.IGNORECASE)
_TERMINAL = re.compile(r"[.!?…][\"'”’)\]]*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str  # "s-" + 8 hex of sha256 over the NFC, whitespace-collapsed text; "-2" for a repeat
    number: int  # 1-based, for display only
    paragraph: int  # 0-based paragraph index
    start: int
    end: int
    text: str
    kind: str  # "claim" | "heading" | "related-link"


@dataclass
class SourceText:
    id: str
    text: str
    sha256: str
    paragraphs: list[list[Sentence]] = field(default_factory=list)
    folded: list[str] | None = None  # normalize(sentence.text) of each sentence, in order

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p]


def collapse(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


# How quotes are matched (cite.py): whitespace, typographic quotes and dashes fold. Here,
# so that a cached split carries each sentence's folded text too.
_FOLD = {
    **{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032\u0060\u00b4"},
    **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"},
    **{c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"},
    "\u00ad": "",  # soft hyphen
}


def fold(s: str) -> tuple[str, list[int]]:
    """Folded text and, per folded character, the index of the original character."""
    out: list[str] = []
    index: list[int] = []
    space = True  # drop leading whitespace
    for i, ch in enumerate(s):
        if ch.isspace():
            if not space:
                out.append(" ")
                index.append(i)
            space = True
            continue
        rep = _FOLD.get(ch, ch)
        if rep:
            rep = unicodedata.normalize("NFC", rep)
        for r in rep:
            out.append(r)
            index.append(i)
        space = False
    if out and out[-1] == " ":
        out.pop()
        index.pop()
    return "".join(out), index


_TABLE = str.maketrans(_FOLD)


def normalize(s: str) -> str:
    """The folded text alone (what `fold` returns first), fast for the usual ASCII text."""
    if "\u00ad" not in s:
        t = s.translate(_TABLE)
        if t.isascii():
            return " ".join(t.split())
    return fold(s)[0]


def joins(a: str, b: str) -> bool:
    """Whether a boundary between characters `a` and `b` would cut a word or a grapheme."""
    if unicodedata.category(b)[0] == "M" or b in "\u200c\u200d" or a in "\u200c\u200d":
        return True  # a combining mark or joiner belongs to the character before it
    return wordlike(a) and wordlike(b)


def wordlike(c: str) -> bool:
    return c.isalnum() or c == "_" or unicodedata.category(c)[0] == "M"


def _cuts_word(text: str, end: int, start: int) -> bool:
    """Whether a boundary between text[:end] and text[start:] (only whitespace between) cuts a word."""
    return start == end and 0 < end < len(text) and joins(text[end - 1], text[start])


def sentence_hash(text: str) -> str:
    return "s-" + hashlib.sha256(collapse(text).encode("utf-8")).hexdigest()[:8]


# pysbd is superlinear in the length of what it segments (quadratic on one long
# paragraph), and one of its rules backtracks exponentially ("It was reported.[111 111 …]",
# pysbd#79). So (1) that rule is replaced by an equivalent that matches the same strings
# in linear time (the same groups, so the same replacement), and (2) a paragraph longer
# than WINDOW characters is segmented in windows: each window starts where a sentence
# starts, and only the sentences that end at least MARGIN characters before the window's
# end are kept (pysbd looks at a few words around a boundary, never 300 characters), so
# the boundaries are pysbd's own; the next window starts at the first sentence not kept.
# A sentence longer than a window is cut at its last space in the window's second half.
# Paragraphs of real articles are far shorter than a window, so they are split whole and
# exactly as before. Every window costs at most a constant, hence linear time overall.
WINDOW = 1500
MARGIN = 300
_NUMBERED_REFERENCE = (
    r"(?<=[^\d\s])(\.|∯)((\[(\d+(?:,\s?-?\s?|\s-?\s?|-\s?)(?=\d))*\d{1,3}\])+|((\d{1,3}\s?)?\d{1,3}))(\s)(?=[A-Z])"
)


@functools.lru_cache(maxsize=4096)
def _segment(paragraph: str, language: str = "en") -> tuple[str, ...]:
    seg = _segmenter(language)
    if len(paragraph) <= WINDOW:
        return tuple(seg.segment(paragraph))
    out: list[str] = []
    pos = 0
    while len(paragraph) - pos > WINDOW:
        window = paragraph[pos : pos + WINDOW]
        pieces = seg.segment(window)
        spans = _align(window, pieces, 0) if len(pieces) > 1 else None
        keep = [k for k, (_, end) in enumerate(spans or []) if end <= WINDOW - MARGIN and k < len(pieces) - 1]
        if keep:
            out.extend(pieces[: keep[-1] + 1])
            assert spans is not None
            nxt = spans[keep[-1] + 1][0]
        else:  # no boundary far enough from the window's end: cut the sentence at a space
            cut = window.rfind(" ", WINDOW // 2)
            cut = cut if cut > 0 else WINDOW
            out.append(window[:cut])
            nxt = cut
        pos += nxt
        while pos < len(paragraph) and paragraph[pos].isspace():
            pos += 1
    out.extend(seg.segment(paragraph[pos:]))
    return tuple(p for p in out if p.strip())


SEGMENTER_LANGUAGES = frozenset(
    "am ar bg da de el en es fa fr hi hy it ja kk mr my nl pl ru sk ur zh".split()
)  # the languages pysbd 0.3.4 splits


def segmenter_language(language: str) -> str | None:
    """The pysbd language for a source's `language` (en-GB -> en), or None if it has none."""
    base = language.split("-")[0].lower()
    return base if base in SEGMENTER_LANGUAGES else None


@functools.lru_cache(maxsize=8)
def _segmenter(language: str = "en"):  # noqa: ANN202 - third-party type
    import pysbd
    from pysbd.abbreviation_replacer import AbbreviationReplacer
    from pysbd.lang.english import English

    # pysbd builds several thousand regular expressions from strings on every call; with
    # re's default cache of 512 they are recompiled each time (~3x slower).
    if getattr(re, "_MAXCACHE", 0) < 8192:
        re.__dict__["_MAXCACHE"] = 8192  # a private setting of re: set through its namespace
    English.NUMBERED_REFERENCE_REGEX = _NUMBERED_REFERENCE  # the linear-time equivalent (see above)
    pysbd.Segmenter.sentences_with_char_spans = _sentences_with_char_spans
    AbbreviationReplacer.search_for_abbreviations_in_string = _search_for_abbreviations_in_string
    return pysbd.Segmenter(language=language, clean=False)


def _sentences_with_char_spans(self, sentences):  # noqa: ANN001, ANN202 - replaces pysbd's method
    r"""pysbd's Segmenter.sentences_with_char_spans without a regular expression per sentence.

    pysbd finds each sentence with `re.finditer(re.escape(sent) + r"\s*", text)`: compiling
    that pattern, one per sentence and never the same twice, was over half of the time of a
    split. This finds the same non-overlapping matches, left to right, with str.find (`\s`
    of a str pattern is exactly str.isspace), and keeps the same match: the first that ends
    after the previous sentence."""
    from pysbd.utils import TextSpan

    text = self.original_text
    n = len(text)
    spans = []
    prior_end = 0
    for sent in sentences:
        if not sent:  # an empty pattern matches at every position: pysbd's own loop
            found = next((m for m in re.finditer(r"\s*", text) if m.end() > prior_end), None)
            if found is not None:
                spans.append(TextSpan(found.group(), found.start(), found.end()))
                prior_end = found.end()
            continue
        at = text.find(sent)
        while at >= 0:
            end = at + len(sent)
            while end < n and text[end].isspace():
                end += 1
            if end > prior_end:
                spans.append(TextSpan(text[at:end], at, end))
                prior_end = end
                break
            at = text.find(sent, end)
    return spans


# The characters `\s` matches in ASCII text (str.isspace), each made a space.
_ASCII_SPACES = str.maketrans({c: " " for c in map(chr, range(128)) if c.isspace()})


@functools.lru_cache(maxsize=64)
def _stripped(abbreviations: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(a.strip() for a in abbreviations)


def _search_for_abbreviations_in_string(self, text):  # noqa: ANN001, ANN202 - replaces pysbd's method
    r"""pysbd's AbbreviationReplacer.search_for_abbreviations_in_string, skipping sooner.

    For each of its ~200 abbreviations found anywhere in the lowercased text, pysbd
    searches `(?:^|\s|\r|\n)abbr` ignoring case and, only if that finds something,
    rewrites periods. In ASCII text, ignoring case is lowercasing, so an abbreviation of
    letters alone that follows neither the start nor a space (`\s`: str.isspace) finds
    nothing: it is skipped without the search. Everything else is pysbd's code, unchanged."""
    lowered = text.lower()
    found = [a for a in _stripped(tuple(self.lang.Abbreviation.ABBREVIATIONS)) if a in lowered]
    if text.isascii():  # drop those the search below would not find
        spaced = " " + lowered.translate(_ASCII_SPACES)
        found = [a for a in found if not (a.isascii() and a.isalpha()) or " " + a in spaced]
    for stripped in found:
        abbrev_match = re.findall(r"(?:^|\s|\r|\n){}".format(stripped), text, flags=re.IGNORECASE)  # noqa: UP032
        if not abbrev_match:
            continue
        next_word_start = r"(?<={" + str(re.escape(stripped)) + "} ).{1}"
        char_array = re.findall(next_word_start, text)
        for ind, match in enumerate(abbrev_match):
            text = self.scan_for_replacements(text, match, ind, char_array)
    return text


def _align(paragraph: str, pieces: list[str] | tuple[str, ...], base: int) -> list[tuple[int, int]] | None:
    """Find each piece, in order, in the paragraph (whitespace may differ); return absolute spans."""
    spans, pos, n = [], 0, len(paragraph)
    for piece in pieces:
        start = -1
        for k, word in enumerate(piece.split()):
            at = pos
            while at < n and paragraph[at].isspace():
                at += 1
            if (k and at == pos) or not paragraph.startswith(word, at):
                return None  # words of a piece are apart in the paragraph too; only whitespace between pieces
            start = at if k == 0 else start
            pos = at + len(word)
        if start >= 0:
            spans.append((base + start, base + pos))
    if paragraph[pos:].strip():
        return None
    return spans


def _classify(text: str, alone: bool) -> str:
    if _RELATED.match(text):
        return "related-link"
    if alone and not _TERMINAL.search(text):
        return "heading"
    return "claim"


def split_sentences(
    source_id: str, text: str, override: str | None = None, file: str = "", report: Report | None = None
) -> list[list[Sentence]]:
    """Paragraph-first sentence split with offsets. `override` is a .sents file's text:
    one sentence per line, a blank line between paragraphs; it may only move boundaries."""
    spans = sentence_spans(text, override, file, report)
    return sentences_at(text, spans, None if override is None else sentence_spans(text))


Spans = list[list[tuple[int, int]]]  # per paragraph, (start, end) of each sentence in the text


def _first_difference(groups: list[list[str]], lines: list[list[int]], paras: list[str]) -> tuple[int, int]:
    """The (line, column) of an override where its words first differ from the text's
    paragraphs, or where a paragraph ends early: so an error points at the line to fix."""
    for gi, group in enumerate(groups):
        want = paras[gi].split() if gi < len(paras) else []
        seen = 0
        for k, piece in enumerate(group):
            words = list(re.finditer(r"\S+", piece))
            for wi, w in enumerate(words):
                if seen + wi >= len(want) or want[seen + wi] != w.group():
                    return lines[gi][k], w.start() + 1
            seen += len(words)
        if seen < len(want):  # the paragraph ends before the text's does
            return lines[gi][-1], len(group[-1]) + 1
    return (lines[-1][-1] if lines and lines[-1] else 1), 1


def sentence_spans(
    text: str, override: str | None = None, file: str = "", report: Report | None = None, language: str = "en"
) -> Spans:
    """Where the sentences are: the costly part of the split (segmentation), a pure
    function of the text and the override, so its result can be cached."""
    paras: list[tuple[int, str]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            paras.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    groups: list[list[str]] | None = None
    lines: list[list[int]] = []  # the override's line number of each piece
    if override is not None:
        groups = []
        for n, line in enumerate(override.split("\n"), 1):
            if not line.strip():
                if groups and lines[-1]:
                    groups.append([])
                    lines.append([])
                continue
            if not groups:
                groups.append([])
                lines.append([])
            groups[-1].append(line)
            lines[-1].append(n)
        if groups and not groups[-1]:
            groups.pop()
            lines.pop()
        if len(groups) != len(paras) and report is not None:
            at_line, at_col = _first_difference(groups, lines, [p for _, p in paras])
            report.add(
                file,
                at_line,
                at_col,
                "S103",
                f"sentence override has {len(groups)} paragraphs, the text has {len(paras)}",
                "separate paragraphs with one blank line; do not change the text",
            )
            groups = None
    result: Spans = []
    for pi, (base, para) in enumerate(paras):
        pieces = groups[pi] if groups is not None else _segment(para, language)
        spans = _align(para, pieces, base)
        if spans is not None and groups is not None:
            cut = next((k for k in range(1, len(spans)) if _cuts_word(text, spans[k - 1][1], spans[k][0])), None)
            if cut is not None:
                if report is not None:
                    report.add(
                        file,
                        lines[pi][cut],
                        1,
                        "S111",
                        f"sentence override cuts a word in two: this line starts inside a word of paragraph {pi + 1}",
                        "an override may move sentence boundaries only between words",
                    )
                spans = None
                pieces = []  # reported: no S104 as well
        if spans is None:
            if pieces and groups is not None and report is not None:
                at_line, at_col = _first_difference([list(pieces)], [lines[pi]], [para])
                report.add(
                    file,
                    at_line,
                    at_col,
                    "S104",
                    f"sentence override does not reproduce paragraph {pi + 1} of the text",
                    "an override may only move sentence boundaries, never change words",
                )
            spans = _align(para, _segment(para, language), base) or [
                (base + len(para) - len(para.lstrip()), base + len(para.rstrip()))
            ]
        result.append(spans)
    return result


_RANK = {"claim": 0, "heading": 1, "related-link": 2}


def sentences_at(text: str, spans: Spans, default: Spans | None = None) -> list[list[Sentence]]:
    """Sentences with their ids, numbers and kinds, from where they are.

    `default` is where the segmenter puts the sentences when `spans` come from an
    override: an override never changes what kind of text it is, so each sentence takes
    the least citable kind of its own and of the segmenter's sentences it overlaps (a
    related-link line cut in two is two related-link lines, never a claim)."""
    seen: dict[str, int] = {}
    result: list[list[Sentence]] = []
    number = 0
    for pi, para_spans in enumerate(spans):
        out = []
        kinds = None
        if default is not None and default[pi] != para_spans:
            alone = len(default[pi]) == 1
            kinds = [(a, b, _classify(text[a:b], alone)) for a, b in default[pi]]
        for start, end in para_spans:
            s = text[start:end]
            number += 1
            h = sentence_hash(s)
            seen[h] = seen.get(h, 0) + 1
            sid = h if seen[h] == 1 else f"{h}-{seen[h]}"
            kind = _classify(s, len(para_spans) == 1)
            if kinds is not None:
                kind = max([kind, *(k for a, b, k in kinds if a < end and start < b)], key=_RANK.__getitem__)
            out.append(Sentence(sid, number, pi, start, end, s, kind))
        result.append(out)
    return result


def sentences_key(text_sha256: str, override: str | None, language: str = "en") -> str:
    """The cache key of a split: the text's bytes, the override's if any, the language."""
    key = text_sha256 + ("" if override is None else "+" + hashlib.sha256(override.encode("utf-8")).hexdigest())
    return key if language == "en" else f"{key}@{language}"


# What a source text may not hold: control characters but TAB and line ends (Cc), the
# bidirectional controls (embeddings, overrides, isolates and marks: a page would show
# the words in another order than the stored text, "Trojan Source"), line and paragraph
# separators (a line break only to some readers), BOM, interlinear annotations and tag
# characters, private-use (Co), surrogate (Cs) and unassigned (Cn) code points. Other
# format characters found in real articles (soft hyphen, zero-width joiners) are kept.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SOURCE_REFUSED = frozenset({"Cc", "Co", "Cs", "Cn", "Zl", "Zp"})
_SUSPECT = re.compile(r"[^\t\n\r\x20-\x7e]")


@functools.lru_cache(maxsize=4096)
def _refused_in_source(ch: str) -> str | None:
    """Why `ch` cannot be in a source text, or None."""
    if ch in _BIDI:
        return "the bidirectional control character"
    if ch == "\ufeff" or "\ufff9" <= ch <= "\ufffb" or "\U000e0000" <= ch <= "\U000e007f":
        return "the invisible format character"
    cat = unicodedata.category(ch)
    if cat in _SOURCE_REFUSED:
        return {"Cc": "the control character", "Zl": "the line separator", "Zp": "the paragraph separator"}.get(
            cat, "the non-text character"
        )
    return None


def load_source_text(
    source_id: str,
    directory: Path,
    report: Report,
    expected_sha256: str | None,
    rel_dir: str | None = None,
    cache: Cache | None = None,
    language: str = "en",
) -> SourceText | None:
    """Read <id>.txt byte for byte (and <id>.sents if present) and split it.

    `rel_dir` is how diagnostics name `directory` (e.g. content/sources). The split is
    taken from `cache` when the same text and override were split before."""
    rel = rel_dir if rel_dir is not None else directory.as_posix()
    path = directory / f"{source_id}.txt"
    file = f"{rel}/{source_id}.txt"
    meta_file = f"{rel}/{source_id}.yaml"
    if not path.exists() and not path.is_symlink():
        report.add(
            meta_file,
            1,
            1,
            "S101",
            f"source '{source_id}' has no text file {source_id}.txt",
            "store the article verbatim next to its .yaml",
        )
        return None
    if path.is_symlink() or not path.is_file():
        report.add(file, 1, 1, "S106", "source text is not a regular file (symbolic links are not followed)")
        return None
    # Backstop for the id check: the file really is inside the sources directory.
    if os.path.commonpath([os.path.realpath(path), os.path.realpath(directory)]) != os.path.realpath(directory):
        report.add(file, 1, 1, "S106", "source text resolves outside the sources directory")
        return None
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        report.add(file, 1, 1, "S105", f"source text is {size} bytes, over the limit of {MAX_SOURCE_BYTES} bytes")
        return None
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        good = raw[: e.start].decode("utf-8")
        line = good.count("\n") + 1
        col = len(good) - (good.rfind("\n") + 1) + 1
        report.add(file, line, col, "S102", f"source text is not valid UTF-8 (byte 0x{raw[e.start]:02x})")
        return None
    bad = False
    for m in _SUSPECT.finditer(text):
        why = _refused_in_source(m.group())
        if why is None:
            continue
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        report.add(
            file,
            line,
            col,
            "S109",
            f"source text contains {why} U+{ord(m.group()):04X}",
            "store the article as it reads; control and bidi override characters are not text",
        )
        bad = True
    if bad:
        return None
    if not text.strip():
        report.add(
            file,
            1,
            1,
            "S110",
            "source text is empty: there is no sentence to cite",
            "store the article's text, one paragraph per line, or remove the source",
        )
        return None
    if expected_sha256 is not None and digest != expected_sha256:
        report.add(
            meta_file,
            1,
            1,
            "S107",
            f"{source_id}.txt has sha256 {digest[:12]}…, the metadata records {expected_sha256[:12]}…",
            "sources are stored verbatim; if the text really changed, update sha256 and re-check every citation",
        )
    sents_path = directory / f"{source_id}.sents"
    sents_file = f"{rel}/{source_id}.sents"
    override = None
    if sents_path.is_symlink() or (sents_path.exists() and not sents_path.is_file()):
        report.add(
            sents_file, 1, 1, "S106", "sentence override is not a regular file (symbolic links are not followed)"
        )
        return None
    if sents_path.is_file():
        try:
            override = sents_path.read_text(encoding="utf-8")
        except UnicodeDecodeError as e:
            report.add(sents_file, 1, 1, "S102", f"sentence override is not valid UTF-8 at byte {e.start}")
            return None
    src = SourceText(source_id, text, digest)
    key = sentences_key(digest, override, language)
    entry = cache.get("sentences", key) if cache is not None else None
    if entry is None:
        before = len(report.diagnostics)
        entry = split_entry(text, override, sents_file, file, report, language)
        if cache is not None and len(report.diagnostics) == before:
            cache.put("sentences", key, entry)
    src.paragraphs = sentences_from(text, entry)
    # the folded text of a sentence that folds to itself is the sentence's own string (half the memory)
    src.folded = [s.text if f == s.text else f for s, f in zip(src.sentences, entry["folded"], strict=True)]
    return src


def split_entry(
    text: str, override: str | None, sents_file: str, file: str, report: Report, language: str = "en"
) -> dict[str, list]:
    """The whole split of a text, as cached: spans, sentence ids and kinds. Diagnostics
    (a bad override, colliding anchors) go to `report`; an entry is cached only without."""
    spans = sentence_spans(text, override, sents_file, report, language)
    paragraphs = sentences_at(text, spans, None if override is None else sentence_spans(text))
    _check_collisions([s for p in paragraphs for s in p], file, report)
    return {
        "spans": [[[s.start, s.end] for s in p] for p in paragraphs],
        "ids": [s.id for p in paragraphs for s in p],
        "kinds": [s.kind for p in paragraphs for s in p],
        "folded": [normalize(s.text) for p in paragraphs for s in p],
    }


_KINDS = {k: k for k in ("claim", "heading", "related-link")}  # one string each, not one per sentence


def sentences_from(text: str, entry: dict[str, list]) -> list[list[Sentence]]:
    """Sentences from a split entry, without hashing or classifying again."""
    ids, kinds = iter(entry["ids"]), iter(entry["kinds"])
    result, number = [], 0
    for pi, para_spans in enumerate(entry["spans"]):
        out = []
        for start, end in para_spans:
            number += 1
            kind = next(kinds)
            out.append(Sentence(next(ids), number, pi, start, end, text[start:end], _KINDS.get(kind, kind)))
        result.append(out)
    return result


def _check_collisions(sentences: list[Sentence], file: str, report: Report) -> None:
    by_id: dict[str, str] = {}
    for s in sentences:
        base = s.id.split("-")[0] + "-" + s.id.split("-")[1]
        other = by_id.setdefault(base, collapse(s.text))
        if other != collapse(s.text):
            report.add(
                file,
                1,
                1,
                "S108",
                f"two different sentences share the anchor {base}",
                "add a .sents override that splits one of them differently",
            )
