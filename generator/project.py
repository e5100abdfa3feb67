"""The types every stage shares: a Project and what it holds, fully typed.

Load and validate fill a Project, resolve completes it (`resolved`), render reads it.
Each collection has its own typed list, so code that needs a meeting's participants or
a figure's value reads a `Meeting` or a `Figure`, never probes a fact for attributes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar, cast

from .diagnostics import Report
from .load import YamlDoc
from .model import Citation, Fact, Figure, Incident, Meeting, Participant, SiteConfig, SourceMeta, Statement
from .sources import Sentence, SourceText

F = TypeVar("F", bound=Fact, covariant=True)


@dataclass(frozen=True)
class Entry(Generic[F]):
    """A validated fact and where it came from."""

    fact: F
    collection: str
    doc: YamlDoc
    path: tuple[str | int, ...]
    by_list: bool = False  # attribution.by was written as a list (where its errors point)
    plain: frozenset[str] = frozenset()  # the keys whose values were written as plain strings

    @property
    def file(self) -> str:
        return self.doc.file

    def pos(self, *rest: str | int, key: bool = False) -> tuple[int, int]:
        return self.doc.pos((*self.path, *rest), key=key)


FactEntry = Entry[Fact]


@dataclass
class StrayCitation:
    """A well-formed citation of a fact that failed validation: its quote is still checked,
    so a typo elsewhere in the fact hides no misquote."""

    citation: Citation
    doc: YamlDoc
    path: tuple[str | int, ...]


@dataclass
class Source:
    id: str
    meta: SourceMeta
    doc: YamlDoc
    text: SourceText


@dataclass(frozen=True)
class ResolvedCitation:
    source: str
    quote: str
    sentence: Sentence
    span: tuple[int, int]  # offsets of the quote in the stored text
    stance: str = "supports"  # supports | partly | disputes
    quoting: str | None = None  # the participant whose words the source reports here

    @property
    def quoted(self) -> str:
        """The quote as the stored text has it (typographic quotes, exact spaces)."""
        return self.sentence.text[self.span[0] - self.sentence.start : self.span[1] - self.sentence.start]


@dataclass(frozen=True)
class Value:
    """One verified value of a field: what it is, and the citations that state it."""

    value: str
    citations: tuple[ResolvedCitation, ...]
    derived: str | None = None  # "from X (method)", when the value is derived

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.source for c in self.citations))


@dataclass
class Site:
    """The fact sheet's configuration (content/site.yaml) and where it was read from."""

    config: SiteConfig
    doc: YamlDoc


@dataclass
class Project:
    """Everything the later stages need; built by load and validate, completed by resolve."""

    root: Path = field(default_factory=Path)
    site: Site | None = None
    sources: dict[str, Source] = field(default_factory=dict)
    facts: list[FactEntry] = field(default_factory=list)  # every collection, in file order
    participants: list[Entry[Participant]] = field(default_factory=list)
    meetings: list[Entry[Meeting]] = field(default_factory=list)
    figures: list[Entry[Figure]] = field(default_factory=list)
    incidents: list[Entry[Incident]] = field(default_factory=list)
    statements: list[Entry[Statement]] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    resolved: dict[str, list[ResolvedCitation]] = field(default_factory=dict)  # fact id -> its citations
    values: dict[str, dict[str, list[Value]]] = field(default_factory=dict)  # fact id -> field -> values
    non_claims: dict[str, str] = field(default_factory=dict)  # sentence id -> why it is not a fact
    invalid_ids: set[str] = field(default_factory=set)  # ids of facts that failed validation
    failed_sources: set[str] = field(default_factory=set)  # sources whose metadata or text did not load
    stray_citations: list[StrayCitation] = field(default_factory=list)  # citations of those facts
    _by_id: dict[str, FactEntry] = field(default_factory=dict, repr=False)

    def add(self, e: FactEntry) -> None:
        """A validated fact, filed in `facts` and in its collection's typed list."""
        self.facts.append(e)
        self._by_id.setdefault(e.fact.id, e)
        f = e.fact
        if isinstance(f, Participant):
            self.participants.append(cast(Entry[Participant], e))
        elif isinstance(f, Meeting):
            self.meetings.append(cast(Entry[Meeting], e))
        elif isinstance(f, Figure):
            self.figures.append(cast(Entry[Figure], e))
        elif isinstance(f, Incident):
            self.incidents.append(cast(Entry[Incident], e))
        elif isinstance(f, Statement):
            self.statements.append(cast(Entry[Statement], e))

    def by_id(self) -> dict[str, FactEntry]:
        """Facts by id (the first one of an id that is, wrongly, used twice)."""
        return self._by_id

    @property
    def config(self) -> SiteConfig:
        """The site configuration; only asked for once the check has passed."""
        if self.site is None:
            raise RuntimeError("the project has no valid content/site.yaml")
        return self.site.config

    def participant(self, pid: str) -> Participant | None:
        f = self._by_id.get(pid)
        return f.fact if f is not None and isinstance(f.fact, Participant) else None
