from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.reference import load_reference

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(scope="session")
def ref():
    return load_reference(ROOT)


@pytest.fixture
def fixture_dataset(tmp_path: Path) -> Path:
    """A writable copy of the small fictional dataset (GB, GB-SCT, FR)."""
    target = tmp_path / "laws"
    shutil.copytree(FIXTURES / "dataset", target)
    return target
