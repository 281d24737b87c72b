"""Site orchestration: validate → model → generate pages → MkDocs or Zensical build."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from . import cache as _cache
from .loader import load_jurisdiction as load_yaml_file
from .loader import record_files

# The validator, model and renderer are imported where they are used, so that a run with
# nothing to do (see generate_site) does not pay for importing them.


class SiteBuildError(Exception):
    """Bad data or a failed build: the message is what the contributor needs to read."""


def site_config(root: Path) -> dict[str, Any]:
    loaded = load_yaml_file(root / "mkdocs.yml")
    if not loaded.ok or not isinstance(loaded.data, dict):
        problems = "; ".join(f"{p.located()}: {p.message}" for p in loaded.problems)
        raise SiteBuildError(f"mkdocs.yml cannot be read: {problems}")
    atlas = (loaded.data.get("extra") or {}).get("atlas") or {}
    return {
        "repository": atlas.get("repository", "https://github.com/tfgbv-law-atlas/atlas").rstrip("/"),
        "branch": atlas.get("branch", "main"),
        "site_url": loaded.data.get("site_url"),
        "docs_dir": loaded.data.get("docs_dir", "docs"),
    }


def _generate_site(root: Path, laws_dir: Path | None = None, base: str | None = None) -> list[Path]:
    from .model import build_dataset
    from .problems import format_text
    from .reference import ReferenceError, load_reference
    from .render import PageMemo, generate
    from .validate import validate_files

    try:
        ref = load_reference(root)
    except ReferenceError as err:
        raise SiteBuildError(str(err)) from None
    result = validate_files([laws_dir or root / "laws"], ref)
    if not result.ok:
        raise SiteBuildError("the records have problems; fix them and build again:\n"
                             + format_text(result.problems, len(result.files)))
    config = site_config(root)
    ds = build_dataset(result.files, ref)
    memo = PageMemo(root, base) if base is not None else None
    return generate(ds, root / config["docs_dir"], config, memo)


def generate_site(root: Path, laws_dir: Path | None = None) -> list[Path]:
    """Validate laws/ and write the generated pages into docs/atlas/. Raises SiteBuildError on bad data.

    When nothing the pages are made from has changed since the last successful run (records,
    schema/, the generator's code and templates, mkdocs.yml, library versions, today's date) and
    the generated files are still exactly as that run left them, there is nothing to do: this is
    what makes `tfgbv build` (which generates, then runs MkDocs, whose hook generates again) and
    repeated builds cheap. Any doubt means a full run.
    """
    laws = laws_dir or root / "laws"
    base = _base_digest(root)
    digest = _inputs_digest(base, laws)
    docs = _docs_out(root)
    if digest is not None and docs is not None:
        previous = _cache.load_json(root, "generated", digest)
        if isinstance(previous, dict) and previous == _snapshot(docs):
            return []
    written = _generate_site(root, laws_dir, base)
    if digest is not None and docs is not None:
        _cache.store_json(root, "generated", digest, _snapshot(docs))
    return written


_GENERATOR = Path(__file__).resolve().parent
GENERATED = "atlas"  # render.OUT, repeated so that a run with nothing to do need not import the renderer
_LIBRARIES = ("jinja2", "markupsafe", "pyyaml", "jsonschema-rs", "pycountry", "babel")


def _base_digest(root: Path) -> str | None:
    """A hash of everything generation reads except the records; None when something cannot be read."""
    h = hashlib.sha256(f"{dt.date.today().isoformat()}|{sys.version}".encode())
    for name in _LIBRARIES:
        try:
            h.update(f"|{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"|{name}=-".encode())
    try:
        files = [root / "mkdocs.yml"]
        files += sorted(p for p in (root / "schema").rglob("*") if p.is_file())
        files += sorted(p for p in _GENERATOR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
        for path in files:
            h.update(b"\0" + str(path).encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _inputs_digest(base: str | None, laws: Path) -> str | None:
    """`base` plus the records: a hash of everything generation reads; None (no shortcut) when
    something cannot be read."""
    if base is None:
        return None
    h = hashlib.sha256(base.encode())
    try:
        for path in record_files([laws]):
            h.update(b"\0" + str(path).encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return h.hexdigest()


def _docs_out(root: Path) -> Path | None:
    try:
        return root / site_config(root)["docs_dir"] / GENERATED
    except SiteBuildError:
        return None


def _snapshot(folder: Path) -> dict[str, list[int]]:
    """Size and modification time of every generated file: a hand edit or deletion shows up here."""
    out: dict[str, list[int]] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                out[path.relative_to(folder).as_posix()] = [st.st_size, st.st_mtime_ns]
    return out


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner: see docs/about.md
    return env


def _tool(name: str) -> str:
    """The console script next to this Python (the project's venv), else on PATH."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


def build_site(root: Path, engine: str = "mkdocs", site_dir: Path | None = None) -> Path:
    generate_site(root)
    target = site_dir or root / ("site" if engine == "mkdocs" else "site-zensical")
    if engine == "mkdocs":
        cmd = [_tool("mkdocs"), "build", "--strict", "--clean", "--site-dir", str(target)]
    elif engine == "zensical":
        # Zensical takes site_dir from the config only: build from the same mkdocs.yml
        # with just that line changed, in a temporary file beside it.
        text = (root / "mkdocs.yml").read_text(encoding="utf-8")
        temp = root / ".zensical-build.yml"
        temp.write_text(text.replace("\nsite_dir: site\n", f"\nsite_dir: {target.resolve()}\n"), encoding="utf-8")
        cmd = [_tool("zensical"), "build", "--clean", "--config-file", str(temp)]
    else:
        raise SiteBuildError(f"unknown engine {engine!r}: use mkdocs or zensical")
    try:
        proc = subprocess.run(cmd, cwd=root, env=_env(), capture_output=True, text=True)
    finally:
        if engine == "zensical":
            (root / ".zensical-build.yml").unlink(missing_ok=True)
    if proc.returncode != 0:
        raise SiteBuildError(f"{engine} build failed:\n{proc.stdout}{proc.stderr}")
    from .csp import apply_csp

    apply_csp(target)
    return target
