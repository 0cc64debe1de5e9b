"""Read and write `output/manifest.json`: one entry per built file, written last.

The manifest is what CI and clinics read to know what was built; it holds no
timestamps, so the same inputs give the same manifest.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .pdf import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ManifestEntry:
    leaflet: str
    level: str
    paper: str
    language: str
    path: str
    """Relative to the output folder, with forward slashes."""
    pages: int
    sha256: str
    bytes: int

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.leaflet, self.level, self.paper)


def read_manifest(out_dir: Path) -> list[ManifestEntry]:
    """Entries of an earlier build; an unreadable manifest counts as none."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        return [ManifestEntry(**entry) for entry in data["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def merge(
    previous: list[ManifestEntry], built: list[ManifestEntry], out_dir: Path
) -> list[ManifestEntry]:
    """This run's entries, plus earlier ones that were not rebuilt and still exist."""
    fresh = {entry.key for entry in built}
    kept = [e for e in previous if e.key not in fresh and (out_dir / e.path).is_file()]
    return sorted(kept + built, key=lambda e: e.key)


def write_manifest(out_dir: Path, entries: list[ManifestEntry], tool_version: str) -> Path:
    path = out_dir / MANIFEST_NAME
    document = {
        "format": FORMAT_VERSION,
        "generator": f"leaflets {tool_version}",
        "files": [asdict(entry) for entry in entries],
    }
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path
