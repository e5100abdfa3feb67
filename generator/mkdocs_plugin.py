"""The MkDocs adapter: plain `mkdocs build` / `mkdocs serve` generate the fact sheet.

Through MkDocs' public plugin events only:
- on_config checks the content (unless `factsheet build` hands over a project it has
  checked) and applies the fact sheet's configuration: site name and description, the
  repository for "Edit" links (none: no links), the navigation from the site plan
  (bounded: index pages only), the stylesheet, and the colophon every page of the
  `factsheet` theme prints (config.extra.factsheet: publisher, corrections, licence,
  build); a fact sheet's own templates/theme/ overrides files of that theme.
- on_files adds every page of the plan in memory (File.generated: nothing is written
  into the repository) and the data files.
- on_page_markdown gives MkDocs an empty page to convert; on_page_context (before the
  search plugin indexes the page) renders the page's HTML by our templates when MkDocs
  is about to write it, and on_post_page lets it go: one page's HTML is held at a time.
- on_post_page scans each page as MkDocs writes it (publish.SiteScans, in memory);
  on_post_build runs the site check on those scans and on the other files MkDocs wrote.

Any diagnostic aborts the build with a PluginError after all of them have been logged.
While serving, bad content instead prints its diagnostics and becomes an error page
(preview.py), so the preview shows the problems and recovers on the next save.
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents

from .project import Project
from .registry import Page as PlannedPage

if TYPE_CHECKING:
    from collections.abc import Callable

    from .buildinfo import BuildInfo
    from .publish import PageScan, SiteScans

log = get_plugin_logger("factsheet")

STYLESHEET = "css/factsheet.css"
SEARCH_CONTENT_KINDS = ("home", "sources", "method", "data")  # search.CONTENT_KINDS (kept in step by a test)


class FactSheetConfig(Config):
    templates_dir = c.Type(str, default="templates")


def _toc(html: str) -> TableOfContents:
    from .render import headings

    items: list[AnchorLink] = []
    for level, anchor, title in headings(html):
        link = AnchorLink(title, anchor, level)
        if level == 3 and items:
            items[-1].children.append(link)
        else:
            items.append(link)
    return TableOfContents(items)


def colophon(project: Project, build: BuildInfo, directory_urls: bool) -> dict[str, object]:
    """What the theme prints in every page's colophon (config.extra.factsheet), escaped
    here: MkDocs' theme environment does not autoescape."""
    from .locations import Urls
    from .registry import METHOD

    site = project.config

    def e(value: object) -> str | None:
        return None if value is None else escape(str(value))

    return {
        "language": e(site.language),
        "publisher": e(site.publisher.name),
        "publisher_url": e(site.publisher.url),
        "contact_email": e(site.contact and site.contact.email),
        "contact_url": e(site.contact and site.contact.url),
        "licence": e(site.licence.name),
        "licence_url": e(site.licence.url),
        "built": e(build.date),
        "commit": e(build.commit),
        "dirty": build.dirty,
        "method": e(Urls(directory_urls).dest(METHOD)),  # the theme's `url` filter makes it relative
    }


