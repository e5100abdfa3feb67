"""The pipeline: load -> validate -> resolve citations -> render -> build.

`check()` runs the first three stages and never raises on bad content: every problem is a
Diagnostic in `project.report`. Every entry point goes through it: `factsheet check`,
`cite`, `diff`, `build`, `serve` and the MkDocs plugin. The last two stages are
`render.Renderer` (pages, rendered when MkDocs asks for them) and `build.build_site`
(MkDocs into a temporary directory, the site check, the atomic swap); `build.run()` is
the whole pipeline in one function, and what `factsheet build` calls.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from .cache import Cache, digest
from .cite import FactMemo, QuoteMemo, resolve_citations
from .clock import build_date, epoch_problem
from .diagnostics import Report, plural
from .fields import resolve_values
from .load import YamlDoc, content_listing, read_yaml
from .model import ID_PATTERN, SourceMeta
from .parallel import fill
from .project import Project, Source
from .sources import SEGMENTER_LANGUAGES, load_source_text, segmenter_language
from .validate import add_facts, check_dates, check_references, check_site, check_site_references, validate_doc

CONTENT = "content"
SITE_FILE = "site.yaml"


def _content_files(directory: Path, suffix: str, root: Path, report: Report) -> list[Path]:
    """Files with `suffix`, sorted by name; names must be ids (lowercase, so unique ignoring case)."""
    for d in (directory.parent, directory):
        if d.is_symlink():
            rel = d.relative_to(root).as_posix()
            report.add(rel, 1, 1, "L104", "content directory is a symbolic link", "content must live in the repository")
            return []
    if not directory.is_dir():
        report.add(directory.relative_to(root).as_posix(), 1, 1, "L101", "directory is missing")
        return []
    files = content_listing(directory, suffix, root, report)  # regular files only, never opened here
    out = []
    for p in files:
        rel = p.relative_to(root).as_posix()
        stem = p.name[: -len(suffix)]
        if not re.fullmatch(ID_PATTERN, stem):  # fullmatch: '$' alone lets a trailing newline through
            report.add(
                rel,
                1,
                1,
                "L102",
                f"file name '{p.name}' is not a valid id",
                "use lowercase ASCII letters, digits and '-', e.g. city-news-2024-05-02.yaml",
            )
            continue
        out.append(p)
    return out


def load_sources(root: Path, project: Project, cache: Cache | None, files: list[Path]) -> None:
    """Every source: metadata, verbatim text, sentences. Ids of sources that did not load
    go to `project.failed_sources`, so citations of them say why they cannot be verified."""
    report = project.report
    for path in files:
        sid = path.name[:-5]
        doc = read_yaml(path, path.relative_to(root).as_posix(), report, cache)
        before = len(report.diagnostics)
        meta = validate_doc(doc, SourceMeta, report, "source") if doc is not None else None
        if meta is None:
            _paste_sha256(report, before, path.with_suffix(".txt"))
        if doc is not None:
            doc.release()
        text = None
        language = segmenter_language(meta.language) if meta is not None else None
        if meta is not None and language is None:
            assert doc is not None
            line, col = doc.pos(("language",))
            report.add(
                doc.file,
                line,
                col,
                "S113",
                f"sentences cannot be split in language '{meta.language}'",
                "the sentence splitter (pysbd) knows: " + ", ".join(sorted(SEGMENTER_LANGUAGES)),
            )
        elif meta is not None and language is not None:
            where = path.parent.relative_to(root).as_posix()
            text = load_source_text(sid, path.parent, report, meta.sha256, where, cache, language)
        if doc is None or meta is None or text is None:
            project.failed_sources.add(sid)
            continue
        project.sources[sid] = Source(sid, meta, doc, text)


def orphan_texts(directory: Path, metadata: list[Path], root: Path, project: Project) -> None:
    """A source text without its metadata file is an error, not a file silently ignored."""
    if not directory.is_dir() or directory.is_symlink() or directory.parent.is_symlink():  # L104 says why
        return
    have = {p.with_suffix(".txt").name for p in metadata}
    for txt in sorted(directory.glob("*.txt")):
        if txt.name in have or txt.is_symlink() or not txt.is_file():
            continue
        sha = hashlib.sha256(txt.read_bytes()).hexdigest()
        project.report.add(
            txt.relative_to(root).as_posix(),
            1,
            1,
            "S112",
            f"source text has no metadata file {txt.stem}.yaml",
            f"create {txt.with_suffix('.yaml').relative_to(root).as_posix()} with publisher, url, published, "
            f"language and sha256: {sha}",
        )
        project.failed_sources.add(txt.stem)


def _paste_sha256(report: Report, since: int, text: Path) -> None:
    """A source's metadata without its sha256: the hint gives the value to paste."""
    for i in range(since, len(report.diagnostics)):
        d = report.diagnostics[i]
        if d.code == "V102" and d.message.endswith("'sha256'") and text.is_file() and not text.is_symlink():
            sha = hashlib.sha256(text.read_bytes()).hexdigest()
            report.diagnostics[i] = dataclasses.replace(d, hint=f"its text file's sha256 is {sha}: add 'sha256: {sha}'")


