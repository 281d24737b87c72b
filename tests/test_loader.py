"""The loader keeps positions and reports what YAML would silently change."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.loader import MAX_BYTES, load_jurisdiction


def load(tmp_path: Path, content: str | bytes, name: str = "lu.yaml"):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return load_jurisdiction(path)


def codes(loaded):
    return [(p.code, p.line) for p in loaded.problems]


def test_marks_point_at_values(tmp_path):
    loaded = load(tmp_path, "id: LU\ncoverage:\n  ncii:\n    status: explicit\n")
    assert loaded.data == {"id": "LU", "coverage": {"ncii": {"status": "explicit"}}}
    assert loaded.mark(("coverage", "ncii", "status")) == (4, 13)
    assert loaded.key_mark(("coverage", "ncii")) == (3, 3)
    assert loaded.problems == []


@pytest.mark.parametrize("text", ["NO", "No", "no", "YES", "on", "Off"])
def test_yaml11_booleans_are_reported_and_kept_as_text(tmp_path, text):
    loaded = load(tmp_path, f"id: {text}\n")
    assert codes(loaded) == [("yaml11-boolean", 1)]
    assert loaded.data == {"id": text}
    assert f'"{text}"' in loaded.problems[0].message  # tells how to quote it


def test_true_false_stay_booleans(tmp_path):
    assert load(tmp_path, "a: true\nb: false\n").data == {"a": True, "b": False}


@pytest.mark.parametrize("text", ["1.10", "2.50", "0777", "1:20", "1_000", ".inf"])
def test_numbers_that_change_are_reported(tmp_path, text):
    loaded = load(tmp_path, f"section: {text}\n")
    assert codes(loaded) == [("yaml11-number", 1)]
    assert loaded.data == {"section": text}


@pytest.mark.parametrize("text,value", [("22", 22), ("0.5", 0.5), ("2.0", 2.0), ("-3", -3)])
def test_plain_numbers_load_as_numbers(tmp_path, text, value):
    loaded = load(tmp_path, f"n: {text}\n")
    assert loaded.problems == [] and loaded.data == {"n": value}


@pytest.mark.parametrize("text,value", [("~", None), ("null", None), ("NULL", None), ("", None), ("True", True),
                                        ("FALSE", False), ("+7", 7), ("-0.25", -0.25), ("12.5", 12.5),
                                        ("Article 5", "Article 5"), ("ok", "ok"), ("Yesterday", "Yesterday")])
def test_plain_scalars_resolve_like_yaml_whatever_their_first_character(tmp_path, text, value):
    # The loader skips the type checks for plain text whose first character starts no YAML type.
    loaded = load(tmp_path, f"v: {text}\n")
    assert loaded.problems == [] and loaded.data == {"v": value}


def test_unquoted_dates_stay_text(tmp_path):
    assert load(tmp_path, "d: 2021-06-01\n").data == {"d": "2021-06-01"}


def test_quoted_values_are_never_converted(tmp_path):
    assert load(tmp_path, 'id: "NO"\ns: "1.10"\nx: \'on\'\n').data == {"id": "NO", "s": "1.10", "x": "on"}


def test_duplicate_key_is_located(tmp_path):
    loaded = load(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\n")
    assert codes(loaded) == [("duplicate-key", 4)]
    assert "line 3" in loaded.problems[0].message


def test_anchor_and_alias_are_refused(tmp_path):
    assert codes(load(tmp_path, "a: &x 1\nb: *x\n")) == [("yaml-anchor", 1)]


def test_alias_bomb_is_refused_without_expanding(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for p, q in zip("bcdefghi", "abcdefgh"):
        lines.append(f"{p}: &{p} [*{q},*{q},*{q},*{q},*{q},*{q},*{q},*{q},*{q}]")
    loaded = load(tmp_path, "\n".join(lines) + "\n")
    assert loaded.data is None and codes(loaded) == [("yaml-anchor", 1)]


def test_deep_nesting_is_a_located_error(tmp_path):
    loaded = load(tmp_path, "a: " + "[" * 20000 + "]" * 20000 + "\n")
    assert loaded.data is None
    assert loaded.problems[0].code in ("yaml-syntax", "too-deep") and loaded.problems[0].line == 1


def test_block_nesting_beyond_limit_is_too_deep(tmp_path):
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n"
    loaded = load(tmp_path, text)
    assert codes(loaded)[0][0] == "too-deep"


def test_latin1_bytes_are_located(tmp_path):
    loaded = load(tmp_path, b"a: 1\nb: caf\xe9\n")
    assert codes(loaded) == [("not-utf8", 2)] and loaded.problems[0].col == 7


def test_utf8_bom_is_accepted(tmp_path):
    assert load(tmp_path, "\ufeffa: 1\n").data == {"a": 1}


def test_tab_indentation_is_a_located_error(tmp_path):
    loaded = load(tmp_path, "a:\n\tb: 1\n")
    assert codes(loaded) == [("yaml-syntax", 2)] and "tab" in loaded.problems[0].message


@pytest.mark.parametrize("content", ["", "\n\n", "# just a comment\n"])
def test_empty_file(tmp_path, content):
    assert codes(load(tmp_path, content)) == [("empty-file", 1)]


def test_root_must_be_a_mapping(tmp_path):
    assert codes(load(tmp_path, "- a\n- b\n")) == [("root-not-mapping", 1)]
    assert codes(load(tmp_path, "just text\n")) == [("root-not-mapping", 1)]


def test_multiple_documents(tmp_path):
    assert codes(load(tmp_path, "a: 1\n---\nb: 2\n"))[0] == ("multiple-documents", 2)


def test_size_cap(tmp_path):
    loaded = load(tmp_path, "a: " + "x" * (MAX_BYTES + 10) + "\n")
    assert codes(loaded) == [("file-too-large", 1)] and loaded.data is None


def test_invisible_characters(tmp_path):
    loaded = load(tmp_path, "a: ok\nb: ab\u202ecd\nc: x\u200by\n")
    assert codes(loaded) == [("invisible-character", 2), ("invisible-character", 3)]


def test_custom_tags_refused(tmp_path):
    assert codes(load(tmp_path, "a: !!python/object:os.system x\n"))[0][0] == "yaml-tag"


def test_missing_file_is_a_problem_not_an_exception(tmp_path):
    loaded = load_jurisdiction(tmp_path / "nope.yaml")
    assert codes(loaded) == [("unreadable-file", 1)]
