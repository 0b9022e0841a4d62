"""`kvkk-tracker deadline`: the real console script, and the command in-process.

Here there is no database: the command answers from the package calendar alone, warns once on
stderr that the admin's overrides could not be read, and creates no database file.
tests/test_deadline_cli_overrides.py runs it against a migrated database with overrides.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kvkk_tracker import create_app

SCRIPT = Path(sys.executable).with_name("kvkk-tracker")
KEYS = {"received_local_date", "statutory_due", "outer_due", "cutoff", "reasons"}


def run_script(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the installed console script with its instance folder and database under tmp_path."""
    env = dict(os.environ)
    env.update({
        "KVKK_ENV": "development",
        "KVKK_INSTANCE_PATH": str(tmp_path / "instance"),
        # Any use of the database would create this file.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'must-not-exist.db'}",
    })
    result = subprocess.run([str(SCRIPT), *args], env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert not (tmp_path / "must-not-exist.db").exists()
    assert "Traceback" not in result.stderr
    return result


NO_OVERRIDES_TR = "Uyarı: tatil düzeltmeleri okunamadı (no database at "
NO_OVERRIDES_EN = "Warning: holiday overrides could not be read (no database at "


@pytest.fixture(scope="module")
def script_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("cli")


def test_console_script_prints_json(script_tmp):
    assert SCRIPT.exists(), SCRIPT
    result = run_script(script_tmp, "deadline", "2026-04-01", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == KEYS
    assert data["received_local_date"] == "2026-04-01"
    assert data["statutory_due"] == "2026-05-01"
    assert data["outer_due"] == "2026-05-04"
    assert data["cutoff"] == "23:59"
    assert isinstance(data["reasons"], list)
    assert all(isinstance(r, str) for r in data["reasons"])
    assert any("Emek ve Dayanışma Günü" in r and "→ 04.05.2026" in r for r in data["reasons"])
    assert not list((script_tmp / "instance").glob("*.db"))
    # One line on stderr says the overrides were not read and which calendar was used.
    [warning] = result.stderr.splitlines()
    assert warning.startswith(NO_OVERRIDES_TR)
    assert "yalnızca holidays " in warning and warning.endswith("takvimi kullanıldı.")


def test_console_script_warns_in_english(script_tmp):
    result = run_script(script_tmp, "deadline", "2026-04-01", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "Outer limit: 04.05.2026" in result.stdout.splitlines()
    [warning] = result.stderr.splitlines()
    assert warning.startswith(NO_OVERRIDES_EN)
    assert "package calendar alone was used." in warning


def test_console_script_honours_an_offset(script_tmp):
    result = run_script(script_tmp, "deadline", "2026-04-01T23:30+00:00", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["received_local_date"] == "2026-04-02"
    assert data["statutory_due"] == "2026-05-02"
    assert data["outer_due"] == "2026-05-04"


def test_console_script_rejects_bad_input_without_a_traceback(script_tmp):
    result = run_script(script_tmp, "deadline", "not-a-date", "--json")
    assert result.returncode != 0
    assert result.stdout == ""
    assert "'not-a-date' is not an ISO date or datetime" in result.stderr
    assert "2026-04-01" in result.stderr  # shows an example


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli-app")
    app = create_app({"KVKK_ENV": "testing", "INSTANCE_PATH": str(tmp / "instance"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'must-not-exist.db'}"})
    yield app.test_cli_runner()
    assert not (tmp / "must-not-exist.db").exists()


@pytest.mark.parametrize(
    ("received", "day0", "due", "outer", "cutoff"),
    [
        ("2026-04-01", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),
        (" 2026-04-01 ", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),
        ("2026-04-01T23:30", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),  # naive
        ("2026-04-01 23:30", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),
        ("2026-04-01T23:30+03:00", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),
        ("2026-04-01T20:59:59Z", "2026-04-01", "2026-05-01", "2026-05-04", "23:59"),
        ("2026-04-01T21:00:00Z", "2026-04-02", "2026-05-02", "2026-05-04", "23:59"),
        ("2026-02-17", "2026-02-17", "2026-03-19", "2026-03-19", "12:00"),  # arife
        ("2026-12-02", "2026-12-02", "2027-01-01", "2027-01-04", "23:59"),
    ],
)
def test_deadline_json(runner, received, day0, due, outer, cutoff):
    result = runner.invoke(args=["deadline", received, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == KEYS
    assert result.stderr.startswith(NO_OVERRIDES_TR)
    assert (data["received_local_date"], data["statutory_due"], data["outer_due"],
            data["cutoff"]) == (day0, due, outer, cutoff)


def test_deadline_json_in_english(runner):
    result = runner.invoke(args=["deadline", "2026-04-01", "--json", "--lang", "en"])
    assert result.exit_code == 0, result.output
    reasons = json.loads(result.stdout)["reasons"]
    assert "01.05.2026 Labor and Solidarity Day (holiday) → 04.05.2026" in reasons


@pytest.mark.parametrize(
    ("lang", "lines"),
    [
        ("tr", ["Başvuru tarihi: 01.04.2026", "Yasal son gün: 01.05.2026 23:59",
                "Dış sınır: 04.05.2026",
                "  - 01.05.2026 Emek ve Dayanışma Günü (resmî tatil) → 04.05.2026"]),
        ("en", ["Application date: 01.04.2026", "Statutory due: 01.05.2026 23:59",
                "Outer limit: 04.05.2026",
                "  - 01.05.2026 Labor and Solidarity Day (holiday) → 04.05.2026"]),
    ],
)
def test_deadline_text(runner, lang, lines):
    result = runner.invoke(args=["deadline", "2026-04-01", "--lang", lang])
    assert result.exit_code == 0, result.output
    output = result.stdout.splitlines()
    for line in lines:
        assert line in output


@pytest.mark.parametrize(
    ("received", "message"),
    [
        ("garbage", "is not an ISO date or datetime"),
        ("", "is not an ISO date or datetime"),
        ("2026-02-30", "is not an ISO date or datetime"),
        ("2026-04-01T25:00", "is not an ISO date or datetime"),
        ("2026-04-01T09:30+25:00", "is not an ISO date or datetime"),
        ("9999-12-31", "out of the supported date range"),
        ("0001-01-01", "out of the supported date range"),
    ],
)
def test_deadline_rejects_bad_input(runner, received, message):
    result = runner.invoke(args=["deadline", received, "--json"])
    assert result.exit_code == 2
    assert message in result.output
    assert "RECEIVED_AT" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
