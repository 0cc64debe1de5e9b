"""Paths from the command line -> the project root and which leaflet files to read.

The CLI passes what the writer typed (`--project DIR` and/or leaflet files or folders); this
module decides what they mean, so every command (and preview, and tests) reads paths alike.
Raises `UsageError` for paths that do not exist, span projects or are not leaflet files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Location, Problem, UsageError
from .load import CONTENT_DIR, LEAFLETS_DIR, find_project_root


@dataclass(frozen=True)
class Selection:
    """A project and, when files or sub-folders were named, the leaflet files to read."""

    root: Path
    """The project folder (holding leaflets.yaml)."""
    only: list[Path] | None
    """The leaflet files chosen, or None for every leaflet of the project."""


def select(paths: Sequence[Path] = (), project: Path | None = None) -> Selection:
    """The project around `project` (or the paths, or the current folder) and its files."""
    missing = [p for p in (*paths, *([project] if project else [])) if not p.exists()]
    if missing:
        raise UsageError([Problem(Location(p), "no such file or folder") for p in missing])
    if not paths:
        return Selection(find_project_root(project or Path.cwd()), None)
    roots = {find_project_root(p) for p in paths}
    if project is not None:
        roots.add(find_project_root(project))
    if len(roots) > 1:
        raise UsageError(
            Problem(
                Location(paths[0]),
                "the paths belong to different projects",
                "build one project at a time",
            )
        )
    root = roots.pop()
    if any(p.resolve() == root for p in paths):
        return Selection(root, None)
    files: list[Path] = []
    for p in paths:
        files.extend(sorted(p.resolve().rglob("*.yaml")) if p.is_dir() else [p.resolve()])
    leaflet_dir = root / CONTENT_DIR / LEAFLETS_DIR
    outside = [f for f in files if not f.is_relative_to(leaflet_dir)]
    if outside:
        raise UsageError(
            Problem(
                Location(outside[0]),
                "not a leaflet file",
                f"leaflet files live in {leaflet_dir.relative_to(root)}/",
            )
        )
    return Selection(root, files)


def project_root(project: Path | None = None) -> Path:
    """The project around `project`, or around the current folder."""
    if project is not None and not project.exists():
        raise UsageError(Problem(Location(project), "no such file or folder"))
    return find_project_root(project or Path.cwd())
