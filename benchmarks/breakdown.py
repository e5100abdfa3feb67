"""Where the time and memory go, for RESULTS.md: run by run.py on one synthetic project.

- `build_timeline`: `factsheet build` and bare `mkdocs build`, each in its own process with
  marks at the phases of MkDocs' build (our hooks are wrapped, nothing in the package is
  changed), so the report can say how much of the difference is the wait for the check,
  the reading of pages, writing them, the site check, and the swap.
- `check_profile`: a serial, cold `check` under cProfile (no cache, no worker processes),
  grouped by what the time is spent on.
- `check_memory`: a warm `check` under tracemalloc, grouped by module.

    python benchmarks/breakdown.py PROJECT FLOOR_PROJECT
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

_MARKS = r"""
import json, sys, time
T0 = time.perf_counter()
marks = [("start (after the interpreter)", 0.0)]
def mark(name):
    marks.append((name, round(time.perf_counter() - T0, 3)))
if __name__ == "__main__":
    import mkdocs.commands.build as mb
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
    orig_build = mb.build
    def build(*a, **k):
        mark("MkDocs build starts")
        try:
            return orig_build(*a, **k)
        finally:
            mark("MkDocs build ends")
    mb.build = build
    if sys.argv[1] == "factsheet":
        import generator.build as gb
        import generator.mkdocs_plugin as mp
        import generator.stream as st
        orig_checked = st.Producer.checked
        def checked(self):
            if "check received" not in first:
                mark("waiting for the check")
            result = orig_checked(self)
            if "check received" not in first:
                first["check received"] = True
                mark("check received")
            return result
        st.Producer.checked = checked
        orig_post = mp.FactSheetPlugin.on_post_build
        def post(self, **k):
            if "site check" in first:
                return orig_post(self, **k)
            first["site check"] = True
            mark("site check starts")
            orig_post(self, **k)
            mark("site check ends")
        mp.FactSheetPlugin.on_post_build = post
        orig_env = mp.FactSheetPlugin.on_env
        def env(self, *a, **k):
            mark("all pages read")
            return orig_env(self, *a, **k)
        mp.FactSheetPlugin.on_env = env
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
    print(json.dumps(marks))
"""


def build_timeline(project: Path, floor: Path, env: dict[str, str]) -> dict[str, list[tuple[str, float]]]:
    out = {}
    for name, where in (("factsheet", project), ("mkdocs", floor)):
        done = subprocess.run(
            [sys.executable, "-c", _MARKS, name], cwd=where, env=env, capture_output=True, text=True, check=True
        )
        out[name] = [tuple(m) for m in json.loads(done.stdout.strip().splitlines()[-1])]
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
groups = {
    "sentence splitting (pysbd)": "pysbd/",
    "YAML parsing (libyaml events)": "generator/load.py",
    "model validation (pydantic)": "pydantic",
    "citation matching and number checks": "generator/cite.py",
}
spent = {k: 0.0 for k in groups}
for (file, line, fn), (cc, nc, tt, ct, callers) in stats.stats.items():
    for k, needle in groups.items():
        if needle in file:
            spent[k] += tt
            break
# regular expressions and string methods are charged to the module that calls them
rows = [(k, v) for k, v in spent.items()]
top = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])
cum = {}
for (file, line, fn), (cc, nc, tt, ct, callers) in top:
    short = file.split("site-packages/")[-1].split("/work/main/")[-1]
    if fn in ("split_entry", "sentence_spans", "_segment", "read_yaml", "parse_yaml", "add_facts",
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
    print(json.dumps(build_timeline(Path(sys.argv[1]), Path(sys.argv[2]), env), indent=1))
    print(json.dumps(check_profile(Path(sys.argv[1]), env), indent=1))
    print(json.dumps(check_memory(Path(sys.argv[1]), env), indent=1))
