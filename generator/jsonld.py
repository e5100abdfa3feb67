"""schema.org JSON-LD for each page: a Claim per fact whose home is the page, an Event per
meeting, a Person or Organization per participant, the Dataset on the home and Data
pages. No ClaimReview: a fact sheet gives no verdicts. A page with nothing to describe
gets no block.

One node per `@id` on a page; every other mention is a reference (`{"@id": ...}`), and
every thing has its own id: a meeting's Event (#event-<id>) is not the Claim about it
(#fact-<id>). A quote is a `Quotation` (its `text`) that `isPartOf` the source article,
and is the Claim's `appearance`. Ids are absolute under mkdocs.yml's `site_url`, else
relative to the page (a JSON-LD processor resolves them against its address). Nothing
empty is written: no null, "", [] or {}."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from .buildinfo import BuildInfo
from .locations import Urls
from .model import Meeting, Participant
from .project import Entry, FactEntry, Project
from .registry import BY_KEY, DATA_PAGE, FACTS_CSV, FACTS_JSON, HOME, Page, home_of, source_page
from .views import text_fragment

_SOURCE_TYPE = {"article": "NewsArticle", "social-media-post": "SocialMediaPosting", "press-release": "Article"}


class _Graph:
    """The nodes of one page, one per @id."""

    def __init__(self, project: Project, urls: Urls, page: str) -> None:
        self.p, self.urls, self.page = project, urls, page
        self.nodes: dict[str, dict[str, Any]] = {}

    def id(self, to: str, anchor: str) -> str:
        if self.urls.site_url:
            return self.urls.public(to, anchor)
        return self.urls.link(self.page, to, anchor)

    def url(self, to: str) -> str:
        return self.urls.public(to) if self.urls.site_url else self.urls.link(self.page, to)

    def add(self, node: dict[str, Any]) -> dict[str, str]:
        """Keep the node (the first one of its id) and return a reference to it."""
        self.nodes.setdefault(node["@id"], node)
        return {"@id": node["@id"]}

    def agent(self, pid: str) -> dict[str, str]:
        p = self.p.participant(pid)
        person = p is None or p.kind == "person"
        page = BY_KEY["participants"].item_page(pid)
        node: dict[str, Any] = {
            "@type": "Person" if person else "Organization",
            "@id": self.id(page, "entity"),
            "name": p.name if p else pid,
            "url": self.url(page),
        }
        posts = [v.value for v in self.p.values.get(pid, {}).get("post", [])]
        if p is not None and person and posts:
            node["jobTitle"] = posts[0] if len(posts) == 1 else posts  # every post a source states
        return self.add(node)

    def publisher(self, source_id: str) -> dict[str, str]:
        m = self.p.sources[source_id].meta
        return self.add(
            {"@type": "Organization", "@id": self.id(source_page(source_id), "publisher"), "name": m.publisher}
        )

    def source(self, source_id: str) -> dict[str, str]:
        m = self.p.sources[source_id].meta
        return self.add(
            {
                "@type": _SOURCE_TYPE.get(m.kind, "CreativeWork"),
                "@id": self.id(source_page(source_id), "source"),
                "headline": m.title,
                "url": m.url,
                "archivedAt": m.archive_url,
                "datePublished": m.published.isoformat(),
                "inLanguage": m.language,
                "publisher": self.publisher(source_id),
                "isBasedOn": self.source(m.copy_of) if m.copy_of and m.copy_of in self.p.sources else None,
            }
        )

    def event(self, m: Meeting) -> dict[str, str]:
        places = list(dict.fromkeys(v.value for v in self.p.values.get(m.id, {}).get("place", [])))
        page = BY_KEY["meetings"].item_page(m.id)
        return self.add(
            {
                "@type": "Event",
                "@id": self.id(page, f"event-{m.id}"),
                "name": m.title,
                "description": m.statement,
                "url": self.url(page),
                "attendee": [self.agent(p) for p in m.participants],
                # each place a source states; when they disagree, all of them
                "location": places[0] if len(places) == 1 else places,
            }
        )

    def claim(self, e: FactEntry) -> dict[str, str]:
        f = e.fact
        claim_id = self.id(home_of(e), f"fact-{f.id}")
        if f.attribution is None:
            authors = [self.publisher(c.source) for c in f.citations]
        else:
            authors = [self.agent(p) for p in f.attribution.by]
        quotes = []
        for n, r in enumerate(self.p.resolved.get(f.id, []), 1):
            quotes.append(
                self.add(
                    {
                        "@type": "Quotation",
                        "@id": f"{claim_id}-quote-{n}",
                        "text": r.quote,
                        "url": text_fragment(self.p.sources[r.source].meta.url, r.sentence.text),
                        "isPartOf": self.source(r.source),
                    }
                )
            )
        node: dict[str, Any] = {
            "@type": "Claim",
            "@id": claim_id,
            "text": f.statement,
            "url": self.url(home_of(e)) + f"#fact-{f.id}",
            "author": list(dict.fromkeys(a["@id"] for a in authors)),
            "appearance": quotes,
        }
        node["author"] = [{"@id": i} for i in node["author"]]
        if f.attribution is not None and f.attribution.mode == "alleges":
            node["disambiguatingDescription"] = (
                f"An allegation against {f.attribution.against}, reported as the claim of its author"
            )
        return self.add(node)

    def dataset(self, build: BuildInfo | None) -> dict[str, str]:
        cfg = self.p.config
        publisher = self.add(
            {
                "@type": "Organization",
                "@id": self.id(HOME, "publisher"),
                "name": cfg.publisher.name,
                "url": cfg.publisher.url,
            }
        )
        return self.add(
            {
                "@type": "Dataset",
                "@id": self.id(HOME, "dataset"),
                "name": cfg.title,
                "description": cfg.description,
                "url": self.url(HOME),
                "license": cfg.licence.url or cfg.licence.name,
                "publisher": publisher,
                "creator": publisher,
                "isAccessibleForFree": True,
                "inLanguage": cfg.language,
                "version": build.commit if build else None,
                "dateModified": build.date[:10] if build and build.date else None,
                "distribution": [
                    self.add(
                        {
                            "@type": "DataDownload",
                            "@id": self.id(DATA_PAGE, f"download-{fmt}"),
                            "name": path.rsplit("/", 1)[-1],
                            "contentUrl": self.url(path),
                            "encodingFormat": mime,
                        }
                    )
                    for path, fmt, mime in ((FACTS_JSON, "json", "application/json"), (FACTS_CSV, "csv", "text/csv"))
                ],
            }
        )


def _prune(value: Any) -> Any:
    """The value without nulls, empty strings, lists and objects, at any depth."""
    if isinstance(value, dict):
        out = {k: _prune(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [v for v in (_prune(x) for x in value) if v not in (None, "", [], {})]
    return value


def nodes(
    project: Project,
    urls: Urls,
    page: Page,
    homed: list[FactEntry],
    build: BuildInfo | None,
    attended: Mapping[str, Sequence[Entry[Meeting]]],
) -> list[dict[str, Any]]:
    """The nodes of one page: what it is about, and the claims whose home it is (`homed`).
    `attended`: each participant's meetings in file order (views.Views.attended)."""
    g = _Graph(project, urls, page.path)
    subject = project.by_id().get(page.subject) if page.kind == "item" and page.subject else None
    if page.kind in ("home", "data"):
        g.dataset(build)
    if subject is not None and isinstance(subject.fact, Meeting):
        g.event(subject.fact)
    elif subject is not None and isinstance(subject.fact, Participant):
        ref = g.agent(subject.fact.id)
        meetings = [m.fact for m in attended.get(subject.fact.id, ())]
        if meetings:
            g.nodes[ref["@id"]]["performerIn"] = [g.event(m) for m in meetings]
    for e in homed:
        g.claim(e)
    return [_prune(n) for n in g.nodes.values()]


def script(nodes: list[dict[str, Any]]) -> Markup:
    """A <script type="application/ld+json"> block that no string can break out of."""
    if not nodes:
        return Markup("")
    doc = {"@context": "https://schema.org", "@graph": nodes}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(f'<script type="application/ld+json">{text}</script>')
