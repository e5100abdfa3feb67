"""Stage 3, resolve citations: each quote must occur inside exactly one sentence.

Matching folds whitespace (including NO-BREAK SPACE), typographic apostrophes and
quotes, and dashes; letters and digits must match exactly. The stored text is never
changed: `fold` also returns, for every folded character, its offset in the original.
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

from .diagnostics import Report
from .model import Figure
from .project import FactEntry, Project, ResolvedCitation
from .sources import Sentence, SourceText, fold, normalize
from .validate import did_you_mean

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_GROUPED = re.compile(r"\d{1,3}(,\d{3})+(\.\d+)?")
CLOSE_ENOUGH = 0.5  # below this a word diff against the closest sentence says nothing useful


def numbers(s: str) -> list[str]:
    """Numbers in a text, thousands separators removed: '2,737' -> '2737'."""
    found = []
    for m in _NUMBER.finditer(s):
        n = m.group()
        if _GROUPED.fullmatch(n):
            n = n.replace(",", "")
        for part in n.split(",") if "," in n else [n]:
            found.append(part if "." in part else str(int(part)))
    return found


@dataclass(frozen=True)
class Match:
    sentences: list[Sentence]  # every claim sentence that contains the quote
    crosses: bool  # found only across a sentence boundary
    non_claim: Sentence | None  # found only in a heading or related-link line
    span: tuple[int, int] | None  # offsets of the quote in the stored text, when unique


class SourceIndex:
    """Folded sentences of one source, ready for quote look-ups."""

    def __init__(self, src: SourceText) -> None:
        self.src = src
        sentences = src.sentences
        folded = src.folded if src.folded is not None else [normalize(s.text) for s in sentences]
        self.folded = list(zip(sentences, folded, strict=True))

    @functools.cached_property
    def whole(self) -> str:
        """The folded text, sentences joined: only needed to explain a quote that is not found."""
        return normalize(" ".join(normalize(" ".join(s.text for s in p)) for p in self.src.paragraphs))

    def find(self, quote: str, sentence_id: str | None = None) -> Match:
        q = normalize(quote)
        hits = [(s, f) for s, f in self.folded if q and q in f]
        claims = [h for h in hits if h[0].kind == "claim"]
        if sentence_id is not None:
            claims = [h for h in claims if h[0].id == sentence_id]
        span = None
        if len(claims) == 1:
            s, ftext = claims[0]
            i = ftext.index(q)
            if ftext == s.text:  # nothing was folded: offsets are the same
                span = (s.start + i, s.start + i + len(q))
            else:
                ftext, index = fold(s.text)
                i = ftext.index(q)
                span = (s.start + index[i], s.start + index[i + len(q) - 1] + 1)
        non_claim = hits[0][0] if hits and not claims and hits[0][0].kind != "claim" else None
        crosses = not hits and bool(q) and q in self.whole
        return Match([h[0] for h in claims], crosses, non_claim, span)

    def closest(self, quote: str, limit: int = 1) -> list[tuple[float, Sentence]]:
        """Sentences most like the quote, best first, with a 0-1 similarity of the best-matching stretch."""
        qw = _keys(normalize(quote))
        scored = [(round(_best_window(qw, _keys(ftext))[2], 2), s) for s, ftext in self.folded]
        scored.sort(key=lambda t: (-t[0], t[1].number))
        return scored[:limit]


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
    m = ix.find(quote, sentence_id)
    if len(m.sentences) == 1:
        return m
    sid = ix.src.id
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


def resolve_citations(project: Project, report: Report) -> None:
    """Verify every citation against its source's sentences, and numbers against quotes."""
    indexes = {sid: SourceIndex(s.text) for sid, s in project.sources.items()}
    for e in project.facts:
        resolved: list[ResolvedCitation] = []
        for i, c in enumerate(e.fact.citations):
            ix = indexes.get(c.source)
            if ix is None:
                continue  # unknown or unreadable source: already reported
            r = _quote_problem(ix, c.quote, c.sentence)
            if isinstance(r, tuple):
                line, col = e.pos("citations", i, "quote")
                report.add(e.file, line, col, *r)
                continue
            resolved.append(ResolvedCitation(c.source, c.quote, r.sentences[0], r.span or (0, 0), c.states))
            if c.states is not None:
                _check_numbers(e, report, c.states, [c.quote], ("citations", i, "states"))
        project.resolved[e.fact.id] = resolved
        if len(resolved) == len(e.fact.citations):
            quotes = [c.quote for c in e.fact.citations if c.states is None] or [c.quote for c in e.fact.citations]
            exempt = numbers(e.fact.derived.value) if e.fact.derived else []
            stated = [("value", e.fact.value)] if isinstance(e.fact, Figure) else []
            for name, value in [*stated, ("statement", e.fact.statement)]:
                _check_numbers(e, report, value, quotes, (name,), exempt)
    for sc in project.stray_citations:
        ix = indexes.get(sc.citation.source)
        problem = _quote_problem(ix, sc.citation.quote, sc.citation.sentence) if ix else None
        if isinstance(problem, tuple):
            line, col = sc.doc.pos((*sc.path, "quote"))
            report.add(sc.doc.file, line, col, *problem)
    for sid, src in project.sources.items():
        ix = indexes.get(sid)
        if ix is None:
            continue
        for i, nc in enumerate(src.meta.non_claims):
            r = _quote_problem(ix, nc.quote, None)
            if isinstance(r, tuple):
                line, col = src.doc.pos(("non_claims", i, "quote"))
                report.add(src.doc.file, line, col, *r)
            else:
                project.non_claims[r.sentences[0].id] = nc.reason


def _check_numbers(
    e: FactEntry,
    report: Report,
    text: str,
    quotes: list[str],
    path: tuple[str | int, ...],
    exempt: list[str] | None = None,
) -> None:
    exempt = exempt or []
    have = [n for q in quotes for n in numbers(normalize(q))]
    for n in numbers(text):
        if n not in have and n not in exempt:
            line, col = e.pos(*path)
            report.add(
                e.file,
                line,
                col,
                "C204",
                f"number {n} in {path[-1]} is not in the quote"
                + (f" (the quote has {', '.join(have)})" if have else " (the quote has no numbers)"),
                "state only what the source states; mark computed values with 'derived'",
            )
