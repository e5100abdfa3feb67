"""Search: a Pagefind index built by the build, loaded only when a reader searches.

Pagefind (the PyPI package `pagefind[bin]`, whose binary is inside the wheel: nothing is
downloaded at build time) splits the index into small chunks a browser fetches as the
reader types: the first query of a 5,000-source fact sheet downloads a few hundred KB
(benchmarks/RESULTS.md), not the whole index.

What is indexed is written for the index, not crawled from the pages, so no page
furniture (navigation, colophon), no JSON-LD and no citation markers reach it:

- each fact, on the page that holds its permalink, as a heading with the fact's anchor
  (`#fact-<id>`): Pagefind returns it as a sub-result of its page, so a result names the
  page and the section and links to the fact itself;
- each source, a heading per paragraph with its first sentence's anchor;
- the home, Sources, Method and Data pages, their own content without the facts they
  repeat (already indexed where they live), the references or the cite-this text.

The What changed page is not indexed: it repeats facts' statements.

The browser side is `templates/search/search.js` (published as `search/search.js`, added
to every page by the plugin): it fills the theme's search slot (`<div id="search">`, or
makes one), and imports `pagefind/pagefind.js` on the first focus or keystroke. Pagefind
runs without its worker (one request and 41 KB less for the first query; a search of the
index takes milliseconds on the main thread), so it compiles its WebAssembly in the page:
hence the CSP's 'wasm-unsafe-eval'. Opened from a file (file://), where a browser
forbids it to fetch the index, it says so.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from typing import cast

from .locations import Urls
from .model import Statement
from .moot import GaveWay
from .project import FactEntry, Project
from .registry import BY_KEY, Page, collection_text, home_of, label

BUNDLE = "pagefind"  # the index's directory in the site
SCRIPT = "search/search.js"
STYLESHEET = "search/search.css"
CONTENT_KINDS = ("home", "sources", "method", "data")  # pages indexed by their own content
_ASPECT_TITLES = {"statement": "Statements", "topic": "Topics", "outcome": "Outcomes", "background": "Background"}
# What Pagefind writes that the site uses; the rest (its own UI kits) is removed.
_KEEP = re.compile(
    r"^(pagefind\.js|pagefind-entry\.json|pagefind\.[A-Za-z0-9_-]+\.pf_meta"
    r"|wasm\.[A-Za-z0-9_-]+\.pagefind|(index|fragment|filter)/[A-Za-z0-9_-]+\.pf_(index|fragment|filter))$"
)


class SearchError(Exception):
    """Pagefind failed: the build publishes nothing."""


def executable() -> Path:
    """The Pagefind binary of the installed `pagefind[bin]` wheel."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError as e:  # pragma: no cover - a dependency of the package
        raise SearchError("the pagefind[bin] package is not installed (pip install 'pagefind[bin]')") from e
    return Path(get_executable())


def page_file(urls: Urls, src_path: str) -> str:
    """The built file of a page: meetings/x.html, or meetings/x/index.html."""
    dest = urls.dest(src_path)
    return dest + "index.html" if dest == "" or dest.endswith("/") else dest


class _Text(HTMLParser):
    """A page's content as headings (with their ids) and paragraphs of text, without what
    is indexed elsewhere or is not content: facts (indexed on their own page), references,
    citation markers, permalinks, cite-this text, scripts."""

    SKIP_TAGS = {"script", "style", "sup", "details", "template"}
    SKIP_CLASSES = {"fact", "references", "permalink", "cite"}
    VOID = {"br", "img", "hr", "input", "meta", "link", "wbr", "col", "area", "source"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str | None, str]] = []  # (kind h2|h3|p, id, text)
        self.skip = 0
        self.stack: list[bool] = []
        self.heading: tuple[str, str | None] | None = None
        self.text: list[str] = []

    def _flush(self, kind: str = "p", ident: str | None = None) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append((kind, ident, text))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skipped = tag in self.SKIP_TAGS or bool(classes & self.SKIP_CLASSES) or "data-pagefind-ignore" in a
        self.stack.append(skipped)
        if skipped:
            self.skip += 1
        elif tag in ("h1", "h2", "h3") and not self.skip:
            self._flush()
            self.heading = (tag if tag != "h1" else "h2", a.get("id"))
        elif tag in ("p", "li", "tr", "div", "dd", "dt", "table", "ul", "ol", "blockquote") and not self.skip:
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID or not self.stack:
            return
        if self.stack.pop():
            self.skip -= 1
        elif tag in ("h1", "h2", "h3") and self.heading and not self.skip:
            kind, ident = self.heading
            self._flush(kind, ident)
            self.heading = None
        elif tag in ("p", "li", "tr", "dd") and not self.heading and not self.skip:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def _content_blocks(html: str) -> list[tuple[str, str | None, str]]:
    p = _Text()
    p.feed(html)
    p.close()
    p._flush()
    return p.blocks


