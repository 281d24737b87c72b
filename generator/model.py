"""The model: typed objects with references resolved, built from validated records."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from babel import Locale

from . import iso
from .loader import LoadedFile
from .reference import Reference, TaxonomyEntry

STATUSES = ("explicit", "general", "partial", "none", "unknown")
COVERED = ("explicit", "general", "partial")
# Stronger first. `unknown` is not "weaker than none": it is the absence of an answer.
STRENGTH = {"explicit": 4, "general": 3, "partial": 2, "none": 1, "unknown": 0}
STATUS_LABELS = {
    "explicit": "Explicit",
    "general": "General offence",
    "partial": "Partial",
    "none": "No law",
    "unknown": "Not yet researched",
}


@dataclass
class Law:
    id: str
    title: str
    kind: str
    status: str
    url: str | None = None
    title_en: str | None = None
    number: str | None = None
    language: str | None = None
    amends: list[str] = field(default_factory=list)
    adopted: str | None = None
    published: str | None = None
    in_force: str | None = None
    repealed: str | None = None
    notes: str | None = None

    @property
    def display_title(self) -> str:
        return self.title_en or self.title

    @property
    def year(self) -> int | None:
        for value in (self.adopted, self.published, self.in_force):
            if value:
                return int(value[:4])
        return None


@dataclass
class Penalty:
    prison_min: float | None = None
    prison_max: float | None = None
    fine: str | None = None
    note: str | None = None


@dataclass
class Provision:
    law: Law
    section: str
    added_by: Law | None = None
    year: int | None = None
    until: str | None = None
    summary: str | None = None
    penalty: Penalty | None = None

    @property
    def current(self) -> bool:
        return self.until is None

    @property
    def citation(self) -> str:
        return f"{self.law.title}, {self.section}"


@dataclass
class Source:
    url: str
    title: str
    accessed: str | None = None


@dataclass
class Assessment:
    offence: TaxonomyEntry
    status: str = "unknown"
    provisions: list[Provision] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    verification: str | None = None
    notes: str | None = None
    devolved: bool = False

    @property
    def current_provisions(self) -> list[Provision]:
        return [p for p in self.provisions if p.current]

    @property
    def year(self) -> int | None:
        years = [p.year for p in self.current_provisions if p.year]
        return min(years) if years else None

    @property
    def max_prison_years(self) -> float | None:
        values = [p.penalty.prison_max for p in self.current_provisions if p.penalty and p.penalty.prison_max is not None]
        return max(values) if values else None


@dataclass
class Jurisdiction:
    id: str
    name: str
    level: str
    summary: str
    last_reviewed: str
    laws: dict[str, Law]
    coverage: dict[str, Assessment]
    file: Path
    parent: Jurisdiction | None = None
    source_digest: str | None = None  # hash of the record text it was built from (render.PageMemo)
    children: list[Jurisdiction] = field(default_factory=list)

    @property
    def slug(self) -> str:
        return self.id.lower()

    def assessment(self, offence_id: str) -> Assessment:
        return self.coverage[offence_id]

    def effective(self, offence_id: str) -> tuple[str, Jurisdiction]:
        """(status, whose law gives it): the stronger of own and parent's coverage.

        An unknown on either side never turns the other side's `none` into a gap:
        if the state is unresearched, "no federal law" does not mean "no law".
        """
        own = self.coverage[offence_id].status
        if self.coverage[offence_id].devolved and self.children:
            # Legislated by each sub-national system: the country is as covered as its least-covered part.
            weakest = min((c.effective(offence_id)[0] for c in self.children), key=STRENGTH.__getitem__)
            return weakest, self
        if self.parent is None:
            return own, self
        inherited, source = self.parent.inheritable(offence_id)
        if "unknown" in (own, inherited) and "none" in (own, inherited):
            return "unknown", self
        if STRENGTH[inherited] > STRENGTH[own]:
            return inherited, source
        return own, self

    def inheritable(self, offence_id: str) -> tuple[str, Jurisdiction]:
        """What a child inherits: the country-wide law only (never a status derived from the children)."""
        if self.coverage[offence_id].devolved:
            return self.coverage[offence_id].status, self
        return self.effective(offence_id)

    def effective_status(self, offence_id: str) -> str:
        return self.effective(offence_id)[0]


@dataclass
class Dataset:
    ref: Reference
    jurisdictions: dict[str, Jurisdiction]

    def sorted(self) -> list[Jurisdiction]:
        return sorted(self.jurisdictions.values(), key=lambda j: (j.name.casefold(), j.id))

    @property
    def laws_count(self) -> int:
        return sum(len(j.laws) for j in self.jurisdictions.values())


def display_name(code: str, ref: Reference) -> str:
    """Standard English short name: CLDR (via babel) for countries, ISO 3166-2 for subdivisions."""
    if code in ref.extra_jurisdictions:
        return ref.extra_jurisdictions[code]["name"]
    if "-" in code:
        return iso.subdivision_name(code) or code
    return Locale("en").territories.get(code) or code


def _penalty(raw: dict[str, Any] | None) -> Penalty | None:
    if not raw:
        return None
    prison = raw.get("prison_years") or {}
    return Penalty(prison.get("min"), prison.get("max"), raw.get("fine"), raw.get("note"))


def build_jurisdiction(loaded: LoadedFile, ref: Reference) -> tuple[Jurisdiction, str | None]:
    """The jurisdiction and the id of its parent (resolved by build_dataset once all are built)."""
    data = loaded.data
    laws = {}
    for raw in data["laws"]:
        laws[raw["id"]] = Law(**{k: v for k, v in raw.items()})
    coverage = {}
    for entry in ref.taxonomy:
        raw = (data.get("coverage") or {}).get(entry.id)
        if raw is None:
            coverage[entry.id] = Assessment(entry)
            continue
        provisions = [
            Provision(
                law=laws[p["law"]], section=p["section"],
                added_by=laws.get(p["added_by"]) if p.get("added_by") else None,
                year=p.get("year"), until=p.get("until"), summary=p.get("summary"),
                penalty=_penalty(p.get("penalty")),
            )
            for p in raw.get("provisions") or []
        ]
        sources = [Source(s["url"], s["title"], s.get("accessed")) for s in raw.get("sources") or []]
        coverage[entry.id] = Assessment(entry, raw["status"], provisions, sources, raw.get("verification"),
                                        " ".join(raw["notes"].split()) if raw.get("notes") else None,
                                        bool(raw.get("devolved")))
    return Jurisdiction(
        id=data["id"], name=data.get("name") or display_name(data["id"], ref), level=data["level"],
        summary=" ".join(data["summary"].split()), last_reviewed=data["last_reviewed"],
        laws=laws, coverage=coverage, file=loaded.path,
        source_digest=hashlib.sha256(loaded.text.encode("utf-8")).hexdigest() if loaded.text else None,
    ), data.get("parent")


def build_dataset(files: Iterable[LoadedFile], ref: Reference) -> Dataset:
    """Build the model from files that validated cleanly."""
    jurisdictions: dict[str, Jurisdiction] = {}
    parents: dict[str, str] = {}
    for f in files:
        j, parent = build_jurisdiction(f, ref)
        jurisdictions[j.id] = j
        if parent:
            parents[j.id] = parent
    for child, parent in sorted(parents.items()):
        if parent in jurisdictions:
            jurisdictions[child].parent = jurisdictions[parent]
            jurisdictions[parent].children.append(jurisdictions[child])
    for j in jurisdictions.values():
        j.children.sort(key=lambda c: c.name.casefold())
    return Dataset(ref, jurisdictions)
