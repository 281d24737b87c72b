"""Property-based tests: random mutations of every real record never crash any stage,
and a mutated record that still validates always generates pages and exports."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.export import to_csv, to_json
from generator.loader import LoadedFile, load_text
from generator.model import build_dataset
from generator.render import build_pages
from generator.rules import run_rules
from generator.validate import fast_validator, schema_problems, schema_validator

from .conftest import ROOT

RECORDS = sorted((ROOT / "laws").glob("*.yaml"))
TEXTS = {p.name: p.read_text(encoding="utf-8") for p in RECORDS}
CONFIG = {"repository": "https://github.com/example/atlas", "branch": "main", "site_url": None, "docs_dir": "docs"}
JUNK = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                 st.text(max_size=40), st.lists(st.text(max_size=5), max_size=3),
                 st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
                 st.sampled_from(["<script>alert(1)</script>", "javascript:alert(1)", "NO", "1.10", "2021-02-30",
                                  "\u202eevil", "../../etc/passwd", "{{ 7*7 }}", "--8<-- \"mkdocs.yml\""]))


def containers(node, path=()):
    yield path, node
    if isinstance(node, dict):
        for k, v in node.items():
            yield from containers(v, path + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from containers(v, path + (i,))


def run_all_stages(name: str, text: str, ref) -> None:
    """Loader → schema → rules → (if valid) model → pages → exports. Must never raise."""
    path = ROOT / "laws" / name
    loaded = load_text(text.encode("utf-8", "surrogatepass"), LoadedFile(path=path, display=f"laws/{name}"))
    if loaded.data is None:
        assert loaded.problems, "a file that does not load must say why"
        return
    fast = fast_validator(ref)
    if fast is not None:  # the compiled fast path must agree with the reference validator
        assert fast.is_valid(loaded.data) == (next(schema_validator(ref).iter_errors(loaded.data), None) is None)
    loaded.problems.extend(schema_problems(loaded, ref))
    problems = run_rules([loaded], ref)
    if loaded.ok and not problems:
        ds = build_dataset([loaded], ref)
        pages = build_pages(ds, CONFIG)
        assert f"atlas/jurisdictions/{loaded.data['id'].lower()}.md" in pages
        to_csv(ds), to_json(ds)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(TEXTS)), st.data())
def test_structural_mutations_never_crash(ref, name, data):
    record = yaml.safe_load(TEXTS[name])
    spots = [(p, n) for p, n in containers(record) if isinstance(n, (dict, list)) and n]
    path, node = data.draw(st.sampled_from(spots))
    op = data.draw(st.sampled_from(["drop", "duplicate", "retype", "reorder", "inject", "add"]))
    if isinstance(node, dict):
        key = data.draw(st.sampled_from(sorted(node, key=str)))
        if op == "drop":
            del node[key]
        elif op == "duplicate":
            node[f"{key}"] = copy.deepcopy(node[key])
        elif op == "retype":
            node[key] = data.draw(JUNK)
        elif op == "reorder":
            items = list(node.items())
            items.reverse()
            node.clear()
            node.update(items)
        elif op == "inject" and isinstance(node[key], str):
            node[key] = node[key] + data.draw(JUNK.filter(lambda v: isinstance(v, str)))
        else:
            node[data.draw(st.text(min_size=1, max_size=8))] = data.draw(JUNK)
    else:
        i = data.draw(st.integers(0, len(node) - 1))
        if op == "drop":
            node.pop(i)
        elif op in ("duplicate", "add"):
            node.append(copy.deepcopy(node[i]))
        elif op == "reorder":
            node.reverse()
        else:
            node[i] = data.draw(JUNK)
    text = "# yaml-language-server: $schema=../schema/jurisdiction.schema.json\n" + yaml.safe_dump(
        record, allow_unicode=True, sort_keys=False)
    run_all_stages(name, text, ref)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(TEXTS)), st.data())
def test_text_mutations_never_crash(ref, name, data):
    text = TEXTS[name]
    lines = text.splitlines(keepends=True)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(lines) - 1))
        op = data.draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent", "truncate", "swap"]))
        if op == "delete":
            lines.pop(i)
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, data.draw(st.text(max_size=30)) + "\n")
        elif op == "indent":
            lines[i] = "\t" + lines[i] if data.draw(st.booleans()) else "   " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "truncate":
            lines[i] = lines[i][: data.draw(st.integers(0, max(0, len(lines[i]) - 1)))]
        else:
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    run_all_stages(name, "".join(lines), ref)


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_every_real_record_runs_all_stages(ref, path):
    run_all_stages(path.name, TEXTS[path.name], ref)
