"""Read one YAML file safely: bytes in, plain data plus a key-path -> `Location` index out.

This is the only place that touches YAML. It refuses what PyYAML would silently accept:
duplicate keys (yaml/pyyaml#165), non-UTF-8 bytes, tabs in indentation, custom or
`!!python/*` tags, anchors/aliases (alias bombs), very deep nesting and huge files.
"""

from __future__ import annotations

import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError, Location, Problem

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40

KeyPath = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")
}


@dataclass
class Positions:
    """Where each value (and each mapping key) of a document starts."""

    path: Path
    values: dict[KeyPath, Location] = field(default_factory=dict)
    keys: dict[KeyPath, Location] = field(default_factory=dict)

    def of(self, key_path: KeyPath, *, key: bool = False) -> Location:
        """The location of `key_path`, or of its nearest ancestor that exists."""
        if key and key_path in self.keys:
            return self.keys[key_path]
        for end in range(len(key_path), -1, -1):
            found = self.values.get(key_path[:end])
            if found is not None:
                return found
        return Location(self.path)


@dataclass
class SourceDocument:
    """A parsed YAML file: its data and where everything in it came from."""

    path: Path
    data: Any
    positions: Positions
    problems: list[Problem] = field(default_factory=list)
    """Problems that still leave usable data (duplicate keys, refused tags): reported
    together with the schema problems, so a writer sees everything in one run."""


def read_yaml(path: Path, display_path: Path | None = None) -> SourceDocument:
    """Parse `path`; raise `ContentError` listing every problem found."""
    shown = display_path or path
    return parse_yaml(_read_bounded(path, shown), shown)


def read_bounded(path: Path, shown: Path) -> bytes:
    """A content file's bytes, refusing non-regular files and files over the limit."""
    return _read_bounded(path, shown)


def parse_yaml(raw: bytes, shown: Path) -> SourceDocument:
    """Parse a content file's bytes (`shown` names it in messages)."""
    text = _decode(raw, shown)
    _refuse_tabs(text, shown)
    try:
        loader = _StrictLoader(text, shown)
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise ContentError(_problem_from_yaml_error(exc, shown)) from None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, column = before.count("\n") + 1, exc.position - (before.rfind("\n") + 1) + 1
        raise ContentError(
            Problem(
                Location(shown, line, column),
                f"character {exc.character!r} is not allowed in YAML",
                "remove it; it is often pasted in by accident from another program",
            )
        ) from None
    if node is None:
        raise ContentError(
            Problem(Location(shown, 1, 1), "file is empty", "see docs/content.md for the format")
        )
    positions = Positions(shown)
    problems: list[Problem] = []
    data = _to_data(node, (), positions, problems, loader)
    return SourceDocument(shown, data, positions, problems)


def _read_bounded(path: Path, shown: Path) -> bytes:
    """The file's bytes, refusing before reading a file over the limit or one that is not a
    regular file (a FIFO would block for ever, `/dev/zero` would fill the memory)."""

    def too_big(size: int) -> ContentError:
        return ContentError(
            Problem(
                Location(shown),
                f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
                "split the content into several files or shared blocks",
            )
        )

    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise ContentError(
                Problem(
                    Location(shown),
                    "not a regular file",
                    "content files are plain text files; check for a link to a device or pipe",
                )
            )
        if status.st_size > MAX_FILE_BYTES:
            raise too_big(status.st_size)
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as exc:
        raise ContentError(Problem(Location(shown), f"cannot read file: {exc.strerror}")) from None
    if len(raw) > MAX_FILE_BYTES:
        raise too_big(len(raw))
    return raw


def _decode(raw: bytes, shown: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        line_start = raw[before.rfind(b"\n") + 1 : exc.start]
        column = len(line_start.decode("utf-8", errors="replace")) + 1
        raise ContentError(
            Problem(
                Location(shown, line, column),
                f"file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "save the file as UTF-8 in your editor",
            )
        ) from None
    return text.removeprefix("\ufeff")  # a UTF-8 byte-order mark is harmless: drop it


def _refuse_tabs(text: str, shown: Path) -> None:
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):  # YAML breaks lines at \n only
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(
                Problem(
                    Location(shown, number, indent.index("\t") + 1),
                    "tab character in indentation",
                    "YAML indentation must use spaces; set your editor to insert spaces",
                )
            )
    if problems:
        raise ContentError(problems)


if yaml.__with_libyaml__:  # libyaml scans about 20 times faster than pure Python (bench/)
    from yaml._yaml import CParser as _Parser
else:  # pragma: no cover - PyYAML wheels ship libyaml
    from yaml.parser import Parser as _Parser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner


