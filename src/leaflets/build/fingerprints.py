"""What one output file depends on, as one sha256: the build skips a file whose fingerprint
matches the manifest's and whose bytes are intact.

A fingerprint is made of the inputs' bytes, not of the model built from them (issue 18:
`repr` of the whole render context took 40 % of a no-op build of 30,000 variants, and
needed the context built for every variant). Per variant it hashes:

* the static digest: the tool version, templates, fonts, clinic folders, the project file
  and the built-in and project wording rules (once per build);
* the rest of the content folder: every file under `content/` except leaflet files,
  shared block files and pictures (sources, reviews, alt texts...; once per build);
* the leaflet's file, the shared block files it uses, and the pictures it shows (each
  file hashed once per build);
* the variant's own small parameters (level, paper, size, clinic, format), the release
  flag, the project folder, and the review facts the leaflet prints at that level (they
  change with the date: a review falls due).

Coarser than the model (a change to a file rebuilds every leaflet that reads it, even if
the change does not touch its part of the file) but never finer: any byte a file depends
on is in its fingerprint.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from ..content.load import BLOCKS_DIR, LEAFLETS_DIR, Catalog, LoadedClinic, LoadedLeaflet
from ..render.templates import font_dirs, template_dirs
from ..review.state import ReviewSummary
from ..version import VERSION

#: Pictures are hashed per leaflet that shows them, not with the rest of the content.
PICTURE_SUFFIXES = frozenset({".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"})


class InputDigests:
    """The digests of one build's inputs, each file read and hashed at most once."""

    def __init__(self, catalog: Catalog, clinics: Iterable[LoadedClinic]) -> None:
        self.catalog = catalog
        self.static = static_digest(catalog, clinics)
        self.content = _content_digest(catalog.content_dir)
        self._files: dict[Path, str] = {}
        self._leaflets: dict[str, str] = {}

    def file(self, path: Path) -> str:
        found = self._files.get(path)
        if found is None:
            try:
                found = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                found = "missing"
            self._files[path] = found
        return found

    def leaflet(self, loaded: LoadedLeaflet) -> str:
        """The leaflet's file, the shared block files it uses and its pictures."""
        found = self._leaflets.get(loaded.leaflet.id)
        if found is None:
            digest = hashlib.sha256(str(loaded.path).encode() + b"\0")
            (_, own), *others = leaflet_inputs(self.catalog, loaded)
            digest.update(self.file(own).encode())
            for shown, path in others:
                digest.update(f"\0{shown}\0{self.file(path)}".encode())
            found = self._leaflets[loaded.leaflet.id] = digest.hexdigest()
        return found


def leaflet_inputs(catalog: Catalog, loaded: LoadedLeaflet) -> list[tuple[Path, Path]]:
    """(name as shown, file) of the leaflet's file, then the shared block files it uses,
    then the pictures it shows, each sorted (the build snapshot records the same)."""
    files, pictures = set(), set()
    for section in loaded.sections:
        for placed in section:
            if placed.location.path != loaded.path:
                files.add(placed.location.path)
            if placed.block.image is not None:
                pictures.add(placed.block.image.path)
    found = [(loaded.path, _absolute(catalog, loaded.path))]
    found += [(path, _absolute(catalog, path)) for path in sorted(files)]
    return found + [(Path(p), catalog.content_dir / p) for p in sorted(pictures)]


def _absolute(catalog: Catalog, path: Path) -> Path:
    """Content paths are shown relative to the project folder."""
    return path if path.is_absolute() else catalog.root / path


def fingerprint(
    digests: InputDigests,
    loaded: LoadedLeaflet,
    variant: object,
    review: ReviewSummary,
    release: bool,
) -> str:
    """sha256 of everything the variant's file depends on: a change anywhere rebuilds it."""
    digest = hashlib.sha256()
    for part in (
        digests.static,
        digests.content,
        str(digests.catalog.root),
        digests.leaflet(loaded),
        repr(variant),
        repr(release),
        review_key(review),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def review_key(review: ReviewSummary) -> str:
    """The review facts a leaflet prints, small: which units are pending and why, the
    dates and the reviewers (the wording itself is in the files' digests)."""
    pending = [
        (state.unit.id, state.level, state.status.value, repr(state.review))
        for state in review.pending
    ]
    return repr(
        (pending, review.reviewed_on, review.next_review, review.clinical, review.reviewers)
    )


def _content_digest(content_dir: Path) -> str:
    """Every file under `content/` but leaflet files, shared block files and pictures
    (those are hashed per leaflet that reads them)."""
    digest = hashlib.sha256()
    for path in content_files(content_dir):
        digest.update(str(path.relative_to(content_dir)).encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def content_files(content_dir: Path) -> list[Path]:
    """The files `_content_digest` hashes, sorted (the build snapshot watches the same).
    The leaflet and block folders are not walked (thousands of files in a large library)."""
    if not content_dir.is_dir():
        return []
    real = content_dir.resolve()
    skipped = {content_dir / LEAFLETS_DIR, content_dir / BLOCKS_DIR}
    found = []
    for folder, subfolders, names in os.walk(content_dir):
        here = Path(folder)
        subfolders[:] = [d for d in subfolders if here / d not in skipped]
        for name in names:
            path = here / name
            if path in skipped or path.suffix.lower() in PICTURE_SUFFIXES:
                continue
            if path.is_symlink():  # never hash a link that leads out
                if not path.resolve().is_relative_to(real) or not path.is_file():
                    continue
            elif not path.is_file():
                continue
            found.append(path)
    return sorted(found)


def static_digest(catalog: Catalog, clinics: Iterable[LoadedClinic]) -> str:
    """The tool, the fonts, the project file and every template and clinic file."""
    digest = hashlib.sha256(f"leaflets {VERSION}".encode())
    for folder, path in static_files(catalog.root, [c.folder for c in clinics]):
        digest.update(str(path.relative_to(folder)).encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    digest.update((catalog.root / "leaflets.yaml").read_bytes())
    # What the release checks read besides the content (issue 11): the built-in wording
    # rules (per language too), the jargon list, every data file the package ships.
    # Releases also re-run the checks every time.
    data = resources.files("leaflets").joinpath("data")
    for item in sorted(data.iterdir(), key=lambda item: item.name):
        if item.is_file():
            digest.update(item.name.encode("utf-8") + b"\0" + item.read_bytes())
    return digest.hexdigest()


def static_files(root: Path, clinic_folders: Iterable[Path]) -> list[tuple[Path, Path]]:
    """(folder, file) for every template, clinic and font file `static_digest` hashes."""
    found = []
    for folder in [*template_dirs(root), *clinic_folders, *font_dirs()]:
        real = folder.resolve()
        # Clinic folders are untrusted: never hash a link that leads out (issue 12).
        inside = (p for p in folder.rglob("*") if p.resolve().is_relative_to(real))
        found += [(folder, path) for path in sorted(p for p in inside if p.is_file())]
    return found
