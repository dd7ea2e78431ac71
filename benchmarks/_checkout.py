"""A git worktree of an earlier commit, for the benchmarks' ``--before REV`` runs."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@contextmanager
def checkout(rev: str | None) -> Iterator[str | None]:
    """A temporary git worktree of ``rev`` (None: no worktree), removed afterwards."""
    if not rev:
        yield None
        return
    folder = tempfile.mkdtemp(prefix="sp-bench-before-")
    subprocess.run(["git", "worktree", "add", "--detach", folder, rev], cwd=REPO,
                   check=True, capture_output=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", folder], cwd=REPO,
                       check=False, capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
