"""Generated pages on the small fixture dataset: exactly these cells, these gaps; escaped; deterministic."""

from __future__ import annotations

import re

import pytest

from generator.model import build_dataset
from generator.render import build_pages, md, rel, safe_url, write_pages
from generator.validate import validate_files

from .conftest import FIXTURES

CONFIG = {"repository": "https://github.com/example/atlas", "branch": "main", "site_url": None, "docs_dir": "docs"}


@pytest.fixture(scope="module")
def pages(ref):
    result = validate_files([FIXTURES / "dataset"], ref)
    assert result.ok
    return build_pages(build_dataset(result.files, ref), CONFIG)




def matrix_cells(page: str) -> dict[tuple[str, str], str]:
    return {(slug, offence): status for status, offence, slug in re.findall(
        r'<td data-status="(\w+)" data-offence="(\w+)"><a href="\.\./jurisdictions/([\w-]+)/#\w+">', page)}


def test_matrix_lists_exactly_the_cells(pages):
    got = matrix_cells(pages["atlas/matrix.md"])
    assert len(got) == 3 * 13
    assert got[("gb", "ncii")] == "explicit"
    assert got[("gb-sct", "ncii")] == "explicit"  # own none, inherited from GB
    assert got[("gb-sct", "cyberflashing")] == "explicit"
    assert got[("gb-sct", "doxxing")] == "unknown"  # own unknown + parent none stays unknown
    assert got[("fr", "deepfake_sexual")] == "partial"
    assert got[("fr", "online_harassment")] == "general"
    assert sum(1 for s in got.values() if s == "unknown") == 39 - 9
    assert 'via GB' in pages["atlas/matrix.md"]
    measures = matrix_cells(pages["atlas/matrix-measures.md"])
    assert len(measures) == 3 * 4 and measures[("gb-sct", "platform_duty")] == "explicit"


def test_every_status_has_icon_and_text(pages):
    page = pages["atlas/matrix.md"]
    for label in ("Explicit", "General offence", "Partial", "No law", "Not yet researched"):
        assert re.search(r'<span class="atlas-icon" aria-hidden="true">.</span> ' + label, page), label


def gap_rows(page: str) -> dict[str, str]:
    section = page.split("## By jurisdiction")[1].split("## By offence")[0]
    return {m.group(1): m.group(0) for m in re.finditer(r'<tr><th scope="row"><a href="[^"]+">([^<]+)</a></th>.*?</tr>', section, re.S)}


def test_full_gap_page_lists_exactly_these_gaps(pages):
    rows = gap_rows(pages["atlas/gaps/atlas-full.md"])
    assert set(rows) == {"France", "United Kingdom", "Scotland"}
    gb = rows["United Kingdom"]
    gaps_cell = re.findall(r"<td[^>]*>(.*?)</td>", gb, re.S)[2]
    assert ">Doxxing<" in gaps_cell and "NCII" not in gaps_cell
    fr = rows["France"]
    assert re.findall(r"<td[^>]*>(.*?)</td>", fr, re.S)[2].count("<a ") == 1  # only ncii is a reviewed gap
    partly = re.findall(r"<td[^>]*>(.*?)</td>", fr, re.S)[1]
    assert "Deepfakes" in partly and "creation alone is not covered" in partly
    sct = re.findall(r"<td[^>]*>(.*?)</td>", rows["Scotland"], re.S)
    # Own `none` but the UK-wide law is unresearched: not a gap yet (the UK law might cover it).
    assert "Deepfakes" not in sct[2] and "Deepfakes" in sct[3]
    assert "Doxxing" not in sct[2] and "Doxxing" in sct[3]  # unknown is reported apart, never a gap


def test_eu_standard_measures_only_member_states(pages):
    rows = gap_rows(pages["atlas/gaps/eu-2024-1385.md"])
    assert set(rows) == {"France"}
    assert "2027-06-14" in pages["atlas/gaps/eu-2024-1385.md"]


def test_data_is_escaped_everywhere(pages):
    for path, content in pages.items():
        if path.endswith(".md"):
            assert "<script>" not in content, path
            assert "<b>publicly</b>" not in content, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages["atlas/jurisdictions/fr.md"]


