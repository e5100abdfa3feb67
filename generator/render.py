"""Stage 4, render: a verified Project -> Markdown pages and data files.

Python prepares every value a template shows; templates only loop and print. Every
string printed with ``{{ }}`` is escaped for Markdown *and* HTML unless Python marked it
as trusted (``Markup``): escaping HTML alone would leave Markdown links live. Inside raw
HTML blocks, where Markdown is not parsed, templates use the ``html`` filter instead.
"""

from __future__ import annotations

import html
import posixpath
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .cite import ResolvedCitation
from .export import export_json, fact_page, page_url, source_page
from .validate import FactEntry, Project

# Python-Markdown's ESCAPED_CHARS with the `tables` extension; '>' is left to html.escape.
_MD_CHARS = set("\\`*_{}[]()#+-.!|")


def md_escape(value: Any) -> str:
    """Escape for Markdown, then for HTML: the result renders as the literal text."""
    if isinstance(value, Markup):
        return value
    s = " ".join(str(value).split())
    s = "".join("\\" + c if c in _MD_CHARS else c for c in s)
    return html.escape(s, quote=True)


def html_escape(value: Any) -> Markup:
    """For raw HTML blocks, which Markdown leaves alone."""
    if isinstance(value, Markup):
        return value
    text = str(value).replace("\r", " ").replace("\n", " ")  # a blank line would end the HTML block
    return Markup(html.escape(text, quote=True))


def make_env(templates_dir: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir / "pages")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        finalize=md_escape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["html"] = html_escape
    return env


def _rel(from_page: str, to_page: str, anchor: str = "") -> Markup:
    """A Markdown link target from one page source to another (ids are validated slugs)."""
    rel = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    return Markup(rel + (f"#{anchor}" if anchor else ""))


def _url(from_page: str, to_page: str, anchor: str = "") -> Markup:
    """A URL for raw HTML (which MkDocs does not rewrite), from one built page to another."""
    rel = posixpath.relpath("/" + page_url(to_page), "/" + page_url(from_page))
    rel = "" if rel == "." else rel + "/"
    return Markup(rel + (f"#{anchor}" if anchor else ""))


class Context:
    """Builds the values templates print, for one project."""

    def __init__(self, project: Project) -> None:
        self.p = project
        self.facts = project.by_id()
        self.cited_by: dict[tuple[str, str], list[str]] = {}
        for e in project.facts:
            for r in project.resolved.get(e.fact.id, []):
                self.cited_by.setdefault((r.source, r.sentence.id), []).append(e.fact.id)

    def name(self, participant_id: str) -> str:
        return getattr(self.facts[participant_id].fact, "name", participant_id)

    def attribution(self, e: FactEntry) -> str:
        a = e.fact.attribution
        if a is None:
            pubs = sorted({self.p.sources[c.source].meta.publisher for c in e.fact.citations})
            return "Reported by " + " and ".join(pubs)
        return ("According to " if a.mode == "according_to" else "Statement by ") + self.name(a.by)

    def citation(self, page: str, n: int, r: ResolvedCitation) -> dict[str, Any]:
        src = self.p.sources[r.source]
        quoted = r.sentence.text[r.span[0] - r.sentence.start : r.span[1] - r.sentence.start]
        return {
            "label": str(n),
            "href": _rel(page, source_page(r.source), r.sentence.id),
            "title": f"{src.meta.publisher}, sentence {r.sentence.number}: “{quoted}”",
            "states": r.states,
        }

    def fact(self, page: str, e: FactEntry) -> dict[str, Any]:
        f = e.fact
        d = f.derived
        return {
            "id": f.id,
            "anchor": Markup("fact-" + f.id),
            "statement": f.statement,
            "attribution": self.attribution(e),
            "derived": None if d is None else f"{d.value}, derived from {d.from_}: {d.method}",
            "note": f.note,
            "citations": [self.citation(page, i + 1, r) for i, r in enumerate(self.p.resolved[f.id])],
            "fields": e,
        }

    def sources(self, page: str) -> list[dict[str, Any]]:
        return [
            {
                "id": s.id,
                "title": s.meta.title,
                "publisher": s.meta.publisher,
                "published": s.meta.published.isoformat(),
                "href": _rel(page, source_page(s.id)),
            }
            for s in self.p.sources.values()
        ]

    def source(self, sid: str) -> dict[str, Any]:
        s = self.p.sources[sid]
        page = source_page(sid)
        assert s.text is not None
        paragraphs = []
        for para in s.text.paragraphs:
            sents = []
            for sent in para:
                backlinks = [
                    {"id": fid, "href": _url(page, fact_page(self.facts[fid].collection), "fact-" + fid)}
                    for fid in self.cited_by.get((sid, sent.id), [])
                ]
                sents.append(
                    {
                        "id": Markup(sent.id),
                        "number": sent.number,
                        "text": sent.text,
                        "kind": sent.kind,
                        "cited": bool(backlinks),
                        "backlinks": backlinks,
                        "non_claim": self.p.non_claims.get(sent.id),
                    }
                )
            paragraphs.append(sents)
        return {
            "id": sid,
            "title": s.meta.title,
            "publisher": s.meta.publisher,
            "url": s.meta.url,
            "published": s.meta.published.isoformat(),
            "dateline": s.meta.dateline,
            "sha256": s.text.sha256,
            "paragraphs": paragraphs,
        }


def render(project: Project, templates_dir: Path) -> dict[str, str | bytes]:
    """All generated files: Markdown pages by source path, and data files."""
    env = make_env(templates_dir)
    ctx = Context(project)
    out: dict[str, str | bytes] = {}

    def page(path: str, template: str, **values: Any) -> None:
        out[path] = env.get_template(template).render(page_path=path, **values)

    participants = [ctx.fact(fact_page("participants"), e) for e in project.collection("participants")]
    figures = [ctx.fact(fact_page("landmine_figures"), e) for e in project.collection("landmine_figures")]
    incidents = [ctx.fact(fact_page("landmine_incidents"), e) for e in project.collection("landmine_incidents")]
    page(
        "index.md",
        "index.md.j2",
        sources=ctx.sources("index.md"),
        key_figures=[ctx.fact("index.md", e) for e in project.collection("landmine_figures")],
        participants_href=_rel("index.md", fact_page("participants")),
        landmines_href=_rel("index.md", fact_page("landmine_figures")),
    )
    page(fact_page("participants"), "participants.md.j2", participants=participants)
    page(fact_page("landmine_figures"), "landmines.md.j2", figures=figures, incidents=incidents)
    for sid in project.sources:
        page(source_page(sid), "source.md.j2", source=ctx.source(sid))
    out["data/facts.json"] = export_json(project)
    return out


__all__ = ["render", "md_escape", "html_escape", "make_env", "page_url"]
