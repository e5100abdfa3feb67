"""Machine-readable fact sheet: site/data/facts.json.

Where each thing lives in the site is decided here, so pages and data agree on it.
"""

from __future__ import annotations

import json
from typing import Any

from .validate import Project

_PAGES = {
    "participants": "participants.md",
    "meetings": "meetings.md",
    "landmine_figures": "landmines.md",
    "landmine_incidents": "landmines.md",
    "statements": "statements.md",
}


def fact_page(collection: str) -> str:
    return _PAGES[collection]


def source_page(source_id: str) -> str:
    return f"sources/{source_id}.md"


def page_url(src_path: str) -> str:
    """The URL of a page relative to the site root (MkDocs with use_directory_urls)."""
    stem = src_path.removesuffix(".md")
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/"


def facts_data(project: Project) -> dict[str, Any]:
    facts = project.by_id()
    sources = []
    for s in project.sources.values():
        url = page_url(source_page(s.id))
        sents = s.text.sentences if s.text else []
        sources.append(
            {
                "id": s.id,
                "title": s.meta.title,
                "publisher": s.meta.publisher,
                "url": s.meta.url,
                "published": s.meta.published.isoformat(),
                "dateline": s.meta.dateline,
                "language": s.meta.language,
                "sha256": s.meta.sha256,
                "sentences": [
                    {
                        "id": x.id,
                        "number": x.number,
                        "kind": x.kind,
                        "start": x.start,
                        "end": x.end,
                        "text": x.text,
                        "href": f"{url}#{x.id}",
                    }
                    for x in sents
                ],
            }
        )
    out_facts = []
    for e in project.facts:
        f = e.fact
        a = f.attribution
        typed = f.model_dump(
            mode="json", by_alias=True, exclude={"id", "statement", "attribution", "citations", "derived", "note"}
        )
        out_facts.append(
            {
                "id": f.id,
                "type": e.collection,
                "statement": f.statement,
                "attributed_to": None
                if a is None
                else {"id": a.by, "name": getattr(facts[a.by].fact, "name", a.by), "mode": a.mode},
                "derived": None if f.derived is None else f.derived.model_dump(mode="json", by_alias=True),
                "note": f.note,
                "fields": typed,
                "href": f"{page_url(fact_page(e.collection))}#fact-{f.id}",
                "citations": [
                    {
                        "source": r.source,
                        "sentence": r.sentence.id,
                        "sentence_number": r.sentence.number,
                        "quote": r.quote,
                        "states": r.states,
                        "href": f"{page_url(source_page(r.source))}#{r.sentence.id}",
                    }
                    for r in project.resolved.get(f.id, [])
                ],
            }
        )
    return {"sources": sources, "facts": out_facts}


def export_json(project: Project) -> str:
    return json.dumps(facts_data(project), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
