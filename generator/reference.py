"""Reference tables under schema/: taxonomy, standards, instruments, extra codes, groups.

Read once per run (through the loader) and shared by every stage.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .loader import load_jurisdiction as load_yaml_file

SCHEMA_FILE = "jurisdiction.schema.json"


class ReferenceError(Exception):
    """A reference table under schema/ is broken: a maintainer error, reported plainly."""


def find_root(start: Path | None = None) -> Path:
    """The atlas checkout: $TFGBV_ROOT, else the nearest folder upwards with schema/, else the package's parent."""
    env = os.environ.get("TFGBV_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "schema" / SCHEMA_FILE).is_file():
            return folder
    return Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class TaxonomyEntry:
    id: str
    kind: str  # offence | measure
    name: str
    short: str
    definition: str
    examples: tuple[str, ...]
    instruments: tuple[tuple[str, str], ...]  # (instrument id, article)


@dataclass(frozen=True)
class Standard:
    id: str
    name: str
    description: str
    offences: tuple[str, ...]
    url: str | None = None
    deadline: str | None = None
    applies_to: str | None = None


@dataclass
class Reference:
    root: Path
    schema: dict[str, Any]
    taxonomy: list[TaxonomyEntry]
    standards: list[Standard]
    instruments: dict[str, dict[str, str]]
    extra_jurisdictions: dict[str, dict[str, Any]]
    groups: dict[str, dict[str, Any]]
    taxonomy_by_id: dict[str, TaxonomyEntry] = field(init=False)

    def __post_init__(self) -> None:
        self.taxonomy_by_id = {t.id: t for t in self.taxonomy}

    @property
    def offences(self) -> list[TaxonomyEntry]:
        return [t for t in self.taxonomy if t.kind == "offence"]

    @property
    def measures(self) -> list[TaxonomyEntry]:
        return [t for t in self.taxonomy if t.kind == "measure"]

    def standard(self, standard_id: str) -> Standard:
        return next(s for s in self.standards if s.id == standard_id)

    def group(self, group_id: str) -> set[str]:
        return set(self.groups.get(group_id, {}).get("members", []))


def _read(root: Path, name: str) -> Any:
    loaded = load_yaml_file(root / "schema" / name)
    if not loaded.ok:
        first = loaded.problems[0]
        raise ReferenceError(f"{first.located()}: {first.message}")
    return loaded.data


@cache
def load_reference(root: Path) -> Reference:
    schema_path = root / "schema" / SCHEMA_FILE
    try:
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ReferenceError(f"{schema_path}: cannot read the JSON Schema ({err})") from None
    taxonomy = [
        TaxonomyEntry(
            id=e["id"], kind=e["kind"], name=e["name"], short=e.get("short", e["name"]),
            definition=" ".join(e["definition"].split()),
            examples=tuple(e.get("examples", [])),
            instruments=tuple((i["instrument"], i["article"]) for i in e.get("instruments", [])),
        )
        for e in _read(root, "offences.yaml")["offences"]
    ]
    offence_ids = [t.id for t in taxonomy if t.kind == "offence"]
    standards = []
    for s in _read(root, "standards.yaml")["standards"]:
        offences = offence_ids if s["offences"] == "all" else s["offences"]
        unknown = [o for o in offences if o not in offence_ids]
        if unknown:
            raise ReferenceError(f"schema/standards.yaml: standard {s['id']} names unknown offences {unknown}")
        standards.append(Standard(
            id=s["id"], name=s["name"], description=" ".join(s["description"].split()),
            offences=tuple(offences),
            url=s.get("url"), deadline=s.get("deadline"), applies_to=s.get("applies_to"),
        ))
    instruments = {i["id"]: i for i in _read(root, "instruments.yaml")["instruments"]}
    extras = {j["id"]: j for j in _read(root, "jurisdictions-extra.yaml")["jurisdictions"]}
    groups = _read(root, "groups.yaml")["groups"]
    return Reference(root, schema, taxonomy, standards, instruments, extras, groups)
