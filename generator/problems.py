"""Problems: what the loader and the validator report, and how they are printed."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    col: int
    code: str
    message: str
    severity: str = "error"  # error | warning

    def located(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


def display_path(path: Path | str) -> str:
    """A path as contributors know it: relative to the working directory when possible."""
    p = Path(path)
    try:
        return p.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def _github_escape(text: str, *, prop: bool = False) -> str:
    # Workflow-command escaping as documented for ::error (data and properties differ).
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def format_text(problems: list[Problem], files_checked: int) -> str:
    if not problems:
        return f"{files_checked} file(s) checked: no problems.\n"
    out: list[str] = []
    by_file: dict[str, list[Problem]] = {}
    for p in sorted(problems):
        by_file.setdefault(p.file, []).append(p)
    for file, items in by_file.items():
        out.append(file)
        for p in items:
            out.append(f"  {p.located()}: {p.severity} [{p.code}] {p.message}")
        out.append("")
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = len(problems) - errors
    out.append(
        f"{files_checked} file(s) checked: {errors} error(s), {warnings} warning(s) "
        f"in {len(by_file)} file(s)."
    )
    return "\n".join(out) + "\n"


def format_github(problems: list[Problem], files_checked: int) -> str:
    lines = []
    for p in sorted(problems):
        kind = "error" if p.severity == "error" else "warning"
        lines.append(
            f"::{kind} file={_github_escape(p.file, prop=True)},line={p.line},col={p.col},"
            f"title={_github_escape(p.code, prop=True)}::{_github_escape(p.message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(problems: list[Problem], files_checked: int) -> str:
    return json.dumps(
        {"files_checked": files_checked, "problems": [asdict(p) for p in sorted(problems)]},
        indent=2,
        ensure_ascii=False,
    ) + "\n"


FORMATTERS = {"text": format_text, "github": format_github, "json": format_json}
