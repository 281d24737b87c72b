"""The schema, taxonomy and standards agree with each other and with DESIGN.md."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from .conftest import ROOT

OFFENCES = ["ncii", "ncii_threat", "deepfake_sexual", "voyeurism", "cyberflashing", "cyberstalking",
            "online_harassment", "doxxing", "online_threats", "hate_incitement_gender", "online_grooming",
            "impersonation", "stalkerware"]
MEASURES = ["platform_duty", "regulator", "civil_remedy", "protection_order"]


def test_taxonomy_ids_are_the_contract(ref):
    assert [t.id for t in ref.offences] == OFFENCES
    assert [t.id for t in ref.measures] == MEASURES
    for t in ref.taxonomy:
        assert t.name and t.definition and t.examples
        for instrument, article in t.instruments:
            assert instrument in ref.instruments and article


def test_schema_coverage_keys_match_taxonomy(ref):
    assert list(ref.schema["properties"]["coverage"]["properties"]) == OFFENCES + MEASURES


def test_schema_is_valid_2020_12_with_id():
    schema = json.loads((ROOT / "schema" / "jurisdiction.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema") and schema["$id"]


def _objects(node, path="#"):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


def test_every_object_is_closed_and_every_property_described():
    schema = json.loads((ROOT / "schema" / "jurisdiction.schema.json").read_text())
    objects = list(_objects(schema))
    assert len(objects) >= 7
    for path, obj in objects:
        assert obj.get("additionalProperties") is False, path
        for name, prop in obj.get("properties", {}).items():
            assert prop.get("description"), f"{path}/{name}"


def test_standards(ref):
    eu = ref.standard("eu-2024-1385")
    assert set(eu.offences) == {"ncii", "deepfake_sexual", "ncii_threat", "cyberstalking", "online_harassment",
                                "cyberflashing", "doxxing", "hate_incitement_gender"}
    assert eu.deadline == "2027-06-14"
    assert list(ref.standard("atlas-full").offences) == OFFENCES
    assert len(ref.group("eu-members")) == 27


def test_schema_descriptions_follow_taxonomy(ref):
    props = ref.schema["properties"]["coverage"]["properties"]
    for t in ref.taxonomy:
        assert t.definition in props[t.id]["description"], t.id


def test_iso_tables_read_from_pycountrys_files_equal_its_api():
    # iso.py reads pycountry's database files directly (fast); its object API is the fallback.
    from generator import iso

    direct = iso._from_pycountry_files()
    assert direct is not None, "pycountry's database files moved: iso.py now falls back to the slower API"
    assert direct == iso._from_pycountry()
    assert "NO" in direct["countries"] and direct["subdivisions"]["US-CA"] == "California"
    assert iso.is_country("gb") and not iso.is_country("XK") and iso.subdivision_name("GB-ZZZ") is None


def test_iso_tables_fall_back_to_pycountrys_api(monkeypatch):
    from generator import iso

    monkeypatch.setattr(iso.importlib.util, "find_spec", lambda name: None)
    assert iso._from_pycountry_files() is None
    iso.tables.cache_clear()
    try:
        assert iso.tables()[1]["US-CA"] == "California"
    finally:
        iso.tables.cache_clear()
