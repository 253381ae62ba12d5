"""`kg import` as a user runs it, and the import seen through `--data` by `kg query`."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.cli.render import backend
from kg.settings import get_settings

ROOT = Path(__file__).resolve().parents[3]
GRANTS = ROOT / "examples" / "360giving" / "grants.json"
# clear KG_DATA_DIRS around each run: --data adds to it for the rest of the process
runner = CliRunner(env={"KG_DATA_DIRS": ""})


@pytest.fixture(autouse=True)
def _fresh_settings():
    # settings and the backend are cached per process, as in one `kg` run
    get_settings.cache_clear()
    backend.cache_clear()
    yield
    get_settings.cache_clear()
    backend.cache_clear()


def test_import_then_funders_of_with_data(tmp_path: Path) -> None:
    out = tmp_path / "grants"
    res = runner.invoke(app, ["import", "360giving", str(GRANTS), "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "4 records imported" in res.output and (out / "grants.json.ttl").is_file()
    res = runner.invoke(
        app,
        [
            "query",
            "run",
            "funders-of",
            "-p",
            "org=LU-RCS-F9101",
            "--data",
            str(out),
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    # the fixture's grant 360G-exfund-2024-001: 150000 EUR from the Example Integration Fund
    assert [(r["funder_label"], r["amount_stated"], r["programme_label"]) for r in rows] == [
        ("Example Integration Fund", "150000 EUR", "Welcome Programme")
    ]
    # without --data the recipient is unknown
    get_settings.cache_clear()
    backend.cache_clear()
    res = runner.invoke(app, ["query", "run", "funders-of", "-p", "org=LU-RCS-F9101"])
    assert res.exit_code != 0


def test_bad_input_is_one_line_exit_2_nothing_written(tmp_path: Path) -> None:
    src = tmp_path / "grants.json"
    src.write_text(
        GRANTS.read_text(encoding="utf-8").replace('"2024-03-01"', '"2024-13-01"'), encoding="utf-8"
    )
    res = runner.invoke(app, ["import", "360giving", str(src), "--out", str(tmp_path / "out")])
    assert res.exit_code == 2
    lines = [x for x in res.output.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {src}: /grants/1/awardDate")
    assert not (tmp_path / "out").exists()


def test_changed_file_needs_yes(tmp_path: Path) -> None:
    out = tmp_path / "out"
    src = tmp_path / "grants.json"
    src.write_text(GRANTS.read_text(encoding="utf-8"), encoding="utf-8")
    assert runner.invoke(app, ["import", "360giving", str(src), "--out", str(out)]).exit_code == 0
    src.write_text(src.read_text(encoding="utf-8").replace("12000", "12500"), encoding="utf-8")
    before = (out / "grants.json.ttl").read_bytes()
    res = runner.invoke(app, ["import", "360giving", str(src), "--out", str(out), "--dry-run"])
    assert res.exit_code == 0 and "0 added, " in res.output and ", 0 removed" in res.output
    assert "~ award:360G-exfund-2024-002" in res.output
    res = runner.invoke(app, ["import", "360giving", str(src), "--out", str(out)])
    assert res.exit_code == 1 and "--yes" in res.output
    assert (out / "grants.json.ttl").read_bytes() == before
    res = runner.invoke(app, ["import", "360giving", str(src), "--out", str(out), "--yes"])
    assert res.exit_code == 0 and b"12500" in (out / "grants.json.ttl").read_bytes()


def test_template_command_writes_a_workbook(tmp_path: Path) -> None:
    dest = tmp_path / "mine.xlsx"
    res = runner.invoke(app, ["import", "template", "--out", str(dest)])
    assert res.exit_code == 0, res.output
    assert openpyxl.load_workbook(dest).sheetnames[0] == "organisations"


def test_missing_data_folder_is_a_bad_parameter(tmp_path: Path) -> None:
    res = runner.invoke(app, ["info", "--data", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "--data" in res.output and "no such" in res.output
