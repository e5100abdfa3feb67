"""Stage 3, resolve citations: each quote must occur inside exactly one sentence.

Matching folds whitespace (including NO-BREAK SPACE), typographic apostrophes and
quotes, and dashes; letters and digits must match exactly. The stored text is never
changed: `fold` also returns, for every folded character, its offset in the original.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, TypeVar

from .diagnostics import Diagnostic, Report, plural
from .model import Citation, cited_sources
from .project import FactEntry, Project, ResolvedCitation
from .sources import Sentence, SourceText, fold, joins, normalize
from .validate import did_you_mean

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
SHORTLIST = 40  # sentences compared in full with a quote that is not found (see SourceIndex.closest)
CLOSE_ENOUGH = 0.5  # below this a word diff against the closest sentence says nothing useful
# The shortest quote that verifies: two words and eight letters or digits. A shorter one
# ("a", "the talks") would let `sentence:` pin any sentence with nothing checked.
MIN_QUOTE_WORDS = 2
MIN_QUOTE_CHARS = 8

# Numbers written in words, and scale words after digits ("299 thousand", "2.9 million",
# "299k"). Ordinals from "third" on count ("first" and "second" are ordinary words too).
_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_ORDINALS = {
    "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40,
    "fiftieth": 50, "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_SCALE_ORDINALS = {w + "th": v for w, v in _SCALES.items()}
_SUFFIXES = {"k": 10**3, "m": 10**6, "mn": 10**6, "b": 10**9, "bn": 10**9, "tn": 10**12}
_ORDINAL_SUFFIX = {"st", "nd", "rd", "th"}
# Vague amounts stand for themselves: "thousands" in a statement must be in the quote.
_VAGUE = {"dozen": 12, "dozens": None, "hundreds": None, "thousands": None, "millions": None, "billions": None}
_WORDS = {**_UNITS, **_TENS, **_ORDINALS, **_SCALES, **_SCALE_ORDINALS, **_VAGUE}
_STARTS = frozenset(_WORDS) | {"both", "a", "an"}  # the words that may start a number
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*[^\W\d_]*|[^\W\d_]+|\S", re.UNICODE)


def _canon(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _plain(digits: str) -> list[str]:
    """Numbers in a run of digits, thousands separators removed: '2,737' -> ['2737']."""
    if _GROUPED.fullmatch(digits):
        digits = digits.replace(",", "")
    return [part if "." in part else str(int(part)) for part in (digits.split(",") if "," in digits else [digits])]


def _key(part: str) -> str:
    """_canon(Decimal(part)) of a part of _plain: an integer part (str(int(...))) is already
    canonical, as long as it has fewer digits than Decimal's precision (28)."""
    return part if "." not in part and len(part) < 20 else _canon(Decimal(part))


class Number(NamedTuple):  # a named tuple: made ~5x faster than a frozen dataclass, and a sentence has several
    shown: str  # as the message shows it: '2737', 'three thousand (3000)'
    key: str  # what it must equal in the quote: the value, or the word itself for a vague amount


def number_tokens(s: str, quote: bool = False) -> list[Number]:
    """Every number a reader sees in `s`. Not remembered: a check reads each statement
    and quote once or twice, far apart, and the preview's checks verify only the facts an
    edit touched (FactMemo); remembering them held 16 MB at 1,000 sources for nothing."""
    return _read_numbers(s, quote)


