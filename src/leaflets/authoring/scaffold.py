"""A leaflet id in, a new leaflet file out (`leaflets new`); a folder in, a project out (`init`).

`new` writes every required section and every project level as placeholder text that
loads ("TODO: ..."), each part commented with what belongs there, then loads the file
back: a stub the loader refuses is removed again and reported, never left behind.
`--from` copies an existing leaflet with a new id and without its reviews (the new
leaflet's wording needs its own), edited with ruamel's round trip so comments, quotes and
key order stay as the writer left them. `init` copies the starter project shipped inside the
package (`leaflets/starter/`), so it needs nothing from a checkout.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..content.load import (
    CONTENT_DIR,
    LEAFLETS_DIR,
    PROJECT_FILE,
    load_project,
)
from ..content.model import ID_PATTERN, RESERVED_IDS
from ..content.roundtrip import last_entry, put_comment, round_trip, take_comment
from ..content.schema import SCHEMA_FILE, schema_text
from ..errors import ContentError, Location, Problem, Severity, did_you_mean
from ..output import write_atomic
from .stubs import SCHEMA_HEADER, levels_comment, stub_text

STARTER = "starter"
#: Package-data names that cannot ship under their real names.
_RENAMED = {"gitignore": ".gitignore"}


@dataclass(frozen=True)
class Created:
    """A leaflet file `new` wrote, and what `leaflets check` says about it (warnings only)."""

    path: Path
    shown: Path
    """The path relative to the project, as messages show it."""
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: What `leaflets new --kind` can start (docs/decision-aids.md).
KINDS = ("decision", "treatment", "information")

__all__ = ["SCHEMA_HEADER", "init_project", "new_leaflet", "stub_text"]


def new_leaflet(
    root: Path,
    leaflet_id: str,
    template: str | None = None,
    *,
    today: dt.date | None = None,
    kind: str = "treatment",
) -> Created:
    """Create `content/leaflets/LEAFLET_ID.yaml`: a commented stub, or a copy of `template`."""
    root = root.resolve()
    shown = Path(CONTENT_DIR) / LEAFLETS_DIR / f"{leaflet_id}.yaml"
    _check_id(leaflet_id, shown)
    leaflet_dir = root / CONTENT_DIR / LEAFLETS_DIR
    taken = _existing(leaflet_dir, leaflet_id)
    if taken is not None:
        raise ContentError(
            Problem(
                Location(taken.relative_to(root)),
                f"a leaflet with the id {leaflet_id!r} already exists",
                "choose another id, or edit the file that is there",
            )
        )
    catalog = load_project(root, only=[])  # the project file, sources and shared blocks
    notes: list[str] = []
    if template is None:
        levels = list(catalog.project.levels)
        text = stub_text(leaflet_id, levels, today, levels_comment(catalog), kind)
    else:
        text = _copy_text(root, leaflet_dir, template, leaflet_id)
        notes.append(
            f"copied from {template!r} without its reviews: the wording needs its own review"
        )
    if not (root / SCHEMA_FILE).is_file():
        notes.append(
            f"no {SCHEMA_FILE} in the project: for editor help run "
            f"'leaflets schema > {SCHEMA_FILE}' in {root}"
        )
    path = leaflet_dir / f"{leaflet_id}.yaml"
    leaflet_dir.mkdir(parents=True, exist_ok=True)
    write_atomic(path, text.encode("utf-8"))
    return Created(path, shown, _check_new(root, path, shown), notes)


def _check_id(leaflet_id: str, shown: Path) -> None:
    problem = None
    if not re.fullmatch(ID_PATTERN, leaflet_id) or len(leaflet_id) > 64:
        problem = "has the wrong form"
    elif leaflet_id in RESERVED_IDS:
        problem = "is a reserved file name on Windows"
    if problem:
        raise ContentError(
            Problem(
                Location(shown),
                f"leaflet id {leaflet_id!r} {problem}",
                "ids are lower-case letters and digits joined by hyphens, at most 64 "
                "characters, e.g. 'lithium-bipolar-disorder'",
            )
        )


def _existing(leaflet_dir: Path, leaflet_id: str) -> Path | None:
    """A leaflet file with this id anywhere under content/leaflets/ (ids name the output)."""
    if not leaflet_dir.is_dir():
        return None
    return next((p for p in sorted(leaflet_dir.rglob("*.yaml")) if p.stem == leaflet_id), None)


def _check_new(root: Path, path: Path, shown: Path) -> list[Problem]:
    """Load the new file as `leaflets check` would; remove it if it does not load."""
    from ..text.check import check_leaflet

    catalog = load_project(root, only=[path])
    if path in catalog.failed or not catalog.leaflets:
        path.unlink(missing_ok=True)
        problems = catalog.failed.get(path, [])
        raise ContentError(
            [
                *problems,
                Problem(
                    Location(shown),
                    "the new leaflet did not load, so it was not kept",
                    "fix the problems above (in the template leaflet, or the project)",
                ),
            ]
        )
    loaded = catalog.leaflets[0]
    return [p for p in check_leaflet(catalog, loaded) if p.severity is Severity.WARNING]


# --- copying a leaflet ----------------------------------------------------------------------


def _copy_text(root: Path, leaflet_dir: Path, template: str, leaflet_id: str) -> str:
    """The template leaflet's file with the new id, the schema header and no reviews."""
    path = _existing(leaflet_dir, template)
    if path is None:
        known = sorted(p.stem for p in leaflet_dir.rglob("*.yaml")) if leaflet_dir.is_dir() else []
        raise ContentError(
            Problem(
                Location(Path(CONTENT_DIR) / LEAFLETS_DIR),
                f"no leaflet {template!r} to copy",
                _suggest(template, known),
            )
        )
    catalog = load_project(root, only=[path])
    if path in catalog.failed:
        raise ContentError(
            [
                *catalog.failed[path],
                Problem(
                    Location(path.relative_to(root)),
                    f"leaflet {template!r} has errors, so it was not copied",
                    "fix it first (leaflets check), or start from a stub without --from",
                ),
            ]
        )
    document = round_trip().load(path.read_text(encoding="utf-8"))
    _drop_reviews(document)
    for section in document.get("sections") or ():
        _drop_reviews_within(section)
    document["id"] = leaflet_id
    buffer = io.StringIO()
    round_trip().dump(document, buffer)
    lines = buffer.getvalue().splitlines(keepends=True)
    while lines and lines[0].startswith("# yaml-language-server:"):
        lines.pop(0)
    header = (
        f"{SCHEMA_HEADER}\n# Copied from '{template}' by `leaflets new --from`; its reviews "
        "were left out.\n"
    )
    return header + "".join(lines)


