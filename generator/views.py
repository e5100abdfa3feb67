"""View models: everything a template prints, computed in Python from a verified Project.

Each page gets a frozen dataclass, so a misspelt field is a static error (mypy) here and
an error at render time in a template (StrictUndefined). Strings from YAML stay plain
`str`: the Jinja environment escapes every value it prints, once, for HTML.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import quote

from .buildinfo import BuildInfo
from .citing import fact_citation
from .locations import Urls
from .model import Figure, Incident, Meeting, Participant, Statement
from .project import Entry, FactEntry, Project, ResolvedCitation
from .registry import (
    BY_KEY,
    COLLECTIONS,
    METHOD,
    Page,
    collection_text,
    entries,
    home_of,
    label,
    site_plan,
    source_page,
    stored_text,
)

_FRAGMENT_SAFE = "!$'()*+./:;=?@_~"


@functools.lru_cache(maxsize=1 << 16)  # a cited sentence is linked from every page that shows its fact
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


def long_date(d: dt.date) -> str:
    """2 May 2023."""
    return f"{d.day} {d:%B %Y}"


def join_names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# --- the pieces every page shows -----------------------------------------------------
@dataclass(frozen=True)
class Link:
    text: str
    href: str
    where: str = ""  # the title of the page it leads to, where a reader needs it (back-links)


@dataclass(frozen=True)
class Reference:
    """One entry of a page's References: a cited sentence, numbered on this page."""

    number: int
    id: str  # the entry's anchor on this page: ref-<n>
    href: str  # the sentence on its source page
    original: str  # the same sentence in the original article (a Text Fragment link)
    source: str  # the publisher
    source_title: str
    sentence_number: int
    quote: str  # the quoted words as the stored text has them
    backlinks: list[Link]  # the facts on this page that cite it


@dataclass(frozen=True)
class Marker:
    """A citation marker beside a fact: [n] with the quote as its preview."""

    number: int
    href: str  # the sentence on its source page
    ref: str  # this page's reference entry
    preview: str
    stance: str | None  # "partly supports" or "disputes"; None when it supports
    source: str


@dataclass(frozen=True)
class Attribution:
    kind: str  # narration | according-to | said | alleges
    label: str  # "Said by Antony Blinken"
    reported: str  # "as reported by The Diplomatic Insight (TDI), 2 May 2023"
    allegation: str | None = None  # what an allegation is, in words, when the fact is one


@dataclass(frozen=True)
class FactView:
    id: str
    anchor: str | None  # fact-<id>: on the fact's own page its permalink; elsewhere where back-links return
    permalink: str
    statement: str
    attribution: Attribution
    derived: str | None
    note: str | None
    markers: list[Marker]
    sources: int  # independent sources that support it (syndicated copies count once)
    as_of: str  # the date of the latest source that states it
    cite: str | None = None  # "cite this fact", on the fact's own page (where its permalink lands)


@dataclass(frozen=True)
class Value:
    """One value of a field, with the markers of the citations that state it."""

    text: str
    markers: list[Marker]
    derived: str | None = None


@dataclass(frozen=True)
class Row:
    """A labelled row of a fact's table: a plain value (kind, counts), links, or the values
    the sources state, each with its citations; `not_stated` names the cited sources that
    do not state it; `disagree` when the sources state different values."""

    label: str
    value: str | None
    links: list[Link] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    not_stated: str | None = None
    disagree: bool = False
    as_of: str | None = None


@dataclass(frozen=True)
class Group:
    """Facts under a heading: plain text, or `prefix` and a link ("At the " + a meeting)."""

    heading: str
    id: str
    link: Link | None
    facts: list[FactView]
    prefix: str = ""


@dataclass(frozen=True)
class Detailed:
    """A fact with the table of its own fields (a figure, an incident, a meeting)."""

    fact: FactView
    rows: list[Row]


# --- pages ---------------------------------------------------------------------------
@dataclass
class PageView:
    path: str
    title: str
    references: list[Reference]


@dataclass
class SectionLink:
    title: str
    href: str
    count: int


@dataclass
class HomeView(PageView):
    introduction: list[str]
    key_figures: list[FactView]
    sections: list[SectionLink]
    sources: list[SourceRow]
    facts: int
    citations: int
    method: str
    data_json: str
    data_csv: str


@dataclass
class SourceRow:
    link: Link
    publisher: str
    published: str