def _read_numbers(s: str, quote: bool = False) -> list[Number]:
    """Every number a reader sees in `s`: digits of any script (NFKC: superscripts, fullwidth,
    circled), numbers in words, digits with a scale word or suffix; any other character
    with a numeric value (a Roman numeral, a fraction) stands for itself. In a quote,
    "both" states two (a statement's "both" is no number: "both sides" says nothing new)."""
    out: list[Number] = []
    if not s.isascii():
        chars = list(s)
        for k, ch in enumerate(chars):
            if not ch.isdecimal() and unicodedata.numeric(ch, None) is not None:
                if not unicodedata.normalize("NFKC", ch).isdecimal():  # Ⅻ, ½, 三: compared as written
                    out.append(Number(ch, ch))
                    chars[k] = " "
        s = "".join(chars)
    tokens = _TOKEN.findall(s if s.isascii() else unicodedata.normalize("NFKC", s))  # NFKC leaves ASCII as is
    # Only a token that starts with a digit (what _NUMBER's \d matches: category Nd) or is
    # a number word, "both", "a" or "an" can start a number: the others are passed over.
    starts = [k for k, t in enumerate(tokens) if t[0].isdecimal() or t.lower() in _STARTS]
    c = i = 0
    while c < len(starts):
        if starts[c] < i:  # inside a number read already
            c += 1
            continue
        i = starts[c]
        tok = tokens[i]
        low = tok.lower()
        m = _NUMBER.match(tok)
        if m:
            parts, rest = _plain(m.group()), tok[m.end() :].lower()
            if any(p.count(".") > 1 for p in parts):  # "1.2.3", "10.0.0.1": a version, an address
                out.append(Number(tok, tok.lower()))  # no number: the token itself must be in the quote
                i += 1
                continue
            scale = 1
            if rest in _SUFFIXES:
                scale = _SUFFIXES[rest]
            elif rest and rest not in _ORDINAL_SUFFIX:
                out.append(Number(tok, tok.lower()))  # "5km", "10am": the token itself must be in the quote
                i += 1
                continue
            j = i + 1
            while scale == 1 and j < len(tokens) and tokens[j].lower() in _SCALES:
                scale *= _SCALES[tokens[j].lower()]
                j += 1
            if scale == 1:
                out += [Number(p, _key(p)) for p in parts]
            else:
                value = _canon(Decimal(parts[-1]) * scale)
                out += [Number(p, _key(p)) for p in parts[:-1]]
                out.append(Number(f"{' '.join(tokens[i:j])} ({value})", value))
            i = j
            continue
        if quote and low == "both":
            out.append(Number("both (2)", "2"))
            i += 1
            continue
        if low in _WORDS or (low in ("a", "an") and i + 1 < len(tokens) and tokens[i + 1].lower() in _SCALES):
            j, total, current = i, 0, 0
            words: list[str] = []
            while j < len(tokens):
                w = tokens[j].lower()
                if w in ("a", "an") and j == i:
                    current = 1
                elif w in _VAGUE and _VAGUE[w] is None:
                    if not words:
                        out.append(Number(w, w))
                        j += 1
                    break
                elif w in _UNITS or w in _TENS or w in _ORDINALS or w == "dozen":
                    current += _WORDS[w] or 0
                elif w in _SCALES or w in _SCALE_ORDINALS:
                    scale = _WORDS[w] or 1
                    if scale == 100:
                        current = (current or 1) * 100
                    else:
                        total, current = total + (current or 1) * scale, 0
                elif w in ("-", "and") and words and j + 1 < len(tokens) and tokens[j + 1].lower() in _WORDS:
                    pass
                else:
                    break
                words.append(tokens[j])
                j += 1
            if words:
                value = str(total + current)
                out.append(Number(f"{' '.join(words).replace(' - ', '-')} ({value})", value))
            i = max(j, i + 1)
            continue
        i += 1
    return out


def numbers(s: str) -> list[str]:
    """Numbers in a text, thousands separators removed: '2,737' -> '2737'."""
    return [n.key for n in number_tokens(s)]


@dataclass(frozen=True)
class Match:
    sentences: list[Sentence]  # every claim sentence that contains the quote
    crosses: bool  # found only across a sentence boundary
    non_claim: Sentence | None  # found only in a heading or related-link line
    span: tuple[int, int] | None  # offsets of the quote in the stored text, when unique
    partial: Sentence | None = None  # holds the quote only by cutting a word (or a grapheme) in two


def whole_words(q: str, text: str) -> int:
    """Where `q` first occurs in `text` starting and ending on word (and grapheme)
    boundaries, or -1: "regional harm" is not in "regional harmony"."""
    at = text.find(q)
    while at >= 0:
        end = at + len(q)
        if (at == 0 or not joins(text[at - 1], q[0])) and (end == len(text) or not joins(q[-1], text[end])):
            return at
        at = text.find(q, at + 1)
    return -1


