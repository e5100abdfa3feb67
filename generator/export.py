"""Machine-readable fact sheet: data/facts.json and data/facts.csv, and the counts the
method page shows (computed once here, so the page and the data cannot disagree)."""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from .buildinfo import BuildInfo
from .citing import fact_citation, reporting, sheet_citation
from .locations import Urls
from .model import Participant
from .moot import GaveWay
from .project import Project
from .registry import BY_KEY, DATA_PAGE, HOME, home_of, source_page, stored_text
from .views import text_fragment

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
                "href": urls.public(source_page(sid), x.id),
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
        by.append({"id": pid, "name": p.name if p else pid, "href": urls.public(BY_KEY["participants"].item_page(pid))})
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


def _independent(project: Project, fact: Any) -> int:
    """How many sources support the fact (a syndicated copy counts as its original), as the
    fact's line on the page says ("single source", "2 sources")."""
    roots = {project.sources[c.source].meta.copy_of or c.source for c in fact.citations if c.stance != "disputes"}
    return len(roots)


def dataset_info(project: Project, urls: Urls, build: BuildInfo | None) -> dict[str, Any]:
    """What the data is, who publishes it, under which licence, and how to cite it."""
    cfg = project.config
    return {
        "title": cfg.title,
        "description": cfg.description,
        "publisher": cfg.publisher.name,
        "publisher_url": cfg.publisher.url,
        "licence": cfg.licence.name,
        "licence_url": cfg.licence.url,
        "site_url": urls.site_url,
        "documentation": urls.public(DATA_PAGE),
        "cite": sheet_citation(cfg, build, urls.site_url and urls.public(HOME)),
    }


def source_records(project: Project, urls: Urls) -> Iterator[dict[str, Any]]:
    """Each source with its sentences, as data, one at a time."""
    for s in project.sources.values():
        sents = s.text.sentences
        yield (
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
                "stored_text": urls.public(stored_text(s.id)),
                "dateline": s.meta.dateline,
                "language": s.meta.language,
                "sha256": s.meta.sha256,
                "href": urls.public(source_page(s.id)),
                "sentences": [
                    {
                        "id": x.id,
                        "number": x.number,
                        "kind": x.kind,
                        "start": x.start,
                        "end": x.end,
                        "text": x.text,
                        "href": urls.public(source_page(s.id), x.id),
                    }
                    for x in sents
                ],
            }
        )


def fact_records(project: Project, urls: Urls, build: BuildInfo | None = None) -> Iterator[dict[str, Any]]:
    """Each fact with its citations, as data, one at a time."""
    for e in project.facts:
        yield fact_record(project, urls, build, e)


def fact_record(project: Project, urls: Urls, build: BuildInfo | None, e: Any) -> dict[str, Any]:
    """One fact as data (facts.json's line, facts.csv's rows)."""
    cfg = project.config
    f = e.fact
    cited = [c.source for c in f.citations]
    typed = f.model_dump(
        mode="json",
        by_alias=True,
        exclude={"id", "statement", "attribution", "citations", "derived", "note", *project.values.get(f.id, {})},
    )
    dates = [project.sources[c].meta.published for c in cited]
    attributed = _attributed(project, urls, f)
    reported = reporting(project, f)
    href = urls.public(home_of(e), f"fact-{f.id}")
    return {
        "id": f.id,
        "type": e.collection,
        "statement": f.statement,
        "attribution_mode": f.attribution.mode if f.attribution else "narration",
        "attributed_to": attributed,
        "derived": None if f.derived is None else f.derived.model_dump(mode="json", by_alias=True),
        "note": f.note,
        "as_of": max(dates).isoformat(),
        "independent_sources": _independent(project, f),
        "values": _values(project, f.id, cited),
        "fields": typed,
        "file": e.file,
        "href": href,
        "cite": fact_citation(cfg, build, f.statement, f.id, reported, href if urls.site_url else None),
        "citations": [
            {
                "source": r.source,
                "source_title": project.sources[r.source].meta.display_title,
                "source_publisher": project.sources[r.source].meta.publisher,
                "source_url": project.sources[r.source].meta.url,
                "sentence": r.sentence.id,
                "sentence_number": r.sentence.number,
                "sentence_text": r.sentence.text,
                "quote": r.quote,
                "stance": r.stance,
                "quoting": r.quoting,
                "source_published": project.sources[r.source].meta.published.isoformat(),
                "href": urls.public(source_page(r.source), r.sentence.id),
                "original_href": text_fragment(project.sources[r.source].meta.url, r.sentence.text),
            }
            for r in project.resolved.get(f.id, [])
        ],
    }


