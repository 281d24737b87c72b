"""`tfgbv diff` on a throwaway git repository."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from generator.diff import coverage_diff, to_markdown, to_text

from .conftest import FIXTURES


def git(repo, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=repo, check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path):
    shutil.copytree(FIXTURES / "dataset", tmp_path / "laws")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    return tmp_path


def test_no_change(repo, ref):
    d = coverage_diff(repo, "main", ref)
    assert d.changes == [] and "No coverage change" in to_text(d)


def test_status_change_added_jurisdiction_removed_provision(repo, ref):
    gb = repo / "laws" / "gb.yaml"
    gb.write_text(gb.read_text().replace("  doxxing:\n    status: none\n    notes: No offence aimed at publishing personal data.\n", ""))
    fr = repo / "laws" / "fr.yaml"
    text = fr.read_text()
    text = text.replace("""  ncii:
    status: none
    notes: Fixture none.
""", """  ncii:
    status: explicit
    provisions:
      - law: cp
        section: "Art. 226-2-1"
        year: 2016
    sources:
      - url: https://example.org/cp/226-2-1
        title: Fixture source
    verification: primary
""")
    text = text.replace("""      - law: cp
        section: "Art. 226-8-1"
        year: 2024
        penalty: {prison_years: {max: 2}}
""", """      - law: cp
        section: "Art. 226-8-1 (new)"
        year: 2024
""")
    fr.write_text(text)
    shutil.copy(FIXTURES / "invalid" / "bad-status" / "lu.yaml", repo / "laws" / "lu.yaml")  # invalid: skipped
    (repo / "laws" / "lu.yaml").write_text((FIXTURES / "hostile" / "lu.yaml").read_text())
    d = coverage_diff(repo, "main", ref)
    by_id = {c.id: c for c in d.changes}
    assert set(by_id) == {"FR", "GB", "LU"}  # GB-SCT doxxing stays unknown (own unknown)
    fr_change = by_id["FR"]
    assert ("ncii", "none", "explicit", "none", "explicit") in fr_change.statuses
    assert ("deepfake_sexual", "Code pénal (fixture), Art. 226-8-1") in fr_change.provisions_removed
    assert ("ncii", "Code pénal (fixture), Art. 226-2-1") in fr_change.provisions_added
    assert fr_change.eu_before == (1, 1, 5) and fr_change.eu_after == (2, 0, 5)
    assert by_id["LU"].added
    assert ("doxxing", "none", "unknown", "none", "unknown") in by_id["GB"].statuses
    text_out = to_text(d)
    assert "FR France" in text_out and "ncii: none → explicit" in text_out
    assert "EU Directive 2024/1385: 1/8 met, 1 gap(s), 5 not yet researched → 2/8 met, 0 gap(s)" in text_out
    md = to_markdown(d)
    assert md.startswith("<!-- tfgbv-coverage-diff -->")
    assert "| `ncii` | No law → **Explicit** |" in md
    assert "<script>" not in md  # hostile names are escaped in the comment


def test_unknown_revision_is_a_clear_error(repo, ref):
    from generator.diff import DiffError

    with pytest.raises(DiffError):
        coverage_diff(repo, "no-such-branch", ref)