def _section(project: Project, e: FactEntry) -> str:
    f = e.fact
    if isinstance(f, Statement):
        return _ASPECT_TITLES[f.aspect]
    return collection_text(project, BY_KEY[e.collection])[0]


def _fact_block(project: Project, e: FactEntry) -> str:
    f = e.fact
    a = f.attribution
    who = "Reported by " + ", ".join(sorted({project.sources[c.source].meta.publisher for c in f.citations}))
    if a is not None:
        names = [(p.name if (p := project.participant(i)) else i) for i in a.by]
        who = {"said": "Said by ", "according_to": "According to ", "alleges": "Alleged by "}[a.mode] + ", ".join(names)
    # the quotes are not repeated here: their words are indexed with their source, and
    # twice the words would be a larger index for every reader's first query
    parts = [f"<p>{escape(who)}. {escape(f.statement)}</p>"]
    if f.note:
        parts.append(f"<p>{escape(f.note)}</p>")
    heading = f"{_section(project, e)} › {label(f) if label(f) != f.statement else f.statement}"
    return f'<h2 id="fact-{escape(f.id)}">{escape(heading)}</h2>\n' + "\n".join(parts)


def documents(project: Project, plan: list[Page], urls: Urls, contents: dict[str, str]) -> dict[str, str]:
    """The index's documents, by the built file of the page each stands for."""
    homed: dict[str, list[FactEntry]] = {}
    for e in project.facts:
        homed.setdefault(home_of(e), []).append(e)
    lang = escape(project.config.language)
    out: dict[str, str] = {}
    for page in plan:
        body: list[str] = []
        if page.kind in ("index", "item"):
            body += [_fact_block(project, e) for e in homed.get(page.path, [])]
            if page.kind == "index" and page.collection:
                intro = collection_text(project, BY_KEY[page.collection])[1]
                if intro:
                    body.insert(0, f"<p>{escape(intro)}</p>")
        elif page.kind == "source" and page.subject in project.sources:
            s = project.sources[page.subject]
            for para in s.text.paragraphs:
                if not para:
                    continue
                first, last = para[0], para[-1]
                span = f"Sentence {first.number}" if first is last else f"Sentences {first.number}–{last.number}"
                text = " ".join(x.text for x in para)
                body.append(f'<h2 id="{escape(first.id)}">{span}</h2>\n<p>{escape(text)}</p>')
        elif page.kind in CONTENT_KINDS and page.path in contents:
            for kind, ident, text in _content_blocks(contents[page.path]):
                if kind == "p":
                    body.append(f"<p>{escape(text)}</p>")
                elif ident and ident != "h-title":
                    body.append(f'<{kind} id="{escape(ident)}">{escape(text)}</{kind}>')
        else:
            continue
        if not body:
            continue
        out[page_file(urls, page.path)] = (
            f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(page.title)}</title></head>'
            f"<body><h1>{escape(page.title)}</h1>\n" + "\n".join(body) + "\n</body></html>\n"
        )
    return out


def build_index(
    site_dir: Path, docs: dict[str, str], directory_urls: bool, moot: Callable[[], bool] | None = None
) -> dict[str, int]:
    """Write the documents to a scratch directory, index them with Pagefind into
    site_dir/pagefind, and keep only the files the site uses. Returns the bundle's files
    and sizes. Raises SearchError when Pagefind fails; with `moot` (the preview), stops
    Pagefind and raises moot.GaveWay as soon as it says that a newer build started."""
    bundle = site_dir / BUNDLE
    if bundle.exists():
        shutil.rmtree(bundle)
    with tempfile.TemporaryDirectory(prefix="factsheet-search-") as tmp:
        root = Path(tmp) / "docs"
        for rel, html in docs.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        root.mkdir(exist_ok=True)
        args = [str(executable()), "--site", str(root), "--output-path", str(bundle), "--silent"]
        if not directory_urls:
            args.append("--keep-index-url")  # x/index.html stays a file name (the site works from file:// too)
        try:
            run = _run(args, moot)
        except (OSError, subprocess.SubprocessError) as e:
            raise SearchError(f"pagefind could not run: {e}") from e
        if run.returncode != 0:
            raise SearchError(f"pagefind failed: {(run.stderr or run.stdout).strip()[-500:]}")
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    wasm = {f"wasm.{lang['wasm']}.pagefind" for lang in entry.get("languages", {}).values()}
    files: dict[str, int] = {}
    for path in sorted(bundle.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(bundle).as_posix()
        if not _KEEP.match(rel) or (rel.startswith("wasm.") and rel not in wasm):
            path.unlink()  # Pagefind's own UI kits and the wasm of languages the site does not have
            continue
        files[rel] = path.stat().st_size
    for d in sorted((p for p in bundle.rglob("*") if p.is_dir()), reverse=True):
        if not any(d.iterdir()):
            d.rmdir()
    return files


def _prctl() -> Callable[..., int] | None:
    try:
        import ctypes

        return cast("Callable[..., int]", ctypes.CDLL(None, use_errno=True).prctl)
    except (AttributeError, OSError):
        return None


_PRCTL = _prctl()  # looked up here: the child between fork and exec only calls it
_PR_SET_PDEATHSIG, _SIGKILL = 1, 9


def _dies_with_the_build() -> None:
    """In Pagefind's process before it starts: killed when the thread that started it
    ends, so a build that is killed leaves no Pagefind writing into its scratch site
    (which the next build removes)."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, _SIGKILL)


def _yields_to_the_editor() -> None:
    """The preview's Pagefind: as _dies_with_the_build, and at a lower priority, so the
    page an editor's next save rebuilds gets the cores first."""
    _dies_with_the_build()
    os.nice(10)


def _run(args: list[str], moot: Callable[[], bool] | None) -> subprocess.CompletedProcess[str]:
    if moot is None:
        return subprocess.run(args, capture_output=True, text=True, timeout=1800, preexec_fn=_dies_with_the_build)  # noqa: PLW1509
    if moot():
        raise GaveWay
    with tempfile.TemporaryFile() as out:  # a file, not a pipe: Pagefind never waits for a reader
        with subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_yields_to_the_editor) as proc:  # noqa: PLW1509
            deadline = time.monotonic() + 1800
            while True:
                try:
                    proc.wait(timeout=0.05)
                    break
                except subprocess.TimeoutExpired:
                    late = time.monotonic() > deadline
                    if late or moot():
                        proc.kill()
                        proc.wait()
                        if late:
                            raise
                        raise GaveWay from None
        out.seek(0)
        return subprocess.CompletedProcess(args, proc.returncode, out.read().decode("utf-8", "replace"), "")


