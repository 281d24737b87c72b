"""`tfgbv fmt`: mechanical fixes that never change a value (like browser-compat-data's fixers).

- keys in the schema's order (id, level, parent, summary...; law and cell fields likewise);
- values YAML 1.1 would change are quoted (`NO`, `1.10`, unquoted dates, numeric sections);
- the `$schema` comment line first, no trailing whitespace, one final newline;
- folded texts (`notes: >-`) re-wrapped at 100 characters where a line is longer, so a diff of
  a record stays readable; a word longer than that (a URL) keeps a line of its own.

Comments are kept: the file is edited through ruamel.yaml's round-trip mode. The
result is re-read by the atlas loader and compared with the original data; if
anything differs, the file is left alone and the difference is reported.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from .loader import LoadedFile, load_text
from .problems import display_path
from .rules import SCHEMA_LINE

TOP_ORDER = ["id", "name", "level", "parent", "summary", "last_reviewed", "laws", "coverage"]
LAW_ORDER = ["id", "title", "title_en", "kind", "status", "number", "url", "language", "amends",
             "adopted", "published", "in_force", "repealed", "notes"]
CELL_ORDER = ["status", "devolved", "provisions", "sources", "verification", "notes"]
PROVISION_ORDER = ["law", "section", "added_by", "year", "until", "summary", "penalty"]
SOURCE_ORDER = ["url", "title", "accessed"]
STRING_FIELDS = {"section", "last_reviewed", "adopted", "published", "in_force", "repealed", "until", "accessed",
                 "id", "parent", "number", "fine"}
_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
LINE_WIDTH = 100
_FOLDED_HEADER = re.compile(r"^(?P<indent> *)(?:- )?(?:[^\s#'\"][^#]*?: +)?>[-+]?\d?\s*$")


@dataclass
class FmtResult:
    path: Path
    changed: bool
    new_text: str
    error: str | None = None


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap long lines
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def _reorder(node: Any, order: list[str]) -> None:
    if not isinstance(node, CommentedMap):
        return
    keys = list(node.keys())
    wanted = [k for k in order if k in node] + [k for k in keys if k not in order]
    if keys == wanted:
        return
    for pos, key in enumerate(wanted):
        if list(node.keys()).index(key) != pos:
            value = node.pop(key)
            node.insert(pos, key, value)


def _quote_strings(node: Any, surprises: set[tuple[int, int]], lines: list[str]) -> None:
    """Double-quote scalars that YAML 1.1 would read as something else, keeping the text as written."""
    if isinstance(node, CommentedMap):
        for key in list(node.keys()):
            value = node[key]
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _quote_strings(value, surprises, lines)
                continue
            line_col = None
            try:
                line, col = node.lc.value(key)
                line_col = (line + 1, col + 1)
            except (KeyError, TypeError, AttributeError):
                pass
            needs = line_col in surprises
            if key in STRING_FIELDS and not isinstance(value, str):  # a number or a date ruamel parsed
                needs = True
            if isinstance(value, str) and not hasattr(value, "style") and _DATE.match(value):
                needs = True
            if needs and not isinstance(value, DoubleQuotedScalarString):
                node[key] = DoubleQuotedScalarString(_source_text(value, line_col, lines))
    elif isinstance(node, CommentedSeq):
        for value in node:
            if isinstance(value, (CommentedMap, CommentedSeq)):
                _quote_strings(value, surprises, lines)


def _source_text(value: Any, line_col: tuple[int, int] | None, lines: list[str]) -> str:
    """The scalar exactly as written in the file (ruamel would print 1.10 back as 1.1)."""
    if line_col and 0 < line_col[0] <= len(lines):
        raw = lines[line_col[0] - 1][line_col[1] - 1:]
        raw = raw.split(" #", 1)[0].rstrip().rstrip(",}]").rstrip()
        if raw:
            return raw
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _surprise_positions(loaded: LoadedFile) -> set[tuple[int, int]]:
    return {(p.line, p.col) for p in loaded.problems if p.code in ("yaml11-boolean", "yaml11-number")}


def format_text(text: str, path: Path) -> FmtResult:
    before = load_text(text.encode("utf-8"), LoadedFile(path=path, display=display_path(path)))
    if before.data is None:
        return FmtResult(path, False, text, "cannot format a file that does not parse; run `tfgbv validate` first")
    y = _yaml()
    # ruamel reads YAML 1.2, where NO and 1.10 stay as written; the atlas loader told us where they are.
    data = y.load(text)
    _reorder(data, TOP_ORDER)
    for law in data.get("laws") or []:
        _reorder(law, LAW_ORDER)
    for cell in (data.get("coverage") or {}).values():
        _reorder(cell, CELL_ORDER)
        if isinstance(cell, CommentedMap):
            for prov in cell.get("provisions") or []:
                _reorder(prov, PROVISION_ORDER)
            for src in cell.get("sources") or []:
                _reorder(src, SOURCE_ORDER)
    _quote_strings(data, _surprise_positions(before), text.splitlines())
    buf = io.StringIO()
    y.dump(data, buf)
    lines = [line.rstrip() for line in buf.getvalue().splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or lines[0].strip() != SCHEMA_LINE:
        lines = [SCHEMA_LINE] + [ln for ln in lines if ln.strip() != SCHEMA_LINE.strip()]
    new_text = "\n".join(lines) + "\n"
    rewrapped = "\n".join(rewrap_folded(lines)) + "\n"
    if rewrapped != new_text:
        unwrapped = load_text(new_text.encode("utf-8"), LoadedFile(path=path, display=display_path(path)))
        wrapped = load_text(rewrapped.encode("utf-8"), LoadedFile(path=path, display=display_path(path)))
        if wrapped.data == unwrapped.data:  # exactly the same text, only the line breaks moved
            new_text = rewrapped
    after = load_text(new_text.encode("utf-8"), LoadedFile(path=path, display=display_path(path)))
    # Trailing blanks inside a folded text are whitespace the atlas collapses anyway; nothing else may differ.
    if _normalised(after.data) != _normalised(before.data):
        return FmtResult(path, False, text, "formatting would change a value; file left as it is (please report this)")
    return FmtResult(path, new_text != text, new_text)


def rewrap_folded(lines: list[str], width: int = LINE_WIDTH) -> list[str]:
    """Re-wrap the paragraphs of folded block scalars that have a line longer than `width`.

    Only plain paragraphs are touched: a block with a more-indented line, a tab or a double space
    (where folding is not a simple join with one space) is left exactly as it is.
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        header = _FOLDED_HEADER.match(line)
        if not header:
            continue
        end = i
        while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > len(header["indent"])):
            end += 1
        while end > i and not lines[end - 1].strip():
            end -= 1
        block = lines[i:end]
        out.extend(_rewrap_block(block, width))
        i = end
    return out


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _rewrap_block(block: list[str], width: int) -> list[str]:
    texts = [ln for ln in block if ln.strip()]
    if not texts:
        return block
    indent = _indent(texts[0])
    if any(_indent(ln) != indent or "\t" in ln or "  " in ln.strip() for ln in texts):
        return block
    out: list[str] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph and any(len(ln) > width for ln in paragraph):
            words = " ".join(ln.strip() for ln in paragraph).split(" ")
            current = " " * indent + words[0]
            for word in words[1:]:
                if len(current) + 1 + len(word) > width:
                    out.append(current)
                    current = " " * indent + word
                else:
                    current += " " + word
            out.append(current)
        else:
            out.extend(paragraph)
        paragraph.clear()

    for ln in block:
        if ln.strip():
            paragraph.append(ln)
        else:
            flush()
            out.append(ln)
    flush()
    return out


def _normalised(data: Any, key: str | None = None) -> Any:
    if isinstance(data, dict):
        return {k: _normalised(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_normalised(v, key) for v in data]
    if isinstance(data, str):
        return " ".join(data.split())
    if key in STRING_FIELDS and isinstance(data, (int, float)) and not isinstance(data, bool):
        return str(data)  # section: 22 written as "22" is the same section, now of the right type
    return data


def format_file(path: Path, *, write: bool) -> FmtResult:
    text = path.read_text(encoding="utf-8")
    result = format_text(text, path)
    if write and result.changed and not result.error:
        path.write_text(result.new_text, encoding="utf-8")
    return result
