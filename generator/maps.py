"""Maps and charts: static SVG generated at build time, no network, no JavaScript.

World maps are choropleths on the Equal Earth projection (PROJ via pyproj) of
Natural Earth outlines (world-atlas, vendored in generator/geo/). The projected
outlines are stored next to the geometry (`python -m generator.maps` makes them),
so a build does not project or even import pyproj. Every status has
its own fill *and* pattern, so the map reads without colour vision; every shape
has a <title>, and every page that shows a map or chart also has the same data
as a table or list (the text alternative).
"""

from __future__ import annotations

import csv
import hashlib
import json
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

from .analysis import MEETS
from .model import STATUS_LABELS, STATUSES, Dataset, Jurisdiction

GEO = Path(__file__).parent / "geo" / "countries-110m.json"
PROJECTED = Path(__file__).parent / "geo" / "countries-110m-equal-earth.json"  # made from GEO, see write_projected
PROJECTION = "+proj=eqearth +lon_0=0 +datum=WGS84 +units=m"
WIDTH = 960.0

# (fill class, pattern id) per status; the pattern carries the meaning without colour.
STATUS_STYLE = {
    "explicit": "atlas-map-explicit",
    "general": "atlas-map-general",
    "partial": "atlas-map-partial",
    "none": "atlas-map-none",
    "unknown": "atlas-map-unknown",
}

PATTERNS = """<defs>
<pattern id="atlas-pat-partial" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="atlas-pat-bg-partial"/><line x1="0" y1="0" x2="0" y2="6" class="atlas-pat-line"/></pattern>
<pattern id="atlas-pat-none" width="6" height="6" patternUnits="userSpaceOnUse"><rect width="6" height="6" class="atlas-pat-bg-none"/><path d="M0 0L6 6M6 0L0 6" class="atlas-pat-line"/></pattern>
<pattern id="atlas-pat-unknown" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" class="atlas-pat-bg-unknown"/><circle cx="2.5" cy="2.5" r="0.8" class="atlas-pat-dot"/></pattern>
<pattern id="atlas-pat-general" width="5" height="5" patternUnits="userSpaceOnUse"><rect width="5" height="5" class="atlas-pat-bg-general"/><line x1="0" y1="2.5" x2="5" y2="2.5" class="atlas-pat-line-light"/></pattern>
</defs>"""


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs are delta-encoded integers with a transform (TopoJSON specification §2.1.3)."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        points.extend(arc[1:] if points else arc)
    return points


def _split_antimeridian(points: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """A ring that crosses ±180° (Fiji, Chukotka) would be drawn across the whole map: draw it
    twice instead, once folded onto each side and clamped to the map's edge."""
    if not any(abs(a[0] - b[0]) > 180 for a, b in zip(points, points[1:])):
        return [points]
    east = [(min(lon if lon > 0 else lon + 360, 180.0), lat) for lon, lat in points]
    west = [(max(lon if lon < 0 else lon - 360, -180.0), lat) for lon, lat in points]
    return [east, west]


@cache
def _numeric_to_alpha2(root: Path) -> dict[str, str]:
    with (root / "schema" / "regions.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {row["m49"]: row["iso2"] for row in rows if row["m49"]}


@cache
def country_paths(root: Path) -> tuple[tuple[str, str, str], ...]:
    """(alpha-2 or '', Natural Earth name, SVG path data) for every country."""
    codes = _numeric_to_alpha2(root)
    return tuple((codes.get(number, ""), name, d) for number, name, d in projected_outlines())


def projected_outlines() -> list[list[str]]:
    """[ISO numeric code, Natural Earth name, SVG path data] for every country, on the map's
    projection. Read from PROJECTED, which is made from GEO by `python -m generator.maps`; a file
    that does not match GEO and the projection is not used (the outlines are projected again)."""
    try:
        stored = json.loads(PROJECTED.read_text(encoding="utf-8"))
        if stored.get("made_from") == _made_from() and isinstance(stored.get("countries"), list):
            return stored["countries"]
    except (OSError, ValueError, AttributeError):
        pass
    return _project_countries()


def _made_from() -> dict[str, str]:
    return {"geometry_sha256": hashlib.sha256(GEO.read_bytes()).hexdigest(), "projection": PROJECTION,
            "width": f"{WIDTH:g}"}


def write_projected() -> None:
    """Project GEO and store the result in PROJECTED (run after updating the geometry or the projection)."""
    data = {"made_from": _made_from(), "countries": _project_countries()}
    PROJECTED.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


def _project_countries() -> list[list[str]]:
    from pyproj import Transformer  # only when the stored projection is missing or stale

    topo = json.loads(GEO.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topo)
    to_map = Transformer.from_crs("EPSG:4326", PROJECTION, always_xy=True)
    half_w, half_h = to_map.transform(180.0, 0.0)[0], to_map.transform(0.0, 90.0)[1]
    scale = WIDTH / (2 * half_w)
    out = []
    for geom in topo["objects"]["countries"]["geometries"]:
        polygons = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]] if geom["type"] == "Polygon" else []
        parts = []
        for polygon in polygons:
            for ring in polygon:
                for pts in _split_antimeridian(_ring(ring, arcs)):
                    xs, ys = to_map.transform([p[0] for p in pts], [p[1] for p in pts])
                    coords = [(round((x + half_w) * scale, 1), round((half_h - y) * scale, 1)) for x, y in zip(xs, ys)]
                    parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in coords) + "Z")
        if parts:
            out.append([str(geom.get("id", "")), geom.get("properties", {}).get("name", ""), "".join(parts)])
    return out