class SourceIndex:
    """Folded sentences of one source, ready for quote look-ups."""

    def __init__(self, src: SourceText) -> None:
        self.src = src
        self.sentences = src.sentences
        self.texts = src.folded if src.folded is not None else [normalize(s.text) for s in self.sentences]
        if len(self.texts) != len(self.sentences):
            raise ValueError(f"{src.id}: {len(self.texts)} folded texts for {len(self.sentences)} sentences")

    @property
    def folded(self) -> list[tuple[Sentence, str]]:
        """(sentence, its folded text), in order."""
        return list(zip(self.sentences, self.texts, strict=True))

    @functools.cached_property
    def whole(self) -> str:
        """The folded text, sentences joined: only needed to explain a quote that is not found."""
        return normalize(" ".join(normalize(" ".join(s.text for s in p)) for p in self.src.paragraphs))

    @functools.cached_property
    def _joined(self) -> str:
        """The folded sentences joined by NUL, which no quote holds (content files refuse
        control characters): a quote is looked for in one pass over the source."""
        return "\0".join(self.texts)

    def containing(self, q: str) -> list[int]:
        """The indexes of the sentences whose folded text holds `q`, in order."""
        if not q or "\0" in q:
            return [k for k, f in enumerate(self.texts) if q and q in f]
        joined = self._joined
        out: list[int] = []
        k = counted = 0  # k: the number of NULs before `counted`, the sentence it is in
        at = joined.find(q)
        while at >= 0:
            k += joined.count("\0", counted, at)
            out.append(k)
            end = joined.find("\0", at)  # where sentence k ends: the next match is after it
            if end < 0:
                break
            k, counted = k + 1, end + 1
            at = joined.find(q, counted)
        return out

    def find(self, quote: str, sentence_id: str | None = None) -> Match:
        q = normalize(quote)
        holding = self.containing(q)
        hits = [(self.sentences[k], self.texts[k]) for k in holding if whole_words(q, self.texts[k]) >= 0]
        claims = [h for h in hits if h[0].kind == "claim"]
        if sentence_id is not None:
            claims = [h for h in claims if h[0].id == sentence_id]
        span = None
        if len(claims) == 1:
            s, ftext = claims[0]
            i = whole_words(q, ftext)
            if ftext == s.text:  # nothing was folded: offsets are the same
                span = (s.start + i, s.start + i + len(q))
            else:
                ftext, index = fold(s.text)
                i = whole_words(q, ftext)
                span = (s.start + index[i], s.start + index[i + len(q) - 1] + 1)
        non_claim = hits[0][0] if hits and not claims and hits[0][0].kind != "claim" else None
        crosses = not hits and bool(q) and whole_words(q, self.whole) >= 0
        partial = None
        if not hits and q and not crosses and holding:
            partial = self.sentences[holding[0]]
        return Match([h[0] for h in claims], crosses, non_claim, span, partial)

    def closest(self, quote: str, limit: int = 1) -> list[tuple[float, Sentence]]:
        """Sentences most like the quote, best first, with a 0-1 similarity of the best-matching stretch."""
        qw = _keys(normalize(quote))
        candidates = self.folded
        long = len(candidates) > SHORTLIST
        if long:
            # A long source: compare in full only the sentences that share the most words
            # with the quote (one pass over the text), so a quote that is not found costs
            # time linear in the source, not in its length times the quote's.
            want = set(qw)
            shared = [(len(want.intersection(_keys(ftext))), -k) for k, (_, ftext) in enumerate(candidates)]
            best = sorted(range(len(candidates)), key=lambda k: shared[k], reverse=True)[:SHORTLIST]
            candidates = [candidates[k] for k in sorted(best)]
        scored = [
            (round(_best_window(qw, _densest(qw, _keys(ftext)) if long else _keys(ftext))[2], 2), s)
            for s, ftext in candidates
        ]
        scored.sort(key=lambda t: (-t[0], t[1].number))
        return scored[:limit]


def _densest(qw: list[str], sw: list[str]) -> list[str]:
    """In a long source: the stretch of `sw`, three times the quote's length (at least 30
    words), holding most words of the quote, found in one pass; so comparing a quote with a
    sentence costs a time bounded by the quote's length, not the sentence's."""
    n = max(3 * len(qw), 30)
    if len(sw) <= n:
        return sw
    want = set(qw)
    hits = [w in want for w in sw]
    count = best = sum(hits[:n])
    at = 0
    for i in range(n, len(sw)):
        count += hits[i] - hits[i - n]
        if count > best:
            best, at = count, i - n + 1
    return sw[at : at + n]


def _keys(text: str) -> list[str]:
    return [w.lower().strip(".,;:!?\"'()") for w in text.split()]


def _best_window(qw: list[str], sw: list[str]) -> tuple[int, int, float]:
    """The stretch sw[i:j] most like the quote's words, and how alike (0-1)."""
    best = (0, len(sw), 0.0)
    best_key: tuple[int, int, float] = (-1, 0, 0.0)
    qtext = " ".join(qw)
    n = len(qw)
    for size in range(max(1, n - 2), n + 3):
        for i in range(0, max(1, len(sw) - size + 1)):
            window = sw[i : i + size]
            matched = sum(
                b.size for b in difflib.SequenceMatcher(None, qw, window, autojunk=False).get_matching_blocks()
            )
            # most words in common, then the closest length, then the most alike letters
            key = (matched, -abs(len(window) - n), 0.0)
            if key[:2] < best_key[:2]:
                continue
            key = (*key[:2], difflib.SequenceMatcher(None, qtext, " ".join(window), autojunk=False).ratio())
            if key > best_key:
                best_key = key
                best = (i, i + len(window), 2 * matched / (n + len(window)))
    return best