def load_facts(root: Path, project: Project, cache: Cache | None, path: Path) -> None:
    """One fact file: each of its facts validated and added to the project."""
    doc = read_yaml(path, path.relative_to(root).as_posix(), project.report, cache)
    if doc is not None:
        add_facts(project, doc, project.report)
        doc.release()


Part = tuple[Project, list[tuple[str, str]]]  # what loading a file added, and the cache entries it used


class CheckMemo:
    """What a long-running process (the live preview) keeps from one check to the next,
    so that after an edit only what changed is loaded and looked up again: what loading
    each file added to the project (its facts, or its source; diagnostics; ids that did
    not validate), each quote's look-up (cite.QuoteMemo) and each fact's verification
    (cite.FactMemo).

    A file's part is keyed by its path and the bytes of every file it is read with (a
    source: its .yaml, .txt and .sents), so an edit to any of them is a miss; a file that
    is not a regular file (or a source's text that is missing) is always loaded afresh,
    as are content/site.yaml and every check across files (ids, references, dates). Each
    check keeps only the parts it used: the memo holds one project, not a history."""

    def __init__(self) -> None:
        self.quotes = QuoteMemo()
        self.facts = FactMemo()
        self._last: dict[tuple[object, ...], Part] = {}
        self._now: dict[tuple[object, ...], Part] = {}

    def start(self) -> None:
        self._last, self._now = self._now or self._last, {}
        self.facts.start()

    def load(
        self, key: tuple[object, ...] | None, project: Project, cache: Cache, load: Callable[[Project], None]
    ) -> None:
        """Add what `load` adds to a project, from the memo when the files are the same."""
        if key is None:
            load(project)
            return
        part = self._now.get(key) or self._last.get(key)
        if part is None:
            scratch = Project(root=project.root)
            cache.log = []
            try:
                load(scratch)
                part = (scratch, cache.log)
            finally:
                cache.log = None
        else:
            for kind, entry in part[1]:
                cache.use(kind, entry)  # so that the cache file keeps what the part was made from
        self._now[key] = part
        _merge(project, part[0])


def _state(*paths: Path) -> tuple[object, ...] | None:
    """The paths and their bytes (a missing .sents: None), or None when one is anything but
    a regular file (its diagnostics are made afresh)."""
    out: list[object] = []
    for i, path in enumerate(paths):
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None
            out += [str(path), digest(path.read_bytes())]
        except FileNotFoundError:
            if i < 2:  # the .yaml or its .txt: their absence is a diagnostic
                return None
            out += [str(path), None]
        except OSError:
            return None
    return tuple(out)


def _merge(project: Project, part: Project) -> None:
    project.report.diagnostics += part.report.diagnostics
    for e in part.facts:
        project.add(e)
    project.sources.update(part.sources)
    project.invalid_ids |= part.invalid_ids
    project.failed_sources |= part.failed_sources
    project.stray_citations += part.stray_citations


def load_site(root: Path, project: Project, cache: Cache | None) -> None:
    """content/site.yaml: the fact sheet's own configuration."""
    path = root / CONTENT / SITE_FILE
    rel = path.relative_to(root).as_posix()
    if path.is_symlink() or not path.is_file():
        project.report.add(
            rel,
            1,
            1,
            "L106",
            "the fact sheet's configuration is missing",
            "create content/site.yaml with title, description, introduction, publisher, contact and licence "
            "(factsheet new DIR writes one)",
        )
        return
    doc: YamlDoc | None = read_yaml(path, rel, project.report, cache)
    if doc is not None:
        check_site(project, doc, project.report)


