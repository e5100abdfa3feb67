"""The benchmark script runs end to end at its smallest size (CI's smoke test: no timing
is asserted here; the goals are judged in benchmarks/RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import run  # noqa: E402
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
    # check cold and warm, build warm and cold, bare MkDocs, and Hugo where it is installed
    if run.hugo_binary():
        assert row.count(" s, ") == 6
    else:
        assert row.count(" s, ") == 5 and "| hugo not installed |" in row
    assert "`factsheet check` on the real content" in out.stdout
    assert "| build ≤ 4 × Hugo, N = 1,000 | N = 1,000 not measured in this run | — |" in out.stdout


def test_the_hugo_reference_is_the_floors_pages_and_its_absence_is_reported(tmp_path: Path) -> None:
    """The Hugo site holds the floor's pages, byte for byte, at the floor's paths; without
    hugo the report says so where its figures would be (no hugo is run here)."""
    project = synth.generate(3, tmp_path / "p")
    rendered = run.Rendered(project)
    assert run.make_hugo(project, tmp_path / "hugo", rendered) == run.make_floor(project, tmp_path / "floor", rendered)
    content = tmp_path / "hugo" / "content"
    assert (content / "_index.html").is_file() and (content / "meetings" / "_index.html").is_file()
    for page in rendered.pages:
        floor = (tmp_path / "floor" / "docs" / page.path).read_text(encoding="utf-8")
        name = page.path.removesuffix(".md")
        name = name.removesuffix("index") + "_index" if name == "index" or name.endswith("/index") else name
        hugo = (content / f"{name}.html").read_text(encoding="utf-8")
        assert f'url: "/{rendered.urls.dest(page.path)}"' in hugo.split("---\n")[1]
        assert hugo.split("---\n", 2)[2] == floor.split("---\n\n", 1)[1] == rendered.html[page.path]
    for path, text in rendered.data.items():
        assert (tmp_path / "hugo" / "static" / path).read_bytes() == text.encode()
    assert "RSS" in (tmp_path / "hugo" / "hugo.toml").read_text(encoding="utf-8")  # disabled
    x = run.Sample(1.0, 50.0, 50.0, 0.0)
    size = {"n": 1000, "pages": 3000, "runs": 1, "others": [0.0], "hugo": None, "html": {}}
    size |= {k: x for k in ("cold", "serial", "warm", "build", "build_cold", "floor")}
    text = run.report([size], (x, x, True), [], 1, v={"hugo": "not installed"})
    assert "| build ≤ 4 × Hugo, N = 1,000 | hugo not installed | — |" in text
    assert "| 1.00 s, 50 MB | hugo not installed | 1.000 | — |" in text
    assert "| build ≤ 0.35 × bare MkDocs, N = 1,000 | 1.000 × warm cache, 1.000 × cold | **not met**" in text
    size["hugo"] = run.Sample(0.2, 90.0, 90.0, 0.0)
    text = run.report([size], (x, x, True), [], 1, v={"hugo": "v0.111.3"})
    assert "| build ≤ 4 × Hugo, N = 1,000 | 5.00 × warm cache, 5.00 × cold (Hugo 0.20 s) | **not met**" in text
    assert "| 1.00 s, 50 MB | 0.20 s, 90 MB | 1.000 | 5.00 |" in text
    del size["hugo"]  # measurements from before Hugo was measured (--from-json)
    assert "| build ≤ 4 × Hugo, N = 1,000 | not measured | — |" in run.report([size], (x, x, True), [], 1, v={})
