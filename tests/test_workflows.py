"""GitHub Actions: the workflow files pass real linters (actionlint with shellcheck, zizmor),
keep to least privilege, and the commands they run work on this project."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO, copy_project, edit

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent
ENV = os.environ | {"PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "NO_COLOR": "1"}


def tool(name: str) -> str:
    found = shutil.which(name, path=ENV["PATH"])
    assert found, f"{name} is not installed; run: pip install -e '.[test]'"
    return found


def actionlint(directory: Path) -> subprocess.CompletedProcess[str]:
    files = sorted(map(str, directory.glob("*.yml")))
    return subprocess.run(
        [tool("actionlint"), "-color=false", *files], capture_output=True, text=True, env=ENV, timeout=120
    )


def zizmor(directory: Path) -> subprocess.CompletedProcess[str]:
    files = sorted(map(str, directory.glob("*.yml")))
    return subprocess.run(
        [tool("zizmor"), "--offline", "--persona=auditor", "--no-progress", *files],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_actionlint_and_shellcheck_accept_the_workflows() -> None:
    tool("shellcheck")  # actionlint checks run: scripts with it when it is on PATH
    r = actionlint(WORKFLOWS)
    assert r.returncode == 0, r.stdout + r.stderr


def test_zizmor_finds_nothing() -> None:
    r = zizmor(WORKFLOWS)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "No findings to report" in r.stdout


def test_the_linters_would_catch_mistakes(tmp_path: Path) -> None:
    """Not no-ops: a typo'd key, an unquoted variable and an unpinned action each fail."""
    shutil.copytree(WORKFLOWS, tmp_path / "workflows")
    pr = tmp_path / "workflows/pull-request.yml"
    edit(pr, "    timeout-minutes: 10\n", "    timeout-minutes: 10\n    runs-onn: ubuntu-24.04\n")
    edit(pr, 'tee -a "$GITHUB_STEP_SUMMARY"', "tee -a $GITHUB_STEP_SUMMARY")
    out = actionlint(tmp_path / "workflows").stdout
    assert 'unexpected key "runs-onn"' in out
    assert "SC2086" in out  # shellcheck: double quote to prevent globbing and word splitting
    edit(
        tmp_path / "workflows/publish.yml",
        "actions/deploy-pages@cd2ce8fcbc39b97be8ca5fce6e763baed58fa128 # v5.0.0",
        "actions/deploy-pages@v5",
    )
    r = zizmor(tmp_path / "workflows")
    assert r.returncode != 0 and "unpinned-uses" in r.stdout


def test_every_action_is_pinned_to_a_full_commit() -> None:
    for name in ("pull-request.yml", "publish.yml"):
        for s in steps(load(name)):
            if "uses" in s:
                assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", s["uses"]), s["uses"]


def test_least_privilege() -> None:
    for name in ("pull-request.yml", "publish.yml"):
        w = load(name)
        assert w["permissions"] == {}, name  # nothing by default; each job asks for what it needs
        for job_name, job in w["jobs"].items():
            writes = {k for k, v in job["permissions"].items() if v == "write"}
            expected = {"pages", "id-token"} if job_name == "deploy" else set()
            assert writes == expected, (name, job_name)
        for s in steps(w):
            if s.get("uses", "").startswith("actions/checkout@"):
                assert s["with"]["persist-credentials"] is False


def test_pull_requests_check_with_annotations_build_strictly_keep_the_site_and_list_fact_changes() -> None:
    w = load("pull-request.yml")
    assert set(w["on"]) == {"pull_request"}
    runs = "\n".join(s.get("run", "") for s in steps(w))
    assert "factsheet check --format github" in runs
    assert "factsheet build --strict" in runs
    assert 'factsheet diff HEAD^1 | tee -a "$GITHUB_STEP_SUMMARY"' in runs
    assert "make test" in runs
    uploads = [s for s in steps(w) if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [u["with"]["path"] for u in uploads] == ["site/"]


def test_main_deploys_only_after_check_and_build_with_the_commit_date() -> None:
    w = load("publish.yml")
    assert w["on"] == {"push": {"branches": ["main"]}}
    deploy = w["jobs"]["deploy"]
    assert sorted(deploy["needs"]) == ["build", "check"]
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    build_run = "\n".join(s.get("run", "") for s in w["jobs"]["build"]["steps"])
    assert 'SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"' in build_run
    assert "export SOURCE_DATE_EPOCH" in build_run and "factsheet build --strict" in build_run
    assert w["concurrency"]["cancel-in-progress"] is False  # never cancel a deployment half-way


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize("broken", [False, True], ids=["good", "broken"])
def test_the_pull_request_steps_run_here(tmp_path: Path, broken: bool) -> None:
    """The factsheet steps of the pull-request workflow, run by bash as the runner would."""
    root = copy_project(tmp_path / "repo")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    if broken:
        edit(root / "content/facts/landmines.yaml", 'value: "299"', 'value: "298"')
    else:
        edit(root / "content/facts/landmines.yaml", "    place: Azerbaijan\n", "    place: null\n")
    git(root, "commit", "-qam", "pull request")
    summary = tmp_path / "summary.md"
    results = {}
    for s in steps(load("pull-request.yml")):
        run = s.get("run", "")
        if "factsheet" in run and "pip install" not in run:
            r = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", run],
                cwd=root,
                env=ENV | {"GITHUB_STEP_SUMMARY": str(summary)},
                capture_output=True,
                text=True,
                timeout=300,
            )
            results[run.split("factsheet ")[1].split()[0]] = r
    assert set(results) == {"check", "build", "diff"}
    assert results["diff"].returncode == 0
    assert "**0 added, 0 removed, 1 changed**" in summary.read_text(encoding="utf-8")
    if broken:
        assert results["check"].returncode == 1 and results["build"].returncode == 1
        assert results["check"].stdout.startswith(
            "::error file=content/facts/landmines.yaml,line=6,col=12,title=C204::number 298 in value"
        )
        assert "- value: 299\n+ value: 298" in summary.read_text(encoding="utf-8")
    else:
        assert results["check"].returncode == 0, results["check"].stdout
        assert results["build"].returncode == 0, results["build"].stderr
        assert (root / "site/index.html").is_file()
