"""The on-disk cache (projected map, compiled templates): a warm run gives the same output as a
cold one, a stale or corrupt entry is never used, and caching can be switched off."""

from __future__ import annotations

import json

import pytest

from generator import cache, maps
from generator.model import build_dataset
from generator.render import build_pages
from generator.validate import validate_files

from .conftest import FIXTURES, ROOT

CONFIG = {"repository": "https://github.com/example/atlas", "branch": "main", "site_url": None, "docs_dir": "docs"}


@pytest.fixture
def cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("TFGBV_CACHE_DIR", str(folder))
    maps.country_paths.cache_clear()
    yield folder
    maps.country_paths.cache_clear()


def test_projected_map_is_reused_and_identical(cache_folder, monkeypatch):
    cold = maps.country_paths(ROOT)
    assert (cache_folder / "world-paths.json").is_file()
    maps.country_paths.cache_clear()

    def no_projection(root):
        raise AssertionError("a warm cache must not project again")

    monkeypatch.setattr(maps, "_project_countries", no_projection)
    assert maps.country_paths(ROOT) == cold


@pytest.mark.parametrize("damage", ["{not json", json.dumps({"key": "stale", "value": [["XX", "X", "M0 0Z"]]}),
                                    json.dumps({"key": None, "value": 3})])
def test_a_corrupt_or_stale_entry_is_made_again(cache_folder, damage):
    cold = maps.country_paths(ROOT)
    maps.country_paths.cache_clear()
    entry = cache_folder / "world-paths.json"
    entry.write_text(damage, encoding="utf-8")
    assert maps.country_paths(ROOT) == cold
    assert json.loads(entry.read_text(encoding="utf-8"))["value"][0] == list(cold[0])


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
    maps.country_paths.cache_clear()
    assert build_pages(ds, CONFIG) == cold
