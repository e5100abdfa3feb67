"""The whole pipeline in one place: load -> validate -> resolve citations -> render -> build.

`check()` runs the first three stages and never raises on bad content: every problem is a
Diagnostic in `project.report`. `render()` turns a clean project into Markdown pages and
data files; the MkDocs plugin (or `factsheet build`) hands them to MkDocs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from .cache import Cache
from .cite import resolve_citations
from .clock import build_date, epoch_problem
from .diagnostics import Report, plural
from .load import content_listing, read_yaml
from .model import ID_PATTERN, SourceMeta
from .parallel import fill
from .sources import load_source_text
from .validate import Project, Source, add_facts, check_dates, check_references, validate_doc


def _content_files(directory: Path, suffix: str, root: Path, report: Report) -> list[Path]:
    """Files with `suffix`, sorted by name; names must be ids and unique ignoring case."""
    for d in (directory.parent, directory):
        if d.is_symlink():
            rel = d.relative_to(root).as_posix()
            report.add(rel, 1, 1, "L104", "content directory is a symbolic link", "content must live in the repository")
            return []
    if not directory.is_dir():
        report.add(directory.relative_to(root).as_posix(), 1, 1, "L101", "directory is missing")
        return []
    files = content_listing(directory, suffix, root, report)  # regular files only, never opened here
    seen: dict[str, Path] = {}
    out = []
    for p in files:
        rel = p.relative_to(root).as_posix()
        stem = p.name[: -len(suffix)]
        if not re.match(ID_PATTERN, stem):
            report.add(
                rel,
                1,
                1,
                "L102",
                f"file name '{p.name}' is not a valid id",
                "use lowercase ASCII letters, digits and '-', e.g. tdi-2023-05-02.yaml",
            )
            continue
        if stem.lower() in seen:
            report.add(rel, 1, 1, "L103", f"'{p.name}' clashes with '{seen[stem.lower()].name}'")
            continue
        seen[stem.lower()] = p
        out.append(p)
    return out


def load_sources(
    root: Path,
    report: Report,
    failed: set[str] | None = None,
    cache: Cache | None = None,
    files: list[Path] | None = None,
) -> dict[str, Source]:
    """Every source under root/content/sources: metadata, verbatim text, sentences.
    Ids of sources that did not load are added to `failed`."""
    sources = {}
    if files is None:
        files = _content_files(root / "content" / "sources", ".yaml", root, report)
    for path in files:
        sid = path.name[:-5]
        doc = read_yaml(path, path.relative_to(root).as_posix(), report, cache)
        meta = doc and validate_doc(doc, SourceMeta, report, "source")
        if doc is not None:
            doc.release()
        text = meta and load_source_text(
            sid, path.parent, report, meta.sha256, path.parent.relative_to(root).as_posix(), cache
        )
        if doc is None or meta is None or text is None:
            if failed is not None:
                failed.add(sid)
            continue
        sources[sid] = Source(sid, meta, doc, text)
    return sources


def check(root: Path | str = ".", today: dt.date | None = None, cache: Cache | bool = True) -> Project:
    """Load, validate and verify all content under root/content. Never raises on bad content.

    Dates are judged against `today`, by default the build date (SOURCE_DATE_EPOCH, else the
    last commit's time), so a commit passes or fails the same way on any day. Parsed YAML
    and sentence splits come from the project's cache (cache.py) when their files' bytes
    are unchanged; `cache=False` reads everything afresh."""
    root = Path(root).resolve()
    project = Project()
    report = project.report
    content = root / "content"
    origin = "the caller"
    if today is None:
        today, origin = build_date(root)
    problem = epoch_problem()
    if problem:
        report.add("SOURCE_DATE_EPOCH", 1, 1, "L105", problem, "set it to a Unix time, e.g. $(git log -1 --format=%ct)")

    if not isinstance(cache, Cache):
        cache = Cache.for_project(root) if cache else Cache(None)
    source_files = _content_files(content / "sources", ".yaml", root, report)
    fact_files = _content_files(content / "facts", ".yaml", root, report)
    texts = [p.with_suffix(".txt") for p in source_files]
    fill(cache, source_files + fact_files, [p for p in texts if p.is_file() and not p.is_symlink()])

    # 1. load + validate sources (metadata, verbatim text, sentences)
    project.sources = load_sources(root, report, project.failed_sources, cache, source_files)

    # 2. load + validate fact files
    for path in fact_files:
        doc = read_yaml(path, path.relative_to(root).as_posix(), report, cache)
        if doc is not None:
            add_facts(project, doc, report)
            doc.release()
    cache.save()  # complete now; dropping it frees the data it held
    del cache
    check_references(project, report)
    check_dates(project, report, today, origin)

    # 3. resolve citations against the sentences of their sources
    resolve_citations(project, report)
    return project


def summary(project: Project) -> str:
    n_cit = sum(len(e.fact.citations) for e in project.facts)
    return (
        f"{plural(len(project.facts), 'fact')}, {plural(n_cit, 'citation')}, {plural(len(project.sources), 'source')}"
    )