class FactSheetPlugin(BasePlugin[FactSheetConfig]):
    """Registered as `factsheet` in the `mkdocs.plugins` entry-point group.

    Defining on_startup makes MkDocs keep this object across the rebuilds of one `serve`."""

    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.checked: Project | None = None  # handed over by `factsheet build` (build.build_site)
        self.project: Project | None = None
        self.renderer: Any = None
        self.planned: dict[str, PlannedPage] = {}
        self.last_pages: set[str] = set()  # pages of the last good build, while serving
        self.errors: list[str] = []
        self.scans: SiteScans | None = None  # pages scanned as MkDocs produced them (the site check)
        self.last_scans: dict[tuple[str, bytes], PageScan] = {}  # while serving: the last build's, by bytes
        self.early: dict[str, str] = {}  # pages rendered before MkDocs asks (the search index reads them)
        self.indexing: Any = None  # the search index, built beside MkDocs (search.Indexing)
        self.hand_written = False  # docs/ has Markdown pages of its own (which may link to facts)
        self.prerender: Any = None  # workers rendering pages ahead of MkDocs (prerender.Prerender)
        # while `factsheet serve` runs (incremental.py): what a good build was built from
        self.hand_over: Callable[..., None] | None = None  # takes incremental.Built's fields
        self.files: Files | None = None
        self.nav: Any = None
        self.env: Any = None
        self.contents: dict[str, str] = {}  # the early pages (they are dropped once written)
        self.docs: dict[str, str] = {}  # the search index's documents
        self.build_info: BuildInfo | None = None  # of this build (on_config), for the colophon and the pages

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.serving = command == "serve"
        self.last_pages = set()

    def on_shutdown(self) -> None:
        """MkDocs keeps this object for the process (its plugin cache): the next build in
        it is not served unless it says so."""
        self.serving, self.hand_over, self.last_pages, self.last_scans = False, None, set(), {}

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path or ".").resolve().parent

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from .diagnostics import format_text
        from .pipeline import check, summary
        from .registry import nav, site_plan

        root = self._root(config)
        project, self.checked = self.checked or check(root), None
        self.project, self.renderer, self.errors, self.scans = project, None, [], None
        report = project.report
        if report.has_errors:
            if self.serving:
                self.errors = format_text(report, summary(project)).splitlines()
                return config
            for d in report.sorted():
                log.error(str(d))
            raise PluginError(f"factsheet: {len(report.errors)} errors in {summary(project)}; nothing built")
        for d in report.sorted():
            log.warning(str(d))
        log.info(summary(project))
        site = project.config
        # MkDocs' theme prints these without escaping: they go in as HTML.
        config.site_name = escape(site.title)
        config.site_description = escape(site.description)
        if site.repository is not None:
            config.repo_url = site.repository.url
            config.edit_uri = f"edit/{site.repository.branch}/"
        else:
            config.repo_url = None
            config.edit_uri = None
        if config.nav is None:
            config.nav = [{escape(title): path for title, path in item.items()} for item in nav(site_plan(project))]
        # The fact sheet's own theme overrides (templates/theme/) come before the theme's files
        own_theme = str(root / self.config.templates_dir / "theme")
        if config.theme.name == "factsheet" and Path(own_theme).is_dir() and own_theme not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, own_theme)
        if STYLESHEET not in [str(x) for x in config.extra_css]:
            config.extra_css.append(STYLESHEET)
        from .buildinfo import BuildInfo

        self.build_info = BuildInfo.of(root)  # once a build: git is asked once
        config.extra["factsheet"] = colophon(project, self.build_info, config.use_directory_urls)
        return config

    def _show_errors(self, files: Files, config: MkDocsConfig, lines: list[str]) -> Files:
        """Serving: print the problems (not through MkDocs' logger, whose errors would abort
        the rebuild under strict) and serve them as a page at every address."""
        from .preview import error_pages, pages_of

        print("\n".join(lines), file=sys.stderr, flush=True)
        pages = self.last_pages | (pages_of(self.project) if self.project else set())
        for path, content in error_pages(lines, pages, config.nav).items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, content=content))
        return files

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        if self.errors or self.project is None:
            return self._show_errors(files, config, self.errors)
        import jinja2

        from .buildinfo import BuildInfo
        from .locations import Urls
        from .render import Renderer, default_templates, template_error

        root = self._root(config)
        own = root / self.config.templates_dir
        templates = [own, default_templates()] if own.resolve() != default_templates().resolve() else [own]
        try:
            renderer = Renderer(
                self.project,
                templates,
                self.build_info or BuildInfo.of(root),
                Urls(config.use_directory_urls, config.site_url or None),
                history=self._history(root),
            )
            data = renderer.stored_texts()
        except jinja2.TemplateError as e:
            return self._fail(files, config, template_error(e, root))
        self.renderer = renderer
        if not renderer.explains:  # the fact sheet's own Method page does not define "verified"
            config.extra["factsheet"]["method"] = None
        self.planned = {}
        self.hand_written = any(f.is_documentation_page() for f in files)  # docs/ pages, before ours
        for page in renderer.pages():
            self._add(files, config, File.generated(config, page.path, content=""), page)
            self.planned[page.path] = page
        self._start_prerender(renderer)  # forks: before any thread starts, and before the exports
        # The exports (facts.json is about 1.5 KB a fact) are written into the site now, a
        # record at a time (MkDocs lets a plugin write into site_dir), not held in memory.
        for path in renderer.write_exports(Path(config.site_dir)):
            self._add(files, config, File.generated(config, path, abs_src_path=str(Path(config.site_dir) / path)), None)
        for path, content in data.items():  # the stored texts: the project holds them
            self._add(files, config, File.generated(config, path, content=content), None)
        css = default_templates() / "assets" / STYLESHEET
        own_css = own / "assets" / STYLESHEET
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, abs_src_path=str(own_css if own_css.is_file() else css)))
        from .search import assets

        for path, src in assets().items():
            if files.get_file_from_path(path) is None:
                files.append(File.generated(config, path, abs_src_path=str(src)))
        self.early = {}
        for page in renderer.pages():
            if page.kind in SEARCH_CONTENT_KINDS:  # the search index reads these pages' own content
                try:
                    self.early[page.path] = renderer.render(page)
                except jinja2.TemplateError:
                    break  # reported when MkDocs asks for the page
        else:
            self._start_index(Path(config.site_dir), renderer, config.use_directory_urls)
        if self.serving:
            self.last_pages = set(self.planned)
        self.files, self.contents = files, dict(self.early)
        return files

    def on_nav(self, nav: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        self.nav = nav  # kept for the preview's next rebuild (incremental.py)
        return nav

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        from .render import compiled_templates

        compiled_templates(env, "theme")  # the theme's templates compiled once, not every build
        self.env = env
        return env

    def _start_prerender(self, renderer: Any) -> None:
        """Workers on the other cores render the pages ahead of MkDocs (prerender.py)."""
        from .parallel import workers
        from .prerender import MIN_PAGES, Prerender

        rest = [p for p in renderer.pages() if p.kind not in SEARCH_CONTENT_KINDS]  # (those: rendered early)
        n = workers()
        if not self.serving and n > 1 and len(rest) >= MIN_PAGES:
            self.prerender = Prerender(rest, lambda p: p.path, renderer.render, n)

    def _start_index(self, site: Path, renderer: Any, dirs: bool) -> None:
        """The search index (search.py), built by Pagefind in its own process while MkDocs
        writes the pages; on_post_build waits for it before the site check reads it."""
        from .search import Indexing, documents

        docs = documents(renderer.project, renderer.pages(), renderer.urls, self.early)
        self.docs = docs
        self.indexing = Indexing(site, docs, dirs)

    def _history(self, root: Path) -> Any:
        """The fact sheet's history for the What changed page (history.walk)."""
        from .history import walk

        log_ = walk(root)
        log.info(f"history: {len(log_.commits)} commits with fact changes ({log_.status}), {log_.seconds:.2f} s")
        return log_

    def _add(self, files: Files, config: MkDocsConfig, f: File, page: PlannedPage | None) -> None:
        existing = files.get_file_from_path(f.src_uri)
        if existing is not None:
            raise PluginError(f"factsheet: {existing.src_uri} in docs_dir clashes with a generated page")
        if page is not None:
            repository = self.project and self.project.site and self.project.site.config.repository
            # only a file the fact sheet has: the method page's template ships with the package
            exists = page.edit is not None and (self._root(config) / page.edit).is_file()
            f.edit_uri = page.edit if repository and exists else None
            if page.kind in ("item", "source"):
                f.inclusion = InclusionLevel.NOT_IN_NAV  # reached from the index pages
        files.append(f)

    def _fail(self, files: Files, config: MkDocsConfig, message: str) -> Files:
        if self.serving:
            return self._show_errors(files, config, ["factsheet: " + message])
        raise PluginError("factsheet: " + message)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        planned = self.planned.get(page.file.src_uri)
        if planned is not None:
            page.meta["title"] = escape(planned.title)  # the theme prints titles as HTML
        return markdown

    @event_priority(100)  # before other plugins see the page's content (search indexes it here)
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """A generated page's HTML is rendered when MkDocs is about to write it (not when it
        reads the pages, which would hold every page's HTML until the last is written), and
        dropped once written (on_post_page)."""
        planned = self.planned.get(page.file.src_uri)
        if planned is not None and self.renderer is not None:
            page.content = self._render(planned, page, config)
        return context

    def _render(self, planned: PlannedPage, page: Page, config: MkDocsConfig) -> str:
        import jinja2

        from .render import anchor_ids, template_error

        try:
            out: str | None = self.early.pop(planned.path, None)
            if out is None and self.prerender is not None:
                out = self.prerender.take(planned.path)
            if out is None:
                out = self.renderer.render(planned)
        except jinja2.TemplateError as e:
            message = template_error(e, self._root(config))
            if self.serving:
                from .preview import error_page_html

                if "factsheet: " + message not in self.errors:  # once, not for every page of the template
                    print("factsheet: " + message, file=sys.stderr, flush=True)
                    self.errors.append("factsheet: " + message)  # the site check is moot: skip it
                return error_page_html(["factsheet: " + message])
            raise PluginError("factsheet: " + message) from e
        page.toc = _toc(out)
        # MkDocs saw an empty page: tell its anchor validation what this one holds, so a
        # hand-written page may link to a fact (figures/index.md#fact-x); without such
        # pages nothing links by anchor as MkDocs sees it, and the ids need not be held
        if self.hand_written:
            page.present_anchor_ids = anchor_ids(out)
        return out

    @event_priority(-100)  # last: the site check scans what MkDocs then writes
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        from .publish import SiteScans, scan_store, with_csp
        from .search import tags

        if self.renderer is not None:  # a page of a good build: the search box (search.js)
            head, body = tags(page.url)
            at = output.rfind("</head>")
            output = output if at < 0 else output[:at] + head + output[at:]
            at = output.rfind("</body>")
            output = output if at < 0 else output[:at] + body + output[at:]
        out = output if self.serving else with_csp(output)  # the preview's live reload is an inline script
        if page.file.src_uri in self.planned:
            page.content = None  # written: MkDocs needs no more of it (its anchor ids stay)
            page.toc = TableOfContents([])  # (the theme printed it; nothing reads it after)
        if out.strip():  # MkDocs writes no empty page
            if self.scans is None:  # serving: the last rebuild's scans; building: earlier builds' (kept)
                self.scans = (
                    SiteScans(self.last_scans, None)
                    if self.serving
                    else SiteScans(None, scan_store(self._root(config)))
                )
            self.scans.add(page.file.dest_uri, out.encode("utf-8", errors="xmlcharrefreplace"))  # as MkDocs writes it
        return out

    def on_post_template(self, output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        from .publish import with_csp

        return output if self.serving or not template_name.endswith(".html") else with_csp(output)  # 404.html

    def on_post_build(self, /, *, config: MkDocsConfig) -> None:
        """Check links, anchors and scripts of the written site. This runs whatever the log
        level, so `mkdocs build --strict -q` (mkdocs#4126) and `-v` (mkdocs#3991), which
        can miss broken links and anchors, still fail on them."""
        from .publish import SiteScans

        renderer, indexing = self.renderer, self.indexing
        self.renderer, self.planned, self.early, self.indexing = None, {}, {}, None
        self._stop_prerender()
        scans, self.scans = self.scans or SiteScans(), None
        if self.serving:
            self.last_scans = scans.by_digest  # the next rebuild scans only the pages that changed
        if self.serving and self.errors:  # the preview shows the problems; raising would hang it
            if indexing is not None:
                indexing.wait()
            return
        if renderer is not None and indexing is not None:
            self._index(indexing)
        from urllib.parse import urlsplit

        root = urlsplit(config.site_url or "").path or "/"
        problems = scans.verify(
            Path(config.site_dir), csp=not self.serving, root=root if root.endswith("/") else root + "/"
        )
        scans.save()  # a scan is a pure function of a page's bytes: kept whatever the verdict
        for p in problems:
            log.error(p)
        if problems:
            raise PluginError(f"factsheet: site check found {len(problems)} problems")
        if self.serving and self.hand_over is not None and renderer is not None:
            self.hand_over(
                config=config,
                files=self.files,
                nav=self.nav,
                env=self.env,
                renderer=renderer,
                contents=self.contents,
                docs=self.docs,
                scans=scans,
            )
        self.files = self.nav = self.env = None
        self.contents, self.docs = {}, {}

    def _index(self, indexing: Any) -> None:
        from .search import SearchError

        try:
            files, seconds = indexing.wait()
        except SearchError as e:
            raise PluginError(f"factsheet: search index: {e}") from e
        size = sum(files.values())
        log.info(
            f"search index: {indexing.pages} pages, {len(files)} files, {size / 1024:.0f} KiB, "
            f"{seconds:.2f} s (beside MkDocs)"
        )

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build waits for the search index, so nothing writes into the site
        directory after the build has given it up."""
        indexing, self.indexing = self.indexing, None
        if indexing is not None:
            indexing.wait(raise_errors=False)
        self._stop_prerender()

    def _stop_prerender(self) -> None:
        prerender, self.prerender = self.prerender, None
        if prerender is not None:
            prerender.close()

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        from .pipeline import CONTENT

        root = self._root(config)
        server.watch(str(root / CONTENT))
        own = root / self.config.templates_dir
        if own.is_dir():  # a fact sheet may have no templates of its own (the watcher needs the path)
            server.watch(str(own))
        return server
