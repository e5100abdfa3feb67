"""Stage 3, resolve citations (continued): every value a reader sees is stated in a quote.

A fact's fields that readers see as facts (a meeting's date and place, a person's post
and country, a figure's value, measure, period and place, an incident's time, place and
outcome; `model.cited_fields`) each hold either nothing ("not stated") or values, every
one backed by citations whose quotes contain it:

- the short form `place: Arlington` is backed by those of the fact's citations whose
  quote contains "Arlington" (folded as quotes are, whole words, any case);
- the long form gives each value its own citations, for sources that disagree:
  `place: [{value: Arlington, citations: [...]}, {value: Washington D.C., citations: [...]}]`;
- a figure's value is compared as a number ("1,350" states 1350; "three thousand" 3000);
- a value marked `derived` (a date worked out from "yesterday") needs its citations but
  not the words; readers see the derivation.

An allegation's `against` is checked the same way. Nothing unverified reaches a page.
"""

from __future__ import annotations

import functools
import re

from .cite import FactMemo, SourceIndex, check_numbers, number_tokens, quote_problem, resolved_citation
from .diagnostics import Report
from .model import Citation, Stated, StatedNumber, cited_fields
from .project import FactEntry, Project, ResolvedCitation, Value
from .sources import normalize


def _says(quote: str, value: str) -> bool:
    """Whether a quote states the value: its words, whole, in any case."""
    q, v = normalize(quote).casefold(), normalize(value).casefold()
    return bool(v) and re.search(r"(?<!\w)" + re.escape(v) + r"(?!\w)", q) is not None


def _says_number(quote: str, value: str) -> bool:
    want = {n.key for n in number_tokens(value)}
    have = {n.key for n in number_tokens(normalize(quote), quote=True)}
    return bool(want) and want <= have


def _own(project: Project, e: FactEntry, c: Citation) -> ResolvedCitation | None:
    """The resolved form of one of the fact's own citations (None: it did not verify)."""
    return next((r for r in project.resolved.get(e.fact.id, []) if r.source == c.source and r.quote == c.quote), None)


def resolve_values(
    project: Project, report: Report, indexes: dict[str, SourceIndex], facts: FactMemo | None = None
) -> None:
    """Every value a reader sees, backed by quotes that state it, looked up in the
    sources' indexes (resolve_citations gives them). With the preview's memo (after
    resolve_citations with the same), a fact that neither an edit to it nor to a source it
    cites touched keeps the values of the check before."""
    for e in project.facts:
        if len(project.resolved.get(e.fact.id, [])) != len(e.fact.citations):
            continue  # a citation of the fact failed: already reported, values would only add noise
        make = functools.partial(_values, project, indexes, report, e)
        # the values read the fact's resolved citations by its id: where two facts share an
        # id (an error already), that may be the other's, so they are worked out afresh
        if facts is None or facts.made("citations", e) is not project.resolved.get(e.fact.id):
            project.values[e.fact.id] = make()
        else:
            project.values[e.fact.id] = facts.run("values", e, indexes, report, make)


def _values(project: Project, indexes: dict[str, SourceIndex], report: Report, e: FactEntry) -> dict[str, list[Value]]:
    values: dict[str, list[Value]] = {}
    for name, stated in cited_fields(e.fact).items():
        values[name] = [] if stated is None else _field(project, indexes, report, e, name, stated)
    a = e.fact.attribution
    if a is not None and a.against is not None:
        quotes = [c.quote for c in e.fact.citations]
        if not any(_says(q, a.against) for q in quotes):
            _report(report, e, ("attribution", "against"), "against", a.against, quotes)
    return values


def _field(
    project: Project,
    indexes: dict[str, SourceIndex],
    report: Report,
    e: FactEntry,
    name: str,
    stated: list[Stated],
) -> list[Value]:
    short = name in e.plain  # written as a plain string
    out = []
    for i, s in enumerate(stated):
        at: tuple[str | int, ...] = (name,) if short else (name, i, "value")
        says = _says_number if isinstance(s, StatedNumber) else _says
        if s.citations is None:
            backing = [r for c in e.fact.citations if (r := _own(project, e, c)) is not None]
            if s.derived is None:
                backing = [r for r in backing if says(r.quote, s.value)]
        else:
            backing = []
            for j, c in enumerate(s.citations):
                ix = indexes.get(c.source)
                if ix is None:
                    line, col = e.pos(name, i, "citations", j, "source")
                    report.add(e.file, line, col, "R102", f"unknown source '{c.source}'")
                    continue
                m = quote_problem(ix, c.quote, c.sentence)
                if isinstance(m, tuple):
                    line, col = e.pos(name, i, "citations", j, "quote")
                    report.add(e.file, line, col, *m)
                    continue
                if s.derived is None and not says(c.quote, s.value):
                    number = isinstance(s, StatedNumber)
                    _report(report, e, (name, i, "citations", j, "quote"), name, s.value, [c.quote], number)
                    continue
                backing.append(resolved_citation(c, m))
            if len(backing) != len(s.citations):
                continue
        if not backing:
            _report(report, e, at, name, s.value, [c.quote for c in e.fact.citations], isinstance(s, StatedNumber))
            continue
        d = s.derived
        out.append(Value(s.value, tuple(backing), None if d is None else f"from {d.from_} ({d.method})"))
    return out


def _report(
    report: Report,
    e: FactEntry,
    at: tuple[str | int, ...],
    name: str,
    value: str,
    quotes: list[str],
    number: bool = False,
) -> None:
    if number:
        check_numbers(e, report, value, quotes, at)
        return
    line, col = e.pos(*at)
    report.add(
        e.file,
        line,
        col,
        "C209",
        f"{name} '{value}' is in no quote of this fact",
        "state only what a quote states: copy its words, give the value citations of its own, "
        "or write null (not stated)",
    )