class _StrictLoader(
    _Parser,
    yaml.composer.Composer,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """A safe loader (SafeConstructor only) that refuses aliases and deep nesting while
    composing. libyaml scans; composing stays in Python so those checks run first."""

    def __init__(self, text: str, shown: Path) -> None:
        if yaml.__with_libyaml__:
            _Parser.__init__(self, text)
        else:  # pragma: no cover
            Reader.__init__(self, text)  # type: ignore[arg-type]
            Scanner.__init__(self)  # type: ignore[arg-type]
            _Parser.__init__(self)  # type: ignore[call-arg]
        yaml.composer.Composer.__init__(self)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self.name = str(shown)
        self._depth = 0

    # CParser has a composer of its own in C; use the Python one, which runs our checks.
    get_single_node = yaml.composer.Composer.get_single_node
    compose_document = yaml.composer.Composer.compose_document

    def _mark(self) -> Any:
        event: Any = self.peek_event()
        return event.start_mark

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (*name) are not allowed", self._mark()
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nesting deeper than {MAX_DEPTH} levels", self._mark()
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _problem_from_yaml_error(exc: yaml.MarkedYAMLError, shown: Path) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    location = Location(shown, mark.line + 1, mark.column + 1) if mark else Location(shown)
    message = ", ".join(part for part in (exc.context, exc.problem) if part) or "invalid YAML"
    hint = "check the indentation and quoting on this line and the one before"
    if "alias" in message:
        hint = "write the value out again, or move it into a shared block"
    elif "nesting" in message:
        hint = "leaflet content is never this deep; check the structure"
    elif "expected a single document" in message:
        hint = "remove the '---' separator: one file holds one document"
    return Problem(location, message, hint)


def _location(node: yaml.Node, shown: Path) -> Location:
    return Location(shown, node.start_mark.line + 1, node.start_mark.column + 1)


def _to_data(
    node: yaml.Node,
    key_path: KeyPath,
    positions: Positions,
    problems: list[Problem],
    loader: Any,
) -> Any:
    """Turn a composed node into plain data, recording positions and refusing odd tags."""
    shown = positions.path
    positions.values[key_path] = _location(node, shown)
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            Problem(
                _location(node, shown),
                f"YAML tag {node.tag.replace('tag:yaml.org,2002:', '!!')!r} is not allowed",
                "content is data only: remove the '!' tag",
            )
        )
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in _pairs(node, problems, shown):
            # A key gets the same tag and value checks as any scalar (`!: x` is refused).
            key = None
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag in _PLAIN_TAGS:
                key = _scalar(key_node, loader, problems, shown)
            elif isinstance(key_node, yaml.ScalarNode):
                tag = key_node.tag.replace("tag:yaml.org,2002:", "!!")
                problems.append(
                    Problem(
                        _location(key_node, shown),
                        f"YAML tag {tag!r} is not allowed on a key",
                        "content is data only: remove the '!' tag",
                    )
                )
                continue
            if not isinstance(key, str | int | float | bool) or key is None:
                problems.append(
                    Problem(_location(key_node, shown), "mapping keys must be plain words")
                )
                continue
            key = sys.intern(str(key))  # one object per key name, shared by every path
            if key in result:
                first = positions.keys[(*key_path, key)]
                problems.append(
                    Problem(
                        _location(key_node, shown),
                        f"duplicate key {key!r} (first defined at line {first.line})",
                        "a key may appear only once: remove or rename one of them",
                    )
                )
                continue
            positions.keys[(*key_path, key)] = _location(key_node, shown)
            result[key] = _to_data(value_node, (*key_path, key), positions, problems, loader)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _to_data(item, (*key_path, index), positions, problems, loader)
            for index, item in enumerate(node.value)
        ]
    return _scalar(node, loader, problems, shown)


def _scalar(node: yaml.Node, loader: yaml.SafeLoader, problems: list[Problem], shown: Path) -> Any:
    """Construct a scalar; a value its tag cannot hold (2027-02-30, `!!int abc`) is a problem."""
    try:
        return loader.construct_object(node)
    except (ValueError, KeyError, AttributeError, TypeError, OverflowError):
        kind = node.tag.rsplit(":", 1)[-1]
        kind = {"timestamp": "date", "int": "whole number", "float": "number"}.get(kind, kind)
        hint = "use a real date, e.g. 2027-02-28" if kind == "date" else "check the value"
        value = str(node.value)
        shown_value = repr(value if len(value) <= 40 else value[:40] + "...")
        problems.append(
            Problem(_location(node, shown), f"{shown_value} is not a valid {kind}", hint)
        )
        return None


def _pairs(
    node: yaml.MappingNode, problems: list[Problem], shown: Path
) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            problems.append(
                Problem(_location(key_node, shown), "merge keys ('<<') are not allowed")
            )
            continue
        yield key_node, value_node
