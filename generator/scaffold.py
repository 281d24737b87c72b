"""`tfgbv new`: a record skeleton that validates as-is (every entry unknown)."""

from __future__ import annotations

import datetime as dt

from .reference import Reference
from .rules import SCHEMA_LINE


def scaffold_record(code: str, name: str, ref: Reference, today: dt.date) -> str:
    extra = ref.extra_jurisdictions.get(code, {})
    if "-" in code:
        level, parent = "subnational", extra.get("parent", code.split("-")[0])
    else:
        level, parent = extra.get("level", "national"), None
    lines = [
        SCHEMA_LINE,
        f"# {name}: every entry starts as `unknown` (not yet researched). See CONTRIBUTING.md.",
        f'id: "{code}"',
        f"level: {level}",
    ]
    if parent:
        lines.append(f'parent: "{parent}"')
    lines += [
        "summary: >-",
        f"  Not yet researched: the record for {name} has been started but no law has been reviewed yet.",
        f'last_reviewed: "{today.isoformat()}"',
        "laws: []",
        "coverage:",
    ]
    for entry in ref.taxonomy:
        lines += [f"  {entry.id}:", "    status: unknown"]
    return "\n".join(lines) + "\n"
