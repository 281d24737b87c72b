"""Round-trip safety: the JSON export holds every recorded value (export → reload → same data)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from generator.export import record_from_json, to_csv, to_json
from generator.model import build_dataset
from generator.validate import validate_files

from .conftest import FIXTURES, ROOT


def normalise(node, key=None):
    """The comparison the atlas promises: same values, whitespace runs in text collapsed."""
    if isinstance(node, dict):
        return {k: normalise(v, k) for k, v in sorted(node.items()) if v not in (None, [], {}, "")}
    if isinstance(node, list):
        return [normalise(v) for v in node]
    if isinstance(node, str):
        return " ".join(node.split())
    return node


def comparable(record, ref):
    record = dict(record)
    record.pop("name", None)
    coverage = {e.id: {"status": "unknown"} for e in ref.taxonomy}
    coverage.update(record.get("coverage") or {})
    record["coverage"] = coverage
    return normalise(record)


@pytest.mark.parametrize("folder", [ROOT / "laws", FIXTURES / "dataset", FIXTURES / "hostile"], ids=lambda p: p.name)
def test_json_export_reloads_to_the_same_records(ref, folder):
    result = validate_files([folder], ref)
    assert result.ok
    exported = json.loads(to_json(build_dataset(result.files, ref)))
    by_id = {j["id"]: j for j in exported["jurisdictions"]}
    assert len(by_id) == len(result.files)
    for f in result.files:
        assert comparable(record_from_json(by_id[f.data["id"]]), ref) == comparable(f.data, ref), f.display


def test_csv_export_parses_back(ref):
    result = validate_files([ROOT / "laws"], ref)
    ds = build_dataset(result.files, ref)
    rows = list(csv.DictReader(io.StringIO(to_csv(ds))))
    assert len(rows) == 17 * len(ds.jurisdictions)
    for row in rows:
        j = ds.jurisdictions[row["jurisdiction"]]
        a = j.assessment(row["offence"])
        assert row["status"] == a.status and row["effective_status"] == j.effective_status(row["offence"])
        assert row["notes"] == (a.notes or "")


@pytest.mark.parametrize("folder", [ROOT / "laws", FIXTURES / "hostile"], ids=lambda p: p.name)
def test_data_files_made_from_per_jurisdiction_parts_equal_whole_dumps(ref, folder):
    # The site's atlas.json and coverage.csv are joined from one text per jurisdiction (so each can
    # be kept between runs); joined, they must be exactly what dumping everything at once gives.
    from generator.export import CSV_COLUMNS, dataset_json, jurisdiction_rows

    ds = build_dataset(validate_files([folder], ref).files, ref)
    whole = json.dumps(dataset_json(ds), separators=(",", ":"), ensure_ascii=False) + "\n"
    assert to_json(ds, indent=None) == whole
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(row for j in sorted(ds.jurisdictions.values(), key=lambda j: j.id)
                     for row in jurisdiction_rows(j, ds))
    assert to_csv(ds) == buf.getvalue()