@dataclass
class MeetingsView(PageView):
    intro: str | None
    meetings: list[MeetingRow]


@dataclass
class MeetingRow:
    link: Link
    rows: list[Row]


@dataclass
class MeetingView(PageView):
    meeting: Detailed
    sections: list[Section]


@dataclass
class Section:
    title: str
    id: str
    groups: list[Group]


@dataclass
class ParticipantsView(PageView):
    intro: str | None
    participants: list[MeetingRow]


@dataclass
class ParticipantView(PageView):
    person: Detailed
    meetings: list[Link]
    sections: list[Section]


@dataclass(frozen=True)
class Count:
    """One line for facts that live on another page: a link to it and how many."""

    link: Link
    count: int


@dataclass
class FactsView(PageView):
    """A collection whose items live on its index page: figures, incidents, statements."""

    intro: str | None
    items: list[Detailed]
    groups: list[Group]
    # statements: the meetings whose pages hold the rest, with their counts (bounded page)
    elsewhere: list[Count] = field(default_factory=list)


@dataclass
class Sentence:
    id: str
    number: int
    text: str
    kind: str
    cited: bool
    non_claim: str | None
    original: str
    backlinks: list[Link]


@dataclass
class SourceView(PageView):
    source_id: str
    kind: str  # article | excerpt | social-media-post | ...
    untitled: bool  # the stored copy has no title (the page title says so)
    stored_text: str  # link to the text as stored
    archive_url: str | None
    retrieved: str | None
    copy_of: Link | None
    publisher: str
    url: str
    published: str
    dateline: str | None
    sha256: str
    language: str
    paragraphs: list[list[Sentence]]
    non_claims: list[Sentence]


@dataclass
class SourcesView(PageView):
    sources: list[SourceRow]


@dataclass
class Uncited:
    link: Link
    source: str
    reason: str


@dataclass
class MethodView(PageView):
    counts: list[Row]
    uncited: list[Uncited]
    uncited_per_source: list[SectionLink]


# --- building them ---------------------------------------------------------------------
class References:
    """Numbers the sentences cited on one page, in order of first citation (a sentence
    cited by several facts keeps one number, as a named reference does on Wikipedia)."""

    def __init__(self, views: Views, page: str) -> None:
        self.views, self.page = views, page
        self.numbers: dict[tuple[str, str], int] = {}
        self.entries: list[Reference] = []
        self._backlinks: dict[int, list[Link]] = defaultdict(list)
        self.shown: set[str] = set()  # the facts this page shows (each has its anchor here)

    def marker(self, r: ResolvedCitation, e: FactEntry) -> Marker:
        key = (r.source, r.sentence.id)
        src = self.views.p.sources[r.source]
        n = self.numbers.get(key)
        if n is None:
            n = self.numbers[key] = len(self.numbers) + 1
            self.entries.append(
                Reference(
                    n,
                    f"ref-{n}",
                    self.views.urls.sentence(self.page, r.source, r.sentence.id),
                    text_fragment(src.meta.url, r.sentence.text),
                    src.meta.publisher,
                    src.meta.display_title,
                    r.sentence.number,
                    r.sentence.text,
                    self._backlinks[n],
                )
            )
        # back to the fact on this page, where it is shown (the reader came from there)
        local = e.fact.id in self.shown or home_of(e) == self.page
        here = f"#fact-{e.fact.id}" if local else self.views.urls.fact(self.page, e)
        if all(b.href != here for b in self._backlinks[n]):
            where = self.views.titles.get(self.page if local else home_of(e), "")
            self._backlinks[n].append(Link(e.fact.statement, here, where))
        preview = f"{src.meta.publisher}, sentence {r.sentence.number}: “{r.quoted}”"
        return Marker(
            n,
            self.views.urls.sentence(self.page, r.source, r.sentence.id),
            f"#ref-{n}",
            preview,
            {"supports": None, "partly": "partly supports", "disputes": "disputes"}[r.stance],
            src.meta.publisher,
        )


