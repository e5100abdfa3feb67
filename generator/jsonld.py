"""schema.org JSON-LD for each page: a Claim per fact whose home is the page, an Event per
meeting, a Person or Organization per participant. No ClaimReview: a fact sheet gives no
verdicts. A page with nothing to describe gets no block."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from .locations import Urls
from .model import Meeting, Participant
from .project import FactEntry, Project
from .registry import BY_KEY, Page
from .views import text_fragment


def _agent(project: Project, urls: Urls, page: str, pid: str) -> dict[str, Any]:
    p = project.participant(pid)
    person = p is None or p.kind == "person"
    url = urls.link(page, BY_KEY["participants"].item_page(pid))
    node: dict[str, Any] = {
        "@type": "Person" if person else "Organization",
        "@id": url + "#entity",
        "name": p.name if p else pid,
        "url": url,
    }
    posts = [v.value for v in project.values.get(pid, {}).get("post", [])]
    if p is not None and person and posts:
        node["jobTitle"] = posts[0] if len(posts) == 1 else posts  # every post a source states
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


def claim(project: Project, urls: Urls, page: str, e: FactEntry) -> dict[str, Any]:
    f = e.fact
    if f.attribution is None:
        authors = [{"@type": "Organization", "name": project.sources[c.source].meta.publisher} for c in f.citations]
    else:
        authors = [_agent(project, urls, page, p) for p in f.attribution.by]
    appearances = []
    for r in project.resolved.get(f.id, []):
        art = _article(project, r.source)
        art["url"] = text_fragment(art["url"], r.sentence.text)
        art["citation"] = r.sentence.text
        appearances.append(art)
    node = {
        "@type": "Claim",
        "@id": f"#fact-{f.id}",
        "text": f.statement,
        "author": authors[0] if len(authors) == 1 else authors,
        "appearance": appearances[0] if len(appearances) == 1 else appearances,
    }
    if f.attribution is not None and f.attribution.mode == "alleges":
        node["disambiguatingDescription"] = (
            f"An allegation against {f.attribution.against}, reported as the claim of its author"
        )
    return node


def _event(project: Project, urls: Urls, page: str, m: Meeting) -> dict[str, Any]:
    node: dict[str, Any] = {
        "@type": "Event",
        "@id": f"#event-{m.id}",
        "name": m.title,
        "description": m.statement,
        "attendee": [_agent(project, urls, page, p) for p in m.participants],
    }
    places = list(dict.fromkeys(v.value for v in project.values.get(m.id, {}).get("place", [])))
    if places:  # each place a source states; when they disagree, all of them
        node["location"] = places[0] if len(places) == 1 else places
    return node


def nodes(project: Project, urls: Urls, page: Page, homed: list[FactEntry]) -> list[dict[str, Any]]:
    """The nodes of one page: what it is about, and the claims whose home it is (`homed`)."""
    out: list[dict[str, Any]] = []
    subject = project.by_id().get(page.subject) if page.kind == "item" and page.subject else None
    if subject is not None and isinstance(subject.fact, Meeting):
        out.append(_event(project, urls, page.path, subject.fact))
    elif subject is not None and isinstance(subject.fact, Participant):
        node = _agent(project, urls, page.path, subject.fact.id)
        node["@id"] = "#entity"
        meetings = [m.fact for m in project.meetings if subject.fact.id in m.fact.participants]
        if meetings:
            page_of = BY_KEY["meetings"].item_page
            node["performerIn"] = [
                {"@type": "Event", "name": m.title, "url": urls.link(page.path, page_of(m.id))} for m in meetings
            ]
        out.append(node)
    out += [claim(project, urls, page.path, e) for e in homed]
    return out


def script(nodes: list[dict[str, Any]]) -> Markup:
    """A <script type="application/ld+json"> block that no string can break out of."""
    if not nodes:
        return Markup("")
    doc = {"@context": "https://schema.org", "@graph": nodes}
    text = json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(f'<script type="application/ld+json">{text}</script>')
