"""schema.org JSON-LD for each page: a Claim per fact, an Event per meeting, a Person or
Organization per participant. No ClaimReview: a fact sheet gives no verdicts."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from . import locations as loc
from .context import text_fragment
from .validate import FactEntry, Project


def _agent(project: Project, page: str, pid: str) -> dict[str, Any]:
    p = project.by_id()[pid].fact
    kind = "Person" if getattr(p, "kind", "person") == "person" else "Organization"
    url = loc.html_link(page, loc.participant_page(pid))
    node: dict[str, Any] = {"@type": kind, "@id": url + "#entity", "name": getattr(p, "name", pid), "url": url or "./"}
    if kind == "Person" and getattr(p, "post", None):
        node["jobTitle"] = p.post
    return node


def _article(project: Project, source_id: str) -> dict[str, Any]:
    m = project.sources[source_id].meta
    return {
        "@type": "NewsArticle",
        "headline": m.title,
        "url": m.url,
        "datePublished": m.published.isoformat(),
        "inLanguage": m.language,
        "publisher": {"@type": "Organization", "name": m.publisher},
    }


def claim(project: Project, page: str, e: FactEntry) -> dict[str, Any]:
    f = e.fact
    resolved = project.resolved.get(f.id, [])
    if f.attribution is None:
        authors = [{"@type": "Organization", "name": project.sources[c.source].meta.publisher} for c in f.citations]
    else:
        authors = [_agent(project, page, p) for p in f.attribution.by]
    appearances = []
    for r in resolved:
        art = _article(project, r.source)
        art["url"] = text_fragment(art["url"], r.sentence.text)
        art["citation"] = r.sentence.text
        appearances.append(art)
    return {
        "@type": "Claim",
        "@id": f"#fact-{f.id}",
        "text": f.statement,
        "author": authors[0] if len(authors) == 1 else authors,
        "appearance": appearances[0] if len(appearances) == 1 else appearances,
    }


def event(project: Project, page: str, e: FactEntry) -> dict[str, Any]:
    f = e.fact
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": f"#fact-{f.id}",
        "name": f.title,
        "description": f.statement,
        "attendee": [_agent(project, page, p) for p in f.participants],
    }
    if f.place:
        node["location"] = f.place
    return node


def agent_page(project: Project, e: FactEntry, meetings: list[FactEntry]) -> dict[str, Any]:
    """The participant's own node, with the meetings it attended."""
    page = loc.participant_page(e.fact.id)
    node = _agent(project, page, e.fact.id)
    if meetings:
        node["performerIn"] = [
            {
                "@type": "Event",
                "name": m.fact.title,
                "url": loc.html_link(loc.participant_page(e.fact.id), loc.meeting_page(m.fact.id)),
            }
            for m in meetings
        ]
    return node


def script(nodes: list[dict[str, Any]]) -> Markup:
    """A <script type="application/ld+json"> block that no string can break out of."""
    doc = {"@context": "https://schema.org", "@graph": nodes}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(f'<script type="application/ld+json">{text}</script>')
