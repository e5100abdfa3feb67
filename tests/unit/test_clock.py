"""The build date: SOURCE_DATE_EPOCH, else the last commit, else (and only then) the clock."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest
from conftest import run_cli

from generator.clock import build_date, epoch_problem


def test_source_date_epoch_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert build_date(tmp_path) == (dt.date(2023, 11, 14), "SOURCE_DATE_EPOCH")


def test_else_the_last_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    env = {**os.environ, "GIT_AUTHOR_DATE": "2021-06-07T08:00:00Z", "GIT_COMMITTER_DATE": "2021-06-07T08:00:00Z"}
    git = ["git", "-C", str(tmp_path), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "x"], check=True, env=env)
    assert build_date(tmp_path) == (dt.date(2021, 6, 7), "the last commit")


def test_else_the_wall_clock_and_it_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    date, origin = build_date(tmp_path)
    assert date == dt.datetime.now(dt.UTC).date() and "wall clock" in origin


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", " 17"])
def test_a_malformed_epoch_is_an_error_not_a_crash(value: str, project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert epoch_problem() is not None
    code, out = run_cli("check", "--root", str(project))
    assert code == 1
    assert out.startswith(f"SOURCE_DATE_EPOCH:1:1: error[L105] SOURCE_DATE_EPOCH={value!r} is not a whole number")
    code, out = run_cli("build", "--root", str(project))
    assert code == 1 and not (project / "site").exists()


def test_a_date_after_the_build_date_fails_but_not_one_day_ahead(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the seed was published 2023-05-02; one day of slack covers time zones ahead of UTC
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2023, 5, 1, 12, tzinfo=dt.UTC).timestamp())))
    assert run_cli("check", "--root", str(project))[0] == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2023, 4, 30, 12, tzinfo=dt.UTC).timestamp())))
    code, out = run_cli("check", "--root", str(project))
    assert code == 1
    assert "content/sources/tdi-2023-05-02.yaml:6:12: error[V104] publication date 2023-05-02 is in the future" in out
