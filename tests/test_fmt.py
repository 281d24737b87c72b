"""`tfgbv fmt` fixes what is mechanical, keeps comments and never changes a value."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.fmt import format_text
from generator.loader import LoadedFile, load_text

from .conftest import ROOT

MESSY = """\
# a leading comment
id: NO   # the country
level: national
summary: >-
  Some text here that is long enough.   
last_reviewed: 2026-01-01
laws:
  - title: X Code
    id: x
    kind: code
    status: in_force
coverage:
  ncii:
    # why unknown
    status: unknown
  voyeurism:
    verification: primary
    status: explicit
    provisions:
      - section: 1.10
        law: x
      - section: 22
        law: x
    sources:
      - url: https://example.org/a
        title: Fixture source
"""


def data(text: str):
    return load_text(text.encode(), LoadedFile(path=Path("no.yaml"), display="no.yaml")).data


def test_fixes_order_quotes_and_schema_line_keeping_comments():
    result = format_text(MESSY, Path("no.yaml"))
    assert result.error is None and result.changed
    out = result.new_text
    assert out.splitlines()[0] == "# yaml-language-server: $schema=../schema/jurisdiction.schema.json"
    assert "# a leading comment" in out and "# the country" in out and "# why unknown" in out
    assert 'id: "NO"' in out and 'section: "1.10"' in out and 'section: "22"' in out
    assert 'last_reviewed: "2026-01-01"' in out
    assert "  - id: x\n    title: X Code" in out
    assert "    status: explicit\n    provisions:" in out
    assert not any(line != line.rstrip() for line in out.splitlines())
    # values: what YAML 1.1 tools would have changed is now what the author wrote
    before, after = data(MESSY), data(out)
    assert after["id"] == "NO" and after["coverage"]["voyeurism"]["provisions"][0]["section"] == "1.10"
    assert after["coverage"]["voyeurism"]["provisions"][1]["section"] == "22"  # was the number 22: now text
    assert before["coverage"]["voyeurism"]["provisions"][1]["section"] == 22


def test_is_idempotent():
    once = format_text(MESSY, Path("no.yaml")).new_text
    again = format_text(once, Path("no.yaml"))
    assert not again.changed and again.new_text == once


def test_refuses_unparseable_file():
    result = format_text("id: [\n", Path("lu.yaml"))
    assert result.error and not result.changed


@pytest.mark.parametrize("path", sorted((ROOT / "laws").glob("*.yaml")), ids=lambda p: p.name)
def test_every_record_round_trips_unchanged(path):
    text = path.read_text(encoding="utf-8")
    result = format_text(text, path)
    assert result.error is None
    assert not result.changed, f"{path.name} is not formatted: run tfgbv fmt"
    assert data(result.new_text) == data(text)


def test_cli_check_mode(tmp_path):
    target = tmp_path / "no.yaml"
    target.write_text(MESSY)
    runner = CliRunner()
    check = runner.invoke(main, ["fmt", "--check", str(target)])
    assert check.exit_code == 1 and "would reformat" in check.output and target.read_text() == MESSY
    assert runner.invoke(main, ["fmt", str(target)]).exit_code == 0
    assert runner.invoke(main, ["fmt", "--check", str(target)]).exit_code == 0
