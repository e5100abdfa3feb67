"""The one place that declares each collection and the pages of a fact sheet.

A collection is a list of facts of one model under a key of the fact files. The registry
says, per collection: its model, its index page and (optionally) one page per item with
their templates, which of its fields refer to other facts, and where each item's
permalink lives. The site plan, rendering, edit links, preview pages, navigation and
the data exports all derive from `COLLECTIONS` and `site_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Fact, Figure, Incident, Meeting, Participant, Statement
from .project import FactEntry, Project


@dataclass(frozen=True)
class Collection:
    key: str  # the key in fact files (and in site.yaml's `collections`)
    model: type[Fact]
    title: str  # default title of the index page
    singular: str  # "meeting", for messages
    index: str  # the index page's source path
    index_template: str
    item: str | None = None  # an item's own page, with {id}; None: items live on the index
    item_template: str | None = None
    # Fields whose values are ids of facts of another collection: (field, collection).
    refs: tuple[tuple[str, str], ...] = ()

    def item_page(self, fact_id: str) -> str:
        if self.item is None:
            raise ValueError(f"{self.key} have no pages of their own")
        return self.item.format(id=fact_id)


COLLECTIONS: tuple[Collection, ...] = (
    Collection(
        "meetings",
        Meeting,
        "Meetings",
        "meeting",
        "meetings/index.md",
        "meetings.html.j2",
        "meetings/{id}.md",
        "meeting.html.j2",
        refs=(("participants", "participants"),),
    ),
    Collection(
        "participants",
        Participant,
        "Participants",
        "participant",
        "participants/index.md",
        "participants.html.j2",
        "participants/{id}.md",
        "participant.html.j2",
    ),
    Collection("figures", Figure, "Figures", "figure", "figures/index.md", "figures.html.j2"),
    Collection("incidents", Incident, "Incidents", "incident", "incidents/index.md", "incidents.html.j2"),
    Collection(
        "statements",
        Statement,
        "Statements",
        "statement",
        "statements/index.md",
        "statements.html.j2",
        refs=(("meeting", "meetings"),),
    ),
)
BY_KEY: dict[str, Collection] = {c.key: c for c in COLLECTIONS}
ATTRIBUTION_REFERS_TO = "participants"  # attribution.by names facts of this collection

HOME = "index.md"
SOURCES = "sources/index.md"
METHOD = "method.md"
FACTS_JSON = "data/facts.json"
FACTS_CSV = "data/facts.csv"
DATA_PAGE = "data/index.md"  # the data's documentation, beside the files it documents
CHANGES_PAGE = "changes.md"
TEMPLATE_OF = {
    "home": "index.html.j2",
    "sources": "sources.html.j2",
    "source": "source.html.j2",
    "method": "method.html.j2",
    "data": "data.html.j2",
    "changes": "changes.html.j2",
}


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


def stored_text(source_id: str) -> str:
    """The source's text as stored, published beside its page so a reader can check its sha256."""
    return f"sources/{source_id}.txt"


def home_of(e: FactEntry) -> str:
    """The one page that carries the fact's permalink anchor `#fact-<id>`: its own page,
    the page of the meeting a statement belongs to, or its collection's index."""
    f = e.fact
    if isinstance(f, Statement) and f.meeting:
        return BY_KEY["meetings"].item_page(f.meeting)
    c = BY_KEY[e.collection]
    return c.item_page(f.id) if c.item else c.index


@dataclass(frozen=True)
class Page:
    """One generated page: where it lives, what renders it, and what "Edit" opens."""

    path: str  # the page's source path, as MkDocs knows it ("meetings/x.md")
    kind: str  # home | index | item | sources | source | method | data | changes
    template: str
    title: str
    collection: str | None = None
    subject: str | None = None  # the item's fact id, or the source id
    edit: str | None = None  # repository path of the file an editor changes


def label(f: Fact) -> str:
    """What a fact is called in links and titles: a meeting's title, a participant's name."""
    if isinstance(f, Meeting):
        return f.title
    if isinstance(f, Participant):
        return f.name
    return f.statement


def collection_text(project: Project, c: Collection) -> tuple[str, str | None]:
    """The index page's title and introduction: the fact sheet's own, else the default."""
    text = {str(k): v for k, v in project.config.collections.items()}.get(c.key)
    title = text.title if text is not None and text.title else c.title
    return title, text.intro if text is not None else None


def entries(project: Project, c: Collection) -> list[FactEntry]:
    """The facts of one collection, in file order."""
    lists: dict[str, list[FactEntry]] = {
        "meetings": list(project.meetings),
        "participants": list(project.participants),
        "figures": list(project.figures),
        "incidents": list(project.incidents),
        "statements": list(project.statements),
    }
    return lists[c.key]


def site_plan(project: Project) -> list[Page]:
    """Every page of the site, in the order they are rendered. A collection without facts
    has no page; the navigation lists the home page, the index pages, Sources and Method."""
    site_file = project.site.doc.file if project.site else None
    pages = [Page(HOME, "home", TEMPLATE_OF["home"], project.config.title, edit=site_file)]
    for c in COLLECTIONS:
        items = entries(project, c)
        if not items:
            continue
        title, _ = collection_text(project, c)
        pages.append(Page(c.index, "index", c.index_template, title, c.key, edit=items[0].file))
        if c.item and c.item_template:
            for e in items:
                page = Page(c.item_page(e.fact.id), "item", c.item_template, label(e.fact), c.key, e.fact.id, e.file)
                pages.append(page)
    first_source = next(iter(project.sources.values()), None)
    pages.append(
        Page(
            SOURCES, "sources", TEMPLATE_OF["sources"], "Sources", edit=first_source.doc.file if first_source else None
        )
    )
    for s in project.sources.values():
        pages.append(
            Page(
                source_page(s.id), "source", TEMPLATE_OF["source"], s.meta.display_title, subject=s.id, edit=s.doc.file
            )
        )
    pages.append(Page(METHOD, "method", TEMPLATE_OF["method"], "Method", edit="templates/pages/method.html.j2"))
    pages.append(Page(CHANGES_PAGE, "changes", TEMPLATE_OF["changes"], "What changed"))
    pages.append(Page(DATA_PAGE, "data", TEMPLATE_OF["data"], "Data", edit=site_file))
    return pages


def nav(plan: list[Page]) -> list[dict[str, str]]:
    """The navigation: bounded whatever the number of items (no per-item entries)."""
    return [
        {p.title if p.kind != "home" else "Home": p.path}
        for p in plan
        if p.kind in ("home", "index", "sources", "method", "changes", "data")
    ]
