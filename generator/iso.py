"""ISO 3166 codes and subdivision names, from pycountry.

pycountry reads its whole subdivision database (5,000 entries) on first use, which took
longer than validating all the records. The two things the atlas asks of it (does this
code exist, what is this subdivision called) are kept in the on-disk cache (cache.py),
keyed by pycountry's version, so a run reads a small JSON file instead; pycountry is only
imported when the cache is missing or stale.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import Any

from . import cache as _cache


def _from_pycountry() -> dict[str, Any]:
    import pycountry

    return {
        "countries": sorted(c.alpha_2 for c in pycountry.countries),
        "subdivisions": {s.code: s.name for s in pycountry.subdivisions},
    }


def _tables(root: Path) -> tuple[frozenset[str], dict[str, str]]:
    try:
        version = metadata.version("pycountry")
    except metadata.PackageNotFoundError:  # pragma: no cover - pycountry is a declared dependency
        version = "?"
    digest = _cache.key(Path(__file__), extra=f"pycountry {version}")
    value = _cache.load_json(root, "iso3166", digest)
    if not (isinstance(value, dict) and isinstance(value.get("countries"), list)
            and isinstance(value.get("subdivisions"), dict)):
        value = _from_pycountry()
        _cache.store_json(root, "iso3166", digest, value)
    return frozenset(value["countries"]), value["subdivisions"]


_TABLES: dict[Path, tuple[frozenset[str], dict[str, str]]] = {}


def tables(root: Path) -> tuple[frozenset[str], dict[str, str]]:
    """(alpha-2 country codes, {ISO 3166-2 code: subdivision name}), read once per process."""
    root = Path(root)
    if root not in _TABLES:
        _TABLES[root] = _tables(root)
    return _TABLES[root]


def is_country(code: str, root: Path) -> bool:
    return code.upper() in tables(root)[0]  # pycountry's own look-up ignores case too


def subdivision_name(code: str, root: Path) -> str | None:
    return tables(root)[1].get(code.upper())
