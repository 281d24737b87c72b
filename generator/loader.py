"""The loader: the only code that reads YAML.

It turns a record file into plain Python data plus the line and column of every
node, and reports instead of swallowing what YAML would silently change:
YAML 1.1 booleans (`NO`, `on`), numbers that lose digits (`1.10`), octal and
sexagesimal numbers, duplicate keys, anchors and aliases. Every failure becomes
a located Problem; nothing here raises on bad input.

It walks the parser's event stream (libyaml's C parser when present) and builds
the tree itself with an explicit stack, so deep nesting cannot overflow Python's
recursion and aliases can be refused before anything is expanded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .problems import Problem, display_path

try:  # libyaml's C parser: same events, several times faster.
    from yaml import CSafeLoader as _EventLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _EventLoader

MAX_BYTES = 2 * 1024 * 1024  # a large real record is ~100 KB
MAX_DEPTH = 40  # real records nest 6 deep

Path_ = tuple  # a path into the data: keys and list indices

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE_FALSE = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
# y/n are YAML 1.1 booleans on paper, but PyYAML and most tools leave them alone.
_YAML11_BOOL = re.compile(r"^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$")
_INT = re.compile(r"^[-+]?(0|[1-9][0-9]*)$")
_YAML11_INT = re.compile(
    r"^([-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+|[-+]?[0-9][0-9_]*_[0-9_]*)$"
)
_FLOAT = re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?$")
_FLOAT_SPECIAL = re.compile(r"^([-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]*)$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$")
# First characters of every plain scalar that YAML 1.1 or 1.2 reads as other than text (nulls,
# booleans, numbers); the empty string is null. Anything else is text whatever follows.
_MAY_RESOLVE = frozenset("-+.0123456789~nNtTfFyYoO") | {""}
# Characters that make text read differently from how it is stored.
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass
class LoadedFile:
    path: Path
    display: str
    text: str = ""
    data: Any = None
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Positions of every node are only needed to report a problem, which most files never have:
    # the first read skips them and the first question about a position reads the text again.
    marks_loaded: bool = True

    def _ensure_marks(self) -> None:
        if not self.marks_loaded and self.text:
            shadow = LoadedFile(path=self.path, display=self.display)
            try:
                _build(self.text, shadow, keep_marks=True)
            except (_Abort, yaml.YAMLError):
                pass
            self.marks, self.key_marks = shadow.marks, shadow.key_marks
        self.marks_loaded = True

    def mark(self, path: Path_) -> tuple[int, int]:
        """Line and column of the node at path, or of its nearest existing ancestor."""
        self._ensure_marks()
        path = tuple(path)
        while path and path not in self.marks:
            path = path[:-1]
        return self.marks.get(path, (1, 1))

    def key_mark(self, path: Path_) -> tuple[int, int]:
        self._ensure_marks()
        path = tuple(path)
        return self.key_marks.get(path) or self.mark(path)

    def problem(self, path: Path_, code: str, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, col = self.key_mark(path) if key else self.mark(path)
        return Problem(self.display, line, col, code, message, severity)

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)


class _Abort(Exception):
    """Stop building the tree: the problem is already recorded."""


def load_jurisdiction(path: Path | str, *, display: str | None = None, keep_marks: bool = True) -> LoadedFile:
    """Read one record file; never raises on bad content."""
    path = Path(path)
    loaded = LoadedFile(path=path, display=display or display_path(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            loaded.problems.append(Problem(loaded.display, 1, 1, "file-too-large",
                f"file is {size:,} bytes; records are capped at {MAX_BYTES:,} bytes. "
                "Split very long notes or check that the file is really a record."))
            return loaded
        raw = path.read_bytes()
    except OSError as err:
        loaded.problems.append(Problem(loaded.display, 1, 1, "unreadable-file",
                                       f"cannot read the file ({err.strerror or err}); check the path and permissions."))
        return loaded
    return load_text(raw, loaded, keep_marks=keep_marks)


def load_text(raw: bytes, loaded: LoadedFile, *, keep_marks: bool = True) -> LoadedFile:
    if len(raw) > MAX_BYTES:
        loaded.problems.append(Problem(loaded.display, 1, 1, "file-too-large",
            f"file is {len(raw):,} bytes; records are capped at {MAX_BYTES:,} bytes."))
        return loaded
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        col = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        loaded.problems.append(Problem(loaded.display, line, col, "not-utf8",
            f"byte 0x{raw[err.start]:02x} is not valid UTF-8; save the file as UTF-8 "
            "(in most editors: 'Save with encoding' > UTF-8)."))
        return loaded
    if text.startswith("\ufeff"):
        text = text[1:]  # a UTF-8 byte-order mark is harmless
    loaded.text = text
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        loaded.problems.append(Problem(loaded.display, 1, 1, "empty-file",
            "the file holds no record; start from `tfgbv new CODE` to get a valid skeleton."))
        return loaded
    _check_invisible(text, loaded)
    try:
        _build(text, loaded, keep_marks=keep_marks)
    except _Abort:
        loaded.data = None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = err.problem or "invalid YAML"
        if "\t" in (text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""):
            hint = "YAML does not allow tabs for indentation; indent with spaces."
        else:
            hint = "check indentation, colons and quotes on this line or the one before."
        context = f" ({err.context})" if err.context else ""
        loaded.problems.append(Problem(loaded.display, line, col, "yaml-syntax", f"{what}{context}: {hint}"))
        loaded.data = None
    except yaml.reader.ReaderError as err:  # a character YAML does not allow (control characters)
        line = text.count("\n", 0, err.position) + 1
        col = err.position - (text.rfind("\n", 0, err.position) + 1) + 1
        loaded.problems.append(Problem(loaded.display, line, col, "yaml-syntax",
            f"character U+{err.character if isinstance(err.character, int) else ord(err.character):04X} is not allowed "
            "in YAML; delete it (it is usually invisible, pasted from another program)."))
        loaded.data = None
    except yaml.YAMLError as err:  # unlocated parser error
        loaded.problems.append(Problem(loaded.display, 1, 1, "yaml-syntax", f"invalid YAML: {err}"))
        loaded.data = None
    except (RecursionError, MemoryError, ValueError) as err:  # belt and braces: never a traceback
        loaded.problems.append(Problem(loaded.display, 1, 1, "yaml-syntax",
                                       f"the parser gave up ({type(err).__name__}); simplify the file."))
        loaded.data = None
    if loaded.data is not None and not isinstance(loaded.data, dict):
        loaded.problems.append(Problem(loaded.display, *loaded.mark(()), "root-not-mapping",
            "a record is a mapping of fields (id:, level:, laws:, coverage: ...); "
            "see laws/nz.yaml for the shape or run `tfgbv new CODE`."))
        loaded.data = None
    return loaded


def _check_invisible(text: str, loaded: LoadedFile) -> None:
    if not _INVISIBLE.search(text):  # the usual case: one scan of the whole text
        return
    for n, line in enumerate(text.splitlines(), 1):
        m = _INVISIBLE.search(line)
        if m:
            loaded.problems.append(Problem(loaded.display, n, m.start() + 1, "invisible-character",
                f"invisible character U+{ord(m.group()):04X} (it can make text read differently "
                "from what is stored); delete it."))


def _scalar(ev: Any, loaded: LoadedFile, *, is_key: bool = False) -> Any:
    value: str = ev.value
    line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
    if ev.tag not in (None, "!", "tag:yaml.org,2002:str"):
        loaded.problems.append(Problem(loaded.display, line, col, "yaml-tag",
            f"YAML tag {ev.tag!r} is not allowed in records; remove it and quote the value."))
        return value
    if ev.style or ev.tag is not None:  # quoted, block or explicitly tagged: a string (plain style is None or '')
        return value
    if value[:1] not in _MAY_RESOLVE:  # most plain text: no YAML type starts with this character
        return value
    if is_key:
        if _YAML11_BOOL.match(value) or value in _TRUE_FALSE:
            loaded.problems.append(Problem(loaded.display, line, col, "yaml11-boolean",
                f"the key {value} would be read as a boolean by YAML 1.1 tools; quote it: \"{value}\":"))
        return value
    if value in _NULL:
        return None
    if value in _TRUE_FALSE:
        return _TRUE_FALSE[value]
    if _YAML11_BOOL.match(value):
        loaded.problems.append(Problem(loaded.display, line, col, "yaml11-boolean",
            f"unquoted {value} is read as the boolean {value.lower() in ('yes', 'on')} by YAML 1.1 "
            f"tools (PyYAML, many editors); quote it to keep the text: \"{value}\"."))
        return value
    if _INT.match(value):
        return int(value)
    if _YAML11_INT.match(value):
        loaded.problems.append(Problem(loaded.display, line, col, "yaml11-number",
            f"unquoted {value} is read as a different number by YAML 1.1 tools (octal, base-60 or "
            f"with underscores); quote it if it is text (\"{value}\") or write a plain number."))
        return value
    if _FLOAT_SPECIAL.match(value):
        loaded.problems.append(Problem(loaded.display, line, col, "yaml11-number",
            f"unquoted {value} is read as a special number; quote it: \"{value}\"."))
        return value
    if _FLOAT.match(value) and any(ch.isdigit() for ch in value):
        number = float(value.replace("_", ""))
        if repr(number) != value:
            loaded.problems.append(Problem(loaded.display, line, col, "yaml11-number",
                f"unquoted {value} is read as the number {number!r} and loses how it was written; "
                f"quote it if it is a section or version (\"{value}\"), or write {number!r}."))
            return value
        return number
    # Unquoted dates stay text: every date field is a string, so nothing is lost.
    return value


_SCALAR, _MAP_START, _SEQ_START = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
_CLOSE = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def _build(text: str, loaded: LoadedFile, *, keep_marks: bool = True) -> None:
    loaded.marks_loaded = keep_marks
    parser = _EventLoader(text)
    check_event, get_event = parser.check_event, parser.get_event
    try:
        # Frames: [container, path, pending_key, seen_keys]. Paths into the data are only
        # needed for positions; without keep_marks every frame gets the root path ().
        stack: list[list[Any]] = []
        root: Any = None
        documents = 0
        while check_event():
            ev = get_event()
            kind = type(ev)  # the parser makes exactly these classes: compare by identity (hot loop)
            if kind in _CLOSE:
                frame = stack.pop()
                _attach(stack, frame[0])
                if not stack:
                    root = frame[0]
                continue
            if kind is not _SCALAR and kind is not _MAP_START and kind is not _SEQ_START:
                if kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        loaded.problems.append(Problem(loaded.display, ev.start_mark.line + 1,
                            ev.start_mark.column + 1, "multiple-documents",
                            "a record file holds one YAML document; remove the extra `---`."))
                        raise _Abort
                elif kind is yaml.AliasEvent:
                    loaded.problems.append(Problem(loaded.display, ev.start_mark.line + 1, ev.start_mark.column + 1,
                        "yaml-alias", f"aliases (*{ev.anchor}) are not allowed in records; write the value out in full."))
                    raise _Abort
                continue  # stream and document boundaries
            line, col = ev.start_mark.line + 1, ev.start_mark.column + 1
            if ev.anchor:
                loaded.problems.append(Problem(loaded.display, line, col, "yaml-anchor",
                    f"anchors (&{ev.anchor}) are not allowed in records; write values out in full."))
                raise _Abort
            # Where this node goes: a key of the parent mapping, a value, or a list item.
            path: Path_ = ()
            if stack:
                parent = stack[-1]
                if type(parent[0]) is dict:
                    if parent[2] is _NO_KEY:  # this node is a key
                        if kind is not _SCALAR:
                            loaded.problems.append(Problem(loaded.display, line, col, "yaml-complex-key",
                                "mapping keys must be plain names; remove the `?` or brackets."))
                            raise _Abort
                        key = _scalar(ev, loaded, is_key=True)
                        if key == "<<":
                            loaded.problems.append(Problem(loaded.display, line, col, "yaml-merge-key",
                                "merge keys (<<) are not allowed in records; write the fields out in full."))
                            raise _Abort
                        if key in parent[3]:
                            first = parent[3][key]
                            loaded.problems.append(Problem(loaded.display, line, col, "duplicate-key",
                                f"duplicate key {key!r} (first at line {first[0]}); YAML would silently keep "
                                "only the last one. Merge the two entries."))
                        else:
                            parent[3][key] = (line, col)
                        parent[2] = key
                        if keep_marks:
                            loaded.key_marks[parent[1] + (key,)] = (line, col)
                        continue
                    if keep_marks:
                        path = parent[1] + (parent[2],)
                elif keep_marks:
                    path = parent[1] + (len(parent[0]),)
            if keep_marks or not stack:
                loaded.marks[path] = (line, col)
            if kind is _SCALAR:
                value = _scalar(ev, loaded)
                _attach(stack, value)
                if not stack:
                    root = value
            else:
                if ev.tag is not None and ev.tag not in ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                    loaded.problems.append(Problem(loaded.display, line, col, "yaml-tag",
                        f"YAML tag {ev.tag!r} is not allowed in records; remove it."))
                    raise _Abort
                if len(stack) >= MAX_DEPTH:
                    loaded.problems.append(Problem(loaded.display, line, col, "too-deep",
                        f"nesting deeper than {MAX_DEPTH} levels; records are at most about 6 deep. "
                        "Check for unbalanced brackets."))
                    raise _Abort
                stack.append([{} if kind is _MAP_START else [], path, _NO_KEY, {}])
        loaded.data = root
    finally:
        parser.dispose()


class _NoKey:
    pass


_NO_KEY = _NoKey()


def _attach(stack: list[list[Any]], value: Any) -> None:
    if not stack:
        return
    parent = stack[-1]
    if type(parent[0]) is dict:
        parent[0][parent[2]] = value
        parent[2] = _NO_KEY
    else:
        parent[0].append(value)


def record_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their *.yaml files (sorted); keep files as given. Which files are
    records is decided here only: the validator reads them, site.py hashes them."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(p.glob("*.yaml")))
        else:
            out.append(p)
    return out
