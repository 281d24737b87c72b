"""The CLI contract: exit codes, formats, export columns, `new`."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import FIXTURES, ROOT

CONTRACT = "jurisdiction,offence,status,effective_status,provisions,year,max_prison_years,verification,last_reviewed"


@pytest.fixture
def runner():
    return CliRunner()


def test_validate_clean_exit_0(runner, fixture_dataset):
    result = runner.invoke(main, ["validate", str(fixture_dataset)])
    assert result.exit_code == 0, result.output
    assert "3 file(s) checked: no problems" in result.output


def test_validate_problem_exit_1_text_and_github(runner, fixture_dataset, monkeypatch):
    monkeypatch.chdir(fixture_dataset.parent)
    path = fixture_dataset / "gb.yaml"
    lines = path.read_text().splitlines(keepends=True)
    lineno = next(i for i, ln in enumerate(lines, 1) if "status: explicit" in ln)
    lines[lineno - 1] = lines[lineno - 1].replace("explicit", "maybe")
    path.write_text("".join(lines))
    col = lines[lineno - 1].index("maybe") + 1
    text = runner.invoke(main, ["validate", "laws"])
    assert text.exit_code == 1
    assert f"laws/gb.yaml:{lineno}:{col}: error [invalid-value]" in text.output
    gh = runner.invoke(main, ["validate", "--format", "github", "laws"])
    assert gh.exit_code == 1
    assert f"::error file=laws/gb.yaml,line={lineno},col={col},title=invalid-value::" in gh.output
    js = runner.invoke(main, ["validate", "--format", "json", "laws"])
    data = json.loads(js.output)
    assert js.exit_code == 1 and data["problems"][0]["line"] == lineno


def test_usage_error_exit_2(runner):
    assert runner.invoke(main, ["validate", "--format", "xml"]).exit_code == 2
    assert runner.invoke(main, ["validate", "no/such/path.yaml"]).exit_code == 2
    assert runner.invoke(main, ["nonsense"]).exit_code == 2


BROKEN = ["syntax-error", "tab-indent", "duplicate-key", "alias-bomb", "deep-nesting", "latin1", "empty"]


@pytest.mark.parametrize("case", BROKEN)
def test_broken_files_never_traceback(case):
    # A real subprocess: what a contributor sees in the terminal.
    [path] = (FIXTURES / "invalid" / case).glob("*.yaml")
    proc = subprocess.run([sys.executable, "-m", "generator", "validate", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert path.name in proc.stdout


def test_export_csv_contract(runner):
    result = runner.invoke(main, ["export", "--format", "csv", str(FIXTURES / "dataset")])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(CONTRACT + ",")
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 3 * 17
    gb_ncii = next(r for r in rows if r["jurisdiction"] == "GB" and r["offence"] == "ncii")
    assert gb_ncii["provisions"] == "Fixture Safety Act 2023, s 66B"
    assert gb_ncii["year"] == "2024" and gb_ncii["max_prison_years"] == "2"
    sct_ncii = next(r for r in rows if r["jurisdiction"] == "GB-SCT" and r["offence"] == "ncii")
    assert (sct_ncii["status"], sct_ncii["effective_status"], sct_ncii["inherited_from"]) == ("none", "explicit", "GB")
    # the historical provision is not listed as current coverage
    sct_flash = next(r for r in rows if r["jurisdiction"] == "GB-SCT" and r["offence"] == "cyberflashing")
    assert "old" not in sct_flash["provisions"] and sct_flash["year"] == "2010"


def test_export_json(runner):
    result = runner.invoke(main, ["export", "--format", "json", str(FIXTURES / "dataset")])
    data = json.loads(result.output)
    assert [j["id"] for j in data["jurisdictions"]] == ["FR", "GB", "GB-SCT"]
    sct = data["jurisdictions"][2]
    assert sct["parent"] == "GB" and sct["coverage"]["ncii"]["effective_status"] == "explicit"
    assert data["jurisdictions"][1]["children"] == ["GB-SCT"]


def test_export_refuses_invalid_data(runner, fixture_dataset):
    (fixture_dataset / "fr.yaml").write_text("id: [\n")
    result = runner.invoke(main, ["export", str(fixture_dataset)])
    assert result.exit_code == 1 and "yaml-syntax" in result.output


@pytest.mark.parametrize("code,parent", [("LU", None), ("us-ca", "US"), ("GB-EAW", "GB"), ("NO", None)])
def test_new_writes_a_valid_record(runner, tmp_path, monkeypatch, code, parent):
    root = tmp_path / "atlas"
    (root / "laws").mkdir(parents=True)
    (root / "schema").symlink_to(ROOT / "schema")
    monkeypatch.setenv("TFGBV_ROOT", str(root))
    if parent:
        runner.invoke(main, ["new", parent])
    result = runner.invoke(main, ["new", code])
    assert result.exit_code == 0, result.output
    target = root / "laws" / f"{code.lower()}.yaml"
    text = target.read_text()
    assert text.count("status: unknown") == 17
    check = runner.invoke(main, ["validate", str(root / "laws")])
    assert check.exit_code == 0, check.output
    assert runner.invoke(main, ["new", code]).exit_code == 2  # exists already


def test_new_rejects_unknown_code(runner):
    result = runner.invoke(main, ["new", "XQ"])
    assert result.exit_code == 2 and "not an ISO" in result.output