def map_height() -> float:
    return round(WIDTH * 0.4867, 1)  # Equal Earth's width:height ratio (about 2.05:1)


def _legend(items: list[tuple[str, str]]) -> str:
    cells = []
    for i, (cls, label) in enumerate(items):
        x = 10 + i * 190
        cells.append(f'<rect x="{x}" y="{map_height() + 8}" width="16" height="12" class="{cls}"/>'
                     f'<text x="{x + 22}" y="{map_height() + 18}" class="atlas-map-legend">{escape(label)}</text>')
    return "".join(cells)


def _svg(title: str, desc: str, shapes: list[str], legend: list[tuple[str, str]]) -> Markup:
    h = map_height() + 30
    return Markup(
        f'<svg class="atlas-map" viewBox="0 0 {WIDTH:g} {h:g}" role="group" aria-labelledby="map-title map-desc" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="map-title">{escape(title)}</title>'
        f'<desc id="map-desc">{escape(desc)}</desc>{PATTERNS}<g class="atlas-map-countries">{"".join(shapes)}</g>'
        f"{_legend(legend)}</svg>")


def _shape(code: str, name: str, d: str, cls: str, label: str, href: str | None) -> str:
    path = f'<path d="{d}" class="{cls}" data-country="{escape(code)}"><title>{escape(label)}</title></path>'
    return f'<a href="{escape(href)}">{path}</a>' if href else path


def _country_shapes(ds: Dataset, describe) -> list[str]:
    """One shape per country: `describe(j)` gives (class, label, href) for a country with a record;
    countries without one are plain grey and unlinked."""
    by_code = {j.id: j for j in ds.jurisdictions.values() if j.level == "national"}
    shapes = []
    for code, ne_name, d in country_paths(ds.ref.root):
        j = by_code.get(code)
        if j is None:
            shapes.append(_shape(code, ne_name, d, "atlas-map-norecord", f"{ne_name}: no record yet", None))
        else:
            shapes.append(_shape(code, j.name, d, *describe(j)))
    return shapes


def offence_map(ds: Dataset, offence: str, link, name: str) -> Markup:
    """Choropleth of the effective status of one offence. `link(page, anchor)` makes relative URLs."""
    def describe(j: Jurisdiction) -> tuple[str, str, str]:
        status = j.effective_status(offence)
        label = f"{j.name}: {STATUS_LABELS[status]}"
        if j.children:
            label += f" (country-wide; sub-national records: {', '.join(c.name for c in j.children)})"
        cls = STATUS_STYLE[status] + (" atlas-map-federal" if j.children else "")
        return cls, label, link(f"atlas/jurisdictions/{j.slug}.md", offence)

    legend = [(STATUS_STYLE[s], STATUS_LABELS[s]) for s in STATUSES]
    return _svg(f"World map: {name}",
                "Each country is coloured and patterned by how its law covers this offence; countries without a "
                "record are plain grey. The list below gives the same information as text.",
                _country_shapes(ds, describe), legend)


STANDARD_CLASSES = [(0, "atlas-map-none"), (1, "atlas-map-partial"), (4, "atlas-map-general"), (7, "atlas-map-explicit")]


