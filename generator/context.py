"""View models: everything a template prints, computed in Python from a verified Project.

Templates receive plain dicts and lists of strings. Strings from YAML stay plain `str`
(the Jinja environment escapes them); only values built here from validated ids are
wrapped in `Markup` (link targets, anchors), because they are known to be safe.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from . import locations as loc
from .cite import ResolvedCitation
from .validate import FactEntry, Project

_FRAGMENT_SAFE = "!$'()*+./:;=?@_~"


def text_fragment(url: str, sentence: str) -> str:
    """A link to the sentence in the original article (WICG Text Fragments).

    `-`, `&` and `,` are reserved by the syntax and must be percent-encoded; Python's
    quote() leaves `-` alone, so it is replaced by hand. Long sentences use start,end."""

    def enc(s: str) -> str:
        return quote(s, safe=_FRAGMENT_SAFE).replace("-", "%2D")

    words = sentence.split()
    if len(sentence) <= 300 or len(words) < 10:
        directive = enc(sentence)
    else:
        directive = enc(" ".join(words[:5])) + "," + enc(" ".join(words[-5:]))
    return f"{url.split('#')[0]}#:~:text={directive}"


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class Context:
    """Builds the values templates print, for one verified project."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.facts = project.by_id()
        self.cited_by: dict[tuple[str, str], list[FactEntry]] = defaultdict(list)
        self.asserted: dict[str, list[FactEntry]] = defaultdict(list)  # participant id -> facts it asserts
        self.at_meeting: dict[str, list[FactEntry]] = defaultdict(list)  # meeting id -> its statements
        self.attended: dict[str, list[FactEntry]] = defaultdict(list)  # participant id -> meetings
        self.meeting_order = {m.fact.id: i for i, m in enumerate(project.collection("meetings"))}
        for e in project.facts:
            for r in project.resolved.get(e.fact.id, []):
                key = (r.source, r.sentence.id)
                if not self.cited_by[key] or self.cited_by[key][-1] is not e:
                    self.cited_by[key].append(e)
            for p in dict.fromkeys(self.speakers(e)):
                self.asserted[p].append(e)
        for e in project.collection("statements"):
            if e.fact.meeting:
                self.at_meeting[e.fact.meeting].append(e)
        for m in project.collection("meetings"):
            for p in dict.fromkeys(m.fact.participants):
                self.attended[p].append(m)

    # --- names and attribution -------------------------------------------------------
    def name(self, participant_id: str, in_sentence: bool = False) -> str:
        """A participant's name; inside a sentence an organisation takes "the"."""
        f = self.facts[participant_id].fact
        name = getattr(f, "name", participant_id)
        if in_sentence and getattr(f, "kind", "") == "organisation" and not name.lower().startswith("the "):
            return "the " + name
        return name

    def speakers(self, e: FactEntry) -> list[str]:
        a = e.fact.attribution
        return [] if a is None else list(a.by)

    def publishers(self, e: FactEntry) -> list[str]:
        return sorted({self.p.sources[c.source].meta.publisher for c in e.fact.citations})

    def asserted_by(self, e: FactEntry) -> str:
        """Who asserts a fact, as a bare name list (the publisher for narration)."""
        a = e.fact.attribution
        return join_names(self.publishers(e) if a is None else [self.name(p) for p in a.by])

    def attribution(self, e: FactEntry) -> dict[str, Any]:
        """Three kinds of claim that must read differently: said, according to, narration."""
        a = e.fact.attribution
        if a is None:
            return {"kind": Markup("narration"), "label": "Reported by " + join_names(self.publishers(e))}
        names = join_names([self.name(p, in_sentence=True) for p in a.by])
        if a.mode == "according_to":
            return {"kind": Markup("according-to"), "label": "According to " + names}
        return {"kind": Markup("said"), "label": "Said by " + names}

    # --- facts -----------------------------------------------------------------------
    def citation(self, page: str, n: int, r: ResolvedCitation) -> dict[str, Any]:
        src = self.p.sources[r.source]
        quoted = r.sentence.text[r.span[0] - r.sentence.start : r.span[1] - r.sentence.start]
        return {
            "label": str(n),
            "href": Markup(loc.md_link(page, loc.source_page(r.source), r.sentence.id)),
            "title": f"{src.meta.publisher}, sentence {r.sentence.number}: “{quoted}”",
            "source": src.meta.publisher,
            "states": r.states,
        }

    def fact(self, page: str, e: FactEntry) -> dict[str, Any]:
        f = e.fact
        d = f.derived
        canonical = loc.fact_page(e) == page
        return {
            "id": f.id,
            "anchor": Markup(f"fact-{f.id}") if canonical else None,
            "permalink": Markup(loc.md_link(page, loc.fact_page(e), f"fact-{f.id}")),
            "statement": f.statement,
            "attribution": self.attribution(e),
            "derived": None if d is None else f"{d.value}, from {d.from_} ({d.method})",
            "note": f.note,
            "citations": [self.citation(page, i + 1, r) for i, r in enumerate(self.p.resolved[f.id])],
        }

    def values(self, e: FactEntry) -> list[dict[str, str]]:
        """The value each source states; more than one entry when the sources disagree."""
        seen: dict[str, list[str]] = {}
        for c in e.fact.citations:
            seen.setdefault(c.states or e.fact.value, []).append(self.p.sources[c.source].meta.publisher)
        return [{"value": v, "sources": join_names(sorted(set(pubs)))} for v, pubs in seen.items()]

    def facts_of(self, page: str, entries: list[FactEntry]) -> list[dict[str, Any]]:
        return [self.fact(page, e) for e in entries]

    def link(self, page: str, to_page: str, text: str) -> dict[str, Any]:
        return {"text": text, "href": Markup(loc.md_link(page, to_page))}

    # --- collections -----------------------------------------------------------------
    def statements(self) -> list[FactEntry]:
        return self.p.collection("statements")

    def meeting_statements(self, meeting_id: str, aspect: str | None = None) -> list[FactEntry]:
        return [e for e in self.at_meeting.get(meeting_id, []) if aspect is None or e.fact.aspect == aspect]

    def by_speaker(self, page: str, entries: list[FactEntry]) -> list[dict[str, Any]]:
        """Statements grouped by who made them, in order of first appearance."""
        groups: dict[tuple[str, ...], list[FactEntry]] = {}
        for e in entries:
            groups.setdefault(tuple(self.speakers(e)), []).append(e)
        return [
            {
                "speaker": join_names([self.name(p) for p in who]) if who else "Not attributed to a participant",
                "facts": self.facts_of(page, group),
            }
            for who, group in groups.items()
        ]

    def by_meeting(self, page: str, entries: list[FactEntry]) -> list[dict[str, Any]]:
        """Facts grouped by the meeting they belong to, meetings in content order."""
        order = self.meeting_order
        groups: dict[str | None, list[FactEntry]] = {}
        for e in sorted(entries, key=lambda x: order.get(getattr(x.fact, "meeting", None) or "", len(order))):
            groups.setdefault(getattr(e.fact, "meeting", None), []).append(e)
        return [
            {
                "meeting": self.link(page, loc.meeting_page(m), self.facts[m].fact.title) if m else None,
                "facts": self.facts_of(page, group),
            }
            for m, group in groups.items()
        ]

    def meetings_of(self, participant_id: str) -> list[FactEntry]:
        return self.attended.get(participant_id, [])

    def when_where(self, e: FactEntry) -> dict[str, str]:
        """Date and place as the source states them, or say plainly that it does not."""
        datelines = sorted({self.p.sources[c.source].meta.dateline or "" for c in e.fact.citations} - {""})
        note = f" (the report is datelined “{'; '.join(datelines)}”)" if datelines else ""
        return {
            "date": e.fact.date or f"Not stated in the source{note}",
            "place": e.fact.place or f"Not stated in the source{note}",
        }