def word_diff(quote: str, sentence: str) -> str:
    """The sentence's stretch most like the quote, with differing words marked [-sentence-] {+quote+}.

    Words are aligned ignoring case and edge punctuation, then every word that still differs
    is marked, so "State Antony" against "State, Antony" shows [-State,-] {+State+}. The first
    and last words of the quote may be the end and the start of a longer word."""
    qw, sw = normalize(quote).split(), normalize(sentence).split()
    lo, hi, _ = _best_window(_keys(" ".join(qw)), _keys(" ".join(sw)))
    sm = difflib.SequenceMatcher(None, _keys(" ".join(sw[lo:hi])), _keys(" ".join(qw)), autojunk=False)
    pieces: list[tuple[list[str], list[str]] | str] = []  # an equal word, or (sentence words, quote words)

    def differ(old: list[str], new: list[str]) -> None:
        if pieces and isinstance(pieces[-1], tuple):
            pieces[-1][0].extend(old)
            pieces[-1][1].extend(new)
        else:
            pieces.append((list(old), list(new)))

    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            differ(sw[lo + i1 : lo + i2], qw[j1:j2])
            continue
        for k in range(i2 - i1):
            s_word, q_word, j = sw[lo + i1 + k], qw[j1 + k], j1 + k
            same = s_word == q_word
            same |= j == 0 and j == len(qw) - 1 and q_word in s_word
            same |= j == 0 < len(qw) - 1 and s_word.endswith(q_word)
            same |= 0 < j == len(qw) - 1 and s_word.startswith(q_word)
            if same:
                pieces.append(s_word)
            else:
                differ([s_word], [q_word])
    parts: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            parts.append(piece)
            continue
        old, new = piece
        if old:
            parts.append("[-" + " ".join(old) + "-]")
        if new:
            parts.append("{+" + " ".join(new) + "+}")
    return " ".join(parts)


def _quote_problem(ix: SourceIndex, quote: str, sentence_id: str | None) -> tuple[str, str, str | None] | Match:
    """The match, or (code, message, hint) explaining why the quote does not verify."""
    sid = ix.src.id
    q = normalize(quote)
    letters = sum(map(str.isalnum, q))
    if len(q.split()) < MIN_QUOTE_WORDS or letters < MIN_QUOTE_CHARS:
        return (
            "C208",
            f"quote is too short to verify ({plural(len(q.split()), 'word')}, {letters} {'letter or digit' if letters == 1 else 'letters or digits'})",
            f"quote at least {MIN_QUOTE_WORDS} words and {MIN_QUOTE_CHARS} letters or digits of the sentence",
        )
    m = ix.find(quote, sentence_id)
    if len(m.sentences) == 1:
        return m
    if len(m.sentences) > 1:
        listed = ", ".join(f"{s.id} (sentence {s.number})" for s in m.sentences)
        return (
            "C202",
            f"quote matches {len(m.sentences)} sentences of '{sid}': {listed}",
            f"quote more words, or add 'sentence: {m.sentences[0].id}' to pick one",
        )
    if m.crosses:
        return (
            "C203",
            f"quote crosses a sentence boundary in '{sid}'",
            "cite one sentence per citation; add a second citation for the other sentence",
        )
    if m.non_claim is not None:
        return (
            "C205",
            f"quote is in a {m.non_claim.kind} line of '{sid}', which is not a claim",
            "cite the sentence of the article that states it",
        )
    if m.partial is not None:
        return (
            "C207",
            f"quote starts or ends inside a word of sentence {m.partial.number} ({m.partial.id}) of '{sid}'",
            "quote whole words: a quote must begin and end where the source's words do",
        )
    occurs = [s.id for s in ix.find(quote).sentences] if sentence_id is not None else []
    if occurs:
        assert sentence_id is not None
        exists = any(s.id == sentence_id for s in ix.src.sentences)
        guess = None if exists else did_you_mean(sentence_id, occurs)
        return (
            "C206",
            f"quote is not in sentence {sentence_id} of '{sid}'"
            if exists
            else f"'{sid}' has no sentence {sentence_id}",
            (f"{guess} " if guess else "") + f"the quote occurs in {', '.join(occurs)}",
        )
    best = ix.closest(quote)
    hint = None
    if best and best[0][0] >= CLOSE_ENOUGH:
        score, s = best[0]
        hint = f"closest is sentence {s.number} ({s.id}, {score:.0%} alike): {word_diff(quote, s.text)}"
    elif best:
        hint = f'no sentence is close; find the sentence with: factsheet cite {sid} "<a few of its words>"'
    return ("C201", f"quote not found in source '{sid}'", hint)


