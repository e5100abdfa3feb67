"""The live preview's rebuilds: after a content edit, only the pages it affects.

`factsheet serve` runs MkDocs' development server (its LiveReloadServer) with this
module's builder instead of MkDocs' own. The first build, and any rebuild this module
cannot vouch for, is MkDocs' full build, as `mkdocs serve` does it. After a full build
the plugin hands over what it built from (`Built`: MkDocs' files, navigation and theme
environment, the checked project, the renderer, the page scans of the site check). The
next rebuild then:

1. lists what changed since (the mtime and size of every file under content/,
   templates/, docs_dir and mkdocs.yml). Anything but content files other than
   content/site.yaml (a template or theme edit, mkdocs.yml, site.yaml, docs/) means a
   full build;
2. checks the project (pipeline.check, cached per file, with the preview's CheckMemo:
   what each unchanged file added to the project and every quote's look-up are taken
   from the check before, so only the edited files are loaded and looked up again; the
   checks across files run in full). Content with an error means a full build, which
   shows the error page;
3. requires the same build information (commit, dirty), the same site plan (every page,
   title and "Edit" link: the navigation and every page's layout are the same) and the
   same order of the facts both projects have; else a full build;
4. works out the pages the edit affects (`affected_pages`: from the facts and sources
   that differ, the pages that show them, in full or in part), re-renders and rewrites
   just those through MkDocs' own page step (the theme, every plugin's page events),
   and rewrites the data files that differ. The rebuild ends there: the server serves
   the rebuilt pages and reloads the browsers;
5. then, in a thread of its own, once no newer save has come for QUIET seconds (an
   editor saving again and again is served at once, not slowed by work the next save
   makes moot), writes the data files and the pages that show them
   (Method, Data: their statistics and sizes), rebuilds the search index when a search
   document differs (Pagefind, into a scratch directory; its files checked, then
   swapped in whole), and runs the site check on the whole site as it now is, reusing
   the scans of the unchanged pages (a scan is a pure function of a page's bytes). A
   newer save does not wait for it (only for its writes, under `Preview.lock`): it
   gives way at once, the exports between two records and Pagefind killed
   (moot.GaveWay), so a save does not share the cores with it (Pagefind runs at a
   lower priority). A save that changes nothing it builds from (a file an editor made
   and removed) leaves it be. A problem it finds is logged and starts a full build at
   once, which reports it as a full build does today.

What the preview defers, then: for QUIET seconds and a few more after a save the Method
and Data pages and the data files may be the previous ones, search may use the previous
index, and a page may be served before the site check has passed it. `factsheet build` always builds
and checks everything before it publishes.

The result is the site a full build of the edited project writes, byte for byte
(tests/test_incremental.py). `mkdocs serve` keeps rebuilding in full.
"""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from mkdocs.plugins import get_plugin_logger