def test_historical_provision_is_marked(pages):
    page = pages["atlas/jurisdictions/gb-sct.md"]
    assert 'class="atlas-historical"' in page and "no longer in force" in page


def test_report_and_edit_links(pages):
    page = pages["atlas/jurisdictions/fr.md"]
    assert "https://github.com/example/atlas/edit/main/laws/fr.yaml" in page
    assert "issues/new?template=report-error.yml&amp;jurisdiction=FR" in page
    assert "template=report-error.yml&amp;jurisdiction=FR&amp;offence=ncii_threat" in page


def offence_groups(page: str) -> dict[str, list[str]]:
    """{status: [each listed row's text after its link]} from an offence page's status groups."""
    groups = {}
    for status, body in re.findall(r'<details class="atlas-group" data-status="(\w+)"[^>]*>(.*?)</details>', page, re.S):
        groups[status] = re.findall(r'<li><a href="\.\./\.\./jurisdictions/([\w-]+)/#\w+">[^<]*</a>(.*?)</li>', body)
    return groups


def test_offence_page_groups_jurisdictions_by_effective_status(pages):
    ncii = offence_groups(pages["atlas/offences/ncii.md"])
    assert list(ncii) == ["explicit", "general", "partial", "none", "unknown"]
    assert ncii["explicit"] == [("gb-sct", " (via GB)"), ("gb", ": Fixture Safety Act 2023, s 66B")]
    assert ncii["none"] == [("fr", "")] and ncii["general"] == ncii["partial"] == ncii["unknown"] == []
    deepfake = offence_groups(pages["atlas/offences/deepfake_sexual.md"])
    (slug, rest), = deepfake["partial"]  # a partial row carries its notes, escaped
    assert slug == "fr" and "&lt;b&gt;publicly&lt;/b&gt;" in rest and '<span class="atlas-notes">' in rest
    assert "Not yet researched (2)" in pages["atlas/offences/deepfake_sexual.md"]


def test_offence_page_penalties_and_adoption(pages):
    page = pages["atlas/offences/cyberflashing.md"]
    assert "10 years" in page and "Scotland" in page.split("## Penalty comparison")[1]
    adoption = page.split("## Adoption over time")[1].split("## Model provisions")[0]
    assert "<td>2010</td>" in adoption
    assert "Not yet researched (2)" in page


def test_build_is_deterministic(ref):
    def once():
        result = validate_files([FIXTURES / "dataset"], ref)
        return build_pages(build_dataset(result.files, ref), CONFIG)
    assert once() == once()


def test_write_pages_only_writes_changes_and_removes_stale(tmp_path, pages):
    assert len(write_pages(pages, tmp_path)) == len(pages)
    assert write_pages(pages, tmp_path) == []
    stale = tmp_path / "atlas" / "jurisdictions" / "zz.md"
    stale.write_text("old")
    changed = dict(pages)
    changed["atlas/matrix.md"] += "\n"
    assert write_pages(changed, tmp_path) == [tmp_path / "atlas" / "matrix.md"]
    assert not stale.exists()


@pytest.mark.parametrize("text,expected", [
    ("a*b_c", r"a\*b\_c"), ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert\\(1\\)&gt;"),
    ("[x](javascript:alert(1))", r"\[x\]\(javascript:alert\(1\)\)"), ("line\n\nbreak", "line break"),
    ("{: onclick=x}", r"\{: onclick=x\}"),
])
def test_md_escape(text, expected):
    assert str(md(text)) == expected


@pytest.mark.parametrize("url,ok", [("https://example.org/a'b", True), ("javascript:alert(1)", False),
                                    ("http://example.org", False), ("https://x.org/\"onmouseover=1", False)])
def test_safe_url(url, ok):
    assert (safe_url(url) == url) is ok


def test_relative_links():
    assert rel("atlas/matrix.md", "atlas/jurisdictions/mx.md", "ncii") == "../jurisdictions/mx/#ncii"
    assert rel("atlas/jurisdictions/index.md", "atlas/jurisdictions/mx.md") == "mx/"
    assert rel("atlas/jurisdictions/mx.md", "atlas/compare.md") == "../../compare/"
    assert rel("atlas/compare.md", "atlas/data/atlas.json") == "../data/atlas.json"
