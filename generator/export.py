"""Machine-readable fact sheet: data/facts.json and data/facts.csv, and the counts the
method page shows (computed once here, so the page and the data cannot disagree)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .buildinfo import BuildInfo
from .locations import Urls
from .model import Participant
from .project import Project
from .registry import BY_KEY, home_of, source_page, stored_text

_KIND_REASON = {"heading": "a heading, not a claim", "related-link": "a related-article link, not a claim"}


def statistics(project: Project, urls: Urls) -> dict[str, Any]:
    cited = {(r.source, r.sentence.id) for rs in project.resolved.values() for r in rs}
    sentences = [(s.id, x) for s in project.sources.values() for x in s.text.sentences]
    claims = [(sid, x) for sid, x in sentences if x.kind == "claim"]
    uncited = []
    for sid, x in sentences:
        if (sid, x.id) in cited:
            continue
        reason = project.non_claims.get(x.id) or _KIND_REASON.get(x.kind) or "not yet extracted as a fact"
        uncited.append(
            {
                "source": sid,
                "sentence": x.id,
                "number": x.number,
                "text": x.text,
                "reason": reason,
                "href": f"{urls.dest(source_page(sid))}#{x.id}",
            }
        )
    n_cited_claims = sum((sid, x.id) in cited for sid, x in claims)
    return {
        "facts": len(project.facts),
        "citations": sum(len(e.fact.citations) for e in project.facts),
        "sources": len(project.sources),
        "sentences": len(sentences),
        "claim_sentences": len(claims),
        "cited_sentences": len(cited),
        "share_of_claim_sentences_cited": round(n_cited_claims / len(claims), 4) if claims else 0.0,
        "uncited_sentences": uncited,
    }


def _attributed(project: Project, urls: Urls, fact: Any) -> dict[str, Any] | None:
    a = fact.attribution
    if a is None:
        return None
    by = []
    for pid in a.by:
        p: Participant | None = project.participant(pid)
        by.append({"id": pid, "name": p.name if p else pid, "href": urls.dest(BY_KEY["participants"].item_page(pid))})
    out = {"mode": a.mode, "by": by, "name": " and ".join(b["name"] for b in by)}
    if a.mode == "alleges":
        out["against"] = a.against  # an allegation: the sources report it as this party's claim
    return out


def _values(project: Project, fact_id: str, cited: list[str]) -> dict[str, Any]:
    """Each field a reader sees, as the sources state it: the values with the sources and
    citations that state each, the cited sources that state none, and whether they disagree."""
    out = {}
    for name, values in project.values.get(fact_id, {}).items():
        stating = {s for v in values for s in v.sources}
        out[name] = {
            "values": [
                {
                    "value": v.value,
                    "derived": v.derived,
                    "sources": list(v.sources),
                    "citations": [
                        {"source": c.source, "sentence": c.sentence.id, "quote": c.quote} for c in v.citations
                    ],
                }
                for v in values
            ],
            "not_stated_by": [s for s in dict.fromkeys(cited) if s not in stating],
            "sources_disagree": len({" ".join(v.value.split()).casefold() for v in values}) > 1,
        }
    return out


def facts_data(project: Project, urls: Urls, build: BuildInfo | None = None) -> dict[str, Any]:
    sources = []
    for s in project.sources.values():
        url = urls.dest(source_page(s.id))
        sents = s.text.sentences
        sources.append(
            {
                "id": s.id,
                "kind": s.meta.kind,
                "title": s.meta.title,
                "publisher": s.meta.publisher,
                "url": s.meta.url,
                "archive_url": s.meta.archive_url,
                "published": s.meta.published.isoformat(),
                "retrieved": None if s.meta.retrieved is None else s.meta.retrieved.isoformat(),
                "copy_of": s.meta.copy_of,
                "stored_text": urls.dest(stored_text(s.id)),
                "dateline": s.meta.dateline,
                "language": s.meta.language,
                "sha256": s.meta.sha256,
                "href": url,
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
    facts = []
    for e in project.facts:
        f = e.fact
        cited = [c.source for c in f.citations]
        typed = f.model_dump(
            mode="json",
            by_alias=True,
            exclude={"id", "statement", "attribution", "citations", "derived", "note", *project.values.get(f.id, {})},
        )
        dates = [project.sources[c].meta.published for c in cited]
        facts.append(
            {
                "id": f.id,
                "type": e.collection,
                "statement": f.statement,
                "attributed_to": _attributed(project, urls, f),
                "derived": None if f.derived is None else f.derived.model_dump(mode="json", by_alias=True),
                "note": f.note,
                "as_of": max(dates).isoformat(),
                "values": _values(project, f.id, cited),
                "fields": typed,
                "file": e.file,
                "href": f"{urls.dest(home_of(e))}#fact-{f.id}",
                "citations": [
                    {
                        "source": r.source,
                        "sentence": r.sentence.id,
                        "sentence_number": r.sentence.number,
                        "quote": r.quote,
                        "stance": r.stance,
                        "quoting": r.quoting,
                        "source_published": project.sources[r.source].meta.published.isoformat(),
                        "href": f"{urls.dest(source_page(r.source))}#{r.sentence.id}",
                    }
                    for r in project.resolved.get(f.id, [])
                ],
            }
        )
    info = {} if build is None else {"commit": build.commit, "dirty": build.dirty, "date": build.date}
    return {"build": info, "statistics": statistics(project, urls), "sources": sources, "facts": facts}


def export_json(data: dict[str, Any]) -> str:
    """One top-level key per line and one source or fact per line: readable, diffable,
    and written by the json module's C encoder (an indented dump is ~10x slower)."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            value_text = "[\n" + ",\n".join(dump(x) for x in value) + "\n]"
        else:
            value_text = dump(value)
        parts.append(f"{dump(key)}: {value_text}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


CSV_COLUMNS = [
    "fact_id",
    "type",
    "statement",
    "attribution_mode",
    "attributed_to",
    "allegation_against",
    "as_of",
    "values",
    "sources_disagree",
    "derived_value",
    "derived_from",
    "note",
    "citation",
    "source",
    "source_published",
    "stance",
    "quoting",
    "sentence_id",
    "sentence_number",
    "quote",
    "fact_href",
    "sentence_href",
]


def _values_cell(values: dict[str, Any]) -> str:
    """place: Arlington [source-a]; place: Washington D.C. [source-b]; date: not stated"""
    parts = []
    for name, field in values.items():
        for v in field["values"]:
            parts.append(f"{name}: {v['value']} [{', '.join(v['sources'])}]" + (" (derived)" if v["derived"] else ""))
        if not field["values"]:
            parts.append(f"{name}: not stated")
    return "; ".join(parts)


def _cell(value: Any) -> str:
    """Plain text that no spreadsheet will run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def export_csv(data: dict[str, Any]) -> str:
    """One row per fact and citation."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for f in data["facts"]:
        a = f["attributed_to"]
        d = f["derived"] or {}
        for i, c in enumerate(f["citations"], 1):
            w.writerow(
                [
                    _cell(v)
                    for v in (
                        f["id"],
                        f["type"],
                        f["statement"],
                        a["mode"] if a else "narration",
                        a["name"] if a else "",
                        a.get("against") if a else "",
                        f["as_of"],
                        _values_cell(f["values"]),
                        "yes" if any(v["sources_disagree"] for v in f["values"].values()) else "",
                        d.get("value"),
                        d.get("from"),
                        f["note"],
                        i,
                        c["source"],
                        c["source_published"],
                        c["stance"],
                        c["quoting"],
                        c["sentence"],
                        c["sentence_number"],
                        c["quote"],
                        f["href"],
                        c["href"],
                    )
                ]
            )
    return out.getvalue()