def resolved_citation(c: Citation, m: Match) -> ResolvedCitation:
    return ResolvedCitation(c.source, c.quote, m.sentences[0], m.span or (0, 0), c.stance, c.quoting)


def quote_problem(ix: SourceIndex, quote: str, sentence_id: str | None) -> tuple[str, str, str | None] | Match:
    """The match of a quote in one source, or (code, message, hint) saying why it fails."""
    return _quote_problem(ix, quote, sentence_id)


Looked = tuple[str, str, str | None] | Match  # what a quote's look-up says: why it fails, or its match


class Quotes:
    """One source's quote look-ups, each made once: those of the check before (`last`)
    are taken as they are."""

    def __init__(self, ix: SourceIndex, last: dict[tuple[str, str | None], Looked] | None = None) -> None:
        self.ix = ix
        self.last = last or {}
        self.now: dict[tuple[str, str | None], Looked] = {}

    def __call__(self, quote: str, sentence_id: str | None) -> Looked:
        key = (quote, sentence_id)
        r = self.now.get(key)
        if r is None:
            r = self.last.get(key)
            if r is None:
                r = _quote_problem(self.ix, quote, sentence_id)
            self.now[key] = r
        return r


class QuoteMemo:
    """Quote look-ups kept from one check to the next by a long-running process (the live
    preview), so that after an edit only new or changed quotes are looked up.

    A look-up is a function of its source's id, text and split (each sentence's id,
    offsets and kind, with any `.sents` override), of the quote and of the sentence it
    names: the first three are the key of a source's look-ups, so an edited source or
    split is a miss. Where the key is the same, the project takes the SourceText of the
    check before, the very sentences its remembered matches name. Each check keeps only
    the look-ups it made, so the memo holds one project's quotes, not a history."""

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], Quotes] = {}

    def quotes(self, project: Project) -> dict[str, Quotes]:
        kept, self._kept = self._kept, {}
        out: dict[str, Quotes] = {}
        for sid, source in project.sources.items():
            src = source.text
            key = (sid, src.sha256, tuple((s.id, s.start, s.end, s.kind) for s in src.sentences))
            old = kept.get(key)
            if old is not None:
                source.text = old.ix.src  # equal in every field to the text just read
            out[sid] = self._kept[key] = Quotes(old.ix, old.now) if old is not None else Quotes(SourceIndex(src))
        return out


T = TypeVar("T")


@dataclass
class _Verified:
    entry: FactEntry
    sources: list[str]  # the ids of the sources it cites, sorted
    inputs: tuple[SourceIndex | None, ...]  # their indexes
    was: dict[str, tuple[list[Diagnostic], object]]  # the check before's stages, when the inputs are the same
    made: dict[str, tuple[list[Diagnostic], object]]


class FactMemo:
    """Each fact's verification (its resolved citations, then its values, with their
    diagnostics) kept from one check to the next by the live preview, so that after an
    edit only the facts it touches are verified again.

    A fact's verification is a function of the fact and of the sentences of the sources it
    cites. The first is the entry itself: the check before's very object when its file is
    unchanged (CheckMemo keeps the part), a new one when it is edited. The second is the
    SourceIndex of each source it cites, the very object QuoteMemo keeps while a source's
    text and split are the same (None for a source that did not load). Both compared by
    identity, so an edit to the fact, or to any source it cites, is a miss."""

    def __init__(self) -> None:
        self._last: dict[int, _Verified] = {}
        self._now: dict[int, _Verified] = {}

    def start(self) -> None:
        self._last, self._now = self._now or self._last, {}

    def run(
        self, stage: str, e: FactEntry, indexes: dict[str, SourceIndex], report: Report, make: Callable[[], T]
    ) -> T:
        """What `make` returns and reports for `e`, or what it did in the check before."""
        now = self._now.get(id(e))
        if now is None or now.entry is not e:
            last = self._last.get(id(e))
            if last is not None and last.entry is e:
                inputs = tuple(map(indexes.get, last.sources))
                was = last.made if inputs == last.inputs else {}  # SourceIndex has no __eq__: identity
                now = _Verified(e, last.sources, inputs, was, {})
            else:
                sources = sorted(cited_sources(e.fact))
                now = _Verified(e, sources, tuple(map(indexes.get, sources)), {}, {})
            self._now[id(e)] = now
        kept = now.was.get(stage)
        if kept is not None:
            report.diagnostics += kept[0]
            now.made[stage] = kept
            return kept[1]  # type: ignore[return-value]  # what `make` returned for this stage
        before = len(report.diagnostics)
        result = make()
        now.made[stage] = (report.diagnostics[before:], result)
        return result

    def made(self, stage: str, e: FactEntry) -> object:
        """What `stage` gave for `e` in this check (None: not run for it)."""
        now = self._now.get(id(e))
        kept = now.made.get(stage) if now is not None and now.entry is e else None
        return None if kept is None else kept[1]


