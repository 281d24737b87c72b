"""The validator: JSON Schema first, then the semantic rules in generator/rules.py.

Every problem names file:line:col, a stable code and what to do about it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .loader import LoadedFile, load_jurisdiction
from .problems import Problem
from .reference import Reference

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


def fast_validator(ref: Reference):
    """jsonschema-rs (compiled, Rust) answers "valid or not" in microseconds; only an invalid
    record goes through the Python validator, whose errors carry the paths we locate."""
    validator = getattr(ref, "_fast_validator", False)
    if validator is False:
        try:
            import jsonschema_rs

            validator = jsonschema_rs.validator_for(ref.schema)
        except ImportError:  # pragma: no cover - optional speed-up
            validator = None
        ref._fast_validator = validator  # type: ignore[attr-defined]
    return validator


def schema_validator(ref: Reference) -> Draft202012Validator:
    """One compiled validator per run, reused for every file."""
    validator = getattr(ref, "_schema_validator", None)
    if validator is None:
        # Imported here: a run where every record is valid never needs it (faster start-up).
        from jsonschema import Draft202012Validator

        Draft202012Validator.check_schema(ref.schema)
        validator = Draft202012Validator(ref.schema)
        ref._schema_validator = validator  # type: ignore[attr-defined]
    return validator


def field_path(path: Iterable[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(the record)"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "empty (null)"


_TYPE_WORDS = {"string": "text", "integer": "a whole number", "number": "a number", "array": "a list",
               "object": "a mapping of fields", "null": "empty", "boolean": "true or false"}


def schema_problems(loaded: LoadedFile, ref: Reference) -> list[Problem]:
    fast = fast_validator(ref)
    if fast is not None and fast.is_valid(loaded.data):
        return []
    problems = []
    for err in schema_validator(ref).iter_errors(loaded.data):
        path = tuple(err.absolute_path)
        where = field_path(path)
        name = path[-1] if path and isinstance(path[-1], str) else where
        v = err.validator
        if v == "additionalProperties":
            extras = sorted(set(err.instance) - set(err.schema.get("properties", {})))
            allowed = ", ".join(err.schema.get("properties", {}))
            for extra in extras:
                hint = difflib.get_close_matches(str(extra), list(err.schema.get("properties", {})), n=1)
                did = f" Did you mean `{hint[0]}`?" if hint else ""
                problems.append(loaded.problem(path + (extra,), "unknown-field",
                    f"unknown field `{extra}` in {where}.{did} Allowed here: {allowed}.", key=True))
            continue
        if v == "required":
            missing = err.message.split("'")[1] if "'" in err.message else err.message
            desc = err.schema.get("properties", {}).get(missing, {}).get("description", "")
            problems.append(loaded.problem(path, "missing-field",
                f"{where} needs the field `{missing}`" + (f" ({desc})" if desc else "") + "."))
            continue
        if v == "enum":
            allowed = [str(a) for a in err.validator_value]
            hint = difflib.get_close_matches(str(err.instance), allowed, n=1)
            did = f" Did you mean `{hint[0]}`?" if hint else ""
            problems.append(loaded.problem(path, "invalid-value",
                f"`{where}` is {err.instance!r}, which is not allowed.{did} Use one of: {', '.join(allowed)}."))
            continue
        if v == "type":
            want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
            words = " or ".join(_TYPE_WORDS.get(w, w) for w in want)
            fix = ""
            if "string" in want and isinstance(err.instance, (int, float)) and not isinstance(err.instance, bool):
                fix = f' Put it in quotes: {name}: "{err.instance}".'
            problems.append(loaded.problem(path, "wrong-type",
                f"`{where}` must be {words}, but it is {_describe(err.instance)}.{fix}"))
            continue
        if v == "pattern" and name == "url":
            problems.append(loaded.problem(path, "insecure-url",
                f"`{where}` must be an https:// address (found {str(err.instance)[:80]!r}). "
                "Use the https version of the page; the atlas never links to other schemes."))
            continue
        if v == "pattern":
            desc = err.schema.get("description", "")
            problems.append(loaded.problem(path, "invalid-format",
                f"`{where}` has an invalid format ({str(err.instance)[:80]!r}). {desc}".strip()))
            continue
        if v in ("minLength", "maxLength", "minimum", "maximum", "minItems", "uniqueItems"):
            problems.append(loaded.problem(path, "out-of-range",
                f"`{where}`: {err.message[:200]}. {err.schema.get('description', '')}".strip()))
            continue
        problems.append(loaded.problem(path, "schema", f"`{where}`: {err.message[:300]}"))
    return problems


@dataclass
class ValidationResult:
    files: list[LoadedFile]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


def record_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their *.yaml files (sorted); keep files as given."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(p.glob("*.yaml")))
        else:
            out.append(p)
    return out


def validate_files(paths: Iterable[Path], ref: Reference) -> ValidationResult:
    from .rules import run_rules

    files = [load_jurisdiction(p, keep_marks=False) for p in record_files(paths)]
    problems: list[Problem] = []
    for f in files:
        problems.extend(f.problems)
        if f.data is None:
            continue
        schema = schema_problems(f, ref)
        problems.extend(schema)
        f.problems.extend(schema)
    problems.extend(run_rules(files, ref))
    return ValidationResult(files, sorted(set(problems)))
