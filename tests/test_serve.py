"""`tfgbv serve`: editing a record regenerates the pages and the preview shows the change."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import FIXTURES, ROOT
from .sitekit import make_root

pytestmark = pytest.mark.site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as r:  # noqa: S310 - loopback only
        return r.read().decode("utf-8")


def wait_for(predicate, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError("timed out")


def test_serve_reloads_after_a_record_changes(tmp_path):
    root = make_root(tmp_path, FIXTURES / "dataset")
    port = free_port()
    env = {**os.environ, "TFGBV_ROOT": str(root), "NO_MKDOCS_2_WARNING": "1"}
    bin_dir = Path(sys.executable).parent
    proc = subprocess.Popen([str(bin_dir / "tfgbv"), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}/atlas/atlas/jurisdictions/fr/"  # site_url mounts the preview at /atlas/
        assert "Fixture EU member" in wait_for(lambda: fetch(url))
        record = root / "laws" / "fr.yaml"
        record.write_text(record.read_text().replace("Fixture EU member", "Edited summary"))
        assert wait_for(lambda: "Edited summary" in fetch(url))
        time.sleep(3)  # no rebuild loop: generated files are rewritten only when they change
        mtime = (root / "docs" / "atlas" / "matrix.md").stat().st_mtime
        time.sleep(3)
        assert (root / "docs" / "atlas" / "matrix.md").stat().st_mtime == mtime
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def test_generated_pages_are_gitignored():
    proc = subprocess.run(["git", "check-ignore", "-q", "docs/atlas/matrix.md"], cwd=ROOT)
    assert proc.returncode == 0
