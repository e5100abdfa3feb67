"""`factsheet new`: a fact sheet about anything, checked and built at once, from an
installed (not editable) factsheet too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run_cli

SEED_WORDS = ("azerbaij", "armenia", "landmine", "blinken", "diplomatic insight")


def _site_text(site: Path) -> str:
    """Every page and data file the build wrote (not the theme's own scripts and fonts)."""
    return "\n".join(
        p.read_text(encoding="utf-8").lower() for p in sorted(site.rglob("*")) if p.suffix in (".html", ".json", ".csv")
    )


def test_a_new_fact_sheet_checks_and_builds_and_says_nothing_of_the_seed(tmp_path: Path) -> None:
    root = tmp_path / "sheet"
    code, out = run_cli("new", str(root))
    assert code == 0, out
    assert {"content/site.yaml", "mkdocs.yml", ".github/workflows/factsheet.yml", ".pre-commit-config.yaml"} <= {
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    }
    code, out = run_cli("check", "--root", str(root))
    assert (code, out.strip()) == (0, "ok: 1 fact, 1 citation, 1 source")
    code, out = run_cli("build", "--root", str(root))
    assert code == 0, out
    text = _site_text(root / "site")
    assert "40 volunteers cleared the river bank over the weekend" in text
    assert "an example fact sheet" in text
    assert not [w for w in SEED_WORDS if w in text]


def test_new_refuses_a_directory_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    code, out = run_cli("new", str(tmp_path))
    assert code == 2
    assert "exists and is not an empty directory" in out
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_an_installed_wheel_builds_a_new_fact_sheet(tmp_path: Path) -> None:
    """The templates ship inside the package: a wheel installed elsewhere builds a sheet
    with no checkout of this repository in sight."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(REPO)],
        check=True,
        capture_output=True,
    )
    target = tmp_path / "installed"
    wheel = next(wheels.glob("factsheet-*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    env = os.environ | {"PYTHONPATH": str(target)}
    work = tmp_path / "elsewhere"
    work.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", "from generator.cli import main; main()", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )

    where = subprocess.run(
        [sys.executable, "-c", "import generator.render as r; print(r.default_templates())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target)), where.stdout
    assert run("new", "sheet").returncode == 0
    built = run("build", "--root", "sheet")
    assert built.returncode == 0, built.stdout + built.stderr
    assert "40 volunteers" in (work / "sheet" / "site" / "figures" / "index.html").read_text(encoding="utf-8")


def test_a_build_leaves_the_environment_as_it_found_it(tmp_path: Path) -> None:
    """The build date a build sets for MkDocs (here from the sources' dates: no git) is for
    that build only; a later check in the same process is judged at its own date."""
    os.environ.pop("SOURCE_DATE_EPOCH", None)
    root = tmp_path / "sheet"
    assert run_cli("new", str(root))[0] == 0
    assert run_cli("build", "--root", str(root))[0] == 0
    assert "SOURCE_DATE_EPOCH" not in os.environ