class Indexing:
    """`build_index` in a thread (Pagefind runs in its own process, on another core), from
    documents made beforehand: what the build does while MkDocs writes the pages."""

    def __init__(self, site_dir: Path, docs: dict[str, str], directory_urls: bool) -> None:
        import threading
        import time

        self.pages = len(docs)
        self._result: tuple[dict[str, int], float] | None = None
        self._error: BaseException | None = None

        def work() -> None:
            started = time.perf_counter()
            try:
                self._result = (build_index(site_dir, docs, directory_urls), time.perf_counter() - started)
                own_script()  # what the site check holds pagefind.js to, made here rather than after
            except BaseException as e:  # noqa: BLE001 - handed to wait()
                self._error = e

        self._thread = threading.Thread(target=work, name="factsheet-search-index")
        self._thread.start()

    def wait(self, raise_errors: bool = True) -> tuple[dict[str, int], float]:
        """The bundle's files and sizes, and the seconds it took; raises what the thread raised."""
        self._thread.join()
        if self._error is not None and raise_errors:
            raise self._error
        return self._result or ({}, 0.0)


@functools.lru_cache(maxsize=1)
def own_script() -> bytes:
    """The bytes of pagefind.js as the installed Pagefind writes it (the same for every
    site): the site check publishes pagefind/pagefind.js only if it is these. Kept in the
    cache directory (cache.py, never in the project) under the binary's path, size and
    modification time, so a build runs Pagefind once, not twice."""
    import hashlib
    import os

    from .cache import default_dir

    binary = executable()
    st = os.stat(binary)
    key = hashlib.sha256(f"{binary}\0{st.st_size}\0{st.st_mtime_ns}".encode()).hexdigest()[:24]
    directory = default_dir()
    kept = directory / f"pagefind-{key}.js" if directory is not None else None
    if kept is not None and kept.is_file():
        return kept.read_bytes()
    with tempfile.TemporaryDirectory(prefix="factsheet-pagefind-") as tmp:
        site = Path(tmp) / "site"
        site.mkdir()
        (site / "index.html").write_text("<!DOCTYPE html><html lang=en><body><h1>x</h1><p>x</p></body></html>")
        out = Path(tmp) / "bundle"
        run = subprocess.run(
            [str(binary), "--site", str(site), "--output-path", str(out), "--silent"],
            capture_output=True,
            timeout=120,
        )
        if run.returncode != 0:
            raise SearchError(f"pagefind failed: {run.stderr.decode('utf-8', 'replace')[-300:]}")
        data = (out / "pagefind.js").read_bytes()
    if kept is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".pagefind-", dir=kept.parent)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(name, kept)
        except OSError:
            pass  # not kept: the next build runs Pagefind for it again
    return data


def assets() -> dict[str, Path]:
    """The browser side of search: published path -> file in the package."""
    from .render import default_templates

    here = default_templates() / "search"
    return {SCRIPT: here / "search.js", STYLESHEET: here / "search.css"}


def tags(page_url: str) -> tuple[str, str]:
    """(in <head>, before </body>) for a page at `page_url` (MkDocs' page.url)."""
    up = "../" * page_url.count("/")
    return (
        f'<link rel="stylesheet" href="{up}{STYLESHEET}">',
        f'<script src="{up}{SCRIPT}" defer></script>',
    )
