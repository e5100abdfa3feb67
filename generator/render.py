"""Stage 4, render: a verified Project -> Markdown pages and data files.

Python prepares every value a template shows (context.py); templates only loop and
print. Every string printed with ``{{ }}`` is escaped for Markdown *and* HTML unless
Python marked it as trusted (``Markup``): escaping HTML alone would leave Markdown links
live. Inside raw HTML blocks, where Markdown is not parsed, templates use ``|html``.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import jsonld
from . import locations as loc
from .buildinfo import BuildInfo
from .context import Context, text_fragment
from .export import export_csv, export_json, facts_data
from .validate import Project

# Python-Markdown's ESCAPED_CHARS with the `tables` extension; '>' is left to html.escape.
_MD_CHARS = set("\\`*_{}[]()#+-.!|")
_MD_TABLE = str.maketrans({c: "\\" + c for c in _MD_CHARS})


def md_escape(value: Any) -> str:
    """Escape for Markdown, then for HTML: the result renders as the literal text."""
    if isinstance(value, Markup):
        return value
    s = " ".join(str(value).split()).translate(_MD_TABLE)
    return html.escape(s, quote=True)


def html_escape(value: Any) -> Markup:
    """For raw HTML blocks, which Markdown leaves alone. Text is kept as stored."""
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


def _source_view(ctx: Context, sid: str) -> dict[str, Any]:
    s = ctx.p.sources[sid]
    page = loc.source_page(sid)
    assert s.text is not None
    paragraphs = []
    for para in s.text.paragraphs:
        sents = []
        for x in para:
            citing = ctx.cited_by.get((sid, x.id), [])
            sents.append(
                {
                    "id": Markup(x.id),
                    "number": x.number,
                    "text": x.text,
                    "kind": x.kind,
                    "cited": bool(citing),
                    "non_claim": ctx.p.non_claims.get(x.id),
                    "original": text_fragment(s.meta.url, x.text),
                    "backlinks": [
                        {
                            "id": e.fact.id,
                            "statement": e.fact.statement,
                            "href": Markup(loc.html_link(page, loc.fact_page(e), f"fact-{e.fact.id}")),
                        }
                        for e in citing
                    ],
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
        "language": s.meta.language,
        "paragraphs": paragraphs,
        "non_claims": [x for para in paragraphs for x in para if x["non_claim"]],
    }


def template_error(e: jinja2.TemplateError, root: Path, templates_dir: Path) -> str:
    """'template error at templates/pages/x.md.j2:12: what', the file named from the root."""
    name = Path(getattr(e, "filename", None) or templates_dir)
    name = name.relative_to(root) if name.is_relative_to(root) else name
    return f"template error at {name.as_posix()}:{getattr(e, 'lineno', None) or 1}: {e.message or e}"


MAX_LISTED_UNCITED = 200  # beyond this the method page counts them per source


def _uncited(page: str, uncited: list[dict[str, Any]]) -> dict[str, Any]:
    """Each uncited sentence with its reason, or, for a large site (where one page listing
    them all would be the largest page of the site), a count per source: each source page
    shows which of its sentences are cited, and data/facts.json lists them all."""
    if len(uncited) <= MAX_LISTED_UNCITED:
        listed = [u | {"href": Markup(loc.md_link(page, loc.source_page(u["source"]), u["sentence"]))} for u in uncited]
        return {"uncited": listed, "uncited_per_source": []}
    counts: dict[str, int] = {}
    for u in uncited:
        counts[u["source"]] = counts.get(u["source"], 0) + 1
    per_source = [
        {"source": sid, "count": n, "href": Markup(loc.md_link(page, loc.source_page(sid)))}
        for sid, n in counts.items()
    ]
    return {"uncited": [], "uncited_per_source": per_source}


def page_plan(project: Project) -> list[str]:
    """Every file `render` makes, in the order it makes them (MkDocs reads them in this
    order while they are still being rendered; see stream.py)."""
    loose = [loc.STATEMENTS] if any(not e.fact.meeting for e in project.collection("statements")) else []
    return [
        loc.INDEX,
        loc.MEETINGS,
        *[loc.meeting_page(e.fact.id) for e in project.collection("meetings")],
        loc.PARTICIPANTS,
        *[loc.participant_page(e.fact.id) for e in project.collection("participants")],
        loc.LANDMINES,
        *loose,
        *[loc.source_page(sid) for sid in project.sources],
        loc.METHOD,
        loc.FACTS_JSON,
        loc.FACTS_CSV,
    ]


def render(
    project: Project,
    templates_dir: Path,
    build: BuildInfo | None = None,
    emit: Callable[[str, str], None] | None = None,
) -> dict[str, str]:
    """All generated files: Markdown pages by source path, and data files, in the order
    of `page_plan`. With `emit`, each file is handed over as soon as it is made (and the
    returned dict stays empty)."""
    env = make_env(templates_dir)
    ctx = Context(project)
    build = build or BuildInfo(None, False, None)
    data = facts_data(project, {"commit": build.commit, "dirty": build.dirty, "date": build.date})
    out: dict[str, str] = {}

    def put(path: str, content: str) -> None:
        if emit is None:
            out[path] = content
        else:
            emit(path, content)

    def page(path: str, template: str, nodes: list[dict[str, Any]], **values: Any) -> None:
        put(path, env.get_template(template).render(page_path=path, jsonld=jsonld.script(nodes), **values))

    def claims(path: str, entries: list[Any]) -> list[dict[str, Any]]:
        return [jsonld.claim(project, path, e) for e in entries if loc.fact_page(e) == path]

    meetings = project.collection("meetings")
    participants = project.collection("participants")
    figures = project.collection("landmine_figures")
    incidents = project.collection("landmine_incidents")

    # Home
    p = loc.INDEX
    page(
        p,
        "index.md.j2",
        claims(p, figures),
        key_figures=ctx.facts_of(p, figures),
        meetings=[ctx.link(p, loc.meeting_page(e.fact.id), e.fact.title) | ctx.when_where(e) for e in meetings],
        participants=[
            ctx.link(p, loc.participant_page(e.fact.id), e.fact.name) | {"post": e.fact.post} for e in participants
        ],
        sources=[
            ctx.link(p, loc.source_page(s.id), s.meta.title)
            | {"publisher": s.meta.publisher, "published": s.meta.published.isoformat()}
            for s in project.sources.values()
        ],
        pages={
            "meetings": Markup(loc.md_link(p, loc.MEETINGS)),
            "participants": Markup(loc.md_link(p, loc.PARTICIPANTS)),
            "landmines": Markup(loc.md_link(p, loc.LANDMINES)),
            "method": Markup(loc.md_link(p, loc.METHOD)),
            "json": Markup(loc.md_link(p, loc.FACTS_JSON)),
            "csv": Markup(loc.md_link(p, loc.FACTS_CSV)),
        },
        stats=data["statistics"],
        build=build,
    )

    # Meetings
    p = loc.MEETINGS
    page(
        p,
        "meetings.md.j2",
        [],
        meetings=[
            ctx.link(p, loc.meeting_page(e.fact.id), e.fact.title)
            | ctx.when_where(e)
            | {"participants": [ctx.name(x) for x in e.fact.participants]}
            for e in meetings
        ],
    )
    for e in meetings:
        p = loc.meeting_page(e.fact.id)
        said = ctx.meeting_statements(e.fact.id, "statement")
        page(
            p,
            "meeting.md.j2",
            [jsonld.event(project, p, e)] + claims(p, [e, *ctx.meeting_statements(e.fact.id)]),
            meeting=ctx.fact(p, e),
            title=e.fact.title,
            when_where=ctx.when_where(e),
            participants=[ctx.link(p, loc.participant_page(x), ctx.name(x)) for x in e.fact.participants],
            topics=ctx.facts_of(p, ctx.meeting_statements(e.fact.id, "topic")),
            speakers=ctx.by_speaker(p, said),
            outcomes=ctx.facts_of(p, ctx.meeting_statements(e.fact.id, "outcome")),
            background=ctx.facts_of(p, ctx.meeting_statements(e.fact.id, "background")),
        )

    # Participants
    p = loc.PARTICIPANTS
    page(
        p,
        "participants.md.j2",
        [],
        participants=[
            ctx.link(p, loc.participant_page(e.fact.id), e.fact.name)
            | {"post": e.fact.post, "kind": e.fact.kind, "country": e.fact.country}
            for e in participants
        ],
    )
    for e in participants:
        p = loc.participant_page(e.fact.id)
        own = [x for x in ctx.asserted.get(e.fact.id, []) if x is not e]
        page(
            p,
            "participant.md.j2",
            [jsonld.agent_page(project, e, ctx.meetings_of(e.fact.id))] + claims(p, [e]),
            person=ctx.fact(p, e),
            name=e.fact.name,
            kind=e.fact.kind,
            post=e.fact.post,
            country=e.fact.country,
            meetings=[ctx.link(p, loc.meeting_page(m.fact.id), m.fact.title) for m in ctx.meetings_of(e.fact.id)],
            said=ctx.by_meeting(p, [x for x in own if x.fact.attribution.mode == "said"]),
            according_to=ctx.facts_of(p, [x for x in own if x.fact.attribution.mode == "according_to"]),
        )

    # Landmines
    p = loc.LANDMINES
    page(
        p,
        "landmines.md.j2",
        claims(p, figures + incidents),
        figures=[
            ctx.fact(p, e)
            | {
                "stated": ctx.values(e),
                "measure": e.fact.measure,
                "period": e.fact.period,
                "place": e.fact.place,
                "reporter": ctx.asserted_by(e),
            }
            for e in figures
        ],
        incidents=[
            ctx.fact(p, e) | {"when": e.fact.when, "place": e.fact.place, "outcome": e.fact.outcome} for e in incidents
        ],
    )

    # Statements tied to no meeting
    loose = [e for e in ctx.statements() if not e.fact.meeting]
    if loose:
        p = loc.STATEMENTS
        page(p, "statements.md.j2", claims(p, loose), speakers=ctx.by_speaker(p, loose))

    # Sources
    for sid in project.sources:
        p = loc.source_page(sid)
        page(p, "source.md.j2", [], source=_source_view(ctx, sid))

    # Method
    p = loc.METHOD
    stats = data["statistics"]
    page(
        p,
        "method.md.j2",
        [],
        stats=stats | {"percent": f"{stats['share_of_claim_sentences_cited']:.0%}"},
        **_uncited(p, stats["uncited_sentences"]),
    )

    put(loc.FACTS_JSON, export_json(data))
    put(loc.FACTS_CSV, export_csv(data))
    return out
