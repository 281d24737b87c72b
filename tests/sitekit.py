"""Helpers for tests that build the site in a throwaway copy of the project."""

from __future__ import annotations

import shutil
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def make_root(tmp: Path, laws: Path) -> Path:
    """A project copy whose laws/ is `laws`: schema and generator linked, docs copied without docs/atlas."""
    root = tmp / "project"
    root.mkdir()
    (root / "schema").symlink_to(ROOT / "schema")
    (root / "generator").symlink_to(ROOT / "generator")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("atlas"))
    shutil.copytree(laws, root / "laws")
    return root


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


def serve(directory: Path) -> tuple[str, ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
