"""A small on-disk cache: the compiled page templates, the parsed data of unchanged,
problem-free record files (validate.py), the fingerprint of the last successful generation
(site.py) and the jurisdiction pages and data-file parts it made (render.PageMemo, one file
each in `pages/`).

Entries are keyed by a hash of the files they were made from (including the code that
makes them), so a stale entry is never used; a missing, unreadable or corrupt entry is
simply made again. The folder is `.cache/tfgbv/` at the project root (gitignored),
or `$TFGBV_CACHE_DIR`; set `TFGBV_CACHE_DIR=off` to switch caching off. Deleting the
folder is always safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FORMAT = "1"  # bump when the shape of a cached value changes


def cache_dir(root: Path) -> Path | None:
    """The cache folder, created if needed; None when caching is off or impossible."""
    setting = os.environ.get("TFGBV_CACHE_DIR")
    if setting is not None and setting.strip().lower() in ("", "0", "off", "no", "false"):
        return None
    folder = Path(setting) if setting else root / ".cache" / "tfgbv"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder


def key(*sources: Path, extra: str = "") -> str:
    """A hash of the named files' bytes (name the code that makes the value too) and `extra`."""
    h = hashlib.sha256(f"{FORMAT}|{extra}".encode())
    for source in sources:
        h.update(b"\0" + source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:32]


def load_json(root: Path, name: str, digest: str) -> Any | None:
    folder = cache_dir(root)
    if folder is None:
        return None
    try:
        entry = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("key") != digest:
        return None
    return entry.get("value")


def store_json(root: Path, name: str, digest: str, value: Any) -> None:
    """Write atomically (temporary file, then rename) so a parallel run never reads half a file."""
    folder = cache_dir(root)
    if folder is None:
        return
    try:
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, prefix=name, suffix=".tmp",
                                         delete=False) as fh:
            # json.dumps, not json.dump: only the one-shot form uses the C encoder (several times faster).
            fh.write(json.dumps({"key": digest, "value": value}, ensure_ascii=False, separators=(",", ":")))
        os.replace(fh.name, folder / f"{name}.json")
    except OSError:
        try:
            os.unlink(fh.name)
        except (OSError, NameError):
            pass
