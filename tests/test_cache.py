"""The on-disk cache (compiled templates, parsed records, kept pages and data-file parts): a warm
run gives the same output as a cold one, a stale or corrupt entry is never used, and caching can be
switched off."""

from __future__ import annotations

import pytest

from generator import cache
from generator.model import build_dataset
from generator.render import build_pages
from generator.validate import validate_files

from .conftest import FIXTURES, ROOT

CONFIG = {"repository": "https://github.com/example/atlas", "branch": "main", "site_url": None, "docs_dir": "docs"}


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TFGBV_CACHE_DIR", str(folder))
    return folder


def test_key_changes_with_the_source(tmp_path):
    source = tmp_path / "geo.json"
    source.write_text("a", encoding="utf-8")
    first = cache.key(source)
    source.write_text("b", encoding="utf-8")
    assert cache.key(source) != first


def test_caching_can_be_switched_off(tmp_path, monkeypatch):
    monkeypatch.setenv("TFGBV_CACHE_DIR", "off")
    assert cache.cache_dir(tmp_path) is None
    cache.store_json(tmp_path, "x", "k", [1])
    assert cache.load_json(tmp_path, "x", "k") is None
    assert list(tmp_path.iterdir()) == []


def test_warm_build_gives_the_same_pages(cache_folder, ref):
    ds = build_dataset(validate_files([FIXTURES / "dataset"], ref).files, ref)
    cold = build_pages(ds, CONFIG)
    assert any((cache_folder / "templates").iterdir())  # compiled templates were stored
    assert build_pages(ds, CONFIG) == cold


# --- parsed records ---------------------------------------------------------------------------

@pytest.fixture
def project(tmp_path, monkeypatch):
    """A throwaway project (the real schema, the fixture records) with its own cache folder."""
    import shutil

    from generator.reference import load_reference

    root = tmp_path / "proj"
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copytree(FIXTURES / "dataset", root / "laws")
    monkeypatch.setenv("TFGBV_CACHE_DIR", str(tmp_path / "cache"))
    return root, load_reference(root)


def _no_parsing(monkeypatch):
    import generator.validate as validate_module

    def refuse(path, **kwargs):
        raise AssertionError(f"{path} is unchanged: its cached data should have been used")

    monkeypatch.setattr(validate_module, "load_jurisdiction", refuse)


def test_unchanged_records_are_not_parsed_again_and_give_the_same_data(project, monkeypatch):
    root, ref = project
    cold = validate_files([root / "laws"], ref)
    assert cold.ok
    _no_parsing(monkeypatch)
    warm = validate_files([root / "laws"], ref)
    assert [f.data for f in warm.files] == [f.data for f in cold.files]
    assert [f.display for f in warm.files] == [f.display for f in cold.files]
    assert build_pages(build_dataset(warm.files, ref), CONFIG) == build_pages(build_dataset(cold.files, ref), CONFIG)


def test_an_edited_record_is_read_again(project):
    root, ref = project
    assert validate_files([root / "laws"], ref).ok
    record = root / "laws" / "fr.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("level: national", "level: NO"), encoding="utf-8")
    problems = validate_files([root / "laws"], ref).problems
    assert any(p.code == "yaml11-boolean" and p.file.endswith("fr.yaml") for p in problems)


def test_a_rule_problem_on_a_cached_record_is_still_located(project, monkeypatch):
    root, ref = project
    assert validate_files([root / "laws"], ref).ok
    (root / "laws" / "gb.yaml").unlink()  # GB-SCT, unchanged and cached, now names a missing parent
    _no_parsing(monkeypatch)
    [problem] = [p for p in validate_files([root / "laws"], ref).problems if p.code == "unknown-parent"]
    line = next(n for n, text in enumerate((root / "laws" / "gb-sct.yaml").read_text().splitlines(), 1)
                if text.startswith("parent:"))
    assert (problem.line, problem.col) == (line, 9)


def test_records_outside_the_project_are_never_cached(project, tmp_path):
    root, ref = project
    import shutil

    outside = tmp_path / "elsewhere"
    shutil.copytree(FIXTURES / "dataset", outside)
    validate_files([outside], ref)
    entry = tmp_path / "cache" / "records.json"
    assert not entry.exists() or "elsewhere" not in entry.read_text(encoding="utf-8")


# --- whole generation ---------------------------------------------------------------------------

@pytest.fixture
def site_project(project):
    import shutil

    root, _ = project
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    return root


