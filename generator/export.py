"""Open-data exports: the coverage table as CSV and the resolved dataset as JSON.

Column names and JSON keys are a published contract (see CHANGELOG.md): add,
never rename or remove without a major version.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Callable

from .model import Assessment, Dataset, Jurisdiction

FORMAT_VERSION = "1.0"

CSV_COLUMNS = [
    # The contract columns, in this order.
    "jurisdiction", "offence", "status", "effective_status", "provisions", "year",
    "max_prison_years", "verification", "last_reviewed",
    # Extra context.
    "jurisdiction_name", "level", "parent", "kind", "inherited_from", "sources", "notes",
]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


# kept(j, part, make) returns make(), or the same text from an earlier run: every part below is
# made from j's record family only (see render.PageMemo).
Kept = Callable[[Jurisdiction, str, Callable[[], str]], str]


def _made(j: Jurisdiction, part: str, make: Callable[[], str]) -> str:
    return make()


def jurisdiction_rows(j: Jurisdiction, ds: Dataset) -> list[dict[str, str]]:
    rows = []
    for entry in ds.ref.taxonomy:
        a = j.assessment(entry.id)
        effective, source = j.effective(entry.id)
        rows.append({
            "jurisdiction": j.id,
            "offence": entry.id,
            "status": a.status,
            "effective_status": effective,
            "provisions": "; ".join(p.citation for p in a.current_provisions),
            "year": str(a.year or ""),
            "max_prison_years": _number(a.max_prison_years),
            "verification": a.verification or "",
            "last_reviewed": j.last_reviewed,
            "jurisdiction_name": j.name,
            "level": j.level,
            "parent": j.parent.id if j.parent else "",
            "kind": entry.kind,
            "inherited_from": source.id if source is not j else "",
            "sources": " ".join(s.url for s in a.sources),
            "notes": a.notes or "",
        })
    return rows


def _csv_text(rows: list[dict[str, str]], header: bool = False) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_COLUMNS, lineterminator="\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def to_csv(ds: Dataset, kept: Kept = _made) -> str:
    """The coverage table: a header, then each jurisdiction's rows (text per jurisdiction, so it can be kept)."""
    return _csv_text([], header=True) + "".join(
        kept(j, "coverage.csv", lambda j=j: _csv_text(jurisdiction_rows(j, ds)))
        for j in sorted(ds.jurisdictions.values(), key=lambda j: j.id))


def _drop_empty(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v not in (None, [], {}, "")}


def assessment_json(j: Jurisdiction, a: Assessment) -> dict[str, Any]:
    effective, source = j.effective(a.offence.id)
    return _drop_empty({
        "status": a.status,
        "effective_status": effective,
        "inherited_from": source.id if source is not j else None,
        "devolved": a.devolved or None,
        "provisions": [
            _drop_empty({
                "law": p.law.id, "law_title": p.law.title, "section": p.section,
                "citation": p.citation,
                "added_by": p.added_by.id if p.added_by else None,
                "year": p.year, "until": p.until, "summary": p.summary,
                "penalty": _drop_empty({
                    "prison_years_min": p.penalty.prison_min, "prison_years_max": p.penalty.prison_max,
                    "fine": p.penalty.fine, "note": p.penalty.note,
                }) if p.penalty else None,
            })
            for p in a.provisions
        ],
        "year": a.year,
        "max_prison_years": a.max_prison_years,
        "sources": [_drop_empty({"url": s.url, "title": s.title, "accessed": s.accessed}) for s in a.sources],
        "verification": a.verification,
        "notes": a.notes,
    })


def jurisdiction_json(j: Jurisdiction, ds: Dataset) -> dict[str, Any]:
    return _drop_empty({
        "id": j.id,
        "name": j.name,
        "level": j.level,
        "parent": j.parent.id if j.parent else None,
        "children": [c.id for c in j.children],
        "summary": j.summary,
        "last_reviewed": j.last_reviewed,
        "laws": [_drop_empty(vars(law).copy()) for law in j.laws.values()],
        "coverage": {e.id: assessment_json(j, j.assessment(e.id)) for e in ds.ref.taxonomy},
    })


def dataset_json(ds: Dataset, jurisdictions: bool = True) -> dict[str, Any]:
    return {
        "format_version": FORMAT_VERSION,
        "licence": "CC-BY-4.0",
        "taxonomy": [
            {"id": t.id, "kind": t.kind, "name": t.name, "definition": t.definition,
             "instruments": [{"instrument": i, "article": a} for i, a in t.instruments]}
            for t in ds.ref.taxonomy
        ],
        "standards": [
            _drop_empty({"id": s.id, "name": s.name, "offences": list(s.offences), "deadline": s.deadline})
            for s in ds.ref.standards
        ],
        "jurisdictions": [jurisdiction_json(j, ds) for j in sorted(ds.jurisdictions.values(), key=lambda j: j.id)]
        if jurisdictions else [],
    }


def to_json(ds: Dataset, indent: int | None = 2, kept: Kept = _made) -> str:
    if indent:
        return json.dumps(dataset_json(ds), indent=indent, ensure_ascii=False) + "\n"
    # Compact: the same bytes as dumping dataset_json whole, made of one text per jurisdiction
    # (so that each can be kept); "jurisdictions" is the last key.
    compact = {"separators": (",", ":"), "ensure_ascii": False}
    head = json.dumps(dataset_json(ds, jurisdictions=False), **compact)
    parts = (kept(j, "atlas.json", lambda j=j: json.dumps(jurisdiction_json(j, ds), **compact))
             for j in sorted(ds.jurisdictions.values(), key=lambda j: j.id))
    return head[: -len("[]}")] + "[" + ",".join(parts) + "]}\n"


def record_from_json(j: dict[str, Any]) -> dict[str, Any]:
    """Rebuild a record (as the loader reads it) from its atlas.json entry: proof the export is lossless.

    Derived fields (effective status, citations, year, max_prison_years) are dropped; `name`
    is kept only when it differs from the standard name (the loader then had it explicitly).
    """
    record: dict[str, Any] = {"id": j["id"], "level": j["level"]}
    if j.get("parent"):
        record["parent"] = j["parent"]
    record.update(summary=j["summary"], last_reviewed=j["last_reviewed"], laws=[dict(law) for law in j.get("laws", [])])
    coverage = {}
    for offence, cell in j["coverage"].items():
        out: dict[str, Any] = {"status": cell["status"]}
        if cell.get("devolved"):
            out["devolved"] = True
        provisions = []
        for p in cell.get("provisions", []):
            prov = {k: p[k] for k in ("law", "section", "added_by", "year", "until", "summary") if k in p}
            if "penalty" in p:
                pen = p["penalty"]
                penalty: dict[str, Any] = {}
                prison = {k: pen[f"prison_years_{k}"] for k in ("min", "max") if f"prison_years_{k}" in pen}
                if prison:
                    penalty["prison_years"] = prison
                penalty.update({k: pen[k] for k in ("fine", "note") if k in pen})
                prov["penalty"] = penalty
            provisions.append(prov)
        if provisions:
            out["provisions"] = provisions
        if cell.get("sources"):
            out["sources"] = [dict(s) for s in cell["sources"]]
        for key in ("verification", "notes"):
            if key in cell:
                out[key] = cell[key]
        coverage[offence] = out
    record["coverage"] = coverage
    return record