from .model import Meeting, Participant, Statement
from .moot import GaveWay
from .pipeline import CheckMemo
from .registry import (
    BY_KEY,
    CHANGES_PAGE,
    DATA_PAGE,
    HOME,
    METHOD,
    SOURCES,
    home_of,
    label,
    source_page,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig

    from .mkdocs_plugin import FactSheetPlugin
    from .project import FactEntry, Project
    from .publish import SiteScans
    from .registry import Page

log = get_plugin_logger("factsheet")

Snapshot = dict[str, tuple[int, int]]  # path -> (mtime in ns, size)
Outcome = Literal["full", "incremental", "unchanged"]
ALWAYS = (HOME, SOURCES, METHOD, DATA_PAGE, CHANGES_PAGE)  # pages that count or list the whole site
DEFERRED = (METHOD, DATA_PAGE)  # they show the data files (statistics, sizes): rebuilt after them
QUIET = 3.0  # seconds without a newer save before a rebuild's follow-up starts


def snapshot(paths: list[Path]) -> Snapshot:
    """The mtime and size of every file under `paths` (files or directories)."""
    out: Snapshot = {}
    for top in paths:
        if top.is_file():
            st = top.stat()
            out[str(top)] = (st.st_mtime_ns, st.st_size)
            continue
        for base, _, files in os.walk(top):
            for name in files:
                p = os.path.join(base, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                out[p] = (st.st_mtime_ns, st.st_size)
    return out


def changed(old: Snapshot, new: Snapshot) -> set[str]:
    return {p for p in old.keys() | new.keys() if old.get(p) != new.get(p)}


@dataclass
class Built:
    """What the last good build of the preview was built from (the plugin's hand-over)."""

    config: MkDocsConfig
    files: Any  # mkdocs Files
    nav: Any  # mkdocs Navigation
    env: Any  # the theme's jinja2 Environment
    renderer: Any  # render.Renderer
    contents: dict[str, str]  # the pages the search index reads the content of (plugin.early)
    docs: dict[str, str]  # the search index's documents
    scans: SiteScans
    data: dict[str, str] = field(default_factory=dict)  # the stored texts, as written
    explains: bool = False  # whether the Method page defines the badges (Renderer.explains)

    @property
    def project(self) -> Project:
        project: Project = self.renderer.project
        return project

    @property
    def plan(self) -> list[Page]:
        plan: list[Page] = self.renderer.pages()
        return plan


# --- what an edit affects ------------------------------------------------------------------


def _changed_sources(old: Project, new: Project, only: set[str] | None) -> set[str]:
    """The sources whose metadata, text or non-claims differ (the same ids in both)."""
    out = {
        sid
        for sid, s in new.sources.items()
        if (only is None or sid in only)
        and (s.meta, s.text.sha256, s.doc.file)
        != (old.sources[sid].meta, old.sources[sid].text.sha256, old.sources[sid].doc.file)
    }
    if old.non_claims != new.non_claims:
        keys = {
            k for k in old.non_claims.keys() | new.non_claims.keys() if old.non_claims.get(k) != new.non_claims.get(k)
        }
        for project in (old, new):
            out |= {sid for sid, s in project.sources.items() if any(x.id in keys for x in s.text.sentences)}
    return out


def _fact_key(project: Project, e: FactEntry) -> object:
    fid = e.fact.id
    return (e.fact, e.collection, e.file, project.resolved.get(fid), project.values.get(fid))


def _counts(project: Project) -> tuple[int, ...]:
    """What the home page counts: the facts of each collection, and the citations."""
    colls = (project.participants, project.meetings, project.figures, project.incidents, project.statements)
    return (*(len(c) for c in colls), sum(len(e.fact.citations) for e in project.facts))


def _row(project: Project, e: FactEntry) -> object:
    """What the index of a collection whose items have pages shows of one: its label and
    the fields of its row (each value with its citations, the cited sources that do not
    state it), and its statement, which the index's references link back with."""
    f = e.fact
    return (
        label(f),
        f.statement,
        project.values.get(f.id),
        tuple(c.source for c in f.citations),
        f.kind if isinstance(f, Participant) else None,
        tuple(f.participants) if isinstance(f, Meeting) else None,
    )


def _order_kept(old: list[str], new: list[str]) -> bool:
    """The ids both lists have are in the same order in each."""
    both = set(old) & set(new)
    return [i for i in old if i in both] == [i for i in new if i in both]


def affected_pages(old: Project, new: Project, files: set[str] | None = None) -> set[str] | None:
    """The pages whose content may differ between two checked projects with the same site
    plan, or None when this cannot tell (then everything is rebuilt).

    A fact (its statement, attribution, citations, fields) is shown in full on its home
    page; on the page of each source it cites (back-links); on the pages of the
    participants it is attributed to (their statements and claims); for a meeting, on
    its participants' pages; as a row on its collection's index (where the items have
    pages of their own: only when what the row shows differs); and on the home page if
    it is a key figure. The home page also counts facts and citations and lists the
    sources, as the Sources page does; the Method, Data and What changed pages are
    always rebuilt. A participant's name or kind is printed wherever it is named
    (attributions, headings, JSON-LD): a change to them rebuilds everything; its fields
    (its JSON-LD jobTitle) reach the pages of the claims it makes and of the meetings
    it attends.

    `files` (paths from the project root) are the files that changed, if known: then only
    the facts of those files, and the sources of those files (or of those texts), can
    differ; a file that is neither means everything is compared."""
    if old.config != new.config or list(old.sources) != list(new.sources):
        return None
    for coll in ("participants", "meetings", "figures", "incidents", "statements"):
        if not _order_kept([e.fact.id for e in getattr(old, coll)], [e.fact.id for e in getattr(new, coll)]):
            return None
    if not _order_kept([e.fact.id for e in old.facts], [e.fact.id for e in new.facts]):
        return None
    old_by, new_by = old.by_id(), new.by_id()
    if len(old_by) != len(old.facts) or len(new_by) != len(new.facts):
        return None  # an id used twice (validation reports it; be safe anyway)
    candidates: set[str] | None = None
    only: set[str] | None = None
    if files is not None:
        fact_files = {e.file for p in (old, new) for e in p.facts}
        source_files = {s.doc.file: sid for p in (old, new) for sid, s in p.sources.items()}
        texts = {f"content/sources/{sid}.txt": sid for p in (old, new) for sid in p.sources}
        if all(f in fact_files or f in source_files or f in texts for f in files):
            only = {source_files[f] for f in files if f in source_files} | {texts[f] for f in files if f in texts}
            candidates = {e.fact.id for p in (old, new) for e in p.facts if e.file in files}
    sources = _changed_sources(old, new, only)
    facts = {
        fid
        for fid in (old_by.keys() | new_by.keys() if candidates is None else candidates)
        if fid not in old_by or fid not in new_by or _fact_key(old, old_by[fid]) != _fact_key(new, new_by[fid])
    }
    cited: set[str] = set()  # facts that differ by a source they cite (its publisher, date, text)
    for project in (old, new):
        if sources:
            cited |= {e.fact.id for e in project.facts if any(c.source in sources for c in e.fact.citations)}
    facts |= cited
    moved = {fid for fid in facts if fid not in old_by or fid not in new_by}  # added or removed
    pages: set[str] = set(ALWAYS) - {HOME, SOURCES} | {source_page(s) for s in sources}
    if sources or moved or facts & set(new.config.key_figures) or _counts(old) != _counts(new):
        pages.add(HOME)  # its key figures, counts and list of sources
    if sources:
        pages.add(SOURCES)  # its list of sources
    participants: set[str] = set()
    for fid in facts:
        for by in (old_by, new_by):
            e = by.get(fid)
            if e is None:
                continue
            f = e.fact
            pages.add(home_of(e))
            c = BY_KEY[e.collection]
            a, b = old_by.get(fid), new_by.get(fid)
            if c.item is None or fid in cited or a is None or b is None or _row(old, a) != _row(new, b):
                pages.add(c.index)  # an index of items with pages of their own shows each one's row
            pages.update(source_page(c.source) for c in f.citations)
            if f.attribution is not None:
                pages.update(BY_KEY["participants"].item_page(p) for p in f.attribution.by)
            if isinstance(f, Meeting):
                pages.update(BY_KEY["participants"].item_page(p) for p in f.participants)
            if isinstance(f, Statement):
                pages.add(BY_KEY["statements"].index)  # its count of each meeting's statements
            if isinstance(f, Participant):
                participants.add(fid)
    for pid in participants:
        a, b = old_by.get(pid), new_by.get(pid)
        if a is None or b is None:
            return None
        pa, pb = a.fact, b.fact
        assert isinstance(pa, Participant) and isinstance(pb, Participant)
        if (pa.name, pa.kind) != (pb.name, pb.kind):
            return None
        if old.values.get(pid) == new.values.get(pid):
            continue
        for project in (old, new):  # its JSON-LD (jobTitle) where it is an author or attendee
            for e in project.facts:
                f = e.fact
                if f.attribution is not None and pid in f.attribution.by:
                    pages.add(home_of(e))
                if isinstance(f, Meeting) and pid in f.participants:
                    pages.add(home_of(e))
    return pages


# --- the preview's builder -----------------------------------------------------------------


class Preview:
    """The builder of one `serve`: a full MkDocs build, or only what an edit affects."""

    def __init__(self, config_file: Path, site_dir: str, serve_url: str, dev_addr: str | None = None) -> None:
        self.config_file = config_file.resolve()
        self.root = self.config_file.parent
        self.site_dir = site_dir
        self.serve_url = serve_url
        self.dev_addr = dev_addr
        self.built: Built | None = None
        self.watched: list[Path] = []
        self.seen: Snapshot = {}  # the watched files as the last build started
        self.times: dict[str, float] = {}  # when each step of the last incremental rebuild ended
        # The site directory has one writer at a time: a build, or the part of a rebuild's
        # follow-up (_after) that writes or reads the site; not its search indexing.
        self.lock = threading.Lock()
        self.generation = 0  # of the last build: a follow-up of an older one gives way
        self.pending: list[threading.Thread] = []  # follow-ups that may still run
        self.on_stale: Callable[[], None] | None = None  # asks the server for a rebuild now
        self.saving: Callable[[], bool] = lambda: False  # the server has seen a change and will build
        self.quiet = QUIET
        self.hurry = threading.Event()  # wait(): the follow-ups start now, not after the quiet
        self.memo = CheckMemo()  # each check loads only the files an edit changed

    def config(self) -> MkDocsConfig:
        from mkdocs.config import load_config

        kwargs: dict[str, Any] = {"dev_addr": self.dev_addr} if self.dev_addr else {}
        config = load_config(config_file=str(self.config_file), site_dir=self.site_dir, **kwargs)
        if self.serve_url:
            config.site_url = self.serve_url
        return config

    def _plugin(self, config: MkDocsConfig) -> FactSheetPlugin | None:
        from .mkdocs_plugin import FactSheetPlugin

        plugin = config.plugins.get("factsheet")
        return plugin if isinstance(plugin, FactSheetPlugin) else None

    def build(self, config: MkDocsConfig | None = None) -> Outcome:
        """Rebuild the site in site_dir: what the edits since the last build affect, or all."""
        now = snapshot(self.watched)
        if config is None and self.built is not None and not changed(self.seen, now):
            return "unchanged"  # the follow-up of the last rebuild, if still running, goes on
        self.generation += 1  # the follow-up of the last rebuild, if still running, is moot
        self.pending = [t for t in self.pending if t.is_alive()]
        self.hurry.clear()
        with self.lock:
            started = time.perf_counter()
            if config is None and self.built is not None:
                outcome = self._incremental(self.built, now)
                if outcome is not None:
                    took = time.perf_counter() - started
                    print(f"INFO    -  factsheet: preview {outcome} in {took:.2f} s", file=sys.stderr, flush=True)
                    return outcome
            self.full(config)
            return "full"

    def full(self, config: MkDocsConfig | None = None, project: Project | None = None) -> None:
        from mkdocs.commands.build import build

        from .pipeline import check, collector_paused

        gc.unfreeze()  # what earlier builds left in cycles (MkDocs' pages and navigation) goes now
        gc.collect()
        config = config or self.config()
        self.built = None
        plugin = self._plugin(config)
        own = self.root / (plugin.config.templates_dir if plugin else "templates")
        self.watched = [self.root / "content", own, Path(config.docs_dir), self.config_file]
        self.seen = snapshot(self.watched)
        if plugin is not None:
            plugin.hand_over = self._keep
            with collector_paused(freeze=True):
                plugin.checked = project or check(self.root, memo=self.memo)
        build(config, serve_url=self.serve_url)
        # the cycles this build left collected, and what is alive frozen, now rather than
        # when the editor's next save waits for its check
        gc.collect()
        gc.freeze()

    def _keep(self, **fields: Any) -> None:
        """The plugin's hand-over after a good build (FactSheetPlugin.hand_over)."""
        built = Built(**fields)
        built.data = built.renderer.stored_texts()
        built.explains = built.renderer.explains
        self.built = built

    def _incremental(self, built: Built, now: Snapshot) -> Outcome | None:
        """None: a full build is needed."""
        from .buildinfo import BuildInfo
        from .pipeline import check, collector_paused, summary
        from .render import Renderer

        edits = changed(self.seen, now)
        content = self.root / "content"
        fast = all(Path(p).is_relative_to(content) and Path(p) != content / "site.yaml" for p in edits)
        if not fast:
            return None
        self.seen = now
        self.times = {"start": time.perf_counter()}
        gc.collect()  # what the last rebuild left in cycles: only objects made since the last freeze are walked
        with collector_paused(freeze=True):  # kept until the next check (no cycles: freed when dropped)
            project = check(self.root, memo=self.memo)
        self.times["check"] = time.perf_counter()
        if project.report.has_errors:
            self.full(project=project)
            return "full"
        old: Any = built.renderer
        info = BuildInfo.of(self.root)
        if info != old.build:
            self.full(project=project)
            return "full"
        renderer = Renderer(project, old.templates, info, old.urls, history=old.history)
        self.times["renderer"] = time.perf_counter()
        renderer.env = old.env  # the same templates, compiled once (and the same build info)
        files = {Path(p).relative_to(self.root).as_posix() for p in edits}
        pages = affected_pages(built.project, project, files) if renderer.pages() == built.plan else None
        self.times["affected"] = time.perf_counter()
        if pages is None:
            self.full(project=project)
            return "full"
        for d in project.report.sorted():  # as on_config logs them
            log.warning(str(d))
        log.info(summary(project))
        if not self._rebuild(built, renderer, pages):
            self.full(project=project)
            return "full"
        return "incremental"

    def _rebuild(self, built: Built, renderer: Any, pages: set[str]) -> bool:
        """Rewrite the affected pages and the stored texts that differ, but those that
        wait for the data files (DEFERRED); False when this cannot (a full build will)."""
        from .publish import SiteScans

        files = built.files
        texts = renderer.stored_texts()
        for path, content in texts.items():
            if built.data.get(path) != content:
                f = files.get_file_from_path(path)
                if f is None:
                    return False
                _write(f.abs_dest_path, content.encode("utf-8"))
                built.data[path] = content
        self.times["texts"] = time.perf_counter()
        plan = [p for p in renderer.pages() if p.path in pages]
        scans = SiteScans(built.scans.by_digest)  # a page's scan is reused where its bytes are the same
        scans.scans, scans.sizes = dict(built.scans.scans), dict(built.scans.sizes)
        now = [p for p in plan if p.path not in DEFERRED]
        contents = self._pages(built, renderer, now, scans, dict(built.contents))
        if contents is None:
            return False
        built.renderer, built.contents, built.scans = renderer, contents, scans
        self.times["pages"] = time.perf_counter()
        steps, last = [], self.times["start"]
        for name, at in self.times.items():
            if name != "start":
                steps.append(f"{name} {at - last:.2f} s")
                last = at
        log.info(f"preview: {len(now)} of {len(renderer.pages())} pages rebuilt ({', '.join(steps)})")
        later = [p for p in plan if p.path in DEFERRED]
        follow = threading.Thread(target=self._finish, args=(built, later, self.generation), daemon=True)
        self.pending.append(follow)
        follow.start()
        return True

    def _pages(
        self, built: Built, renderer: Any, plan: list[Page], scans: SiteScans, contents: dict[str, str]
    ) -> dict[str, str] | None:
        """Render and write `plan` through MkDocs' page step; the search contents after,
        or None when a page could not be (a template error: the full build shows it)."""
        import jinja2
        from mkdocs.structure.files import InclusionLevel

        from .mkdocs_plugin import SEARCH_CONTENT_KINDS

        config, files = built.config, built.files
        plugin = self._plugin(config)
        assert plugin is not None
        plugin.renderer, plugin.planned, plugin.scans = renderer, {p.path: p for p in plan}, scans
        plugin.early, plugin.errors = {}, []
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        try:
            for p in plan:
                f = files.get_file_from_path(p.path)
                if f is None or f.page is None or f.inclusion.is_excluded():
                    return None
                if p.kind in SEARCH_CONTENT_KINDS:  # the search index reads its own content
                    try:
                        contents[p.path] = plugin.early[p.path] = renderer.render(p)
                    except jinja2.TemplateError:
                        return None
                _write_page(f.page, config, doc_files, built.nav, built.env)
        finally:
            plugin.renderer, plugin.planned, plugin.scans, plugin.early = None, {}, None, {}
            scans.by_digest = {**(scans.previous or {}), **scans.by_digest}
            scans.previous = scans.by_digest
            plugin.last_scans = scans.by_digest  # for the next full build
        return None if plugin.errors else contents

    def _finish(self, built: Built, later: list[Page], generation: int) -> None:
        quiet_since = time.monotonic()
        while not self.hurry.is_set() and time.monotonic() - quiet_since < self.quiet:
            if generation != self.generation:
                return  # a newer build started: its own follow-up will make what this one would
            if self.saving():
                quiet_since = time.monotonic()  # a build is coming (or the change was nothing)
            self.hurry.wait(0.05)
        try:
            self._after(built, later, generation)
        except GaveWay:
            return  # a newer build started: its own follow-up makes what this one was making
        except Exception as e:  # noqa: BLE001 - whatever failed, the next rebuild is a full one
            if generation == self.generation:  # else a newer build changed the site under it
                self._stale(f"the preview's rebuild failed ({type(e).__name__}: {e})")

    def _stale(self, why: str) -> None:
        """The site may not be what a full build writes: rebuild it in full, now."""
        self.built = None
        log.error(f"factsheet: {why}; rebuilding in full")
        if self.on_stale is not None:
            self.on_stale()

    def _after(self, built: Built, later: list[Page], generation: int) -> None:
        """After the rebuilt pages are served: the data files and the pages that show
        them (Method, Data), the search index if a search document changed, and the site
        check of the whole site. A newer build makes it give way; a problem is logged and
        makes a full build, which reports it as any full build does."""
        from .build import _exchange
        from .publish import SiteScans, verify_site
        from .search import BUNDLE, SearchError, build_index, documents

        started = time.perf_counter()
        config, renderer = built.config, built.renderer

        def moot() -> bool:  # the exports and the search index stop at once when a newer build starts
            return generation != self.generation

        site = Path(config.site_dir)
        if renderer.explains != built.explains:  # the badges link to the Method page, or not
            self._stale("the Method page's definitions changed")
            return
        # the exports, written a record at a time beside the site (outside the lock: the next
        # save need not wait), then put in place at once
        scratch = Path(tempfile.mkdtemp(prefix=".factsheet-data-", dir=site.parent))
        try:
            exports = renderer.write_exports(scratch, moot)
            with self.lock:
                if generation != self.generation:
                    return
                for path in exports:
                    os.replace(scratch / path, site / path)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        with self.lock:
            if generation != self.generation:
                return
            contents = self._pages(built, renderer, later, built.scans, dict(built.contents))
            if contents is None:
                self._stale("a page could not be rendered")
                return
            built.contents = contents
            docs = documents(renderer.project, renderer.pages(), renderer.urls, contents)
        paged = time.perf_counter()
        problems: list[str] = []
        if docs != built.docs:
            tmp = Path(tempfile.mkdtemp(prefix=".factsheet-search-", dir=site.parent))
            try:
                build_index(tmp, docs, config.use_directory_urls, moot)
                problems = verify_site(tmp)  # the index's files, as the site check checks them
                with self.lock:
                    if generation != self.generation:
                        return
                    if not problems:
                        if not _exchange(tmp / BUNDLE, site / BUNDLE):
                            shutil.rmtree(site / BUNDLE, ignore_errors=True)
                            os.replace(tmp / BUNDLE, site / BUNDLE)
                        built.docs = docs
            except (SearchError, OSError) as e:
                problems = [f"search index: {e}"]
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
        searched = time.perf_counter()
        with self.lock:
            if generation != self.generation:
                return
            scans = SiteScans()
            scans.scans, scans.sizes = dict(built.scans.scans), dict(built.scans.sizes)
        root = urlsplit(config.site_url or "").path or "/"
        # every file is replaced at once (_write): the site may change under the check, but
        # only by a newer build, which makes this one's findings moot
        problems += scans.verify(site, csp=False, root=root if root.endswith("/") else root + "/", moot=moot)
        if generation != self.generation:
            return
        log.info(
            f"preview: then data files and {len(later)} pages {paged - started:.2f} s, "
            f"search index {searched - paged:.2f} s, site check {time.perf_counter() - searched:.2f} s"
        )
        for p in problems:
            log.error(p)
        if problems:
            self._stale(f"site check found {len(problems)} problems")

    def wait(self) -> None:
        """Until the follow-ups of the rebuilds are done, started at once (tests)."""
        self.hurry.set()
        for t in self.pending:
            t.join()
        self.pending = []


def _write(path: str, data: bytes) -> None:
    """Replace a file of the site at once: the server may be reading it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.{threading.get_ident()}.tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _write_page(page: Any, config: MkDocsConfig, doc_files: Any, nav: Any, env: Any) -> None:
    """MkDocs' page step (mkdocs.commands.build._build_page of MkDocs 1.6.1) for one page:
    its template context, the plugins' page_context, the theme's template, the plugins'
    post_page; the output written as MkDocs writes it, but at once (`_write`)."""
    from mkdocs.commands.build import get_context

    config._current_page = page
    try:
        page.active = True
        context = get_context(nav, doc_files, config, page)
        template = env.get_template(page.meta.get("template", "main.html"))
        context = config.plugins.on_page_context(context, page=page, config=config, nav=nav)
        output = template.render(context)
        output = config.plugins.on_post_page(output, page=page, config=config)
        if output.strip():
            _write(page.file.abs_dest_path, output.encode("utf-8", errors="xmlcharrefreplace"))
    finally:
        page.active = False
        config._current_page = None


POLL = 0.2


def serve(root: Path, dev_addr: str) -> None:
    """`factsheet serve`: MkDocs' development server (live reload) with `Preview` as its
    builder. As `mkdocs serve` does: a temporary site directory, removed at the end."""
    from mkdocs.livereload import LiveReloadServer, _serve_url

    site_dir = tempfile.mkdtemp(prefix="factsheet_")
    config_file = (root / "mkdocs.yml").resolve()
    preview = Preview(config_file, site_dir, "", dev_addr)
    config = preview.config()
    config.plugins.on_startup(command="serve", dirty=False)
    host, port = config.dev_addr
    mount_path = urlsplit(config.site_url or "/").path
    preview.serve_url = config.site_url = _serve_url(host, port, mount_path)

    def builder(config: MkDocsConfig | None = None) -> None:
        preview.build(config)

    # the file watcher polls (as mkdocs serve's does) every POLL seconds, not every 0.5 s:
    # an edit is seen sooner, for a stat of each watched file per poll
    server = LiveReloadServer(
        builder=builder, host=host, port=port, root=site_dir, mount_path=mount_path, polling_interval=POLL
    )

    def rebuild_now() -> None:  # as the server's file watcher does on a change
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    preview.on_stale = rebuild_now
    preview.saving = lambda: server._want_rebuild

    def error_handler(code: int) -> bytes | None:
        page = Path(site_dir) / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_handler
    try:
        preview.build(config)
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            print("INFO    -  Shutting down...", file=sys.stderr)
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        if os.path.isdir(site_dir):
            shutil.rmtree(site_dir)
