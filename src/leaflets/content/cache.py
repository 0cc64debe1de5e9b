"""Parsed content files kept between runs: a YAML file's bytes in, its `SourceDocument` out.

A large library is mostly unchanged between builds, and parsing YAML with positions is the
largest part of loading it (issue 18). The cache maps sha256(parser identity, the file's
bytes, the name it is shown under) to the parsed data and its position index, as JSON in
`$LEAFLETS_CACHE` (default `$XDG_CACHE_HOME/leaflets` or `~/.cache/leaflets`).

Why JSON and not pickle: the cache folder sits outside the project and could be written
by someone else; unpickling runs code, JSON cannot. Each entry also carries its own key
and the sha256 of its payload, so a truncated, corrupt or swapped entry is ignored and
replaced, never trusted. The parser identity hashes this package's parser source, the
tool version and PyYAML's version, so a change to any of them misses the old entries.
Only documents that round-trip exactly are cached (string keys; strings, numbers,
booleans, null, dates, lists and mappings) and only when the parse found no problem;
anything else is parsed every time. Deleting the folder is always safe.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location
from ..version import VERSION
from . import source
from .source import KeyPath, Positions, SourceDocument

log = logging.getLogger(__name__)

_TAG = "\x00"  # a mapping key YAML content cannot hold in our data (refused by the encoder)


class _NotCacheable(Exception):
    pass


def cache_dir() -> Path:
    """Where entries live: $LEAFLETS_CACHE, else the user's cache folder."""
    explicit = os.environ.get("LEAFLETS_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "leaflets" / "yaml"


#: The entry layout (2: a header line, then the payload). Part of every key, so builds of
#: another layout sharing the folder use other entries instead of replacing these.
ENTRY_FORMAT = 2


@functools.cache
def _parser_id() -> bytes:
    code = Path(source.__file__).read_bytes()
    identity = f"{VERSION} {yaml.__version__} format {ENTRY_FORMAT}"
    return hashlib.sha256(code + identity.encode()).digest()


def read_yaml_cached(path: Path, shown: Path) -> SourceDocument:
    """As `source.read_yaml`, from the cache when these bytes were parsed before."""
    raw = source.read_bounded(path, shown)
    key = hashlib.sha256(_parser_id() + str(shown).encode() + b"\0" + raw).hexdigest()
    entry = cache_dir() / key[:2] / f"{key}.json"
    found = _load(entry, key, shown)
    if found is not None:
        return found
    document = source.parse_yaml(raw, shown)
    if not document.problems:
        _store(entry, key, document)
    return document


def _load(entry: Path, key: str, shown: Path) -> SourceDocument | None:
    try:
        head, _, payload = entry.read_bytes().partition(b"\n")
        wrapper = json.loads(head)
        if wrapper["key"] != key or hashlib.sha256(payload).hexdigest() != wrapper["sha256"]:
            return None
        body = json.loads(payload)
        positions = Positions(
            shown,
            {_path(p): Location(shown, line, col) for p, line, col in body["values"]},
            {_path(p): Location(shown, line, col) for p, line, col in body["keys"]},
        )
        return SourceDocument(shown, _decode(body["data"]), positions, [])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _store(entry: Path, key: str, document: SourceDocument) -> None:
    try:
        body = {
            "data": _encode(document.data),
            "values": _index(document.positions.values),
            "keys": _index(document.positions.keys),
        }
    except _NotCacheable:
        return
    # One line of header (the key and the payload's checksum), then the payload as is: the
    # payload is parsed once (an earlier format nested it as a JSON string, parsed twice).
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    header = {"key": key, "sha256": hashlib.sha256(payload).hexdigest()}
    data = json.dumps(header).encode() + b"\n" + payload
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        temporary = entry.with_name(f".{entry.name}.{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(entry)  # a torn write fails the checksum and is parsed again
    except OSError as exc:  # a read-only home, a full disk: parsing still works
        log.debug("content cache not written: %s", exc)


def _path(parts: list[str | int]) -> KeyPath:
    """A key path with its names interned: JSON makes a new string for every occurrence,
    and a loaded library keeps a path for every value (issue 18: memory)."""
    return tuple(sys.intern(p) if isinstance(p, str) else p for p in parts)


def _index(table: dict[KeyPath, Location]) -> list[list[Any]]:
    return [[list(path), where.line, where.column] for path, where in table.items()]


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith(_TAG) for k in value):
            raise _NotCacheable
        return {k: _encode(v) for k, v in value.items()}
    raise _NotCacheable


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        tag = value.get(_TAG)
        if tag == "date":
            return dt.date.fromisoformat(value["v"])
        if tag == "datetime":
            return dt.datetime.fromisoformat(value["v"])
        return {k: _decode(v) for k, v in value.items()}
    return value
