"""Golden output: every file `render` makes for a fixture project, kept under
tests/golden/<fixture>/ and compared byte for byte (pelican's output directories are the
model). After reviewing a change to the output by eye, regenerate them with

    .venv/bin/python tests/regen_golden.py
"""

from __future__ import annotations

from pathlib import Path

from generator.buildinfo import BuildInfo
from generator.locations import Urls
from generator.pipeline import check
from generator.render import Renderer, default_templates, render_all

GOLDEN = Path(__file__).resolve().parent / "golden"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHEETS = ("seed-sheet",)
BUILD = BuildInfo(commit="0123456789ab", dirty=False, date="2023-11-14 22:13 UTC")  # fixed, never the clock
TODAY_EPOCH = "1700000000"


def rendered(sheet: str) -> dict[str, str]:
    """Path -> content of every page and data file the fixture renders to."""
    import datetime as dt

    project = check(FIXTURES / sheet, today=dt.date(2023, 11, 14), cache=False)
    assert not project.report.has_errors, project.report.sorted()
    return render_all(Renderer(project, [default_templates()], BUILD, Urls(directory_urls=False)))


def golden_path(sheet: str, page: str) -> Path:
    """Pages are stored as .html (they are HTML), data files as they are."""
    return GOLDEN / sheet / (page.removesuffix(".md") + ".html" if page.endswith(".md") else page)
