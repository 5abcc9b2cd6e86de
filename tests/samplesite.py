"""The sample site (config.yaml, content/, static/ at the top of the repository) built by the
real command into a copy, as `make run` builds it, at a fixed instant: for the tests that
read it back (test_sample_site.py) and pin it (test_sample_golden.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-26T12:00:00Z"


def build_sample(root: Path) -> Path:
    """Copy the sample site into `root`, build it with `feeds build --now NOW`, and return
    its output folder; the build must exit 0 with no problem."""
    shutil.copy(ROOT / "config.yaml", root / "config.yaml")
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "static", root / "static")
    done = subprocess.run(
        [sys.executable, "-m", "feeds", "build", "--config", "config.yaml", "--now", NOW],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "0 errors, 0 warnings" in done.stdout  # the sample site builds with no problem
    return root / "public"