def _suggest(name: str, known: list[str]) -> str:
    return did_you_mean(name, known, f"leaflets in this project: {', '.join(known) or 'none yet'}")


# --- YAML edits, with ruamel's round trip (comments, quotes and order kept) -----------------


def _drop_reviews_within(node: object) -> None:
    """Remove every `reviews:` key at any depth under `node` (a section and its blocks)."""
    if isinstance(node, CommentedMap):
        _drop_reviews(node)
        for value in node.values():
            _drop_reviews_within(value)
    elif isinstance(node, CommentedSeq):
        for value in node:
            _drop_reviews_within(value)


def _drop_reviews(mapping: CommentedMap) -> None:
    """Remove `reviews:` from `mapping`. A comment after its records is about what follows
    (e.g. `# The risks, with rates.` before the next section): it moves to the entry
    before, so it stays where the writer put it."""
    if "reviews" not in mapping:
        return
    keys = list(mapping)
    index = keys.index("reviews")
    value = mapping["reviews"]
    where = last_entry(value) or (mapping, "reviews")
    comment = take_comment(*where)
    if comment is None and where != (mapping, "reviews"):
        comment = take_comment(mapping, "reviews")
    del mapping["reviews"]
    if comment is None or "#" not in comment.value or index == 0:
        return
    before = keys[index - 1]
    target = last_entry(mapping[before]) or (mapping, before)
    put_comment(*target, comment)


# --- a new project --------------------------------------------------------------------------


def init_project(target: Path) -> list[Path]:
    """Copy the starter project into `target` (new or empty); return the files made."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ContentError(
            Problem(
                Location(target),
                "already exists and is not an empty folder",
                "give the name of a new folder, e.g. leaflets init my-leaflets",
            )
        )
    made: list[Path] = []
    starter = resources.files("leaflets").joinpath(STARTER)
    for relative, data in sorted(_starter_files(starter, Path())):
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append(relative)
    (target / SCHEMA_FILE).write_text(schema_text("leaflet"), encoding="utf-8")
    made.append(Path(SCHEMA_FILE))
    if not (target / PROJECT_FILE).is_file():  # a broken package, not a user mistake
        raise RuntimeError(f"the starter project has no {PROJECT_FILE}")
    return sorted(made)


def _starter_files(folder: Traversable, relative: Path) -> list[tuple[Path, bytes]]:
    found: list[tuple[Path, bytes]] = []
    for entry in folder.iterdir():
        if entry.name.startswith((".", "__")):
            continue
        name = _RENAMED.get(entry.name, entry.name)
        if entry.is_dir():
            found.extend(_starter_files(entry, relative / name))
        else:
            found.append((relative / name, entry.read_bytes()))
    return found