def test_generation_is_skipped_only_while_inputs_and_outputs_are_unchanged(site_project, monkeypatch):
    from generator import site

    from generator.render import OUT

    assert site.GENERATED == OUT
    root = site_project
    first = site.generate_site(root)
    assert first and all(p.is_relative_to(root / "docs" / "atlas") for p in first)
    pages = {p: p.read_bytes() for p in first}
    real = site._generate_site
    calls = []
    monkeypatch.setattr(site, "_generate_site", lambda *a, **k: calls.append(1) or real(*a, **k))

    assert site.generate_site(root) == [] and calls == []  # nothing changed: no work at all

    page = sorted(pages)[0]
    page.write_text("edited by hand", encoding="utf-8")
    assert site.generate_site(root) == [page] and page.read_bytes() == pages[page] and len(calls) == 1

    record = root / "laws" / "fr.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("summary: >-\n", "summary: >-\n  Changed.\n", 1), encoding="utf-8")
    assert site.generate_site(root) and len(calls) == 2  # a changed record means a full run

    record.write_text(record.read_text(encoding="utf-8").replace("level: national", "level: NO"), encoding="utf-8")
    with pytest.raises(site.SiteBuildError, match="yaml11-boolean"):
        site.generate_site(root)  # bad data is always reported, never skipped


def test_generation_always_runs_when_caching_is_off(site_project, monkeypatch):
    from generator import site

    monkeypatch.setenv("TFGBV_CACHE_DIR", "off")
    real = site._generate_site
    calls = []
    monkeypatch.setattr(site, "_generate_site", lambda *a, **k: calls.append(1) or real(*a, **k))
    site.generate_site(site_project)
    assert site.generate_site(site_project) == [] and len(calls) == 2


# --- jurisdiction pages kept from the last run (render.PageMemo) -------------------------------------

@pytest.fixture
def real_project(tmp_path, monkeypatch):
    """A throwaway copy of the project's real records (parents, children, a devolved country)."""
    import shutil

    root = tmp_path / "proj"
    shutil.copytree(ROOT / "schema", root / "schema")
    shutil.copytree(ROOT / "laws", root / "laws")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    monkeypatch.setenv("TFGBV_CACHE_DIR", str(tmp_path / "cache"))
    return root


def _edit(path, change):
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    header = "# yaml-language-server: $schema=../schema/jurisdiction.schema.json\n"
    path.write_text(header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_kept_jurisdiction_pages_equal_a_full_render_after_every_kind_of_edit(real_project, monkeypatch):
    """After each edit the generated folder is byte-for-byte what a run without any cache makes,
    and only the edited record's family of jurisdiction pages was rendered again."""
    from generator import render, site
    from generator.reference import load_reference

    root = real_project
    rendered: list[str] = []
    real_put = render.PageMemo.put
    real_key = render.PageMemo.key
    names: dict[str, str] = {}

    def key(self, path, j):
        k = real_key(self, path, j)
        names[k] = j.slug
        return k

    monkeypatch.setattr(render.PageMemo, "key", key)
    monkeypatch.setattr(render.PageMemo, "put", lambda self, key, content: rendered.append(names[key])
                        or real_put(self, key, content))

    def check(expected: set[str]) -> None:
        rendered.clear()
        site.generate_site(root)
        assert set(rendered) == expected
        ref = load_reference(root)
        result = validate_files([root / "laws"], ref)
        assert result.ok
        full = build_pages(build_dataset(result.files, ref), site.site_config(root))
        on_disk = {p.relative_to(root / "docs").as_posix(): p.read_text(encoding="utf-8")
                   for p in (root / "docs" / "atlas").rglob("*") if p.is_file()}
        assert on_disk == full

    site.generate_site(root)  # first run: every page rendered and kept
    laws = root / "laws"
    _edit(laws / "fr.yaml", lambda d: d.update(summary="A changed summary <b>&</b>."))
    check({"fr"})  # a record without parent or children: its page alone
    uk = {"gb", "gb-eaw", "gb-sct", "gb-nir"}
    _edit(laws / "gb-sct.yaml", lambda d: d["coverage"].update(ncii={"status": "unknown"}))
    check(uk)  # GB's page shows the weakest of its devolved systems
    us = {p.stem for p in laws.glob("us*.yaml")}
    _edit(laws / "us.yaml", lambda d: d["coverage"].update(ncii={"status": "unknown"}))
    check(us)  # the states' pages show what they inherit
    (laws / "us-tx.yaml").unlink()
    check(us - {"us-tx"})  # the US page lists its sub-national systems
    assert not (root / "docs" / "atlas" / "jurisdictions" / "us-tx.md").exists()
    kept = sorted((root.parent / "cache" / "pages").iterdir())
    # only the current texts are kept: each record's page and its parts of atlas.json and coverage.csv
    assert len(kept) == 3 * len(list(laws.glob("*.yaml")))