class Views:
    """Builds the values templates print, for one verified project."""

    def __init__(self, project: Project, urls: Urls, build: BuildInfo | None = None) -> None:
        self.p = project
        self.urls = urls
        self.build = build
        self.facts = project.by_id()
        self.cited_by: dict[tuple[str, str], list[FactEntry]] = defaultdict(list)
        self.asserted: dict[str, list[FactEntry]] = defaultdict(list)  # participant id -> facts it asserts
        self.at_meeting: dict[str, list[Entry[Statement]]] = defaultdict(list)
        self.attended: dict[str, list[Entry[Meeting]]] = defaultdict(list)
        self.meeting_order = {m.fact.id: i for i, m in enumerate(project.meetings)}
        self.titles = {p.path: p.title for p in site_plan(project)}  # page -> its title (where a link leads)
        for e in project.facts:
            for r in project.resolved.get(e.fact.id, []):
                key = (r.source, r.sentence.id)
                if not self.cited_by[key] or self.cited_by[key][-1] is not e:
                    self.cited_by[key].append(e)
            for p in dict.fromkeys(self.speakers(e)):
                self.asserted[p].append(e)
        for s in project.statements:
            if s.fact.meeting:
                self.at_meeting[s.fact.meeting].append(s)
        for m in project.meetings:
            for p in dict.fromkeys(m.fact.participants):
                self.attended[p].append(m)

    # --- names and attribution -----------------------------------------------------------
    def name(self, participant_id: str, in_sentence: bool = False) -> str:
        """A participant's name; inside a sentence an organisation takes "the"."""
        p = self.p.participant(participant_id)
        if p is None:
            return participant_id
        if in_sentence and p.kind == "organisation" and not p.name.lower().startswith("the "):
            return "the " + p.name
        return p.name

    def speakers(self, e: FactEntry) -> list[str]:
        a = e.fact.attribution
        return [] if a is None else list(a.by)

    def publishers(self, e: FactEntry) -> list[str]:
        return sorted({self.p.sources[c.source].meta.publisher for c in e.fact.citations})

    def reporting(self, e: FactEntry) -> str:
        """Who reported it and when: "The Diplomatic Insight (TDI), 2 May 2023", and for a
        source that reports a party's own words, "News.am, 3 May 2023, quoting Antony Blinken"."""
        parts: dict[str, None] = {}
        for c in e.fact.citations:
            m = self.p.sources[c.source].meta
            quoting = f", quoting {self.name(c.quoting)}" if c.quoting else ""
            parts[f"{m.publisher}, {long_date(m.published)}{quoting}"] = None
        return "; ".join(parts)

    def attribution(self, e: FactEntry) -> Attribution:
        """Kinds of claim that must read differently: said, according to, alleged, narration;
        and the chain: who asserts it, as reported by whom, when."""
        a = e.fact.attribution
        reported = self.reporting(e)
        if a is None:  # the outlets' own words: the badge names them, the chain says when
            return Attribution(
                "narration", "Reported by " + join_names(self.publishers(e)), "as published: " + reported
            )
        names = join_names([self.name(p, in_sentence=True) for p in a.by])
        if a.mode == "according_to":
            return Attribution("according-to", "According to " + names, "as reported by " + reported)
        if a.mode == "alleges":
            what = (
                f"An allegation by {names} against {a.against}: the sources report it as {names}’s claim, "
                "not as an established fact."
            )
            return Attribution("alleges", f"Alleged by {names} against {a.against}", "as reported by " + reported, what)
        return Attribution("said", "Said by " + names, "as reported by " + reported)

    def independent(self, e: FactEntry) -> int:
        """How many sources support the fact, a syndicated copy counting as its original."""
        roots = set()
        for c in e.fact.citations:
            if c.stance == "disputes":
                continue
            meta = self.p.sources[c.source].meta
            roots.add(meta.copy_of or c.source)
        return len(roots)

    def as_of(self, e: FactEntry) -> str:
        return long_date(max(self.p.sources[c.source].meta.published for c in e.fact.citations))

    # --- facts -------------------------------------------------------------------------------
    def fact(self, refs: References, e: FactEntry) -> FactView:
        f = e.fact
        d = f.derived
        page = refs.page
        refs.shown.add(f.id)
        return FactView(
            f.id,
            f"fact-{f.id}",
            self.urls.fact(page, e),
            f.statement,
            self.attribution(e),
            None if d is None else f"{d.value}, from {d.from_} ({d.method})",
            f.note,
            [refs.marker(r, e) for r in self.p.resolved[f.id]],
            self.independent(e),
            self.as_of(e),
            self.cite(e) if home_of(e) == page else None,
        )

    def cite(self, e: FactEntry) -> str:
        url = self.urls.public(home_of(e), f"fact-{e.fact.id}") if self.urls.site_url else None
        return fact_citation(self.p.config, self.build, e.fact.statement, e.fact.id, self.reporting(e), url)

    def facts_of(self, refs: References, entries: list[FactEntry]) -> list[FactView]:
        return [self.fact(refs, e) for e in entries]

    def link(self, page: str, to_page: str, text: str) -> Link:
        return Link(text, self.urls.link(page, to_page))

    def item_link(self, page: str, collection: str, fact_id: str) -> Link:
        e = self.facts[fact_id]
        return Link(label(e.fact), self.urls.link(page, BY_KEY[collection].item_page(fact_id)))

    def field_row(self, refs: References, e: FactEntry, label: str, name: str, as_of: bool = False) -> Row:
        """A field as the sources state it: each value with its citations, the cited sources
        that do not state it, and whether the sources disagree."""
        values = self.p.values.get(e.fact.id, {}).get(name, [])
        shown = []
        groups: dict[str, list[ResolvedCitation]] = {}
        derived: dict[str, str | None] = {}
        for v in values:
            key = " ".join(v.value.split()).casefold()
            groups.setdefault(key, []).extend(v.citations)
            derived.setdefault(key, v.derived)
        texts = {" ".join(v.value.split()).casefold(): v.value for v in reversed(values)}
        stating: set[str] = set()
        for key, cits in groups.items():
            unique = list(dict.fromkeys(cits))
            stating |= {c.source for c in unique}
            shown.append(Value(texts[key], [refs.marker(c, e) for c in unique], derived[key]))
        silent = [
            self.p.sources[s].meta.publisher
            for s in dict.fromkeys(c.source for c in e.fact.citations)
            if s not in stating
        ]
        not_stated = None
        if not shown:
            not_stated = self.not_stated(e)
        elif silent:
            not_stated = "not stated by " + join_names(sorted(set(silent)))
        return Row(
            label,
            None,
            values=shown,
            not_stated=not_stated,
            disagree=len(shown) > 1,
            as_of=self.as_of(e) if as_of and shown else None,
        )

    def by_speaker(self, refs: References, entries: list[FactEntry]) -> list[Group]:
        """Statements grouped by who made them, in order of first appearance."""
        groups: dict[tuple[str, ...], list[FactEntry]] = {}
        for e in entries:
            groups.setdefault(tuple(self.speakers(e)), []).append(e)
        out = []
        for who, group in groups.items():
            heading = join_names([self.name(p) for p in who]) if who else "Not attributed to a participant"
            link = self.item_link(refs.page, "participants", who[0]) if len(who) == 1 else None
            # ids never contain "_": joined with it, no two groups (or a group and a fact) share an id
            out.append(
                Group(heading, "h-by-" + "_".join(who) if who else "h-narration", link, self.facts_of(refs, group))
            )
        return out

    def by_meeting(self, refs: References, entries: list[FactEntry]) -> list[Group]:
        """Facts grouped by the meeting they belong to, meetings in content order."""
        order = self.meeting_order

        def meeting_of(e: FactEntry) -> str | None:
            return e.fact.meeting if isinstance(e.fact, Statement) else None

        groups: dict[str | None, list[FactEntry]] = {}
        for e in sorted(entries, key=lambda x: order.get(meeting_of(x) or "", len(order))):
            groups.setdefault(meeting_of(e), []).append(e)
        out = []
        for m, group in groups.items():
            link = self.item_link(refs.page, "meetings", m) if m else None
            heading = f"At the {link.text}" if link else "Not tied to a meeting"
            out.append(
                Group(heading, f"h-at-{m}" if m else "h-no-meeting", link, self.facts_of(refs, group), "At the ")
            )
        return out

    def not_stated(self, e: FactEntry) -> str:
        return "Not stated in the source" + ("s" if len({c.source for c in e.fact.citations}) > 1 else "")

    def meeting_rows(self, refs: References, e: Entry[Meeting]) -> list[Row]:
        f = e.fact
        page = refs.page
        # a date or place the source leaves out is "not stated": a dateline says where the
        # report was filed, not where the meeting was, and is never offered as a place
        return [
            self.field_row(refs, e, "Date", "date"),
            self.field_row(refs, e, "Place", "place"),
            Row("Participants", None, [self.item_link(page, "participants", p) for p in f.participants]),
        ]

    def participant_rows(self, refs: References, e: Entry[Participant]) -> list[Row]:
        f = e.fact
        return [
            Row("Kind", f.kind),
            self.field_row(refs, e, "Post", "post", as_of=True),
            self.field_row(refs, e, "Country", "country"),
        ]

    # --- pages -----------------------------------------------------------------------------
    def home(self, page: Page) -> HomeView:
        refs = References(self, page.path)
        cfg = self.p.config
        key = [self.facts[i] for i in cfg.key_figures]
        sections = []
        for c in COLLECTIONS:
            n = len(entries(self.p, c))
            if n:
                sections.append(SectionLink(collection_text(self.p, c)[0], self.urls.link(page.path, c.index), n))
        return HomeView(
            page.path,
            cfg.title,
            refs.entries,
            list(cfg.introduction),
            self.facts_of(refs, key),
            sections,
            self.source_rows(page.path),
            len(self.p.facts),
            sum(len(e.fact.citations) for e in self.p.facts),
            self.urls.link(page.path, METHOD),
            self.urls.link(page.path, "data/facts.json"),
            self.urls.link(page.path, "data/facts.csv"),
        )

    def source_rows(self, page: str) -> list[SourceRow]:
        return [
            SourceRow(
                self.link(page, source_page(s.id), s.meta.display_title), s.meta.publisher, s.meta.published.isoformat()
            )
            for s in self.p.sources.values()
        ]

    def index(self, page: Page) -> PageView:
        assert page.collection is not None
        c = BY_KEY[page.collection]
        title, intro = collection_text(self.p, c)
        refs = References(self, page.path)
        p = page.path
        if c.key == "meetings":
            rows = [
                MeetingRow(self.item_link(p, "meetings", e.fact.id), self.meeting_rows(refs, e))
                for e in self.p.meetings
            ]
            return MeetingsView(p, title, refs.entries, intro, rows)
        if c.key == "participants":
            rows = [
                MeetingRow(self.item_link(p, "participants", e.fact.id), self.participant_rows(refs, e))
                for e in self.p.participants
            ]
            return ParticipantsView(p, title, refs.entries, intro, rows)
        if c.key == "figures":
            items = [Detailed(self.fact(refs, e), self.figure_rows(refs, e)) for e in self.p.figures]
            return FactsView(p, title, refs.entries, intro, items, [])
        if c.key == "incidents":
            items = [Detailed(self.fact(refs, e), self.incident_rows(refs, e)) for e in self.p.incidents]
            return FactsView(p, title, refs.entries, intro, items, [])
        # the statements whose home this page is (no meeting) in full; those of a meeting
        # live on its page: one line each, so the page does not grow with the whole site
        own: list[FactEntry] = [e for e in self.p.statements if not e.fact.meeting]
        elsewhere = [
            Count(self.item_link(p, "meetings", m.fact.id), len(self.at_meeting[m.fact.id]))
            for m in self.p.meetings
            if self.at_meeting.get(m.fact.id)
        ]
        return FactsView(p, title, refs.entries, intro, [], self.by_meeting(refs, own), elsewhere)

    def figure_rows(self, refs: References, e: Entry[Figure]) -> list[Row]:
        f = e.fact
        reporter = (
            join_names(self.publishers(e))
            if f.attribution is None
            else join_names([self.name(p) for p in f.attribution.by])
        )
        return [
            self.field_row(refs, e, "Value", "value"),
            self.field_row(refs, e, "Unit", "measure"),
            self.field_row(refs, e, "Period", "period"),
            self.field_row(refs, e, "Place", "place"),
            Row("Reported by", reporter),
        ]

    def incident_rows(self, refs: References, e: Entry[Incident]) -> list[Row]:
        return [
            self.field_row(refs, e, "When", "when"),
            self.field_row(refs, e, "Place", "place"),
            self.field_row(refs, e, "Outcome", "outcome"),
        ]

    def item(self, page: Page) -> PageView:
        assert page.subject is not None and page.collection is not None
        refs = References(self, page.path)
        e = self.facts[page.subject]
        if isinstance(e.fact, Meeting):
            m = e.fact
            meeting = Detailed(self.fact(refs, e), self.meeting_rows(refs, e))  # type: ignore[arg-type]
            said = [x for x in self.at_meeting.get(m.id, []) if x.fact.aspect == "statement"]
            sections = []
            for aspect, title in (
                ("topic", "Topics"),
                ("statement", "Statements"),
                ("outcome", "Outcomes"),
                ("background", "Background"),
            ):
                items: list[FactEntry] = [x for x in self.at_meeting.get(m.id, []) if x.fact.aspect == aspect]
                if not items:
                    continue
                if aspect == "statement":
                    groups = self.by_speaker(refs, list(said))
                else:
                    groups = [Group("", "", None, self.facts_of(refs, items))]
                sections.append(Section(title, f"h-{aspect}s" if aspect != "background" else "h-background", groups))
            return MeetingView(page.path, m.title, refs.entries, meeting, sections)
        assert isinstance(e.fact, Participant)
        person = Detailed(self.fact(refs, e), self.participant_rows(refs, e))  # type: ignore[arg-type]
        own = [x for x in self.asserted.get(e.fact.id, []) if x is not e]
        said_by = [x for x in own if x.fact.attribution is not None and x.fact.attribution.mode == "said"]
        reported = [x for x in own if x.fact.attribution is not None and x.fact.attribution.mode != "said"]
        sections = []
        if said_by:
            sections.append(Section("Statements", "h-statements", self.by_meeting(refs, said_by)))
        if reported:
            title = f"Figures and claims reported by {e.fact.name}"
            sections.append(Section(title, "h-reported", [Group("", "", None, self.facts_of(refs, reported))]))
        meetings = [self.item_link(page.path, "meetings", m.fact.id) for m in self.attended.get(e.fact.id, [])]
        return ParticipantView(page.path, e.fact.name, refs.entries, person, meetings, sections)

    def sources(self, page: Page) -> SourcesView:
        return SourcesView(page.path, "Sources", [], self.source_rows(page.path))

    def source(self, page: Page) -> SourceView:
        assert page.subject is not None
        s = self.p.sources[page.subject]
        paragraphs = []
        for para in s.text.paragraphs:
            sents = []
            for x in para:
                citing = self.cited_by.get((s.id, x.id), [])
                sents.append(
                    Sentence(
                        x.id,
                        x.number,
                        x.text,
                        x.kind,
                        bool(citing),
                        self.p.non_claims.get(x.id),
                        text_fragment(s.meta.url, x.text),
                        [
                            Link(e.fact.statement, self.urls.fact(page.path, e), self.titles.get(home_of(e), ""))
                            for e in citing
                        ],
                    )
                )
            paragraphs.append(sents)
        return SourceView(
            page.path,
            s.meta.display_title,
            [],
            s.id,
            s.meta.kind,
            s.meta.title is None,
            self.urls.link(page.path, stored_text(s.id)),
            s.meta.archive_url,
            None if s.meta.retrieved is None else long_date(s.meta.retrieved),
            None
            if s.meta.copy_of is None or s.meta.copy_of not in self.p.sources
            else self.link(page.path, source_page(s.meta.copy_of), self.p.sources[s.meta.copy_of].meta.display_title),
            s.meta.publisher,
            s.meta.url,
            s.meta.published.isoformat(),
            s.meta.dateline,
            s.text.sha256,
            s.meta.language,
            paragraphs,
            [x for para in paragraphs for x in para if x.non_claim],
        )

    def method(self, page: Page, stats: dict[str, object], uncited: list[dict[str, object]]) -> MethodView:
        counts = [
            Row("Facts", str(stats["facts"])),
            Row("Citations", str(stats["citations"])),
            Row("Sources", str(stats["sources"])),
            Row("Sentences", str(stats["sentences"])),
            Row("Sentences that make a claim", str(stats["claim_sentences"])),
            Row("Sentences cited by a fact", str(stats["cited_sentences"])),
            Row("Share of claim sentences cited", f"{float(str(stats['share_of_claim_sentences_cited'])):.0%}"),
        ]
        listed: list[Uncited] = []
        per_source: list[SectionLink] = []
        if len(uncited) <= MAX_LISTED_UNCITED:
            for u in uncited:
                href = self.urls.sentence(page.path, str(u["source"]), str(u["sentence"]))
                listed.append(Uncited(Link(f"Sentence {u['number']}", href), str(u["source"]), str(u["reason"])))
        else:
            n: dict[str, int] = defaultdict(int)
            for u in uncited:
                n[str(u["source"])] += 1
            per_source = [SectionLink(sid, self.urls.link(page.path, source_page(sid)), k) for sid, k in n.items()]
        return MethodView(page.path, "Method", [], counts, listed, per_source)


MAX_LISTED_UNCITED = 200  # beyond this the method page counts them per source
