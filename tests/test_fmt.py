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


LONG = """\
# yaml-language-server: $schema=../schema/jurisdiction.schema.json
id: LU
level: national
summary: >-
  A short first line.
  """ + " ".join(["word"] * 40) + """
  https://example.org/""" + "a" * 110 + """ follows.

  A second paragraph, short.
last_reviewed: "2026-01-01"
laws: []
coverage:
  ncii:
    status: unknown
    notes: >-
      kept
        """ + "indented " * 14 + """indented
"""


def test_rewraps_long_folded_lines_without_changing_the_text():
    result = format_text(LONG, Path("lu.yaml"))
    assert result.error is None and result.changed
    out = result.new_text.splitlines()
    summary = out[out.index("summary: >-") + 1:out.index("last_reviewed: \"2026-01-01\"")]
    url_line = [ln for ln in summary if "https://" in ln]
    assert url_line == ["  https://example.org/" + "a" * 110]  # a word longer than the width keeps its own line
    assert all(len(ln) <= 100 for ln in summary if "https://" not in ln)
    assert "" in summary and "  A second paragraph, short." in summary  # paragraph break kept
    assert data(result.new_text) == data(LONG)  # exactly the same value, only line breaks moved
    # a block with a more-indented line folds differently; it is left as written
    assert "        " + "indented " * 14 + "indented" in result.new_text
    assert not format_text(result.new_text, Path("lu.yaml")).changed


def test_check_mode_reports_a_long_folded_line(tmp_path):
    target = tmp_path / "lu.yaml"
    target.write_text(LONG)
    check = CliRunner().invoke(main, ["fmt", "--check", str(target)])
    assert check.exit_code == 1 and "would reformat" in check.output