def resolve_citations(
    project: Project, report: Report, memo: QuoteMemo | None = None, facts: FactMemo | None = None
) -> dict[str, SourceIndex]:
    """Verify every citation against its source's sentences, and numbers against quotes;
    the sources' indexes, for resolve_values. With memos (the preview's), quotes looked up
    by the check before are not looked up again, nor facts verified again that neither an
    edit to them nor to a source touched."""
    if memo is not None:
        indexes = memo.quotes(project)
    else:
        indexes = {sid: Quotes(SourceIndex(s.text)) for sid, s in project.sources.items()}
    sources = {sid: q.ix for sid, q in indexes.items()}
    for e in project.facts:
        if facts is None:
            project.resolved[e.fact.id] = _verify(e, indexes, report)
        else:
            verify = functools.partial(_verify, e, indexes, report)
            project.resolved[e.fact.id] = facts.run("citations", e, sources, report, verify)
    for sc in project.stray_citations:
        look = indexes.get(sc.citation.source)
        problem = look(sc.citation.quote, sc.citation.sentence) if look else None
        if isinstance(problem, tuple):
            line, col = sc.doc.pos((*sc.path, "quote"))
            report.add(sc.doc.file, line, col, *problem)
    for sid, src in project.sources.items():
        look = indexes.get(sid)
        if look is None:
            continue
        for i, nc in enumerate(src.meta.non_claims):
            r = look(nc.quote, None)
            if isinstance(r, tuple):
                line, col = src.doc.pos(("non_claims", i, "quote"))
                report.add(src.doc.file, line, col, *r)
            else:
                project.non_claims[r.sentences[0].id] = nc.reason
    return sources


def _verify(e: FactEntry, indexes: dict[str, Quotes], report: Report) -> list[ResolvedCitation]:
    """One fact's citations resolved (those that verify), and the numbers of its statement
    checked against its quotes when all do."""
    resolved: list[ResolvedCitation] = []
    for i, c in enumerate(e.fact.citations):
        look = indexes.get(c.source)
        if look is None:
            continue  # unknown or unreadable source: already reported
        r = look(c.quote, c.sentence)
        if isinstance(r, tuple):
            line, col = e.pos("citations", i, "quote")
            report.add(e.file, line, col, *r)
            continue
        resolved.append(resolved_citation(c, r))
    if len(resolved) == len(e.fact.citations):
        quotes = [c.quote for c in e.fact.citations]
        exempt = numbers(e.fact.derived.value) if e.fact.derived else []
        check_numbers(e, report, e.fact.statement, quotes, ("statement",), exempt)
    return resolved


def check_numbers(
    e: FactEntry,
    report: Report,
    text: str,
    quotes: list[str],
    path: tuple[str | int, ...],
    exempt: list[str] | None = None,
) -> None:
    exempt = exempt or []
    stated = [n for n in number_tokens(text) if n.key not in exempt]
    if not stated:
        return  # nothing to look for in the quotes: they are not read
    have = [n for q in quotes for n in number_tokens(normalize(q), quote=True)]
    keys = {n.key for n in have}
    for n in stated:
        if n.key not in keys:
            line, col = e.pos(*path)
            report.add(
                e.file,
                line,
                col,
                "C204",
                f"number {n.shown} in {path[-1]} is not in the quote"
                + (f" (the quote has {', '.join(h.shown for h in have)})" if have else " (the quote has no numbers)"),
                "state only what the source states; mark computed values with 'derived'",
            )
