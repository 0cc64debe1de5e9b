"""Read and write `output/manifest.json`: one entry per built file.

It lists only complete files (the build adds an entry after the file's atomic rename),
carries each file's sha256 and the fingerprint of the inputs it was built from (so an
unchanged variant is skipped), and holds no timestamps: same inputs, same manifest.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from .output import write_atomic

MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 2


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
    format: str = "pdf"
    large_print: bool = False
    clinic: str | None = None
    inputs: str = ""
    title: str = ""
    """The leaflet's title at this level (the print station lists it, issue 16)."""
    version: str = ""
    next_review: str = ""
    """ISO date of the next planned review."""
    """Fingerprint of everything the file was built from (build.fingerprint)."""

    def intact(self, out_dir: Path) -> bool:
        """The file is there, with the size and hash recorded."""
        path = out_dir / self.path
        try:
            if path.stat().st_size != self.bytes:
                return False
            return hashlib.sha256(path.read_bytes()).hexdigest() == self.sha256
        except OSError:
            return False


def read_manifest(out_dir: Path) -> dict[str, ManifestEntry]:
    """Entries of an earlier build by path; an unreadable or older manifest counts as none."""
    try:
        data = json.loads((out_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT_VERSION:
            return {}
        entries = [ManifestEntry(**entry) for entry in data["files"]]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    return {entry.path: entry for entry in entries}


def write_manifest(out_dir: Path, entries: dict[str, ManifestEntry], tool_version: str) -> Path:
    path = out_dir / MANIFEST_NAME
    document = {
        "format": FORMAT_VERSION,
        "generator": f"leaflets {tool_version}",
        "files": [asdict(entries[key]) for key in sorted(entries)],
    }
    write_atomic(path, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    return path
