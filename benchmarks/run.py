"""Measure factsheet against the MkDocs floor, and write benchmarks/RESULTS.md.

    python benchmarks/run.py                      # full run: N = 10, 100, 1000, 5000
    python benchmarks/run.py --sizes 10 --runs 1 --no-write   # the CI smoke test

For each N, in the same run: a synthetic project (synth.py); `factsheet check` with the
cache cold and warm; `factsheet build` (check, render, MkDocs, site check, atomic
publish) with the cache warm and cold; and `mkdocs build` of the same generated Markdown
without the factsheet plugin (the floor: what MkDocs alone costs for these pages). Every
command runs in its own process; wall time from start to exit, peak memory from wait4.
Medians of --runs runs. Plus the real content's check, and the live preview's rebuild.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
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
    peak_mb: float


def measure(cmd: list[str], cwd: Path, env: dict[str, str], before: object = None) -> Sample:
    """Run one command; its wall time and the peak resident memory of it and its children."""
    if callable(before):
        before()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd} ({proc.returncode}):\n{err[-3000:]}")
    return Sample(seconds, usage.ru_maxrss / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mb for s in samples))


def floor_config(config: str) -> str:
    """The synthetic project's mkdocs.yml without the factsheet plugin, for plain docs."""
    head = config[: config.index("validation:")]
    head = re.sub(r"^site_name: .*$", "site_name: Synthetic fact sheet, bare MkDocs", head, count=1, flags=re.M)
    for ours, plain in (
        ("docs_dir: templates/assets", "docs_dir: docs"),
        ("custom_dir: templates/theme", "custom_dir: theme"),
        ("  - factsheet\n", ""),
    ):
        head = head.replace(ours, plain, 1)
    return head


