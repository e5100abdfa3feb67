"""Where the time and memory go, for RESULTS.md: run by run.py on one synthetic project.

- `build_timeline`: `factsheet build` (cache warm, then cold) and the floor's bare
  `mkdocs build`, each in its own process with marks at the phases of MkDocs' build and
  at our hooks (they are wrapped from outside; nothing in the package is changed), and
  the seconds spent in the check, in rendering our templates, in Python-Markdown and in
  the site check, so the report can say what could run beside MkDocs in another process.
- `check_profile`: a serial, cold `check` under cProfile (no cache, no worker processes),
  grouped by what the time is spent on.
- `check_memory`: a warm `check` under tracemalloc, grouped by module.

    python benchmarks/breakdown.py PROJECT FLOOR_PROJECT
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

_MARKS = r"""
import json, sys, time
T0 = time.perf_counter()
marks = [("start (after the interpreter)", 0.0)]
spent = {}
def mark(name):
    marks.append((name, round(time.perf_counter() - T0, 3)))
def timed(fn, key):
    def wrapped(*a, **k):
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            spent[key] = spent.get(key, 0.0) + time.perf_counter() - t
    return wrapped
if __name__ == "__main__":
    import mkdocs.commands.build as mb
    import mkdocs.structure.pages as mpages
    first = {}
    def once(fn, name):
        def wrapped(*a, **k):
            if name not in first:
                first[name] = True
                mark(name)
            return fn(*a, **k)
        return wrapped
    mb._populate_page = once(mb._populate_page, "MkDocs reads the first page")
    mb._build_page = once(mb._build_page, "MkDocs writes the first page")
    mpages.Page.render = timed(mpages.Page.render, "Python-Markdown (Page.render)")
    orig_build = mb.build
    def build(*a, **k):
        mark("MkDocs build starts")
        try:
            return orig_build(*a, **k)
        finally:
            mark("MkDocs build ends")
    mb.build = build
    if sys.argv[1] == "factsheet":
        import generator.pipeline as pl
        import generator.mkdocs_plugin as mp
        import generator.render as rd
        orig_check = pl.check
        def check(*a, **k):
            mark("check starts")
            try:
                return timed(orig_check, "check")(*a, **k)
            finally:
                mark("check ends")
        pl.check = check
        rd.Renderer.render = timed(rd.Renderer.render, "rendering our templates (Renderer.render)")
        orig_files = mp.FactSheetPlugin.on_files
        def on_files(self, *a, **k):
            mark("plugin sets up the renderer, adds the pages")
            return timed(orig_files, "renderer set-up and data files (on_files)")(self, *a, **k)
        mp.FactSheetPlugin.on_files = on_files
        orig_post = mp.FactSheetPlugin.on_post_build
        def post(self, **k):
            mark("site check starts")
            try:
                return timed(orig_post, "site check (on_post_build)")(self, **k)
            finally:
                mark("site check ends")
        mp.FactSheetPlugin.on_post_build = post
        import generator.publish as pb
        pb.SiteScans.add = timed(pb.SiteScans.add, "site check: pages scanned (on_post_page)")
        from generator.cli import main
        sys.argv = ["factsheet", "build"]
    else:
        from mkdocs.__main__ import cli as main
        sys.argv = ["mkdocs", "build", "-q"]
    try:
        main()
    except SystemExit:
        pass
    mark("exit")
    print(json.dumps({"marks": marks, "spent": {k: round(v, 3) for k, v in spent.items()}}))
"""


def _timeline(name: str, where: Path, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _MARKS, name], cwd=where, env=env, capture_output=True, text=True, check=True
    )
    data = json.loads(done.stdout.strip().splitlines()[-1])
    shutil.rmtree(where / "site", ignore_errors=True)
    return {"marks": [tuple(m) for m in data["marks"]], "spent": data["spent"]}


def build_timeline(project: Path, floor: Path, env: dict[str, str], clear_cache: Callable[[], None]) -> dict:
    """Timelines of `factsheet build` with the cache warm and cold, and of the floor."""
    out = {"mkdocs": _timeline("mkdocs", floor, env)}
    _timeline("factsheet", project, env)  # the cache is warm after this one
    out["factsheet"] = _timeline("factsheet", project, env)
    clear_cache()
    out["factsheet_cold"] = _timeline("factsheet", project, env)
    return out


_PROFILE = r"""
import cProfile, pstats, io, json, sys
from pathlib import Path
import generator.parallel as par
par.MIN_JOBS = 10**9  # serial: the profile sees everything
from generator.pipeline import check
prof = cProfile.Profile()
prof.enable()
check(Path(sys.argv[1]), cache=False)
prof.disable()
stats = pstats.Stats(prof)
total = stats.total_tt
top = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])
cum = {}
for (file, line, fn), (cc, nc, tt, ct, callers) in top:
    short = "/".join(file.split("/")[-2:])
    if fn in ("split_entry", "sentence_spans", "_segment", "read_yaml", "parse_yaml", "parse_bytes", "add_facts",
              "resolve_citations", "load_sources", "check_references", "sentences_at", "validate_doc"):
        cum[f"{short}:{fn}"] = max(cum.get(f"{short}:{fn}", 0), ct)
print(json.dumps({"total": total, "cumulative": sorted(cum.items(), key=lambda kv: -kv[1])}))
"""


def check_profile(project: Path, env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _PROFILE, str(project)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


_MEMORY = r"""
import json, sys, tracemalloc
from pathlib import Path
from generator.pipeline import check
check(Path(sys.argv[1]))  # fill the cache
tracemalloc.start()
project = check(Path(sys.argv[1]))
snap = tracemalloc.take_snapshot()
by = {}
for s in snap.statistics("filename"):
    f = s.traceback[0].filename
    if "site-packages/" in f:
        key = f.split("site-packages/")[-1].split("/")[0]
    elif "/generator/" in f:
        key = "generator/" + f.split("/generator/")[-1]
    else:
        key = "Python: " + "/".join(f.split("/")[-2:])
    by[key] = by.get(key, 0) + s.size
print(json.dumps(sorted(by.items(), key=lambda kv: -kv[1])[:8]))
"""


def check_memory(project: Path, env: dict[str, str]) -> list[tuple[str, int]]:
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(project)], env=env, capture_output=True, text=True, check=True
    )
    return [tuple(x) for x in json.loads(done.stdout.strip().splitlines()[-1])]


def phases(marks: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Durations between consecutive marks: (from mark, seconds until the next one)."""
    return [(a[0], round(b[1] - a[1], 2)) for a, b in zip(marks, marks[1:], strict=False)]


if __name__ == "__main__":
    env = dict(os.environ)
    print(json.dumps(build_timeline(Path(sys.argv[1]), Path(sys.argv[2]), env, lambda: None), indent=1))
    print(json.dumps(check_profile(Path(sys.argv[1]), env), indent=1))
    print(json.dumps(check_memory(Path(sys.argv[1]), env), indent=1))