def facts_data(project: Project, urls: Urls, build: BuildInfo | None = None) -> dict[str, Any]:
    """Everything a page shows, as data. Links are absolute under mkdocs.yml's `site_url`,
    else relative to the site root. Its lists are made as they are read: the exports
    write one record at a time (write_json, csv_rows) and hold none of them."""
    info = {} if build is None else {"commit": build.commit, "dirty": build.dirty, "date": build.date}
    return {
        "dataset": dataset_info(project, urls, build),
        "build": info,
        "statistics": statistics(project, urls),
        "sources": source_records(project, urls),
        "facts": fact_records(project, urls, build),
    }


class Sink:
    """A UTF-8 file written a piece at a time, with its size and sha256 as it goes.
    `moot`, asked before each piece, raises GaveWay when it says a newer build started."""

    def __init__(self, out: BinaryIO | None = None, moot: Callable[[], bool] | None = None) -> None:
        self.out, self.size, self._sha, self.moot = out, 0, hashlib.sha256(), moot
        self.parts: list[str] | None = [] if out is None else None  # in memory, without a file

    def write(self, text: str) -> int:
        if self.moot is not None and self.moot():
            raise GaveWay
        raw = text.encode("utf-8")
        if self.out is not None:
            self.out.write(raw)
        if self.parts is not None:
            self.parts.append(text)
        self.size += len(raw)
        self._sha.update(raw)
        return len(text)

    @property
    def sha256(self) -> str:
        return self._sha.hexdigest()

    def text(self) -> str:
        return "".join(self.parts or [])


def write_json(data: dict[str, Any], out: Sink) -> None:
    """One top-level key per line and one source or fact per line: readable, diffable,
    and written by the json module's C encoder (an indented dump is ~10x slower). The
    lists are written as they are made, one record at a time."""

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    out.write("{\n")
    for n, (key, value) in enumerate(data.items()):
        out.write(("" if n == 0 else ",\n") + f"{dump(key)}: ")
        if isinstance(value, (list, Iterator)):
            items = iter(value)
            first = next(items, None)
            if first is None:
                out.write("[]")
                continue
            out.write("[\n" + dump(first))
            for x in items:
                out.write(",\n" + dump(x))
            out.write("\n]")
        else:
            out.write(dump(value))
    out.write("\n}\n")


# The value fields of every collection (model.cited_fields), one column each, in a fixed order
# (test_data checks that no fact has another).
VALUE_FIELDS: tuple[str, ...] = ("date", "place", "post", "country", "value", "measure", "period", "when", "outcome")
TYPED_FIELDS = ("meeting", "aspect", "participants", "kind", "name", "title")  # facts' other own fields