def make_floor(project: Path, dest: Path) -> int:
    """The same generated Markdown and data files as plain docs for a bare MkDocs build,
    with the same theme, extensions, search, navigation and exclusions. Returns pages."""
    from generator.buildinfo import BuildInfo
    from generator.pipeline import check
    from generator.render import render

    checked = check(project, cache=False)
    assert not checked.report.has_errors, checked.report.sorted()[:5]
    pages = render(checked, project / "templates", BuildInfo.of(project))
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(project / "templates" / "assets", dest / "docs")
    shutil.copytree(project / "templates" / "theme", dest / "theme")
    for path, content in pages.items():
        out = dest / "docs" / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(content, encoding="utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (dest / "mkdocs.yml").write_text(floor_config(config), encoding="utf-8")
    return sum(p.endswith(".md") for p in pages)


def run_size(n: int, runs: int, work: Path, env: dict[str, str]) -> dict[str, object]:
    project = synth.generate(n, work / f"n{n}")
    floor_dir = work / f"n{n}-floor"
    # in another process: this one stays small, and a child's peak memory counts what its
    # parent held when it was forked
    made = subprocess.run(
        [sys.executable, __file__, "--make-floor", str(project), str(floor_dir)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    pages = int(made.stdout.split()[-1])
    cache_dir = Path(env["FACTSHEET_CACHE"])

    def clear_cache() -> None:
        shutil.rmtree(cache_dir, ignore_errors=True)

    factsheet, mkdocs = str(BIN / "factsheet"), str(BIN / "mkdocs")
    results: dict[str, list[Sample]] = {k: [] for k in ("cold", "warm", "build", "build_cold", "floor")}
    for _ in range(runs):  # interleaved, so drift in the machine's speed hits all alike
        results["cold"].append(measure([factsheet, "check"], project, env, clear_cache))
        results["warm"].append(measure([factsheet, "check"], project, env))
        results["floor"].append(measure([mkdocs, "build", "-q"], floor_dir, env))
        results["build"].append(measure([factsheet, "build"], project, env))
        results["build_cold"].append(measure([factsheet, "build"], project, env, clear_cache))
    shutil.rmtree(floor_dir / "site", ignore_errors=True)
    shutil.rmtree(project / "site", ignore_errors=True)
    out: dict[str, object] = {"n": n, "pages": pages, "runs": runs}
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


def preview_rebuild(env: dict[str, str]) -> list[float]:
    """`factsheet serve` on a copy of the real content: seconds from saving a YAML edit
    until the served page shows it, over several edits."""
    import urllib.request

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".git", ".venv", "site", ".site.*", "benchmarks"))
        port = 8765 + os.getpid() % 1000
        server = subprocess.Popen(
            [str(BIN / "factsheet"), "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}/participants/jeyhun-bayramov/"

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
                marker = f"Foreign Minister of Azerbaijan (edit {i})"
                facts.write_text(
                    text.replace("post: Foreign Minister of Azerbaijan", f"post: {marker}", 1), encoding="utf-8"
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
    }


def ok(flag: bool) -> str:
    return "met" if flag else "**not met**"


CLOSING = """\
### What would close the gaps

- **Build at small N** (10, 100 sources): the difference is a fixed cost, the check's
  start-up (Python imports pydantic and the models, then loads and verifies) on the
  critical path before MkDocs can read a page: MkDocs itself needs about 0.15 s to reach
  its first page. It would close with a check that starts faster than MkDocs (no pydantic
  import on this path, or a long-lived worker that keeps the models loaded).
- **Build at large N**: the wait for the check (timeline above), plus our two processes
  sharing the machine with MkDocs while it reads pages (a core fully busy beside MkDocs
  slows it by about 5% here), plus the site check's last step (links of every page) and
  the removal of the previous site. It would close with a check that is cached as a whole
  (verified facts keyed by the bytes of each fact file and of the sources it cites, so a
  warm build only validates what changed), and a site check that resolves links as pages
  arrive rather than at the end.
- **Cold check at 1,000 sources**: the profile above: sentence splitting (pysbd) is most of
  the CPU time; it already runs on every core. A segmenter several times faster that
  gives the same boundaries, or committing each source's split as a `.sents` file
  (which the check verifies word for word instead of running pysbd), would close it.
- **Check memory at 5,000 sources**: the memory table above: pydantic model instances
  (about 2 KB a fact: each model and nested model carries a dict and a set of fields),
  then the strings of the content. Converting validated facts to slotted dataclasses
  after validation would roughly halve it.
"""


def profile_section(prof: dict) -> list[str]:
    if not prof:
        return []
    lines = [
        "",
        f"## Where the time and memory go (N = {prof['n']:,}, one run each)",
        "",
        "Build timelines, with the cache cold (the last size's runs cleared it): seconds from each",
        "mark to the next (`benchmarks/breakdown.py` wraps the phases of MkDocs' build and our",
        "hooks; nothing in the package is changed to measure). With a warm cache the wait for",
        "the check is the warm check's time (see the table above) less the start of MkDocs.",
        "",
        "| factsheet build | s | bare mkdocs build | s |",
        "|---|---:|---|---:|",
    ]
    ours, floor = where.phases(prof["timeline"]["factsheet"]), where.phases(prof["timeline"]["mkdocs"])
    for i in range(max(len(ours), len(floor))):
        a = ours[i] if i < len(ours) else ("", "")
        b = floor[i] if i < len(floor) else ("", "")
        lines.append(f"| {a[0]} | {a[1]} | {b[0]} | {b[1]} |")
    end_ours, end_floor = prof["timeline"]["factsheet"][-1][1], prof["timeline"]["mkdocs"][-1][1]
    lines.append(f"| **until exit** | **{end_ours}** | **until exit** | **{end_floor}** |")
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
        CLOSING,
    ]
    return lines


def report(
    sizes: list[dict], real: tuple[Sample, Sample, bool], preview: list[float], runs: int, prof: dict | None = None
) -> str:
    v = versions()
    by_n = {s["n"]: s for s in sizes}
    lines = [
        "# Benchmark results",
        "",
        "Written by `python benchmarks/run.py` (see benchmarks/README.md); do not edit by hand.",
        "",
        "| | |",
        "|---|---|",
        *[f"| {k} | {val} |" for k, val in v.items()],
        f"| runs | median of {runs} per figure, {sizes[-1]['runs'] if sizes else runs} at N = 5,000 "
        "(peak memory: the largest) |",
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
        f"{ok(warm.seconds <= 0.3 and cold.seconds <= 0.3 and clean)} |"
    )
    for s in sizes:
        ratio = s["build"].seconds / s["floor"].seconds
        ratio_cold = s["build_cold"].seconds / s["floor"].seconds
        lines.append(
            f"| build ≤ 1.10 × bare MkDocs, N = {s['n']:,} | {ratio:.3f} × warm cache, {ratio_cold:.3f} × cold | "
            f"{ok(ratio <= 1.10)} (warm){'' if ratio_cold <= 1.10 else ', cold: not met'} |"
        )
    if 1000 in by_n and 5000 in by_n:
        growth = by_n[5000]["build"].seconds / by_n[1000]["build"].seconds
        lines.append(f"| build at 5,000 ≤ 5.5 × build at 1,000 | {growth:.2f} × | {ok(growth <= 5.5)} |")
    if 1000 in by_n:
        s = by_n[1000]
        lines.append(
            f"| check at 1,000 sources ≤ 3 s warm | {s['warm'].seconds:.2f} s | {ok(s['warm'].seconds <= 3)} |"
        )
        lines.append(
            f"| check at 1,000 sources ≤ 10 s cold | {s['cold'].seconds:.2f} s | {ok(s['cold'].seconds <= 10)} |"
        )
    if 5000 in by_n:
        peak = max(by_n[5000]["cold"].peak_mb, by_n[5000]["warm"].peak_mb)
        lines.append(f"| check peak memory at 5,000 sources ≤ 500 MB | {peak:.0f} MB | {ok(peak <= 500)} |")
    if preview:
        worst = max(preview)
        lines.append(
            f"| preview: page rebuilt and served ≤ 1 s after a YAML edit (real content) | "
            f"median {statistics.median(preview):.2f} s, worst {worst:.2f} s of {len(preview)} edits | "
            f"{ok(worst <= 1.0)} |"
        )
    lines += [
        "",
        "## All figures",
        "",
        "Seconds (wall, including interpreter start) and peak resident memory in MB.",
        "",
        "| N sources | facts | pages | check cold | check warm | build (warm cache) | build (cold cache) "
        "| bare MkDocs | build / MkDocs |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in sizes:
        cells = [f"{s[k].seconds:.2f} s, {s[k].peak_mb:.0f} MB" for k in ("cold", "warm", "build", "build_cold")]
        lines.append(
            f"| {s['n']:,} | {s['n'] * synth.FACTS:,} | {s['pages']:,} | {' | '.join(cells)} | "
            f"{s['floor'].seconds:.2f} s, {s['floor'].peak_mb:.0f} MB | {s['build'].seconds / s['floor'].seconds:.3f} |"
        )
    lines += profile_section(prof or {})
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000, 5000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--large-runs", type=int, default=1, help="runs for N >= 5000 (each takes minutes)")
    ap.add_argument("--work", type=Path, default=None, help="where the synthetic projects go (default: a temp dir)")
    ap.add_argument("--no-write", action="store_true", help="print the report instead of writing RESULTS.md")
    ap.add_argument("--no-preview", action="store_true", help="skip the live-preview measurement")
    ap.add_argument("--no-profile", action="store_true", help="skip the timelines and profiles")
    ap.add_argument("--make-floor", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.make_floor:
        print(make_floor(*args.make_floor))
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="factsheet-bench-"))
    env = dict(os.environ, FACTSHEET_CACHE=str(work / "cache"), PYTHONHASHSEED="0")
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    try:
        real = real_check(args.runs, env)
        preview = [] if args.no_preview else preview_rebuild(env)
        sizes = []
        for n in args.sizes:
            print(f"N = {n} ...", file=sys.stderr, flush=True)
            sizes.append(run_size(n, args.runs if n < 5000 else args.large_runs, work, env))
            print(report(sizes, real, preview, args.runs), file=sys.stderr, flush=True)
        prof = {}
        small = [n for n in args.sizes if n <= 1000]
        if small and not args.no_profile:
            n = max(small)
            print(f"profile at N = {n} ...", file=sys.stderr, flush=True)
            project, floor = work / f"n{n}", work / f"n{n}-floor"
            prof = {
                "n": n,
                "timeline": where.build_timeline(project, floor, env),
                "check": where.check_profile(project, env),
                "memory": where.check_memory(project, env),
            }
        text = report(sizes, real, preview, args.runs, prof)
        if args.no_write:
            print(text)
        else:
            results = HERE / "RESULTS.md"
            old = results.read_text(encoding="utf-8") if results.exists() else ""
            keep = "<!-- linear-time: written by benchmarks/linear.py -->"
            if keep in old:  # benchmarks/linear.py's section stays
                text = text.rstrip("\n") + "\n\n" + old[old.index(keep) :]
            results.write_text(text, encoding="utf-8")
            print(f"wrote {HERE / 'RESULTS.md'}")
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
