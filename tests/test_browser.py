"""Real-browser tests: Debian's chromium driven by Playwright's Python API.

The browser is the system one (`apt-get install chromium`, done by scripts/setup.sh);
Playwright never downloads its own. axe-core is vendored under tests/vendor/.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.site import build_site

from .conftest import FIXTURES, ROOT
from .sitekit import make_root, serve

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"

if not Path(CHROMIUM).exists():  # pragma: no cover - setup.sh installs it; say so loudly if not
    pytest.skip("chromium is not installed: run scripts/setup.sh --browser", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _site(tmp_path_factory, laws: Path, name: str):
    root = make_root(tmp_path_factory.mktemp(name), laws)
    site = build_site(root, "mkdocs")
    base, server = serve(site)
    return base, server


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    base, server = _site(tmp_path_factory, FIXTURES / "dataset", "fixture-site")
    yield base
    server.shutdown()


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    base, server = _site(tmp_path_factory, ROOT / "laws", "real-site")
    yield base
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    errors: list[str] = []
    pg.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    pg.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
    # A request the browser dropped because the test navigated on (net::ERR_ABORTED,
    # e.g. Material's search worker still loading) is not a fault of the site; a file
    # that is missing is, and shows up as an HTTP error status instead.
    pg.on(
        "requestfailed",
        lambda r: None if "ERR_ABORTED" in (r.failure or "") else errors.append(f"requestfailed: {r.url} {r.failure}"),
    )
    pg.on("response", lambda r: errors.append(f"http {r.status}: {r.url}") if r.status >= 400 else None)
    pg.errors = errors
    yield pg
    context.close()


def visible_rows(pg) -> list[str]:
    return pg.eval_on_selector_all("#matrix tbody tr:not([hidden]) th a", "els => els.map(e => e.textContent)")


def test_matrix_filters_by_region_status_and_offence(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/matrix/")
    assert page.locator(".atlas-count").text_content() == "3 of 3 jurisdictions shown"
    page.select_option("select[name=offence]", "cyberflashing")
    page.select_option("select[name=status]", "explicit")
    assert visible_rows(page) == ["Scotland"]
    assert page.locator("th[data-offence=ncii]").is_hidden()
    assert page.locator("th[data-offence=cyberflashing]").is_visible()
    page.select_option("select[name=offence]", "")
    page.select_option("select[name=status]", "none")
    assert sorted(visible_rows(page)) == ["France", "United Kingdom"]
    page.select_option("select[name=status]", "")
    page.fill("input[name=q]", "scot")
    assert visible_rows(page) == ["Scotland"]
    assert page.locator(".atlas-count").text_content() == "1 of 3 jurisdictions shown"
    assert page.errors == []


def test_matrix_sorts_by_column(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/matrix/")
    assert visible_rows(page) == ["France", "Scotland", "United Kingdom"]
    page.click("th[data-offence=cyberflashing] button")  # ascending: explicit first
    assert visible_rows(page)[0] == "Scotland"
    assert page.get_attribute("th[data-offence=cyberflashing]", "aria-sort") == "ascending"
    page.click("th:first-child button")
    page.click("th:first-child button")  # descending by name
    assert visible_rows(page) == ["United Kingdom", "Scotland", "France"]


def test_matrix_cell_link_lands_on_the_provision(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/matrix/")
    page.click("tr:has(th a:text('France')) td[data-offence=deepfake_sexual] a")
    page.wait_for_load_state()
    assert page.url.endswith("/atlas/jurisdictions/fr/#deepfake_sexual")
    heading = page.locator("#deepfake_sexual")
    assert heading.text_content().startswith("Sexual deepfakes")
    assert heading.is_visible()
    assert "Art. 226-8-1" in page.locator("#deepfake_sexual + .atlas-cell").text_content()


def test_compare_shows_choice_and_survives_reload(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/compare/")
    page.select_option("select[name=j0]", "FR")
    page.select_option("select[name=j1]", "GB-SCT")
    page.wait_for_selector(".atlas-compare-table")
    assert "j=FR%2CGB-SCT" in page.url or "j=FR,GB-SCT" in page.url
    headers = page.eval_on_selector_all(".atlas-compare-table thead th", "els => els.map(e => e.textContent)")
    assert headers == ["Offence or measure", "France", "Scotland"]
    page.reload()
    page.wait_for_selector(".atlas-compare-table")
    assert page.input_value("select[name=j1]") == "GB-SCT"
    row = page.locator(".atlas-compare-table tbody tr", has_text="Non-consensual intimate images")
    assert "via GB" in row.text_content() and "No law" in row.text_content()
    assert page.errors == []


def test_compare_from_shared_url(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/compare/?j=GB,FR")
    page.wait_for_selector(".atlas-compare-table")
    assert page.input_value("select[name=j0]") == "GB" and page.input_value("select[name=j1]") == "FR"


def test_hostile_data_shown_as_text_in_compare(browser, tmp_path_factory):
    laws = tmp_path_factory.mktemp("hostile-laws")
    for p in (FIXTURES / "dataset").glob("*.yaml"):
        shutil.copy(p, laws / p.name)
    shutil.copy(FIXTURES / "hostile" / "lu.yaml", laws / "lu.yaml")
    base, server = _site(tmp_path_factory, laws, "hostile-site")
    try:
        pg = browser.new_page()
        dialogs = []
        pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for url in ("/atlas/jurisdictions/lu/", "/atlas/matrix/", f"/atlas/compare/?j=LU,FR"):
            pg.goto(base + url)
            pg.wait_for_timeout(300)
        assert "<script>alert('section')</script>" in pg.locator(".atlas-compare-table").text_content()
        assert dialogs == []
        pg.close()
    finally:
        server.shutdown()


@pytest.mark.parametrize("path", ["/", "/atlas/matrix/", "/atlas/jurisdictions/nz/", "/atlas/compare/?j=NZ,DE",
                                  "/atlas/gaps/eu-2024-1385/", "/atlas/offences/ncii/"])
def test_real_pages_have_no_console_errors_and_pass_axe(page, browser, real_site, path):
    # With the site's Content-Security-Policy in force: no console errors, no failed requests.
    page.goto(real_site + path)
    if "compare" in path:
        page.wait_for_selector(".atlas-compare-table")
    page.wait_for_timeout(200)
    assert page.errors == []
    # axe-core is injected as an inline script, which the CSP rightly forbids: scan in a context that bypasses it.
    context = browser.new_context(bypass_csp=True)
    scan = context.new_page()
    scan.goto(real_site + path)
    if "compare" in path:
        scan.wait_for_selector(".atlas-compare-table")
    scan.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = scan.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
                           .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    context.close()
    assert result == [], json.dumps(result, indent=1)


def test_csp_blocks_injected_inline_script(page, fixture_site):
    page.goto(f"{fixture_site}/atlas/jurisdictions/fr/")
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1]
    page.evaluate("""() => { const s = document.createElement('script'); s.textContent = 'window.__pwned = 1';
                             document.body.appendChild(s); }""")
    assert page.evaluate("() => window.__pwned") is None
    assert any("Content Security Policy" in e for e in page.errors)


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory):
    root = make_root(tmp_path_factory.mktemp("zensical-site"), FIXTURES / "dataset")
    site = build_site(root, "zensical")
    base, server = serve(site)
    yield base
    server.shutdown()


def test_zensical_build_works_in_the_browser(page, zensical_site):
    """The Zensical build (Material's successor) runs the same pages and scripts without errors."""
    page.goto(f"{zensical_site}/atlas/matrix/")
    page.select_option("select[name=status]", "none")
    assert sorted(visible_rows(page)) == ["France", "United Kingdom"]
    page.goto(f"{zensical_site}/atlas/compare/?j=FR,GB")
    page.wait_for_selector(".atlas-compare-table")
    page.goto(f"{zensical_site}/")
    assert page.locator(".atlas-map").count() == 1
    assert page.errors == []
