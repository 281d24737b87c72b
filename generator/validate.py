"""The validator: JSON Schema first, then the semantic rules in generator/rules.py.

Every problem names file:line:col, a stable code and what to do about it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from . import cache as _cache
from .loader import MAX_BYTES, LoadedFile, load_jurisdiction, record_files
from .problems import Problem, display_path
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


class _RecordCache:
    """Reuse the parsed data of a record file whose bytes have not changed since a run in which it
    passed the loader and the schema with no problem at all (see cache.py). Only files inside the
    project are cached; files elsewhere (temporary folders, benchmarks) are always read afresh.
    The cross-file rules always run, on every file. A cached file has no positions: the first
    problem a rule reports on it reads the text again to locate it, exactly as for a fresh one."""

    NAME = "records"

    def __init__(self, ref: Reference) -> None:
        self.root = Path(ref.root).resolve()
        self.entries: dict[str, list[Any]] | None = None
        self.changed = False
        if _cache.cache_dir(self.root) is None:
            return
        here = Path(__file__).parent
        try:
            import jsonschema_rs

            fast = getattr(jsonschema_rs, "__version__", "?")
        except ImportError:  # pragma: no cover - optional speed-up
            fast = "-"
        schema = json.dumps(ref.schema, sort_keys=True, ensure_ascii=False)
        self.salt = _cache.key(here / "loader.py", here / "validate.py", extra=f"{fast}|{schema}")
        stored = _cache.load_json(self.root, self.NAME, self.salt)
        self.entries = stored if isinstance(stored, dict) else {}

    def _name(self, path: Path) -> str | None:
        if self.entries is None:
            return None
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (OSError, ValueError):
            return None

    def get(self, path: Path) -> tuple[LoadedFile | None, str | None, str | None]:
        """(the file from the cache or None, its cache name, the digest of its bytes)."""
        name = self._name(path)
        if name is None:
            return None, None, None
        try:
            if path.stat().st_size > MAX_BYTES:
                return None, None, None
            raw = path.read_bytes()
            text = raw.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None, None, None
        digest = hashlib.sha256(raw).hexdigest()
        entry = self.entries.get(name) if self.entries else None
        if not (isinstance(entry, list) and len(entry) == 2 and entry[0] == digest and isinstance(entry[1], dict)):
            return None, name, digest
        if text.startswith("\ufeff"):
            text = text[1:]
        loaded = LoadedFile(path=path, display=display_path(path), text=text, data=entry[1], marks_loaded=False)
        return loaded, name, digest

    def put(self, name: str | None, digest: str | None, loaded: LoadedFile) -> None:
        if self.entries is None or name is None or digest is None:
            return
        if loaded.problems or not isinstance(loaded.data, dict):
            if self.entries.pop(name, None) is not None:
                self.changed = True
            return
        self.entries[name] = [digest, loaded.data]
        self.changed = True

    def save(self) -> None:
        if self.entries is None or not self.changed:
            return
        # Forget files that are gone, so the cache never outgrows the project.
        self.entries = {n: e for n, e in self.entries.items() if (self.root / n).is_file()}
        _cache.store_json(self.root, self.NAME, self.salt, self.entries)


def validate_files(paths: Iterable[Path], ref: Reference) -> ValidationResult:
    from .rules import run_rules

    store = _RecordCache(ref)
    files: list[LoadedFile] = []
    problems: list[Problem] = []
    for path in record_files(paths):
        f, name, digest = store.get(path)
        if f is None:
            f = load_jurisdiction(path, keep_marks=False)
            if f.data is not None:
                f.problems.extend(schema_problems(f, ref))
            store.put(name, digest, f)
        files.append(f)
        problems.extend(f.problems)
    problems.extend(run_rules(files, ref))
    store.save()
    return ValidationResult(files, sorted(set(problems)))