def standard_map(ds: Dataset, offences: tuple[str, ...], link, name: str) -> Markup:
    """How many of a standard's offences each country meets (explicit or general)."""
    total = len(offences)

    def describe(j: Jurisdiction) -> tuple[str, str, str]:
        statuses = [j.effective_status(o) for o in offences]
        meets = sum(1 for s in statuses if s in MEETS)
        unknown = statuses.count("unknown")
        cls = "atlas-map-unknown" if unknown == total else [c for lo, c in STANDARD_CLASSES if meets >= lo][-1]
        label = f"{j.name}: meets {meets} of {total}" + (f" ({unknown} not yet researched)" if unknown else "")
        return cls, label, link(f"atlas/jurisdictions/{j.slug}.md")

    legend = [("atlas-map-explicit", f"7–{total} of {total}"), ("atlas-map-general", "4–6"),
              ("atlas-map-partial", "1–3"), ("atlas-map-none", "0"), ("atlas-map-unknown", "not yet researched")]
    return _svg(f"World map: {name}",
                f"Each country is coloured and patterned by how many of the {total} offences of the standard its law "
                "meets; plain grey means no record. The gap analysis tables give the same information as text.",
                _country_shapes(ds, describe), legend)


def bar_chart(rows: list[tuple[str, float, str | None]], title: str, unit: str) -> Markup:
    """Horizontal bars: (label, value, href). Values are printed beside the bars."""
    if not rows:
        return Markup("")
    top = max(v for _, v, _ in rows) or 1
    bar_h, gap, label_w, chart_w = 16, 6, 190, 520
    height = len(rows) * (bar_h + gap) + 30
    parts = []
    for i, (label, value, href) in enumerate(rows):
        y = 24 + i * (bar_h + gap)
        w = max(2.0, chart_w * value / top)
        text = f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end" class="atlas-chart-label">{escape(label)}</text>'
        if href:
            text = f'<a href="{escape(href)}">{text}</a>'
        shown = f"{value:g} {unit}"
        parts.append(f'{text}<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" class="atlas-chart-bar">'
                     f"<title>{escape(label)}: {escape(shown)}</title></rect>"
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 12}" class="atlas-chart-value">{escape(shown)}</text>')
    role = "group" if any(href for _, _, href in rows) else "img"  # links inside: not a flat image
    return Markup(f'<svg class="atlas-chart" viewBox="0 0 {label_w + chart_w + 90} {height}" role="{role}" '
                  f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
                  f'<text x="0" y="14" class="atlas-chart-title">{escape(title)}</text>{"".join(parts)}</svg>')


def adoption_chart(points: list[tuple[int, int]], title: str) -> Markup:
    """Cumulative count of jurisdictions with an explicit provision, by year (vertical bars)."""
    if not points:
        return Markup("")
    first, last = points[0][0], max(points[-1][0], points[0][0])
    years = list(range(first, last + 1))
    counts, running = {}, 0
    lookup = dict(points)
    for y in years:
        running = lookup.get(y, running)
        counts[y] = running
    top = max(counts.values()) or 1
    bar_w, plot_h, left = max(8, min(30, 640 // len(years))), 160, 40
    width = left + len(years) * (bar_w + 4) + 20
    parts = [f'<text x="0" y="14" class="atlas-chart-title">{escape(title)}</text>',
             f'<line x1="{left}" y1="{30 + plot_h}" x2="{width - 10}" y2="{30 + plot_h}" class="atlas-chart-axis"/>']
    for i, y in enumerate(years):
        h = plot_h * counts[y] / top
        x = left + i * (bar_w + 4)
        parts.append(f'<rect x="{x}" y="{30 + plot_h - h:.1f}" width="{bar_w}" height="{h:.1f}" class="atlas-chart-bar">'
                     f"<title>{y}: {counts[y]}</title></rect>")
        if y in lookup or i == 0 or i == len(years) - 1:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{30 + plot_h + 14}" text-anchor="middle" '
                         f'class="atlas-chart-tick">{y}</text>')
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{30 + plot_h - h - 4:.1f}" text-anchor="middle" '
                         f'class="atlas-chart-value">{counts[y]}</text>')
    return Markup(f'<svg class="atlas-chart" viewBox="0 0 {width} {plot_h + 60}" role="img" aria-label="{escape(title)}" '
                  f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')


def penalty_rows(penalties, link, offence: str) -> list[tuple[str, float, str | None]]:
    return [(j.name, maxy, link(f"atlas/jurisdictions/{j.slug}.md", offence)) for j, _a, maxy in penalties]


if __name__ == "__main__":  # python -m generator.maps: store the projected outlines again
    write_projected()
    print(f"wrote {PROJECTED}")