# Every column of facts.csv with what it holds: the data page prints this list, and a
# test fails if a column is missing from it.
CSV_DOC: dict[str, str] = {
    "fact_id": "The fact's id: unique, stable, and the anchor of its permalink (#fact-<id>).",
    "type": "Its collection: participants, meetings, figures, incidents or statements.",
    "statement": "The fact as a reader sees it, in the source's own terms.",
    "attribution_mode": "Who asserts it: said (a participant said it), according_to (a body reports it), "
    "alleges (an allegation, reported as its author's claim), or narration (the source's own narration).",
    "attributed_to": "The name(s) of who asserts it; for narration, the publisher(s) of the source.",
    "allegation_against": "For an allegation: whom it is against.",
    "as_of": "The publication date of the latest source that states it (YYYY-MM-DD).",
    "independent_sources": "How many sources support it (a syndicated copy counts once; a disputing source not at all).",
    "sources_disagree": "yes when the sources state different values for one of its fields.",
    **{
        name: f"The fact's own field '{name}' "
        + {
            "meeting": "(a statement: the id of its meeting).",
            "aspect": "(a statement: statement, topic, outcome or background).",
            "participants": "(a meeting: participant ids, separated by '; ').",
            "kind": "(a participant: person or organisation).",
            "name": "(a participant's name).",
            "title": "(a meeting's title).",
        }[name]
        for name in TYPED_FIELDS
    },
    **{
        name: f"The value the sources state for '{name}', empty when not stated; when sources differ, "
        "each value with its sources in brackets, separated by '; '; '(derived)' marks a worked-out value."
        for name in VALUE_FIELDS
    },
    "derived_value": "A value the fact states that the source does not state in so many words (worked out).",
    "derived_from": "What the derived value is worked out from.",
    "derived_method": "How it was worked out.",
    "note": "An editor's note shown with the fact (a caveat a re-user should keep).",
    "citation": "The citation's number among the fact's citations (1, 2, ...): one row per fact and citation.",
    "source": "The id of the cited source.",
    "source_title": "The source's title as published (or a description when the copy has none).",
    "source_publisher": "Who published the source.",
    "source_published": "The source's publication date (YYYY-MM-DD).",
    "source_url": "The original's address.",
    "stance": "supports, partly (supports it in part) or disputes.",
    "quoting": "When the source reports a party's own words: that participant's id.",
    "sentence_id": "The cited sentence's id in the source (stable: derived from its words).",
    "sentence_number": "The sentence's number in the source, from 1.",
    "quote": "The quoted words, verified at build time to occur in that one sentence of the stored copy.",
    "sentence_text": "The whole cited sentence, as stored.",
    "fact_href": "The fact's permalink (absolute when the site's address is configured, else relative to the site root).",
    "sentence_href": "The sentence on the fact sheet's copy of the source.",
    "original_href": "The same sentence in the original (a Text Fragment link: browsers that support it scroll to it).",
}
CSV_COLUMNS = list(CSV_DOC)
CSV_ENCODING = "UTF-8 with a byte order mark, CRLF line ends (RFC 4180)"


def _field_cell(field: dict[str, Any] | None) -> str:
    """299 · or, sources differing: 299 [source-a]; 300 [source-b]; empty: not stated"""
    if not field or not field["values"]:
        return ""
    vs = field["values"]
    if len(vs) == 1:
        return str(vs[0]["value"]) + (" (derived)" if vs[0]["derived"] else "")
    return "; ".join(f"{v['value']} [{', '.join(v['sources'])}]" + (" (derived)" if v["derived"] else "") for v in vs)


def _typed_cell(value: Any) -> Any:
    return "; ".join(map(str, value)) if isinstance(value, list) else value


def _cell(value: Any) -> str:
    """Plain text that no spreadsheet will run as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


def csv_start(out: Sink) -> Any:
    """A CSV writer on `out`, the byte order mark and the header row written; then
    `csv_rows` writes one row per fact and citation as each fact is made. The byte order
    mark: Excel reads a CSV without one in the machine's legacy code page (’ and “ come out
    garbled); LibreOffice, Numbers, Google Sheets, R and pandas (encoding='utf-8-sig') read
    it as UTF-8 either way."""
    out.write("\ufeff")
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    return w


def csv_rows(w: Any, f: dict[str, Any], publishers: dict[str, str]) -> None:
    """A fact's rows: one per citation."""
    a = f["attributed_to"]
    d = f["derived"] or {}
    fields = f["fields"]
    by = a["name"] if a else "; ".join(dict.fromkeys(publishers.get(c["source"], "") for c in f["citations"]))
    for i, c in enumerate(f["citations"], 1):
        row: dict[str, Any] = {
            "fact_id": f["id"],
            "type": f["type"],
            "statement": f["statement"],
            "attribution_mode": f["attribution_mode"],
            "attributed_to": by,
            "allegation_against": a.get("against") if a else "",
            "as_of": f["as_of"],
            "independent_sources": f["independent_sources"],
            "sources_disagree": "yes" if any(v["sources_disagree"] for v in f["values"].values()) else "",
            **{name: _typed_cell(fields.get(name)) for name in TYPED_FIELDS},
            **{name: _field_cell(f["values"].get(name)) for name in VALUE_FIELDS},
            "derived_value": d.get("value"),
            "derived_from": d.get("from"),
            "derived_method": d.get("method"),
            "note": f["note"],
            "citation": i,
            "source": c["source"],
            "source_title": c["source_title"],
            "source_publisher": c["source_publisher"],
            "source_published": c["source_published"],
            "source_url": c["source_url"],
            "stance": c["stance"],
            "quoting": c["quoting"],
            "sentence_id": c["sentence"],
            "sentence_number": c["sentence_number"],
            "quote": c["quote"],
            "sentence_text": c["sentence_text"],
            "fact_href": f["href"],
            "sentence_href": c["href"],
            "original_href": c["original_href"],
        }
        w.writerow([_cell(row[k]) for k in CSV_COLUMNS])


