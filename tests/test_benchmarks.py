"""The benchmark script runs end to end at its smallest size (CI's smoke test: no timing
is asserted here; the goals are judged in benchmarks/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import synth  # noqa: E402

from generator.pipeline import check  # noqa: E402


def test_a_synthetic_project_is_deterministic_and_passes_the_check(tmp_path: Path) -> None:
    a, b = synth.generate(12, tmp_path / "a"), synth.generate(12, tmp_path / "b")
    files = sorted(p.relative_to(a) for p in (a / "content").rglob("*") if p.is_file())
    assert len(files) == 37  # site.yaml, and per source: text, metadata, facts
    assert all((a / f).read_bytes() == (b / f).read_bytes() for f in files)
    project = check(a, cache=False)
    assert not project.report.diagnostics
    assert (len(project.facts), len(project.sources)) == (12 * synth.FACTS, 12)
    assert all(len(s.text.sentences) == synth.SENTENCES for s in project.sources.values())


def test_the_benchmark_script_measures_the_smallest_size(tmp_path: Path) -> None:
    out = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "run.py"), "--sizes", "10", "--runs", "1"]
        + ["--no-write", "--no-preview", "--work", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    row = next(line for line in out.stdout.splitlines() if line.startswith("| 10 | 200 |"))
    assert row.count(" s, ") == 5  # check cold and warm, build warm and cold, bare MkDocs
    assert "`factsheet check` on the real content" in out.stdout
