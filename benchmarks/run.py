"""Measure factsheet against the MkDocs floor, and write benchmarks/RESULTS.md.

    python benchmarks/run.py                      # full run: N = 10, 100, 1000, 5000
    python benchmarks/run.py --sizes 10 --runs 1 --no-write   # the CI smoke test
    python benchmarks/run.py --sizes 10,100,1000 --compare-rev eb402b3   # and the old engine

For each N, in the same run: a synthetic project (synth.py); `factsheet check` with the
cache cold (with the worker pool of parallel.fill, and with FACTSHEET_WORKERS=1) and
warm; `factsheet build` (check, render, MkDocs, site check, atomic publish) with the
cache warm and cold; and the floor: a bare `mkdocs build` (no factsheet plugin) of the
same pages, each generated page's HTML written into a `.md` file (see make_floor); and,
where `hugo` is installed, Hugo's build of the same pages (see make_hugo). With
--compare-rev REV, also `factsheet build` of the same synthetic project by the code of
REV (unpacked with `git archive`, run with PYTHONPATH ahead of the installed package, on
the project files REV's own synth.py writes), warm and cold. Every command runs in its
own process, the sizes' commands interleaved run by run; wall time from start to exit,
peak memory from wait4 (the largest process) and sampled from /proc (all processes of
the command together). Medians of --runs runs. Plus the real content's check, and the
live preview's rebuild.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import breakdown as where  # noqa: E402
import synth  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Sample:
    seconds: float
    peak_mb: float  # peak resident memory of the largest process (wait4's ru_maxrss)
    tree_mb: float  # peak of the summed proportional set size of the command's processes (sampled)
    others: float  # cores busy with other processes than this command's, on average while it ran
    # peak resident memory (VmHWM, sampled) by process: "main" (the command's own process),
    # "pagefind", "other" (forked workers and any other child)
    procs: dict[str, float] = field(default_factory=dict)


_HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


SCANNED = "site check: pages scanned (on_post_page)"  # breakdown.py times publish.SiteScans.add


def _busy() -> float | None:
    """CPU-seconds the whole machine has been busy (not idle, not waiting for I/O)."""
    try:
        f = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in f[:8])
    return (user + nice + system + irq + softirq + steal) / _HZ


def _tree_pss(pid: int, hwm: dict[str, float] | None = None) -> float:
    """MB of proportional set size of a process and all its descendants (shared pages
    counted once, split between the processes that share them); `hwm` gets the largest
    peak resident memory (VmHWM) seen of each kind of process (Sample.procs)."""
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
            if hwm is not None:
                _peak_of(p, pid, hwm)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack += [int(x) for x in f.read().split()]
        except (OSError, ValueError):
            continue
    return total / 1024


def _peak_of(p: int, top: int, hwm: dict[str, float]) -> None:
    with open(f"/proc/{p}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    kind = "main" if p == top else "pagefind" if "pagefind" in status.get("Name", "") else "other"
    mb = int(status.get("VmHWM", "0 kB").split()[0]) / 1024
    hwm[kind] = max(hwm.get(kind, 0.0), mb)


def measure(cmd: list[str], cwd: Path, env: dict[str, str], before: object = None) -> Sample:
    """Run one command; its wall time, the peak resident memory of its largest process,
    the peak memory of all its processes together, and how busy the rest of the machine was."""
    if callable(before):
        before()
    busy0 = _busy()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]
    procs: dict[str, float] = {}
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_pss(proc.pid, procs))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    err_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read() if proc.stderr else b""))
    reader.start()  # a command that writes much to stderr must not block on a full pipe
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
    reader.join()
    busy1 = _busy()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = b"".join(err_chunks).decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd} ({proc.returncode}):\n{err[-3000:]}")
    ours = usage.ru_utime + usage.ru_stime
    others = max(0.0, (busy1 - busy0 - ours) / seconds) if busy0 is not None and busy1 is not None else float("nan")
    # all processes together: at least the largest one (a short command may end before a sample)
    return Sample(seconds, usage.ru_maxrss / 1024, max(peak[0], usage.ru_maxrss / 1024), others, procs)


def median(samples: list[Sample]) -> Sample:
    return Sample(
        statistics.median(s.seconds for s in samples),
        max(s.peak_mb for s in samples),
        max(s.tree_mb for s in samples),
        statistics.median(s.others for s in samples),
        {k: max(s.procs.get(k, 0.0) for s in samples) for k in sorted({k for s in samples for k in s.procs})},
    )


def floor_config(project: Path, title: str, description: str, nav: list[dict[str, str]], hidden: list[str]) -> str:
    """mkdocs.yml of the floor: the synthetic project's own settings, plus what the
    factsheet plugin supplies (site name, navigation, theme overrides, stylesheet), without
    the plugin; pages reached only from the index pages are not_in_nav, as the plugin has them."""
    import yaml

    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = title
    config["site_description"] = description
    config["docs_dir"], config["site_dir"] = "docs", "site"
    config["theme"]["custom_dir"] = "theme"
    config["extra_css"] = [STYLESHEET]
    config["plugins"] = [p for p in config["plugins"] if p != "factsheet"]
    config["nav"] = nav
    config["not_in_nav"] = "\n".join("/" + p for p in hidden) + "\n"
    return yaml.safe_dump(config, sort_keys=False, allow_unicode=True)


STYLESHEET = "css/factsheet.css"


class Rendered:
    """Every generated page of a synthetic project, rendered once by the same Renderer that
    the plugin hands to MkDocs (for the floor and the Hugo site)."""

    def __init__(self, project: Path) -> None:
        import yaml

        from generator.buildinfo import BuildInfo
        from generator.locations import Urls
        from generator.pipeline import check
        from generator.registry import nav
        from generator.render import Renderer, default_templates, render_all

        checked = check(project, cache=False)
        assert not checked.report.has_errors, checked.report.sorted()[:5]
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        self.project = project
        self.urls = Urls(bool(config.get("use_directory_urls", True)))
        self.defaults = default_templates()
        renderer = Renderer(checked, [project / "templates", self.defaults], BuildInfo.of(project), self.urls)
        files = render_all(renderer)
        self.pages = renderer.pages()
        self.html = {p.path: files.pop(p.path) for p in self.pages}  # each page's HTML
        self.data = files  # the data files: data/facts.json, .csv, each source's text
        self.nav = nav(self.pages)  # [{title: path}]: the index pages
        self.hidden = [p.path for p in self.pages if p.kind in ("item", "source")]
        self.title, self.description = checked.config.title, checked.config.description


def make_floor(project: Path, dest: Path, r: Rendered | None = None) -> int:
    """The floor: the same pages for a bare MkDocs build. Each generated page's HTML (as
    the plugin hands it to MkDocs, from the same Renderer) goes into a `.md` file of the
    floor's docs dir, with its title as front matter; the data files as they are; the
    package's theme overrides as custom_dir and its stylesheet; the same navigation, search
    plugin and validation. MkDocs then runs Python-Markdown over each page (bare MkDocs
    cannot skip it; the HTML passes through as raw HTML blocks). Returns the pages."""
    from html import escape

    r = r or Rendered(project)
    if dest.exists():
        shutil.rmtree(dest)
    docs = dest / "docs"
    (docs / "css").mkdir(parents=True)
    shutil.copy(r.defaults / "assets" / STYLESHEET, docs / STYLESHEET)
    shutil.copytree(r.defaults / "theme", dest / "theme")
    for page in r.pages:
        out = docs / page.path
        out.parent.mkdir(parents=True, exist_ok=True)
        # the theme prints titles as HTML: escaped, as the plugin does (JSON is YAML)
        front = f"---\ntitle: {json.dumps(escape(page.title), ensure_ascii=False)}\n---\n\n"
        out.write_text(front + r.html[page.path], encoding="utf-8")
    _write_files(docs, r.data)
    menu = [{escape(title): path for title, path in item.items()} for item in r.nav]
    text = floor_config(project, escape(r.title), escape(r.description), menu, r.hidden)
    (dest / "mkdocs.yml").write_text(text, encoding="utf-8")
    return len(r.pages)


def _write_files(root: Path, files: dict[str, str]) -> None:
    for path, content in files.items():
        out = root / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")


def hugo_binary() -> str | None:
    """Debian's `hugo` (the `hugo` package), or any `hugo` on PATH; None when there is none."""
    found = shutil.which("hugo")
    if found is None and os.access("/usr/bin/hugo", os.X_OK):
        found = "/usr/bin/hugo"
    return found


