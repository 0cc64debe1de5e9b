"""Round-trip YAML edits of a writer's file: the project's layout, and the comment lines that
follow a value kept where the writer put them.

ruamel keeps the comment lines after a block-style value (a banner before the next section,
a note after a block) on the deepest last entry of that value. An edit that adds after the
last entry (`review approve` appending a review record) or removes it (`new --from`
dropping `reviews:`) would leave those lines in the middle of the file, e.g. between two
review records; these helpers move them to the new last entry instead. Used by
review/approve.py and authoring/scaffold.py.
"""

from __future__ import annotations

import copy
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

__all__ = ["append_keeping_comments", "last_entry", "put_comment", "round_trip", "take_comment"]


def round_trip() -> YAML:
    """A round-trip YAML in the project's layout (2-space maps, `- ` list items)."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a writer's long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def last_entry(node: object) -> tuple[CommentedMap | CommentedSeq, Any] | None:
    """The deepest last (container, key) of a block-style map or list: where ruamel keeps
    the comment lines that follow the whole value."""
    found = None
    while isinstance(node, CommentedMap | CommentedSeq) and node and not node.fa.flow_style():
        key = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        found, node = (node, key), node[key]
    return found


def _slot(node: CommentedMap | CommentedSeq) -> int:
    return 2 if isinstance(node, CommentedMap) else 0  # ruamel: after a value / an item


def take_comment(node: CommentedMap | CommentedSeq, key: Any) -> Any:
    """Remove and return the comment token after `node[key]` (None if there is none)."""
    items = node.ca.items.get(key)
    if not items or items[_slot(node)] is None:
        return None
    token = items[_slot(node)]
    items[_slot(node)] = None
    return token


def put_comment(node: CommentedMap | CommentedSeq, key: Any, token: Any) -> None:
    """Put a comment token after `node[key]` (after any comment already there)."""
    items = node.ca.items.setdefault(key, [None, None, None, None])
    if items[_slot(node)] is None:
        items[_slot(node)] = token
    else:
        existing = items[_slot(node)]
        existing.value = existing.value.rstrip("\n") + "\n" + token.value.lstrip("\n")


def append_keeping_comments(mapping: CommentedMap, key: str, item: Any) -> None:
    """Append `item` to the list `mapping[key]` (made if missing, at the end of `mapping`),
    with the comment lines that followed `mapping` still after it. A comment on the end of
    the old last line (`fingerprint: ...  # note`) stays on that line."""
    following = None
    where = last_entry(mapping)
    token = take_comment(*where) if where is not None else None
    if where is not None and token is not None:
        own_line, _, rest = token.value.partition("\n")
        if own_line.strip():  # an end-of-line comment: it belongs to that line
            kept = copy.copy(token)
            kept.value = own_line + "\n"
            put_comment(*where, kept)
        if rest:  # the lines after it (blank lines too): they follow the whole value
            following = copy.copy(token)
            following.value = "\n" + rest
    if key not in mapping:
        mapping[key] = CommentedSeq()
    mapping[key].append(CommentedMap(item) if isinstance(item, dict) else item)
    target = last_entry(mapping)
    if following is not None and target is not None:
        put_comment(*target, following)
