"""Analysis: coverage matrix, gaps against standards, regions, adoption timeline, headline figures.

Plain data out; formatting for display happens in render.py.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .model import COVERED, Assessment, Dataset, Jurisdiction, Provision
from .reference import Reference, Standard

MEETS = ("explicit", "general")  # what counts as meeting a standard; partial is reported as partly


@dataclass(frozen=True)
class Region:
    region: str
    subregion: str


@cache
def _regions_table(root: Path) -> dict[str, Region]:
    table: dict[str, Region] = {}
    with (root / "schema" / "regions.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        for row in rows:
            table[row["iso2"]] = Region(row["region"], row["subregion"])
    return table


def region_of(j: Jurisdiction, ref: Reference) -> Region:
    """M49 region of the country; sub-national systems take their country's; the EU is Europe."""
    if j.id == "EU":
        return Region("Europe", "European Union")
    return _regions_table(ref.root).get(j.id.split("-")[0], Region("Other", "Other"))


@dataclass
class Cell:
    jurisdiction: Jurisdiction
    offence: str
    status: str  # own
    effective: str
    inherited_from: Jurisdiction | None
    devolved: bool = False


def cell(j: Jurisdiction, offence: str) -> Cell:
    effective, source = j.effective(offence)
    a = j.assessment(offence)
    return Cell(j, offence, a.status, effective, source if source is not j else None, a.devolved and bool(j.children))


def coverage_matrix(ds: Dataset, kind: str = "offence") -> list[tuple[Jurisdiction, list[Cell]]]:
    entries = [t.id for t in ds.ref.taxonomy if t.kind == kind]
    return [(j, [cell(j, e) for e in entries]) for j in ds.sorted()]


@dataclass
class Gap:
    """How one jurisdiction measures against one standard. `unknown` is kept apart: never a gap."""
    jurisdiction: Jurisdiction
    meets: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # reviewed: none
    unknown: list[str] = field(default_factory=list)

    @property
    def assessed(self) -> int:
        return len(self.meets) + len(self.partial) + len(self.missing)


def gaps(ds: Dataset, standard: Standard, jurisdictions: list[Jurisdiction] | None = None) -> list[Gap]:
    out = []
    for j in jurisdictions if jurisdictions is not None else ds.sorted():
        g = Gap(j)
        for offence in standard.offences:
            status = j.effective_status(offence)
            if status in MEETS:
                g.meets.append(offence)
            elif status == "partial":
                g.partial.append(offence)
            elif status == "none":
                g.missing.append(offence)
            else:
                g.unknown.append(offence)
        out.append(g)
    return out


def applicable(ds: Dataset, standard: Standard) -> list[Jurisdiction]:
    """Jurisdictions a standard is measured on: its group (EU members) when it names one, else all but supranational."""
    if standard.applies_to:
        members = ds.ref.group(standard.applies_to)
        return [j for j in ds.sorted() if j.id in members]
    return [j for j in ds.sorted() if j.level != "supranational"]


@dataclass
class OffenceGap:
    offence: str
    meets: list[Jurisdiction]
    partial: list[Jurisdiction]
    missing: list[Jurisdiction]
    unknown: list[Jurisdiction]


def gaps_by_offence(ds: Dataset, standard: Standard, jurisdictions: list[Jurisdiction]) -> list[OffenceGap]:
    out = []
    for offence in standard.offences:
        buckets: dict[str, list[Jurisdiction]] = defaultdict(list)
        for j in jurisdictions:
            s = j.effective_status(offence)
            buckets["meets" if s in MEETS else s if s in ("partial", "none") else "unknown"].append(j)
        out.append(OffenceGap(offence, buckets["meets"], buckets["partial"], buckets["none"], buckets["unknown"]))
    return out


@dataclass
class RegionCoverage:
    region: str
    jurisdictions: int
    cells: int
    meets: int
    partial: int
    missing: int
    unknown: int

    @property
    def assessed(self) -> int:
        return self.meets + self.partial + self.missing

    @property
    def meets_pct(self) -> float | None:
        """Share of assessed cells that meet the standard; None when nothing is assessed."""
        return 100.0 * self.meets / self.assessed if self.assessed else None


def coverage_by_region(ds: Dataset, standard: Standard, jurisdictions: list[Jurisdiction]) -> list[RegionCoverage]:
    counts: dict[str, Counter] = defaultdict(Counter)
    members: Counter = Counter()
    for g in gaps(ds, standard, jurisdictions):
        region = region_of(g.jurisdiction, ds.ref).region
        members[region] += 1
        c = counts[region]
        c["meets"] += len(g.meets)
        c["partial"] += len(g.partial)
        c["missing"] += len(g.missing)
        c["unknown"] += len(g.unknown)
    return [
        RegionCoverage(r, members[r], sum(counts[r].values()), counts[r]["meets"], counts[r]["partial"],
                       counts[r]["missing"], counts[r]["unknown"])
        for r in sorted(counts)
    ]


def adoption_timeline(ds: Dataset, offence: str) -> list[tuple[int, int, list[Jurisdiction]]]:
    """(year, cumulative count, jurisdictions new that year) of explicit provisions in force today."""
    first: dict[str, tuple[int, Jurisdiction]] = {}
    for j in ds.sorted():
        a = j.assessment(offence)
        if a.status == "explicit" and a.year:
            first[j.id] = (a.year, j)
    by_year: dict[int, list[Jurisdiction]] = defaultdict(list)
    for year, j in first.values():
        by_year[year].append(j)
    out, total = [], 0
    for year in sorted(by_year):
        total += len(by_year[year])
        out.append((year, total, sorted(by_year[year], key=lambda j: j.name)))
    return out


def penalty_comparison(ds: Dataset, offence: str) -> list[tuple[Jurisdiction, Assessment, float]]:
    rows = []
    for j in ds.sorted():
        a = j.assessment(offence)
        if a.status in COVERED and a.max_prison_years is not None:
            rows.append((j, a, a.max_prison_years))
    return sorted(rows, key=lambda r: (-r[2], r[0].name))


def model_provisions(ds: Dataset, offence: str) -> list[tuple[Jurisdiction, Provision]]:
    out = []
    for j in ds.sorted():
        a = j.assessment(offence)
        if a.status == "explicit":
            out.extend((j, p) for p in a.current_provisions)
    return out


def timeline(j: Jurisdiction) -> list[tuple[int, str, str]]:
    """(year, what, law id) events for a jurisdiction page: laws adopted and provisions added."""
    events = set()
    for law in j.laws.values():
        if law.year and law.status != "bill":
            events.add((law.year, law.display_title, law.id))
    return sorted(events)


@dataclass
class Headline:
    jurisdictions: int
    national: int
    subnational: int
    laws: int
    last_update: str
    share: list[tuple[str, int, int, int]]  # (offence, covered, assessed, total)


def headline(ds: Dataset) -> Headline:
    js = [j for j in ds.jurisdictions.values() if j.level != "supranational"]
    share = []
    for entry in ds.ref.offences:
        covered = sum(1 for j in js if j.effective_status(entry.id) in COVERED)
        assessed = sum(1 for j in js if j.effective_status(entry.id) != "unknown")
        share.append((entry.id, covered, assessed, len(js)))
    return Headline(
        jurisdictions=len(ds.jurisdictions),
        national=sum(1 for j in js if j.level == "national"),
        subnational=sum(1 for j in js if j.level == "subnational"),
        laws=ds.laws_count,
        last_update=max((j.last_reviewed for j in ds.jurisdictions.values()), default=""),
        share=share,
    )