def hugo_version(binary: str | None) -> str:
    if binary is None:
        return "not installed"
    try:
        out = subprocess.run([binary, "version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    # "hugo v0.111.3+extended linux/amd64 BuildDate=… VendorInfo=debian:0.111.3-1"
    words = out.split()
    return words[1] if len(words) > 1 else out.strip() or "unknown"


def _toml(text: str) -> str:
    """A TOML basic string."""
    out = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", out) + '"'


HUGO_BASEOF = """\
<!DOCTYPE html>
<html lang="{{ site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{ with site.Params.description }}<meta name="description" content="{{ . }}">{{ end }}
<title>{{ if and .Title (not .IsHome) }}{{ .Title }} · {{ end }}{{ site.Title }}</title>
<meta name="color-scheme" content="light dark">
<link rel="icon" href="{{ "img/favicon.svg" | relURL }}" type="image/svg+xml">
<link rel="stylesheet" href="{{ "css/factsheet.css" | relURL }}">
</head>
<body{{ if .IsHome }} class="home"{{ end }}>
<a class="skip" href="#main">Skip to the content</a>
<header class="masthead">
<div class="masthead-inner">
<p class="site-name"><a href="{{ "/" | relURL }}"{{ if .IsHome }} aria-current="page"{{ end }}>{{ site.Title }}</a></p>
{{- $page := . }}
<nav class="site-nav" aria-label="Sections">
<ul>
{{- range site.Menus.main }}
{{- $here := eq $page.RelPermalink .URL }}
{{- $folder := printf "%s/" (path.Dir .URL) }}
<li><a href="{{ .URL }}"{{ if $here }} aria-current="page"{{ else if and (ne $folder "//") (hasPrefix $page.RelPermalink $folder) }} class="within"{{ end }}>{{ .Name }}</a></li>
{{- end }}
</ul>
</nav>
<div id="search" class="search">
</div>
</div>
</header>
<div class="layout">
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
</div>
<footer class="colophon">
<div class="colophon-inner">
<h2 id="colophon">About this fact sheet</h2>
<dl>
<div><dt>Corrections</dt><dd>This fact sheet gives no contact for corrections.</dd></div>
<div><dt>Last built</dt><dd>date unknown</dd></div>
</dl>
</div>
</footer>
<script src="{{ "js/factsheet.js" | relURL }}"></script>
</body>
</html>
"""

HUGO_CONTENT = '{{ define "main" }}{{ .Content }}{{ end }}\n'

HUGO_404 = """\
{{ define "main" }}
<h1 id="h-title">Page not found</h1>
<p>There is no page at this address. It may have been moved or mistyped; start again from the address of the fact sheet's home page.</p>
{{ end }}
"""


def make_hugo(project: Path, dest: Path, r: Rendered | None = None) -> int:
    """The Hugo reference: the same pages as the floor for `hugo`, the generator a user
    would pick instead (issue 14: build ≤ 4 × Hugo at N = 1,000). Written, nothing fetched:

    - `hugo.toml`: the site's title, description and language; `baseURL = "/"`; the nav
      of the floor and of our build (the index pages) as the `main` menu; `uglyURLs` as
      the project's `use_directory_urls` says; `disableKinds` RSS, taxonomy, term and
      robotsTXT (the floor writes none of them); the sitemap stays (MkDocs writes one).
      No theme: `layouts/` holds all there is.
    - `layouts/_default/baseof.html`: the page shell of the factsheet theme (base.html,
      as the floor renders it: head with title and description, favicon and stylesheet,
      masthead with the site name, the nav with `aria-current` and `within` marks, the
      search slot, main, the colophon, the script), around `{{ .Content }}` from
      `single.html` (item, source, method and changes pages) and `list.html` (the home
      page and the sections' index pages; it lists nothing: their content lists their
      items, as ours does), and `404.html` (MkDocs writes a 404 page too).
    - `content/`: each generated page's HTML, from the same Renderer, as a `.html` content
      file (Hugo's HTML format: no Markdown pass, the bytes as they are), its title and
      its `url` (the factsheet page's URL, so the output tree is the floor's) as front
      matter; `x/index.md` becomes the section's `x/_index.html`, `index.md` the home
      page's `_index.html`.
    - `static/`: the data files (`data/facts.json`, `.csv`, each source's text), the
      stylesheet, and the theme's favicon and script, copied as they are.

    Links in the shell are root-relative (`relURL`; `relativeURLs` would add a pass over
    every page to make them relative, as MkDocs writes them): fair to Hugo, at the cost
    of a site that works only at the root of its host. Returns the pages."""
    from generator.locations import Urls

    r = r or Rendered(project)
    if dest.exists():
        shutil.rmtree(dest)
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_CONTENT, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_CONTENT, encoding="utf-8")
    (dest / "layouts" / "404.html").write_text(HUGO_404, encoding="utf-8")
    static = dest / "static"
    (static / "css").mkdir(parents=True)
    shutil.copy(r.defaults / "assets" / STYLESHEET, static / STYLESHEET)
    for asset in ("img/favicon.svg", "js/factsheet.js"):
        (static / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(r.defaults / "theme" / asset, static / asset)
    _write_files(static, r.data)
    content = dest / "content"
    for page in r.pages:
        stem = page.path.removesuffix(".md")
        name = stem.removesuffix("index") + "_index" if stem == "index" or stem.endswith("/index") else stem
        out = content / f"{name}.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        url = "/" + r.urls.dest(page.path)
        front = f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\nurl: {json.dumps(url)}\n---\n"
        out.write_text(front + r.html[page.path], encoding="utf-8")
    menu = []
    for weight, item in enumerate(r.nav, 1):
        for title, path in item.items():
            url = "/" + Urls(r.urls.directory_urls).dest(path)
            menu += ["[[menus.main]]", f"name = {_toml(title)}", f"url = {_toml(url)}", f"weight = {weight}", ""]
    config = [
        'baseURL = "/"',
        f"title = {_toml(r.title)}",
        'languageCode = "en"',
        f"uglyURLs = {'false' if r.urls.directory_urls else 'true'}",
        'disableKinds = ["RSS", "taxonomy", "term", "robotsTXT"]',
        "disableHugoGeneratorInject = true",
        "",
        "[params]",
        f"description = {_toml(r.description)}",
        "",
        *menu,
    ]
    (dest / "hugo.toml").write_text("\n".join(config), encoding="utf-8")
    return len(r.pages)


class OldRev:
    """The code of another revision, for the comparison: unpacked with `git archive`
    (nothing in the repository changes), run with PYTHONPATH ahead of the installed
    package, on the project files that revision's own benchmarks/synth.py writes."""

    def __init__(self, rev: str, work: Path, env: dict[str, str]) -> None:
        git = ["git", "-C", str(REPO)]
        self.commit = subprocess.run(
            [*git, "rev-parse", "--short", rev], capture_output=True, text=True, check=True
        ).stdout.strip()
        self.subject = subprocess.run(
            [*git, "log", "-1", "--format=%s", rev], capture_output=True, text=True, check=True
        ).stdout.strip()
        self.dir = work / f"rev-{self.commit}"
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        archive = subprocess.run([*git, "archive", "--format=tar", rev], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(self.dir)], input=archive, check=True)
        self.env = dict(env, FACTSHEET_CACHE=str(work / "cache-old"))
        self.env["PYTHONPATH"] = os.pathsep.join(p for p in (str(self.dir), env.get("PYTHONPATH", "")) if p)
        where = subprocess.run(
            [sys.executable, "-c", "import generator; print(generator.__file__)"],
            cwd=self.dir.parent,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not Path(where).resolve().is_relative_to(self.dir.resolve()):
            raise SystemExit(f"--compare-rev: the old code is not the one imported ({where})")
        self.build = [sys.executable, "-c", "from generator.cli import main; main()", "build"]
        self.cache = work / "cache-old"

    def generate(self, n: int, dest: Path) -> Path:
        subprocess.run(
            [sys.executable, str(self.dir / "benchmarks" / "synth.py"), str(n), str(dest)],
            env=self.env,
            capture_output=True,
            check=True,
        )
        return dest


def html_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("*.html")) if site.is_dir() else 0


def html_tree(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")} if site.is_dir() else set()


def run_size(n: int, runs: int, work: Path, env: dict[str, str], old: OldRev | None = None) -> dict[str, object]:
    project = synth.generate(n, work / f"n{n}")
    floor_dir, hugo_dir = work / f"n{n}-floor", work / f"n{n}-hugo"
    hugo = hugo_binary()
    # in another process: this one stays small, and a child's peak memory counts what its
    # parent held when it was forked
    made = subprocess.run(
        [sys.executable, __file__, "--make-floor", str(project), str(floor_dir)]
        + (["--make-hugo", str(hugo_dir)] if hugo else []),
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    pages = int(made.stdout.split()[-1])
    cache_dir = Path(env["FACTSHEET_CACHE"])
    serial = dict(env, FACTSHEET_WORKERS="1")  # parallel.fill starts no pool

    def clear_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    def clear_hugo() -> None:  # a fresh output tree, as MkDocs (clean) and our build (atomic publish) write
        shutil.rmtree(hugo_dir / "site", ignore_errors=True)

    factsheet, mkdocs = str(BIN / "factsheet"), str(BIN / "mkdocs")
    plan: list[tuple[str, list[str], Path, dict[str, str], object]] = [
        ("cold", [factsheet, "check"], project, env, clear_cache),
        ("serial", [factsheet, "check"], project, serial, clear_cache),
        ("warm", [factsheet, "check"], project, env, None),
        ("floor", [mkdocs, "build", "-q"], floor_dir, env, None),
        *([("hugo", [hugo, "--quiet", "--destination", "site"], hugo_dir, env, clear_hugo)] if hugo else []),
        # cold, then warm: the warm build is a rebuild of the same content, every cache a
        # build keeps as a build left it (parsed YAML, sentence splits, page scans, the
        # compiled templates, Pagefind's script), as an editor's next build finds them
        ("build_cold", [factsheet, "build"], project, env, clear_cache),
        ("build", [factsheet, "build"], project, env, None),
    ]
    if old is not None:
        old_project = old.generate(n, work / f"n{n}-old")
        old_cache = old.cache

        def clear_old() -> None:
            shutil.rmtree(old_cache, ignore_errors=True)

        plan += [  # cold first, so that the warm build finds the cache filled even in the first run
            ("old_build_cold", old.build, old_project, old.env, clear_old),
            ("old_build", old.build, old_project, old.env, None),
        ]
    results: dict[str, list[Sample]] = {name: [] for name, *_ in plan}
    for _ in range(runs):  # interleaved, so drift in the machine's speed hits all alike
        for name, cmd, cwd, cmd_env, before in plan:
            results[name].append(measure(cmd, cwd, cmd_env, before))
    out: dict[str, object] = {"n": n, "pages": pages, "runs": runs, "hugo": None}  # None: hugo not installed
    out["others"] = [x.others for v in results.values() for x in v]
    # what each build wrote, as a sanity check that they built the same site
    out["html"] = {"build": html_pages(project / "site"), "floor": html_pages(floor_dir / "site")}
    if hugo:
        # Hugo wrote the floor's pages, at the same paths (the floor also gzips its sitemap)
        missing = html_tree(floor_dir / "site") ^ html_tree(hugo_dir / "site")
        if missing:
            raise SystemExit(f"the Hugo site and the floor differ in {len(missing)} pages: {sorted(missing)[:5]}")
        out["html"]["hugo"] = html_pages(hugo_dir / "site")  # type: ignore[index]
        shutil.rmtree(hugo_dir / "site", ignore_errors=True)
    if old is not None:
        out["html"]["old_build"] = html_pages(old_project / "site")  # type: ignore[index]
        shutil.rmtree(old_project / "site", ignore_errors=True)
    shutil.rmtree(floor_dir / "site", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    out.update({k: median(v) for k, v in results.items()})
    return out


def real_check(runs: int, env: dict[str, str]) -> tuple[Sample, Sample, bool]:
    """`factsheet check` on the repository's content, warm and cold, and whether
    checking imported MkDocs or Markdown."""
    factsheet = str(BIN / "factsheet")
    cache_dir = Path(env["FACTSHEET_CACHE"])
    cold = [measure([factsheet, "check"], REPO, env, lambda: shutil.rmtree(cache_dir, ignore_errors=True))]
    cold += [measure([factsheet, "check"], REPO, env, lambda: shutil.rmtree(cache_dir, ignore_errors=True))]
    warm = [measure([factsheet, "check"], REPO, env) for _ in range(max(runs, 5))]
    probe = (
        "import sys, runpy; sys.argv = ['factsheet', 'check']\n"
        "try:\n    runpy.run_module('generator.cli', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'markdown'))\n"
        "print(','.join(bad))\n"
    )
    imported = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    return median(cold), median(warm), imported == ""


def preview_large(project: Path, env: dict[str, str], edits: int = 3) -> list[float]:
    """benchmarks/preview.py on a synthetic project: seconds from each save to the served edit."""
    run = subprocess.run(
        [sys.executable, str(HERE / "preview.py"), str(project), str(edits)],
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    print(run.stdout, file=sys.stderr, flush=True)
    return [float(m) for m in re.findall(r"served ([0-9.]+) s after the save", run.stdout)]


def preview_rebuild(env: dict[str, str]) -> list[float]:
    """`factsheet serve` on a copy of the seed fact sheet (the fixture, so that any valid
    content/ passes): seconds from saving a valid YAML edit (a note) until the served page
    shows it, over several edits."""
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(
            REPO / "tests" / "fixtures" / "seed-sheet", root, ignore=shutil.ignore_patterns("site", ".site.*")
        )
        port = 8765 + os.getpid() % 1000
        server = subprocess.Popen(
            [str(BIN / "factsheet"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import yaml

        from generator.locations import Urls

        config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
        page = Urls(bool(config.get("use_directory_urls", True))).dest("participants/jeyhun-bayramov.md")
        url = f"http://127.0.0.1:{port}/{page}"

        def page() -> str:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    return r.read().decode()
            except OSError:
                return ""

        try:
            deadline = time.time() + 60
            while "Bayramov" not in page():
                if time.time() > deadline:
                    raise SystemExit("the preview did not start")
                time.sleep(0.1)
            facts = root / "content" / "facts" / "participants.yaml"
            text = facts.read_text(encoding="utf-8")
            times = []
            for i in range(5):
                time.sleep(1.5)  # let the watcher settle
                marker = f"preview edit {'abcde'[i]}"  # a note: free text, no number, valid content
                facts.write_text(
                    text.replace(
                        "    post: Foreign Minister of Azerbaijan\n",
                        f"    post: Foreign Minister of Azerbaijan\n    note: {marker}\n",
                        1,
                    ),
                    encoding="utf-8",
                )
                start = time.perf_counter()
                while marker not in page():
                    if time.perf_counter() - start > 30:
                        raise SystemExit("the preview did not show the edit")
                    time.sleep(0.02)
                times.append(time.perf_counter() - start)
            return times
        finally:
            server.terminate()
            server.wait(10)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "machine": f"{platform.machine()}, {len(os.sched_getaffinity(0))} cores ({cpu}), {mem:.0f} GiB",
        "system": platform.platform(),
        "python": platform.python_version(),
        **{p: version(p) for p in ("factsheet", "mkdocs", "markdown", "jinja2", "pyyaml", "pydantic", "pysbd")},
        "hugo": hugo_version(hugo_binary()),
    }


def ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


def cell(x: Sample, both: bool = False) -> str:
    """'12.34 s, 156 MB' (largest process), or with the memory of all processes together."""
    return f"{x.seconds:.2f} s, {x.peak_mb:.0f} MB" + (f" / {x.tree_mb:.0f} MB" if both else "")


def change(new: float, old: float) -> str:
    return f"{(new - old) / old:+.0%}"


FLOOR = """\
**The floor** ("bare MkDocs") is `mkdocs build` without the factsheet plugin, of a docs
dir that holds each generated page's HTML, rendered by the same `Renderer` that the plugin
hands to MkDocs in `on_page_context`, in a `.md` file with the page's title as front
matter; the data files (`data/facts.json`, `.csv`); the package's theme overrides as
`custom_dir` and its stylesheet; the same theme (`mkdocs`), search plugin, navigation (the
index pages; item and source pages `not_in_nav`), `use_directory_urls` and validation
settings (`benchmarks/run.py: make_floor`). It is what MkDocs alone costs to publish these
pages. Two differences remain, both inherent to a bare build: MkDocs runs Python-Markdown
over each page (the HTML passes through as raw HTML blocks: {markdown} of the floor's
time at N = {n}, see the timelines), and it renders no templates and checks no site."""


HUGO = """\
**Hugo** is the generator a user would pick instead (issue 14): `hugo --quiet --destination
site` (Debian's `hugo` package; here {version}) on a site of the same pages, with the output
tree removed first. Each page's HTML, from the same `Renderer`, is a `.html` content file
(Hugo's HTML format: no Markdown pass) with its title and URL as front matter, so Hugo
writes the floor's pages at the floor's paths (checked on every run); the home and index
pages are `_index.html` list pages; the data files, stylesheet, favicon and script are
`static/`. No theme and nothing fetched: `layouts/` has a `baseof.html` with the factsheet
theme's page shell (title, description, stylesheet, site name, the nav of the index pages
with the current page marked, the search slot, the colophon, the script) around
`{{{{ .Content }}}}`, and `single.html`, `list.html`, `404.html`. RSS, taxonomies and
`robots.txt` are off (the floor writes none); the sitemap stays (MkDocs writes one). The
shell's links are root-relative: `relativeURLs`, which would make them relative as MkDocs
does, costs Hugo a pass over every page (`benchmarks/run.py: make_hugo`)."""


def hugo_sample(s: dict) -> Sample | str:
    """The Hugo build of a size, or why there is none."""
    if "hugo" not in s:
        return "not measured"  # measurements from before Hugo was a reference (--from-json)
    return s["hugo"] if s["hugo"] is not None else "hugo not installed"


def pool_section(sizes: list[dict]) -> list[str]:
    lines = [
        "",
        "## The check's worker pool (`parallel.fill`)",
        "",
        "A cold check of at least 200 YAML and text files fills the cache on a worker pool, one",
        "worker per core (forked, or spawned in a threaded process), while it reads the files in",
        "the same order; `FACTSHEET_WORKERS=1` (added for this measurement) starts none, so",
        "the check does all of it itself. Both with the cache cleared first, interleaved with the",
        "other commands; memory: largest process / all processes together.",
        "",
        "| N sources | files | check cold, pool | check cold, `FACTSHEET_WORKERS=1` | pool saves |",
        "|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        files = 3 * s["n"]
        pool, serial = s["cold"], s["serial"]
        saved = (
            "no pool (fewer than 200 files)"
            if files < 200
            else f"{serial.seconds - pool.seconds:.2f} s ({(serial.seconds - pool.seconds) / serial.seconds:.0%})"
        )
        lines.append(f"| {s['n']:,} | {files:,} | {cell(pool, True)} | {cell(serial, True)} | {saved} |")
    at = next((s for s in sizes if s["n"] == 1000), None) or (sizes[-1] if sizes else None)
    if at is not None and 3 * at["n"] >= 200:
        pool, serial = at["cold"], at["serial"]
        share = (serial.seconds - pool.seconds) / serial.seconds
        build = at["build_cold"].seconds
        verdict = (
            f"At N = {at['n']:,} the pool saves {serial.seconds - pool.seconds:.1f} s of "
            f"{serial.seconds:.1f} s ({share:.0%}) of a cold check, about "
            f"{(serial.seconds - pool.seconds) / build:.0%} of a cold build ({build:.1f} s), for "
            f"{pool.tree_mb - serial.tree_mb:+.0f} MB of memory at the peak: "
        )
        verdict += (
            "it earns its place (only cold runs start it; a warm check never does)."
            if share >= 0.10
            else "under 10 %: it does not earn its place."
        )
        lines += ["", verdict]
    return lines


def compare_section(sizes: list[dict], old: OldRev, prof: dict) -> list[str]:
    lines = [
        "",
        f"## Before and after item 7: the multi-process build (`{old.commit}`) against the in-process build",
        "",
        f"The old build is `{old.commit}`'s (for eb402b3, the last commit before the engine's",
        "restructure). Its `factsheet build` forked a",
        "Producer that checked the content and rendered Markdown pages while MkDocs started, MkDocs",
        "converted every page with Python-Markdown, and a Scanner process checked each page as MkDocs",
        "wrote it. Today's build checks, then runs MkDocs, which asks the plugin for each page's HTML",
        "(Jinja, no Markdown pass), then checks the site: one process (a cold check of many files",
        "still starts the worker pool above). Each side builds the same synthetic content with the",
        "project files its own `synth.py` writes (the old one copies its templates and a nav into",
        "the project), with its own cache, warm and cold; `--compare-rev` runs the old code from",
        "`git archive` with `PYTHONPATH` ahead of the installed package. Memory: largest process /",
        "all the command's processes together (summed proportional set size, sampled every 0.2 s).",
        "",
        "| N sources | HTML files written (old / new / floor) | old build, warm cache | new build, warm cache "
        "| bare MkDocs | old build, cold cache | new build, cold cache | new vs old, warm | new vs old, cold |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        h = s["html"]
        lines.append(
            f"| {s['n']:,} | {h.get('old_build', 0):,} / {h['build']:,} / {h['floor']:,} | {cell(s['old_build'], True)} "
            f"| {cell(s['build'], True)} | {cell(s['floor'], True)} | {cell(s['old_build_cold'], True)} "
            f"| {cell(s['build_cold'], True)} | {change(s['build'].seconds, s['old_build'].seconds)} "
            f"| {change(s['build_cold'].seconds, s['old_build_cold'].seconds)} |"
        )
    at = next((s for s in sizes if s["n"] == 1000), None) or (sizes[-1] if sizes else None)
    if at is None:
        return lines
    o, nw, oc, nc = at["old_build"], at["build"], at["old_build_cold"], at["build_cold"]
    n = at["n"]
    lines += [
        "",
        "### Do extra processes earn their place? (issue 10, item 9)",
        "",
        *(
            []
            if n == 1000
            else [
                f"Item 9 asks for N = 1,000; this run measured up to N = {n:,}, so the figures below are at"
                f" N = {n:,} (`--sizes 1000 --compare-rev {old.commit}` measures 1,000).",
                "",
            ]
        ),
        f"At N = {n:,} the multi-process build took {o.seconds:.1f} s with the cache warm and the in-process "
        f"build {nw.seconds:.1f} s ({change(nw.seconds, o.seconds)}); cold, {oc.seconds:.1f} s against "
        f"{nc.seconds:.1f} s ({change(nc.seconds, oc.seconds)}). Memory, all processes together: "
        f"{o.tree_mb:.0f} MB against {nw.tree_mb:.0f} MB warm. Most of the difference is item 7 (no "
        "Python-Markdown pass over our pages); the processes in the old build did not make up for it.",
    ]
    tl = (prof or {}).get("timeline")
    if prof.get("n") == n and tl:
        spent, marks = tl["factsheet"]["spent"], dict(tl["factsheet"]["marks"])
        check_s = spent.get("check", 0.0)
        start_mk = marks.get("MkDocs build starts", 0.0) - marks.get("check ends", 0.0)
        render = spent.get("rendering our templates (Renderer.render)", 0.0)
        setup = spent.get("renderer set-up and data files (on_files)", 0.0)
        site = spent.get("site check (on_post_build)", 0.0) + spent.get(SCANNED, 0.0)
        bound = min(check_s, start_mk) + render + setup + site
        total = tl["factsheet"]["marks"][-1][1]
        share = bound / total
        lines += [
            "",
            "That comparison mixes the two changes. What extra processes could still take off the",
            f"critical path of today's build is bounded by its timeline (warm cache, N = {n:,}, below):",
            f"the check ({check_s:.2f} s) could overlap only MkDocs' own start ({start_mk:.2f} s, from the",
            f"check's end to MkDocs' build), and the rendering ({render:.2f} s for the pages, {setup:.2f} s",
            f"to set up the renderer and the data files) and the site check ({site:.2f} s) could run beside",
            f"MkDocs on the other core: at most {bound:.2f} s of {total:.2f} s, **{share:.0%}**, before",
            "any cost of handing pages between processes (the old build pickled every page to MkDocs) and",
            "with the other core idle (on this shared machine it often is not).",
            "",
            (
                f"**Under the 10 % that item 9 asks (here at N = {n:,}): the in-process design stays.**"
                if share < 0.10
                else f"**At or above the 10 % that item 9 asks (here at N = {n:,}), so these figures do not"
                " rule extra processes out.** The old processes, as built, lost to today's single process"
                " (table above); the bound is "
                + (
                    f"mostly the site check ({site:.2f} s, {site / total:.0%} of the build), which parses every"
                    " page MkDocs wrote with the standard library's HTML parser: making it cheaper in-process"
                    " comes before a Scanner process, and a prototype Scanner should be measured against it"
                    " before one is kept."
                    if site >= render + setup
                    else "mostly rendering, which a Producer would move off MkDocs' core; measure one before"
                    " keeping it."
                )
            ),
        ]
    return lines


def closing(sizes: list[dict], real: tuple[Sample, Sample, bool], prof: dict) -> list[str]:
    """What would close each goal that is not met, from the figures of this run."""
    out = ["### What would close the gaps", ""]
    tl = prof.get("timeline", {})
    warm = tl.get("factsheet", {})
    spent, marks = warm.get("spent", {}), dict(warm.get("marks", []))
    small = [s for s in sizes if s["n"] <= 100 and s["build"].seconds > 1.10 * s["floor"].seconds]
    if small:
        out.append(
            "- **Build at small N** ("
            + ", ".join(f"{s['n']:,}: {s['build'].seconds / s['floor'].seconds:.2f} ×" for s in small)
            + "): a fixed cost before MkDocs starts, the interpreter and our imports (pydantic and the"
            " models: `python -X importtime` shows `generator.model` as the largest), and the check;"
            " then the site check after MkDocs has written the site. The floor pays Python-Markdown"
            " instead, which grows with the pages, so the ratio falls as N grows."
        )
    cold_over = [s for s in sizes if s["build_cold"].seconds > 1.10 * s["floor"].seconds]
    if cold_over:
        cold_tl = tl.get("factsheet_cold", {}).get("spent", {})
        out.append(
            "- **Build with the cache cold** ("
            + ", ".join(f"{s['n']:,}: {s['build_cold'].seconds / s['floor'].seconds:.2f} ×" for s in cold_over)
            + "): the cold check is on the critical path"
            + (f" ({cold_tl['check']:.1f} s at N = {prof['n']:,})" if "check" in cold_tl else "")
            + ", and it is mostly sentence splitting (next item). Only the first build after a change of"
            " the segmenter or of many sources is cold."
        )
    by_n = {s["n"]: s for s in sizes}
    at = by_n.get(1000)
    parts = ""
    if warm and prof.get("n") == 1000:
        ours = {
            "the check": spent.get("check", 0.0),
            # in this process: the pages MkDocs asks for that workers did not render ahead (prerender.py)
            "our templates here (the rest are rendered ahead by workers on the other core)": spent.get(
                "rendering our templates (Renderer.render)", 0.0
            ),
            "the renderer's set-up and data files": spent.get("renderer set-up and data files (on_files)", 0.0),
            "the site check": spent.get("site check (on_post_build)", 0.0) + spent.get(SCANNED, 0.0),
        }
        total = warm["marks"][-1][1]
        parts = (
            f"; of the {total:.1f} s warm build in the timeline below, "
            + ", ".join(f"{k} {v:.1f} s" for k, v in ours.items())
            + f", and MkDocs with the interpreter's start the other {total - sum(ours.values()):.1f} s"
        )
    if at is not None and at["build"].seconds > 0.35 * at["floor"].seconds:
        out.append(
            f"- **Build at N = 1,000 against bare MkDocs** ({at['build'].seconds / at['floor'].seconds:.2f} ×, to reach"
            f" 0.35 × the build must take {0.35 * at['floor'].seconds:.1f} s, not {at['build'].seconds:.1f} s{parts})."
            " Skipping Python-Markdown is not enough: MkDocs' own work per page (its page objects, the theme's"
            " Jinja shell, writing the files) must go too, which a build that writes the pages itself, without"
            " MkDocs, would remove."
        )
    h = hugo_sample(at) if at is not None else None
    if isinstance(h, Sample) and at is not None and at["build"].seconds > 4 * h.seconds:
        out.append(
            f"- **Build at N = 1,000 against Hugo** ({at['build'].seconds / h.seconds:.2f} ×: Hugo writes the same"
            f" pages in {h.seconds:.2f} s, so 4 × is {4 * h.seconds:.1f} s against the build's"
            f" {at['build'].seconds:.1f} s{parts}). Hugo is one compiled process on every core with nothing"
            " to check; the gap is the Python start-up, the check, the renderer and MkDocs, so it closes only"
            " with all of the item above."
        )
    if 1000 in by_n and by_n[1000]["cold"].seconds > 10:
        seg = next(
            (sec for name, sec in prof.get("check", {}).get("cumulative", []) if name.endswith(":_segment")), None
        )
        total = prof.get("check", {}).get("total")
        share = f" ({seg / total:.0%} of its CPU time in the profile below)" if seg and total else ""
        out.append(
            f"- **Cold check at 1,000 sources** ({by_n[1000]['cold'].seconds:.1f} s): sentence splitting"
            f" (pysbd){share}; it already runs on every core (`parallel.fill`), which on a loaded machine"
            " has little to run on. A segmenter several times faster with the same boundaries, or"
            " committing each source's split as a `.sents` file (which the check verifies word for word"
            " instead of running pysbd), would close it."
        )
    cold, warm_real, _ = real
    if max(cold.seconds, warm_real.seconds) > 0.3:
        out.append(
            f"- **Check of the real content** ({warm_real.seconds:.2f} s warm): almost all start-up"
            " (importing pydantic and building the models), inflated by the machine's other load (the"
            " table at the top). Fewer models built at import, or a check that imports pydantic only"
            " when a file is not in the cache, would close it."
        )
    if "site check (on_post_build)" in spent and marks:
        site = spent["site check (on_post_build)"] + spent.get(SCANNED, 0.0)
        total = warm["marks"][-1][1]
        out.append(
            f"- **The site check** ({site:.2f} s of the {total:.1f} s warm build at N = {prof['n']:,}, of which"
            f" {spent.get(SCANNED, 0.0):.2f} s scanning pages as MkDocs writes them, the rest resolving every"
            " internal link and reading the files it did not see written): scanning on the other core, as"
            " the pages are rendered there (prerender.py), would take the scans off the critical path."
        )
    if len(out) == 2:
        out.append("Every goal measured here is met.")
    return out


def profile_section(prof: dict, n_floor: dict | None) -> list[str]:
    if not prof:
        return []
    tl = prof["timeline"]
    names = [
        ("factsheet", "factsheet build, warm cache"),
        ("factsheet_cold", "factsheet build, cold cache"),
        ("mkdocs", "bare mkdocs build (the floor)"),
    ]
    cols = [where.phases(tl[k]["marks"]) for k, _ in names]
    lines = [
        "",
        f"## Where the time and memory go (N = {prof['n']:,}, one run each)",
        "",
        "Build timelines: seconds from each mark to the next (`benchmarks/breakdown.py` wraps the",
        "phases of MkDocs' build and our hooks; nothing in the package is changed to measure).",
        "",
        "| " + " | s | ".join(t for _, t in names) + " | s |",
        "|---|---:|---|---:|---|---:|",
    ]
    for i in range(max(len(c) for c in cols)):
        row = []
        for c in cols:
            a = c[i] if i < len(c) else ("", "")
            row += [str(a[0]), str(a[1])]
        lines.append("| " + " | ".join(row) + " |")
    lines.append("| " + " | ".join(f"**until exit** | **{tl[k]['marks'][-1][1]:.2f}**" for k, _ in names) + " |")
    keys = []
    for k, _ in names:
        keys += [x for x in tl[k]["spent"] if x not in keys]
    lines += [
        "",
        "Seconds spent inside (summed over calls, so they overlap the phases above):",
        "",
        "| in | " + " | ".join(t for _, t in names) + " |",
        "|---|---:|---:|---:|",
        *[
            f"| {key} | "
            + " | ".join(f"{tl[k]['spent'][key]:.2f}" if key in tl[k]["spent"] else "" for k, _ in names)
            + " |"
            for key in keys
        ],
    ]
    total = prof["check"]["total"]
    lines += [
        "",
        f"Cold `check`, serial (no cache, no workers) under cProfile: {total:.1f} CPU-seconds in all;",
        "cumulative seconds of the stages (nested, so they overlap):",
        "",
        "| function | s | share |",
        "|---|---:|---:|",
        *[f"| `{name}` | {s:.2f} | {s / total:.0%} |" for name, s in prof["check"]["cumulative"]],
        "",
        "Warm `check`, memory still held at the end (tracemalloc), by where it was allocated:",
        "",
        "| allocated in | MB |",
        "|---|---:|",
        *[f"| {name} | {size / 1e6:.1f} |" for name, size in prof["memory"]],
        "",
    ]
    return lines


def load_line(sizes: list[dict]) -> str:
    if not sizes:
        return "not measured"
    parts = [
        f"N = {s['n']:,}: {statistics.median(s['others']):.2f} (most {max(s['others']):.2f})"
        for s in sizes
        if s["others"]
    ]
    return (
        "cores kept busy by other processes while each command ran, median over the commands: "
        + "; ".join(parts)
        + f" (of {len(os.sched_getaffinity(0))}). The machine is shared (other engineers run tests on it); "
        "every run of every command is interleaved with the others, so drift hits all figures alike"
    )


def report(
    sizes: list[dict],
    real: tuple[Sample, Sample, bool],
    preview: list[float],
    runs: int,
    prof: dict | None = None,
    old: OldRev | None = None,
    minutes: float | None = None,
    v: dict[str, str] | None = None,
) -> str:
    v = v or versions()
    by_n = {s["n"]: s for s in sizes}
    large = [s["runs"] for s in sizes if s["n"] >= 5000]
    lines = [
        "# Benchmark results",
        "",
        "Written by `python benchmarks/run.py` (see benchmarks/README.md); do not edit by hand.",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {val} |" for k, val in v.items()],
        f"| runs | median of {runs} per figure{f', {large[0]} at N ≥ 5,000' if large else ''} "
        "(peak memory: the largest) |",
        f"| load | {load_line(sizes)} |",
    ]
    if old is not None:
        lines.append(f"| compared with | `{old.commit}`: {old.subject[:120]}{'…' if len(old.subject) > 120 else ''} |")
    if minutes is not None:
        lines.append(f"| whole run | {minutes:.0f} minutes |")
    lines += [
        "",
        "## Goals",
        "",
        "| goal | measured | |",
        "|---|---|---|",
    ]
    cold, warm, clean = real
    lines.append(
        f"| `factsheet check` on the real content ≤ 0.3 s, no MkDocs or Markdown imported | "
        f"{warm.seconds:.3f} s warm, {cold.seconds:.3f} s cold; imports MkDocs/Markdown: {'no' if clean else 'yes'} | "
        f"{ok(warm.seconds <= 0.3 and clean)} (warm){'' if cold.seconds <= 0.3 else ', cold: not met'} |"
    )
    for s in sizes:
        ratio = s["build"].seconds / s["floor"].seconds
        ratio_cold = s["build_cold"].seconds / s["floor"].seconds
        lines.append(
            f"| build ≤ 1.10 × bare MkDocs, N = {s['n']:,} | {ratio:.3f} × warm cache, {ratio_cold:.3f} × cold | "
            f"{ok(ratio <= 1.10)} (warm){'' if ratio_cold <= 1.10 else ', cold: not met'} |"
        )
    if 1000 in by_n:
        s = by_n[1000]
        ratio, ratio_cold = (s[k].seconds / s["floor"].seconds for k in ("build", "build_cold"))
        lines.append(
            f"| build ≤ 0.35 × bare MkDocs, N = 1,000 | {ratio:.3f} × warm cache, {ratio_cold:.3f} × cold | "
            f"{ok(ratio <= 0.35)} (warm){'' if ratio_cold <= 0.35 else ', cold: not met'} |"
        )
        h = hugo_sample(s)
        if isinstance(h, Sample):
            ratio, ratio_cold = (s[k].seconds / h.seconds for k in ("build", "build_cold"))
            lines.append(
                f"| build ≤ 4 × Hugo, N = 1,000 | {ratio:.2f} × warm cache, {ratio_cold:.2f} × cold "
                f"(Hugo {h.seconds:.2f} s) | {ok(ratio <= 4)} (warm){'' if ratio_cold <= 4 else ', cold: not met'} |"
            )
        else:
            lines.append(f"| build ≤ 4 × Hugo, N = 1,000 | {h} | — |")
    else:
        lines += [
            "| build ≤ 0.35 × bare MkDocs, N = 1,000 | N = 1,000 not measured in this run | — |",
            "| build ≤ 4 × Hugo, N = 1,000 | N = 1,000 not measured in this run | — |",
        ]
    if 1000 in by_n and 5000 in by_n:
        growth = by_n[5000]["build"].seconds / by_n[1000]["build"].seconds
        lines.append(f"| build at 5,000 ≤ 5.5 × build at 1,000 | {growth:.2f} × | {ok(growth <= 5.5)} |")
    if 1000 in by_n:
        s = by_n[1000]
        lines.append(
            f"| check at 1,000 sources ≤ 2 s warm | {s['warm'].seconds:.2f} s | {ok(s['warm'].seconds <= 2)} |"
        )
        lines.append(
            f"| check at 1,000 sources ≤ 10 s cold | {s['cold'].seconds:.2f} s | {ok(s['cold'].seconds <= 10)} |"
        )
    if 5000 in by_n:
        b = by_n[5000]
        largest = max(b["build"].peak_mb, b["build_cold"].peak_mb)
        together = max(b["build"].tree_mb, b["build_cold"].tree_mb)
        own = max(b["build"].procs.get("main", 0.0), b["build_cold"].procs.get("main", 0.0))
        pagefind = max(b["build"].procs.get("pagefind", 0.0), b["build_cold"].procs.get("pagefind", 0.0))
        split = (
            f" (sampled: the build's own process {own:.0f} MB, Pagefind {pagefind:.0f} MB)" if own or pagefind else ""
        )
        lines.append(
            f"| build peak memory at 5,000 sources ≤ 1 GB | largest process {largest:.0f} MB, all processes "
            f"together {together:.0f} MB{split} | {ok(max(largest, together) <= 1024)} |"
        )
        peak = max(by_n[5000]["cold"].peak_mb, by_n[5000]["warm"].peak_mb)
        lines.append(f"| check peak memory at 5,000 sources ≤ 500 MB | {peak:.0f} MB | {ok(peak <= 500)} |")
    if preview:
        worst = max(preview)
        lines.append(
            f"| preview: page rebuilt and served ≤ 1 s after a YAML edit (real content) | "
            f"median {statistics.median(preview):.2f} s, worst {worst:.2f} s of {len(preview)} edits | "
            f"{ok(worst <= 1.0)} |"
        )
    large = (prof or {}).get("preview_1000")
    if large:
        lines.append(
            f"| preview at 1,000 sources: the changed page served ≤ 2 s after a YAML edit (benchmarks/preview.py) | "
            f"median {statistics.median(large):.2f} s, worst {max(large):.2f} s of {len(large)} edits | "
            f"{ok(max(large) <= 2.0)} |"
        )
    md = ""
    tl = (prof or {}).get("timeline")
    if tl:
        floor_md = tl["mkdocs"]["spent"].get("Python-Markdown (Page.render)", 0.0)
        md = f"{floor_md:.1f} s of {tl['mkdocs']['marks'][-1][1]:.1f} s"
    lines += [
        "",
        "## All figures",
        "",
        "Seconds (wall, including interpreter start) and peak resident memory of the largest",
        "process in MB.",
        "",
        "| N sources | facts | pages | check cold | check warm | build (warm cache) | build (cold cache) "
        "| bare MkDocs | Hugo | build / MkDocs | build / Hugo |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        cells = [cell(s[k]) for k in ("cold", "warm", "build", "build_cold")]
        h = hugo_sample(s)
        hugo, by_hugo = (cell(h), f"{s['build'].seconds / h.seconds:.2f}") if isinstance(h, Sample) else (h, "—")
        lines.append(
            f"| {s['n']:,} | {s['n'] * synth.FACTS:,} | {s['pages']:,} | {' | '.join(cells)} | "
            f"{cell(s['floor'])} | {hugo} | {s['build'].seconds / s['floor'].seconds:.3f} | {by_hugo} |"
        )
    lines += ["", FLOOR.format(markdown=md or "not timed in this run", n=(prof or {}).get("n", "—"))]
    lines += ["", HUGO.format(version=v.get("hugo", "version not recorded"))]
    lines += pool_section(sizes)
    if old is not None:
        lines += compare_section(sizes, old, prof or {})
    lines += profile_section(prof or {}, None)
    if prof:
        lines += closing(sizes, real, prof)
    lines.append("")
    return "\n".join(lines)


RESULTS, DATA = HERE / "RESULTS.md", HERE / "results.json"


def measurements(
    sizes: list[dict],
    real: tuple[Sample, Sample, bool],
    preview: list[float],
    runs: int,
    prof: dict,
    old: OldRev | None,
    minutes: float,
) -> dict:
    return {
        "sizes": sizes,
        "real": real,
        "preview": preview,
        "runs": runs,
        "prof": prof,
        "old": {"commit": old.commit, "subject": old.subject} if old else None,
        "minutes": minutes,
        "versions": versions(),
    }


def save(data: dict) -> None:
    dumped = json.dumps(data, indent=1, default=lambda o: {"sample": asdict(o)} if isinstance(o, Sample) else o)
    DATA.write_text(dumped + "\n", encoding="utf-8")


def write(text: str, data: dict | None, no_write: bool) -> None:
    """RESULTS.md, and beside it the measurements it was written from (so that the report's
    wording can change without measuring again: --from-json)."""
    if no_write:
        print(text)
        return
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    # the sections other scripts write stay: benchmarks/linear.py's, benchmarks/search_bytes.py's
    marks = [old.index(m) for m in ("<!-- linear-time:", "<!-- search:") if m in old]
    if marks:
        text = text.rstrip("\n") + "\n\n" + old[min(marks) :]
    RESULTS.write_text(text, encoding="utf-8")
    if data is not None:
        save(data)
    print(f"wrote {RESULTS}" + (f" and {DATA}" if data is not None else ""))


def load_data(path: Path) -> dict:
    data = json.loads(
        path.read_text(encoding="utf-8"), object_hook=lambda d: Sample(**d["sample"]) if set(d) == {"sample"} else d
    )
    if data["old"] is not None:
        data["old"] = argparse.Namespace(**data["old"])
    return data


def sizes_arg(values: list[str]) -> list[int]:
    return [int(x) for v in values for x in v.split(",") if x]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", default=["10,100,1000,5000"], help="N sources: 10 100 or 10,100")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--large-runs", type=int, default=1, help="runs for N >= 5000 (each takes minutes)")
    ap.add_argument("--work", type=Path, default=None, help="where the synthetic projects go (default: a temp dir)")
    ap.add_argument("--no-write", action="store_true", help="print the report instead of writing RESULTS.md")
    ap.add_argument("--no-preview", action="store_true", help="skip the live-preview measurement")
    ap.add_argument("--no-profile", action="store_true", help="skip the timelines and profiles")
    ap.add_argument(
        "--compare-rev",
        metavar="REV",
        default=None,
        help="also build each synthetic project with the code of REV (e.g. eb402b3, the multi-process engine)",
    )
    ap.add_argument(
        "--from-json",
        type=Path,
        default=None,
        help="write the report from the measurements a run saved (benchmarks/results.json), measuring nothing",
    )
    ap.add_argument("--make-floor", nargs=2, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--make-hugo", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make_floor:
        project, floor = args.make_floor
        rendered = Rendered(project)  # once, for both sites
        if args.make_hugo:
            make_hugo(project, args.make_hugo, rendered)
        print(make_floor(project, floor, rendered))
        return
    if args.from_json:
        data = load_data(args.from_json)
        text = report(
            data["sizes"],
            data["real"],
            data["preview"],
            data["runs"],
            data["prof"],
            data["old"],
            data["minutes"],
            data["versions"],
        )
        write(text, None, args.no_write)
        return
    sizes_n = sizes_arg(args.sizes)
    work = args.work or Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, FACTSHEET_CACHE=str(work / "cache"), PYTHONHASHSEED="0")
    env.pop("FACTSHEET_WORKERS", None)
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    # the package's bytecode, as pip writes it for every installed package (MkDocs' among
    # them): an editable install is compiled only when first imported, which this
    # machine's PYTHONDONTWRITEBYTECODE=1 prevents, so each command would compile it again
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "generator")], check=True)
    started = time.time()
    try:
        old = OldRev(args.compare_rev, work, env) if args.compare_rev else None
        real = real_check(args.runs, env)
        preview = [] if args.no_preview else preview_rebuild(env)
        sizes = []
        for n in sizes_n:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            sizes.append(run_size(n, args.runs if n < 5000 else args.large_runs, work, env, old))
            print(report(sizes, real, preview, args.runs, old=old), file=sys.stderr, flush=True)
            if not args.no_write:  # a long run cut short still leaves what it measured (--from-json)
                save(measurements(sizes, real, preview, args.runs, {}, old, (time.time() - started) / 60))
        prof = {}
        small = [n for n in sizes_n if n <= 1000]
        if small and not args.no_profile:
            n = max(small)
            print(f"profile at N = {n} ...", file=sys.stderr, flush=True)
            project, floor = work / f"n{n}", work / f"n{n}-floor"
            prof = {
                "n": n,
                "timeline": where.build_timeline(project, floor, env, lambda: shutil.rmtree(work / "cache")),
                "check": where.check_profile(project, env),
                "memory": where.check_memory(project, env),
            }
        if 1000 in sizes_n and not args.no_preview:
            print("preview at N = 1000 ...", file=sys.stderr, flush=True)
            prof["preview_1000"] = preview_large(work / "n1000", env)
        minutes = (time.time() - started) / 60
        text = report(sizes, real, preview, args.runs, prof, old, minutes)
        write(text, measurements(sizes, real, preview, args.runs, prof, old, minutes), args.no_write)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