@contextlib.contextmanager
def collector_paused(freeze: bool = False) -> Iterator[None]:
    """Python's cycle collector off while a check builds its project, back on afterwards.

    A check allocates hundreds of thousands of objects that all live as long as the
    project, and makes no garbage cycles (dropping a project frees all of it by reference
    counting); with the collector on, every 700th allocation starts a pass over the young
    objects and every so often one over all of them: half of a warm check's time at 1,000
    sources. `freeze` moves every object alive at the end into the collector's permanent
    generation (gc.freeze), for a process that keeps the project to the end (`build`) or
    until the next check (the preview): no later pass walks it again, the pass the
    collector owes at once is not made, and a forked worker does not copy the project's
    memory pages by writing the collector's headers in them."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was:
            gc.enable()


def check(
    root: Path | str = ".", today: dt.date | None = None, cache: Cache | bool = True, memo: CheckMemo | None = None
) -> Project:
    """Load, validate and verify all content under root/content. Never raises on bad content.

    Dates are judged against `today`, by default the build date (SOURCE_DATE_EPOCH, else the
    last commit's time), so a commit passes or fails the same way on any day. Parsed YAML
    and sentence splits come from the cache (cache.py) when their files' bytes are
    unchanged; `cache=False` reads everything afresh. A long-running process (the
    preview) hands every check the same `memo`, so quotes are looked up once."""
    with collector_paused():
        return _check(Path(root).resolve(), today, cache, memo)


def _check(root: Path, today: dt.date | None, cache: Cache | bool, memo: CheckMemo | None) -> Project:
    """check(), with the collector paused."""
    project = Project(root=root)
    report = project.report
    content = root / CONTENT
    origin = "the caller"
    if today is None:
        today, origin = build_date(root)
    problem = epoch_problem()
    if problem:
        report.add("SOURCE_DATE_EPOCH", 1, 1, "L105", problem, "set it to a Unix time, e.g. $(git log -1 --format=%ct)")

    if not isinstance(cache, Cache):
        cache = Cache.for_project(root) if cache else Cache(None)
    source_files = _content_files(content / "sources", ".yaml", root, report)
    orphan_texts(content / "sources", source_files, root, project)
    fact_files = _content_files(content / "facts", ".yaml", root, report)
    # 1. load + validate: the configuration, the facts, the sources (metadata, verbatim text,
    #    sentences); what the cache lacks is computed on every core meanwhile, in this order:
    #    the facts first (their YAML is quick to parse), so that this process validates
    #    them while the workers split the texts, not after
    texts = [(p, p.with_suffix(".txt")) for p in source_files]
    readable = [f for y, t in texts for f in (y, t) if f == y or (t.is_file() and not t.is_symlink())]
    filling = fill(cache, fact_files + readable)
    try:
        load_site(root, project, cache)
        if memo is None:
            for path in fact_files:
                load_facts(root, project, cache, path)
            load_sources(root, project, cache, source_files)
        else:
            memo.start()
            for path in fact_files:
                memo.load(_state(path), project, cache, functools.partial(load_facts, root, cache=cache, path=path))
            for path in source_files:
                key = _state(path, path.with_suffix(".txt"), path.with_suffix(".sents"))
                memo.load(key, project, cache, functools.partial(load_sources, root, cache=cache, files=[path]))
    finally:
        filling.close()
    cache.save()
    cache.close()
    del cache, filling  # the cache's index and the workers' futures are not needed past loading
    check_references(project, report)
    check_site_references(project, report)
    check_dates(project, report, today, origin)

    # 2. resolve citations against the sentences of their sources, and every value a
    #    reader sees against the quotes that state it
    facts = memo.facts if memo is not None else None
    indexes = resolve_citations(project, report, memo.quotes if memo is not None else None, facts)
    resolve_values(project, report, indexes, facts)
    return project


def summary(project: Project) -> str:
    n_cit = sum(len(e.fact.citations) for e in project.facts)
    return (
        f"{plural(len(project.facts), 'fact')}, {plural(n_cit, 'citation')}, {plural(len(project.sources), 'source')}"
    )
