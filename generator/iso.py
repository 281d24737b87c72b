"""ISO 3166 codes and subdivision names, from pycountry.

The atlas asks pycountry two things: does this code exist, and what is this subdivision
called. pycountry answers them by building an object for each of its 5,000 subdivisions on
first use, which took longer than validating all the records; its data are JSON files in its
package (`databases/iso3166-1.json`, `iso3166-2.json`), which are read directly instead
(about ten times faster). If a pycountry release moves or reshapes those files, its object
API is used; a test checks that both routes give the same tables.
"""

from __future__ import annotations

import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any


def _from_pycountry() -> dict[str, Any]:
    import pycountry

    return {
        "countries": sorted(c.alpha_2 for c in pycountry.countries),
        "subdivisions": {s.code: s.name for s in pycountry.subdivisions},
    }


def _from_pycountry_files() -> dict[str, Any] | None:
    """The same tables read from pycountry's database files, without importing it; None if they are not as expected."""
    try:
        spec = importlib.util.find_spec("pycountry")
        folder = Path(list(spec.submodule_search_locations)[0]) / "databases"  # type: ignore[union-attr]
        countries = json.loads((folder / "iso3166-1.json").read_text(encoding="utf-8"))["3166-1"]
        subdivisions = json.loads((folder / "iso3166-2.json").read_text(encoding="utf-8"))["3166-2"]
        return {
            "countries": sorted(c["alpha_2"] for c in countries),
            "subdivisions": {s["code"]: s["name"] for s in subdivisions},
        }
    except (AttributeError, IndexError, KeyError, TypeError, OSError, ValueError):
        return None


@cache
def tables() -> tuple[frozenset[str], dict[str, str]]:
    """(alpha-2 country codes, {ISO 3166-2 code: subdivision name}), read once per process."""
    value = _from_pycountry_files() or _from_pycountry()
    return frozenset(value["countries"]), value["subdivisions"]


def is_country(code: str) -> bool:
    return code.upper() in tables()[0]  # pycountry's own look-up ignores case too


def subdivision_name(code: str) -> str | None:
    return tables()[1].get(code.upper())
