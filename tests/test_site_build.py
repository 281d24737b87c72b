"""Full site builds: MkDocs (strict) and Zensical, real data and a hostile record."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from generator.site import SiteBuildError, build_site

from .conftest import FIXTURES, ROOT
from .htmlcheck import live_payloads, site_pages
from .sitekit import make_root

pytestmark = pytest.mark.site


@pytest.fixture(scope="module")
def real_root(tmp_path_factory):
    return make_root(tmp_path_factory.mktemp("real"), ROOT / "laws")


@pytest.fixture(scope="module")
def mkdocs_site(real_root):
    return build_site(real_root, "mkdocs")


def test_mkdocs_strict_build_of_real_data(mkdocs_site, real_root):
    assert (mkdocs_site / "index.html").is_file()
    assert (mkdocs_site / "atlas" / "matrix" / "index.html").is_file()
    data = json.loads((mkdocs_site / "atlas" / "data" / "atlas.json").read_text())
    laws = sorted(p.stem.upper() for p in (ROOT / "laws").glob("*.yaml"))
    assert sorted(j["id"] for j in data["jurisdictions"]) == laws
    for code in laws:
        assert (mkdocs_site / "atlas" / "jurisdictions" / code.lower() / "index.html").is_file()
    csv = (mkdocs_site / "atlas" / "data" / "coverage.csv").read_text()
    assert len(csv.splitlines()) == 1 + 17 * len(laws)


def test_zensical_build_of_real_data(real_root, mkdocs_site):
    site = build_site(real_root, "zensical")
    for page in ("index.html", "atlas/matrix/index.html", "atlas/compare/index.html", "atlas/gaps/eu-2024-1385/index.html"):
        assert (site / page).is_file(), page
    mk = {p.relative_to(mkdocs_site).as_posix() for p in site_pages(mkdocs_site)}
    zs = {p.relative_to(site).as_posix() for p in site_pages(site)}
    assert {p for p in mk if p.startswith("atlas/")} <= zs  # every generated page exists in both


def test_no_network_references_in_built_pages(mkdocs_site):
    for page in site_pages(mkdocs_site):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page
        assert "api.github.com" not in html, page


def test_hostile_record_is_inert_in_both_engines(tmp_path):
    root = make_root(tmp_path, FIXTURES / "hostile")
    for engine in ("mkdocs", "zensical"):
        site = build_site(root, engine)
        pages = site_pages(site)
        assert any("alert(&#39;summary&#39;)" in p.read_text() or "alert('summary')" in p.read_text() for p in pages)
        for page in pages:
            assert live_payloads(page.read_text(encoding="utf-8")) == [], (engine, page)
        lu = (site / "atlas" / "jurisdictions" / "lu" / "index.html").read_text()
        assert "&lt;script&gt;alert" in lu  # shown as text, not dropped
        assert "site_name" not in lu  # the snippet marker in notes was not expanded


def test_build_stops_on_bad_data_with_located_message(tmp_path):
    laws = tmp_path / "bad"
    laws.mkdir()
    (laws / "lu.yaml").write_text((FIXTURES / "invalid" / "bad-status" / "lu.yaml").read_text())
    root = make_root(tmp_path, laws)
    with pytest.raises(SiteBuildError) as err:
        build_site(root, "mkdocs")
    assert "laws/lu.yaml:15:13" in str(err.value).replace(str(root) + "/", "")


def test_cli_build_reports_bad_data_without_traceback(tmp_path):
    laws = tmp_path / "bad"
    laws.mkdir()
    (laws / "lu.yaml").write_text("id: [\n")
    root = make_root(tmp_path, laws)
    proc = subprocess.run([sys.executable, "-m", "generator", "build"], cwd=root, capture_output=True, text=True,
                          env={"TFGBV_ROOT": str(root), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "yaml-syntax" in proc.stderr


def test_two_generations_are_byte_identical(tmp_path):
    from generator.site import generate_site

    root = make_root(tmp_path, ROOT / "laws")
    generate_site(root)
    first = {p: p.read_bytes() for p in (root / "docs" / "atlas").rglob("*") if p.is_file()}
    import shutil
    shutil.rmtree(root / "docs" / "atlas")
    generate_site(root)
    second = {p: p.read_bytes() for p in (root / "docs" / "atlas").rglob("*") if p.is_file()}
    assert first == second
