"""Each invalid fixture produces exactly the problems listed in its expect.txt."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.rules import RATING_HISTORY, RELATIVE_PHRASES, RELATIVE_TIME, RULES, run_rules, without_tracking
from generator.validate import validate_files

from .conftest import FIXTURES

INVALID = sorted(p for p in (FIXTURES / "invalid").iterdir() if p.is_dir())


def expected(case: Path) -> list[tuple[str, int]]:
    pairs = []
    for line in (case / "expect.txt").read_text().splitlines():
        code, lineno = line.split()
        pairs.append((code, int(lineno)))
    return pairs


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture(case, ref):
    [record] = [p for p in case.glob("*.yaml")]
    result = validate_files([record], ref)
    assert not result.ok
    got = [(p.code, p.line) for p in result.problems]
    assert got == expected(case)
    for p in result.problems:
        assert p.file.endswith(record.name)
        assert len(p.message) > 20  # says what to do, not just a code


def test_there_are_many_invalid_fixtures():
    assert len(INVALID) >= 30


def test_fixture_dataset_is_valid(ref):
    result = validate_files([FIXTURES / "dataset"], ref)
    assert result.problems == [] and len(result.files) == 3


def test_real_records_are_valid(ref):
    root = Path(__file__).resolve().parent.parent
    result = validate_files([root / "laws"], ref)
    assert [f"{p.located()} {p.code} {p.message}" for p in result.problems] == []


def test_every_rule_has_a_docstring_and_codes():
    for info in RULES:
        assert info.doc and info.codes


def test_schema_errors_name_the_field_path_and_allowed_values(ref):
    [p] = validate_files([FIXTURES / "invalid" / "bad-status" / "lu.yaml"], ref).problems
    assert "coverage.ncii.status" in p.message
    assert "explicit, general, partial, none, unknown" in p.message


def test_unknown_field_suggests_the_right_name(ref):
    [p] = validate_files([FIXTURES / "invalid" / "unknown-field" / "lu.yaml"], ref).problems
    assert "Did you mean `verification`" in p.message


def test_quoting_hint_for_numeric_section(ref):
    [p] = validate_files([FIXTURES / "invalid" / "section-number" / "lu.yaml"], ref).problems
    assert 'section: "22"' in p.message


def test_future_date_uses_today(fixture_dataset, ref):
    from generator.loader import load_jurisdiction

    files = [load_jurisdiction(p) for p in sorted(fixture_dataset.glob("*.yaml"))]
    assert run_rules(files, ref, today=dt.date(2026, 12, 31)) == []
    early = run_rules(files, ref, today=dt.date(2026, 1, 20))  # FR and GB-SCT reviewed later than that
    assert {p.code for p in early} == {"future-date"}


def test_parent_resolves_from_sibling_files(fixture_dataset, ref):
    assert validate_files([fixture_dataset / "gb-sct.yaml"], ref).ok
    (fixture_dataset / "gb.yaml").unlink()
    [p] = validate_files([fixture_dataset / "gb-sct.yaml"], ref).problems
    assert p.code == "unknown-parent" and "tfgbv new GB" in p.message


def test_pending_law_may_enter_into_force_later(fixture_dataset, ref):
    path = fixture_dataset / "fr.yaml"
    text = path.read_text().replace("    language: fr\n", "    language: fr\n  - id: later\n    title: Fixture later act\n"
                                    "    kind: statute\n    status: not_yet_in_force\n    in_force: \"2099-01-01\"\n")
    path.write_text(text)
    assert validate_files([path], ref).ok
    path.write_text(text.replace("not_yet_in_force", "in_force"))
    assert [p.code for p in validate_files([path], ref).problems] == ["future-date"]


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_fixture_through_the_cli(case, tmp_path, monkeypatch):
    """What a contributor sees: exit 1, file:line named, no traceback, nothing written."""
    import shutil

    from click.testing import CliRunner

    from generator.cli import main

    work = tmp_path / "laws"
    shutil.copytree(case, work)
    monkeypatch.chdir(tmp_path)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    [record] = list(work.glob("*.yaml"))
    result = CliRunner().invoke(main, ["validate", f"laws/{record.name}"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    first_code, first_line = expected(case)[0]
    assert f"laws/{record.name}:{first_line}:" in result.output and f"[{first_code}]" in result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_corpus_has_at_least_forty_cases():
    assert len(INVALID) + 1 >= 40  # plus tests/fixtures/hostile


def test_tracking_parameters_are_a_warning_with_the_clean_address(ref, tmp_path):
    text = (FIXTURES / "dataset" / "fr.yaml").read_text()
    target = "https://example.org/cp/226"
    assert text.count(target) == 1
    record = tmp_path / "fr.yaml"
    record.write_text(text.replace(target, target + "?id=7&utm_source=rss&fbclid=x1"))
    result = validate_files([record], ref)
    assert result.ok  # a warning does not fail the check
    [p] = result.problems
    assert (p.code, p.severity) == ("tracking-url", "warning")
    assert p.line == text[: text.index(target)].count("\n") + 1
    assert "utm_source, fbclid" in p.message and p.message.endswith(target + "?id=7")


def test_addresses_without_tracking_parameters_are_left_alone():
    url = "https://example.org/page?a=%20b&utm=1&p=2"  # 'utm' alone is not a tracking key
    assert without_tracking(url) == (url, [])


def _with_note(tmp_path, note: str, title: str = "Fixture source") -> Path:
    text = (FIXTURES / "dataset" / "fr.yaml").read_text()
    old = "notes: Fixture none."
    assert text.count(old) == 1 and text.count("title: Fixture source") >= 1
    record = tmp_path / "fr.yaml"
    record.write_text(text.replace(old, f"notes: {note}").replace("title: Fixture source", f"title: {title}", 1))
    return record


def test_relative_time_in_notes_is_a_warning_that_asks_for_the_date(ref, tmp_path):
    record = _with_note(tmp_path, "Not found in this session; the bill may pass this year.")
    result = validate_files([record], ref)
    assert result.ok  # a warning does not fail the check
    [p] = result.problems  # one warning per text, naming the first phrase
    assert (p.code, p.severity) == ("relative-time", "warning")
    assert p.line == record.read_text().splitlines().index("    notes: Not found in this session; the bill may pass this year.") + 1
    assert '"this session"' in p.message and f'"on {dt.date.today().isoformat()}"' in p.message


def test_newspaper_names_addresses_and_source_titles_are_not_relative_time(ref, tmp_path):
    note = "Egypt Today and USA TODAY report it (https://www.nax.today/story; today.line.me/tw)."
    record = _with_note(tmp_path, note, title="Ruling takes effect today")
    assert validate_files([record], ref).problems == []


def test_every_relative_time_phrase_is_caught_by_the_expression_and_the_fast_filter():
    lower = (["this session", "this round", "this review", "this pull request", "this PR",
              "in same session", "the same session", "today", "yesterday", "tomorrow"]
             + [f"{a} {b}" for a in ("last", "next", "this") for b in ("week", "month", "year")])
    texts = ([f"Checked {phrase}." for phrase in lower]
             + [f"{phrase[0].upper()}{phrase[1:]} it was checked." for phrase in lower]
             + [f"It passed. {phrase[0].upper()}{phrase[1:]} it was checked." for phrase in lower])
    for text in texts:
        assert RELATIVE_TIME.search(text), text
        assert any(p in text for p in RELATIVE_PHRASES), text


def test_capitalised_phrases_count_only_at_the_start_of_a_sentence():
    assert RELATIVE_TIME.search("Next month the law takes effect.")
    assert not RELATIVE_TIME.search("Reported by Egypt Today; the column Yesterday and Today agrees.")


def test_rating_history_in_a_cell_note_is_a_warning(ref, tmp_path):
    record = _with_note(tmp_path, "Changed from unknown to none on 2026-11-29. No offence was found.")
    result = validate_files([record], ref)
    assert result.ok
    [p] = result.problems
    assert (p.code, p.severity) == ("rating-history", "warning")
    assert '"changed from unknown" is history of the record' in p.message


@pytest.mark.parametrize("note", [
    "Upgraded to primary on 2026-11-29: the official text was read.",
    "Correction (2026-11-29): the record cited Art. 287.",
    "Verification set to secondary on 29 Nov 2026: the portal is unofficial.",
])
def test_other_forms_of_rating_history_are_caught(note):
    assert RATING_HISTORY.search(note.lower()), note


@pytest.mark.parametrize("note", [
    "Raised from 3 months-2 years' detention to 2-5 years by a 2024 law.",
    "The penalty was raised to 5 years in 2024; the offence moved to § 176b in 2021.",
    "No provision reaches it, so the cell is not set to none.",
])
def test_law_history_and_reasons_are_not_rating_history(note):
    assert not RATING_HISTORY.search(note.lower()), note
