"""Maps and charts: generated SVG on the fixture dataset."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import pytest

from generator import maps
from generator.maps import _split_antimeridian, adoption_chart, bar_chart, country_paths
from generator.model import build_dataset
from generator.render import build_pages, page_url
from generator.validate import validate_files

from .conftest import FIXTURES, ROOT

CONFIG = {"repository": "https://github.com/example/atlas", "branch": "main", "site_url": None, "docs_dir": "docs"}


@pytest.fixture(scope="module")
def pages(ref):
    result = validate_files([FIXTURES / "dataset"], ref)
    return build_pages(build_dataset(result.files, ref), CONFIG)


def svg(page: str, cls: str) -> str:
    [match] = re.findall(rf'<svg class="{cls}".*?</svg>', page, re.S)
    return match


def test_world_geometry_covers_the_world(ref):
    shapes = country_paths(ROOT)
    codes = {c for c, _, _ in shapes}
    assert len(shapes) >= 170 and {"MX", "DE", "FI", "NZ", "GB", "FR", "BR", "IN"} <= codes
    for _code, _name, d in shapes:  # nothing drawn across the whole map (antimeridian handled)
        for ring in d.split("Z"):
            xs = [float(x) for x in re.findall(r"[ML](-?[\d.]+)", ring)]
            if xs:
                assert max(xs) - min(xs) < 720


def _numbers(d: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?[\d.]+", d)]


def test_stored_projection_is_the_projection_of_the_stored_geometry():
    # The build reads generator/geo/countries-110m-equal-earth.json instead of projecting; after an
    # update of the geometry or of the projection code, `python -m generator.maps` must be run again.
    stored = json.loads(maps.PROJECTED.read_text(encoding="utf-8"))
    assert stored["made_from"] == maps._made_from(), "run `python -m generator.maps`"
    fresh = maps._project_countries()
    assert [row[:2] for row in stored["countries"]] == [row[:2] for row in fresh]
    for (_, name, d_stored), (_, _, d_fresh) in zip(stored["countries"], fresh):
        assert re.sub(r"[\d.-]+", "#", d_stored) == re.sub(r"[\d.-]+", "#", d_fresh), name
        # the same points to the rounding (0.1 px), whatever PROJ version made the stored file
        assert max(abs(a - b) for a, b in zip(_numbers(d_stored), _numbers(d_fresh))) <= 0.11, name


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"made_from": {"geometry_sha256": "old"}, "countries": []}),
                                    json.dumps([1, 2])])
def test_a_missing_stale_or_corrupt_projection_is_not_used(tmp_path, monkeypatch, damage):
    expected = maps._project_countries()
    stored = tmp_path / "projected.json"
    stored.write_text(damage, encoding="utf-8")
    monkeypatch.setattr(maps, "PROJECTED", stored)
    assert maps.projected_outlines() == expected  # projected again from the geometry
    monkeypatch.setattr(maps, "PROJECTED", tmp_path / "missing.json")
    assert maps.projected_outlines() == expected


def test_antimeridian_ring_is_split():
    ring = [(179.0, -16.0), (-179.5, -16.5), (-179.0, -17.0), (179.5, -17.0), (179.0, -16.0)]
    east, west = _split_antimeridian(ring)
    assert max(lon for lon, _ in east) <= 180 and min(lon for lon, _ in east) > 0
    assert min(lon for lon, _ in west) >= -180 and max(lon for lon, _ in west) < 0


def test_offence_map_shapes_and_links(pages):
    page = pages["atlas/offences/ncii.md"]
    m = svg(page, "atlas-map")
    links = re.findall(r'<a href="([^"]+)"><path d="[^"]+" class="([^"]+)" data-country="(\w*)"><title>([^<]+)</title>', m)
    # exactly the national records of the fixture (FR, GB) are linked shapes
    assert sorted(code for _, _, code, _ in links) == ["FR", "GB"]
    by_code = {code: (href, cls, title) for href, cls, code, title in links}
    assert by_code["GB"][1].startswith("atlas-map-explicit") and "sub-national records: Scotland" in by_code["GB"][2]
    assert by_code["FR"][1] == "atlas-map-none" and by_code["FR"][2] == "France: No law"
    assert by_code["FR"][0] == "../../jurisdictions/fr/#ncii"
    # every linked shape points to a page that exists
    base = page_url("atlas/offences/ncii.md")
    for href, _, _, _ in links:
        target = posixpath.normpath(posixpath.join(base, href.split("#")[0])) + "/"
        assert any(page_url(p) == target for p in pages if p.endswith(".md")), href
    unlinked = re.findall(r'<path d="[^"]+" class="atlas-map-norecord"', m)
    assert len(unlinked) == len(country_paths(ROOT)) - 2
    for status in ("Explicit", "General offence", "Partial", "No law", "Not yet researched"):
        assert f">{status}</text>" in m  # legend in words


def test_unknown_is_distinct_from_none_on_the_map(pages):
    m = svg(pages["atlas/offences/doxxing.md"], "atlas-map")
    assert 'class="atlas-map-none atlas-map-federal" data-country="GB"' in m
    m2 = svg(pages["atlas/offences/voyeurism.md"], "atlas-map")
    assert 'class="atlas-map-unknown" data-country="FR"' in m2


def test_home_map_counts_standard_offences(pages):
    m = svg(pages["atlas/_home.md"], "atlas-map")
    assert re.search(r'data-country="FR"><title>France: meets 1 of 8 \(5 not yet researched\)</title>', m)


def test_penalty_and_adoption_charts(pages):
    page = pages["atlas/offences/cyberflashing.md"]
    charts = re.findall(r'<svg class="atlas-chart".*?</svg>', page, re.S)
    assert len(charts) == 2
    penalty, adoption = charts
    assert penalty.count('class="atlas-chart-bar"') == 1 and "Scotland: 10 years" in penalty
    assert adoption.count('class="atlas-chart-bar"') == 1 and "<title>2010: 1</title>" in adoption
    assert "<table class=\"atlas-penalties\">" in page  # the text alternative stays


def test_chart_helpers_escape_labels():
    out = str(bar_chart([("<script>x</script>", 2.0, None)], "t<b>", "years"))
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert str(adoption_chart([], "x")) == ""
    chart = str(adoption_chart([(2010, 1), (2013, 3)], "x"))
    assert chart.count('class="atlas-chart-bar"') == 4  # 2010..2013, one bar a year