# Every key of facts.json with what it holds ("[]": each item of a list; "values.*": each
# value field). The data page prints this list, and a test fails if a key is missing.
JSON_DOC: dict[str, str] = {
    "dataset": "What the data is: title, description, publisher, licence, and how to cite it.",
    "dataset.title": "The fact sheet's title.",
    "dataset.description": "What it covers, in one sentence.",
    "dataset.publisher": "Who publishes the fact sheet.",
    "dataset.publisher_url": "The publisher's address, if given.",
    "dataset.licence": "The licence of the fact sheet and its data.",
    "dataset.licence_url": "The licence's text.",
    "dataset.site_url": "Where the fact sheet is published (mkdocs.yml's site_url); null: links are relative "
    "to the site root.",
    "dataset.documentation": "This page: every key and column explained.",
    "dataset.cite": "How to cite the fact sheet.",
    "build": "When and from which commit the data was built.",
    "build.commit": "The commit (short hash); null outside git.",
    "build.dirty": "true when content/ or templates/ had uncommitted changes.",
    "build.date": "The build time, UTC (SOURCE_DATE_EPOCH: the commit's time, so a commit always builds the same).",
    "statistics": "The counts the Method page shows.",
    "statistics.facts": "Facts.",
    "statistics.citations": "Citations.",
    "statistics.sources": "Sources.",
    "statistics.sentences": "Sentences in all sources.",
    "statistics.claim_sentences": "Sentences that make a claim (not headings or related-article links).",
    "statistics.cited_sentences": "Sentences cited by at least one fact.",
    "statistics.share_of_claim_sentences_cited": "cited claim sentences / claim sentences, 0 to 1.",
    "statistics.uncited_sentences[]": "Each sentence no fact cites, with the reason.",
    "statistics.uncited_sentences[].source": "Its source's id.",
    "statistics.uncited_sentences[].sentence": "Its id.",
    "statistics.uncited_sentences[].number": "Its number in the source.",
    "statistics.uncited_sentences[].text": "Its text.",
    "statistics.uncited_sentences[].reason": "Why it is not a fact.",
    "statistics.uncited_sentences[].href": "The sentence on the source's page.",
    "sources[]": "Each source, as stored.",
    "sources[].id": "The source's id (its file name in content/sources/).",
    "sources[].kind": "article, excerpt, social-media-post, official-statement, transcript or press-release.",
    "sources[].title": "The title as published; null when the stored copy has none.",
    "sources[].publisher": "Who published it.",
    "sources[].url": "The original's address.",
    "sources[].archive_url": "A snapshot of the original in a web archive, if known.",
    "sources[].published": "Publication date (YYYY-MM-DD).",
    "sources[].retrieved": "When the stored copy was taken, if known.",
    "sources[].copy_of": "The id of the source this one is a syndicated copy of, if so.",
    "sources[].stored_text": "The stored text, byte for byte (its sha256 is below).",
    "sources[].dateline": "The dateline (where and when the report was filed), if any.",
    "sources[].language": "Its language (BCP 47).",
    "sources[].sha256": "The sha256 of the stored text.",
    "sources[].href": "The source's page on the fact sheet.",
    "sources[].sentences[]": "Each sentence of the stored text.",
    "sources[].sentences[].id": "Its id: derived from its words, so edits elsewhere never change it.",
    "sources[].sentences[].number": "Its number, from 1.",
    "sources[].sentences[].kind": "claim, heading or related-link.",
    "sources[].sentences[].start": "Where it starts in the stored text (a character offset).",
    "sources[].sentences[].end": "Where it ends (exclusive).",
    "sources[].sentences[].text": "Its text.",
    "sources[].sentences[].href": "The sentence on the source's page.",
    "facts[]": "Each fact.",
    "facts[].id": CSV_DOC["fact_id"],
    "facts[].type": CSV_DOC["type"],
    "facts[].statement": CSV_DOC["statement"],
    "facts[].attribution_mode": CSV_DOC["attribution_mode"],
    "facts[].attributed_to": "Who asserts it; null: the source's own narration.",
    "facts[].attributed_to.mode": "said, according_to or alleges.",
    "facts[].attributed_to.by[]": "Each participant who asserts it.",
    "facts[].attributed_to.by[].id": "The participant's id.",
    "facts[].attributed_to.by[].name": "The participant's name.",
    "facts[].attributed_to.by[].href": "The participant's page.",
    "facts[].attributed_to.name": "Their names, joined.",
    "facts[].attributed_to.against": CSV_DOC["allegation_against"],
    "facts[].derived": "A value the fact states that the source does not state in so many words; null if none.",
    "facts[].derived.value": CSV_DOC["derived_value"],
    "facts[].derived.from": CSV_DOC["derived_from"],
    "facts[].derived.method": CSV_DOC["derived_method"],
    "facts[].note": CSV_DOC["note"],
    "facts[].as_of": CSV_DOC["as_of"],
    "facts[].independent_sources": CSV_DOC["independent_sources"],
    "facts[].values": "The fact's value fields (a meeting's date and place, a figure's value, measure, period and "
    "place, ...), each as the sources state it.",
    "facts[].values.*": "One value field.",
    "facts[].values.*.values[]": "Each value a source states (several when the sources differ).",
    "facts[].values.*.values[].value": "The value.",
    "facts[].values.*.values[].derived": "How it was worked out, when it is not stated in so many words; else null.",
    "facts[].values.*.values[].sources[]": "The ids of the sources that state it.",
    "facts[].values.*.values[].citations[]": "The citations that state it.",
    "facts[].values.*.values[].citations[].source": "The source's id.",
    "facts[].values.*.values[].citations[].sentence": "The sentence's id.",
    "facts[].values.*.values[].citations[].quote": "The quoted words.",
    "facts[].values.*.not_stated_by[]": "The ids of cited sources that do not state this field.",
    "facts[].values.*.sources_disagree": "true when the sources state different values.",
    "facts[].fields": "The fact's other own fields.",
    **{f"facts[].fields.{name}" + ("[]" if name == "participants" else ""): CSV_DOC[name] for name in TYPED_FIELDS},
    "facts[].file": "The content file it is written in (content/facts/...).",
    "facts[].href": CSV_DOC["fact_href"],
    "facts[].cite": "How to cite this fact.",
    "facts[].citations[]": "Each citation.",
    "facts[].citations[].source": CSV_DOC["source"],
    "facts[].citations[].source_title": CSV_DOC["source_title"],
    "facts[].citations[].source_publisher": CSV_DOC["source_publisher"],
    "facts[].citations[].source_url": CSV_DOC["source_url"],
    "facts[].citations[].source_published": CSV_DOC["source_published"],
    "facts[].citations[].sentence": CSV_DOC["sentence_id"],
    "facts[].citations[].sentence_number": CSV_DOC["sentence_number"],
    "facts[].citations[].sentence_text": CSV_DOC["sentence_text"],
    "facts[].citations[].quote": CSV_DOC["quote"],
    "facts[].citations[].stance": CSV_DOC["stance"],
    "facts[].citations[].quoting": CSV_DOC["quoting"],
    "facts[].citations[].href": CSV_DOC["sentence_href"],
    "facts[].citations[].original_href": CSV_DOC["original_href"],
}


def json_paths(value: Any, prefix: str = "") -> set[str]:
    """The documented name of every key in `value` (facts.json): lists as `[]`, value
    fields as `values.*`, a derivation's own keys under `derived`."""
    out: set[str] = set()
    if isinstance(value, dict):
        for k, v in value.items():
            if prefix == "facts[].values":
                k = "*"
            path = f"{prefix}.{k}" if prefix else k
            if isinstance(v, list):
                out |= json_paths(v, path)
                continue
            out.add(path)
            if not path.endswith(".values[].derived"):
                out |= json_paths(v, path)
    elif isinstance(value, list):
        out.add(prefix + "[]")
        for v in value:
            out |= json_paths(v, prefix + "[]")
    return out
