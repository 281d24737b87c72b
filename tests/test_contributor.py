"""The contributor path: forms, workflows, pre-commit, editor support."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.loader import load_jurisdiction
from generator.render import report_url

from .conftest import ROOT

CHECK = str(Path(sys.executable).parent / "check-jsonschema")


@pytest.mark.parametrize("schema,files", [
    ("vendor.github-workflows", sorted((ROOT / ".github" / "workflows").glob("*.yml"))),
    ("vendor.github-issue-forms", sorted(p for p in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")),
    ("vendor.github-issue-config", [ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml"]),
])
def test_github_files_validate_against_github_schemas(schema, files):
    assert files
    proc = subprocess.run([CHECK, "--builtin-schema", schema, *map(str, files)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_report_link_prefills_the_error_form():
    form = load_jurisdiction(ROOT / ".github" / "ISSUE_TEMPLATE" / "report-error.yml").data
    ids = {field.get("id") for field in form["body"]}
    assert {"jurisdiction", "offence", "problem", "source"} <= ids

    class J:
        id = "MX"
    url = report_url({"repository": "https://github.com/o/r"}, J, "ncii")
    assert url.startswith("https://github.com/o/r/issues/new?template=report-error.yml&")
    assert "jurisdiction=MX" in url and "offence=ncii" in url


def test_pr_workflow_validates_with_annotations_and_summary():
    text = (ROOT / ".github" / "workflows" / "checks.yml").read_text()
    assert "tfgbv validate --format github" in text and "GITHUB_STEP_SUMMARY" in text
    assert "make test" in text and "tfgbv fmt --check" in text
    comment = (ROOT / ".github" / "workflows" / "coverage-comment.yml").read_text()
    assert "tfgbv diff" in comment and "<!-- tfgbv-coverage-diff -->" in comment


def test_pre_commit_hooks_name_real_commands():
    for name in (".pre-commit-hooks.yaml", ".pre-commit-config.yaml"):
        text = (ROOT / name).read_text()
        assert "tfgbv validate" in text and "tfgbv fmt --check" in text


def test_editor_maps_records_to_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text())
    assert settings["yaml.schemas"]["./schema/jurisdiction.schema.json"] == "laws/*.yaml"
    for record in (ROOT / "laws").glob("*.yaml"):
        assert record.read_text().startswith("# yaml-language-server: $schema=../schema/jurisdiction.schema.json\n")


def test_pr_template_checklist():
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text()
    for item in ("official source", "provision", "accessed", "verification", "unknown"):
        assert item in text
