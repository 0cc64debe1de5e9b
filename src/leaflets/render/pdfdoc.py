"""The PDF as WeasyPrint built it, before it is serialised: the footer fix in memory.

WeasyPrint's `write_pdf(finisher=...)` hands over the `pydyf.PDF` it is about to write.
`finish` fixes it there: the text of page-margin boxes (running footers), which WeasyPrint
70 gives structure elements that no element of the tree reaches (its issue #1836), is
re-marked as a pagination artifact (UA2, UA7), and every `TH` gets its `/Scope`. This is
what `pdf.mark_margin_artifacts` does to the saved bytes with pikepdf, without parsing
and re-writing the whole file a second time (issue 18: that pass was about 6 % of a
leaflet's CPU time). `PdfObjects` reads the same document for the build's checks
(verify/built.py).

pydyf holds objects as Python values: dictionaries and arrays (`pydyf.Dictionary`,
`pydyf.Array`), names as `'/Name'` strings, text as `pydyf.String`, and references as
`b'12 0 R'` bytes naming `pdf.objects[12]`. A page's content stream is a list of operands
and operators; WeasyPrint opens marked content as `'/Span'`, `Dictionary(MCID=n)`,
`b'BDC'` (stream.py `marked`), which is what is rewritten here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pydyf

_REFERENCE = re.compile(rb"(\d+) (\d+) R")
#: What an orphaned run becomes: `/Artifact <</Type /Pagination>> BDC`.
PAGINATION = "/Pagination"


class PdfObjects:
    """Read access to a `pydyf.PDF` by following its references."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self._elements: list[pydyf.Dictionary] | None = None

    def resolve(self, value: Any) -> Any:
        """The object `value` refers to (`b'12 0 R'`), or `value` itself."""
        if isinstance(value, bytes):
            found = _REFERENCE.fullmatch(value)
            if found:
                return self.pdf.objects[int(found.group(1))]
        return value

    def get(self, dictionary: Any, key: str, default: Any = None) -> Any:
        """`dictionary[key]`, resolved; `default` for a missing key or a non-dictionary."""
        dictionary = self.resolve(dictionary)
        if not isinstance(dictionary, dict) or key not in dictionary:
            return default
        return self.resolve(dictionary[key])

    @property
    def catalog(self) -> pydyf.Dictionary:
        return self.pdf.catalog

    def pages(self) -> list[pydyf.Dictionary]:
        """The page dictionaries in order (`Kids` is written flat: `n 0 R n 0 R ...`)."""
        kids = self.pdf.pages["Kids"]
        return [self.pdf.objects[int(number)] for number in kids[::3]]

    def structure(self) -> list[pydyf.Dictionary]:
        """Structure elements reachable from the structure tree root, in reading order (as
        `pdf.walk_structure` on a saved file). Walked once: the fix and the checks change
        no element's place in the tree."""
        if self._elements is None:
            self._elements = list(self._walk())
        return self._elements

    def _walk(self) -> Iterator[pydyf.Dictionary]:
        tree = self.get(self.catalog, "StructTreeRoot")
        if not isinstance(tree, dict):
            return
        stack = [tree.get("K")]
        seen: set[int] = set()
        while stack:
            node = self.resolve(stack.pop())
            if isinstance(node, list):
                stack.extend(reversed(node))
            elif isinstance(node, dict) and "S" in node and id(node) not in seen:
                seen.add(id(node))
                yield node
                stack.append(node.get("K"))

    def parents_by_page(self) -> dict[int, list[Any]]:
        """The parent tree: for each `/StructParents` key, the element of each MCID."""
        tree = self.get(self.catalog, "StructTreeRoot")
        nums = self.get(self.get(tree, "ParentTree"), "Nums", [])
        found = {}
        for index in range(0, len(nums) - 1, 2):
            value = self.resolve(nums[index + 1])
            if isinstance(value, list):
                found[int(nums[index])] = value
        return found

    def content(self, page: pydyf.Dictionary) -> list[pydyf.Stream]:
        """The page's content streams."""
        contents = self.get(page, "Contents")
        items = contents if isinstance(contents, list) else [contents]
        return [s for s in (self.resolve(item) for item in items) if isinstance(s, pydyf.Stream)]


def marked_runs(stream: pydyf.Stream) -> Iterator[tuple[int, str, Any]]:
    """(index of the property list, tag, property list) of each `BDC` in the stream's
    operator list, as WeasyPrint writes them: `'/Tag'`, properties, `b'BDC'`."""
    items = stream.stream
    for index in range(1, len(items) - 1):
        if items[index + 1] == b"BDC" and isinstance(items[index - 1], str):
            yield index, items[index - 1], items[index]


def finish(objects: PdfObjects) -> None:
    """Fix the document in place before it is written (see the module)."""
    tree = objects.get(objects.catalog, "StructTreeRoot")
    if not isinstance(tree, dict):
        return
    reachable = {id(element) for element in objects.structure()}
    scope_table_headers(objects)
    parents = objects.parents_by_page()
    orphaned: list[Any] = []
    for page in objects.pages():
        key = page.get("StructParents")
        owners = parents.get(int(key)) if key is not None else None
        if owners is None:
            continue
        orphans = set()
        for mcid, owner in enumerate(owners):
            element = objects.resolve(owner)
            if isinstance(element, dict) and id(element) not in reachable:
                orphans.add(mcid)
                orphaned.append(element)
                owners[mcid] = b"null"
        if not orphans:
            continue
        for stream in objects.content(page):
            items = stream.stream
            for index, _tag, properties in list(marked_runs(stream)):
                if isinstance(properties, dict) and properties.get("MCID") in orphans:
                    items[index - 1] = "/Artifact"
                    items[index] = pydyf.Dictionary({"Type": PAGINATION})
    # The orphaned elements (and their unreachable ancestors) are written as empty
    # dictionaries: nothing refers to them any more, as when pikepdf drops them.
    for element in orphaned:
        while isinstance(element, dict) and id(element) not in reachable and element:
            parent = objects.resolve(element.get("P"))
            element.clear()
            element = parent


def scope_table_headers(objects: PdfObjects) -> None:
    """Every `TH` gets its `/Scope` (as `pdf.scope_table_headers` on a saved file): `Row`
    in a row that has data cells, else `Column`."""
    for row in objects.structure():
        if row.get("S") != "/TR":
            continue
        kids = objects.resolve(row.get("K"))
        cells = [objects.resolve(k) for k in (kids if isinstance(kids, list) else [kids])]
        cells = [c for c in cells if isinstance(c, dict) and "S" in c]
        scope = "/Row" if any(c["S"] == "/TD" for c in cells) else "/Column"
        for cell in cells:
            if cell["S"] != "/TH":
                continue
            if "A" not in cell:
                cell["A"] = pydyf.Dictionary({"O": "/Table"})
            attributes = objects.resolve(cell["A"])
            if isinstance(attributes, dict) and "Scope" not in attributes:
                attributes["Scope"] = scope
