"""Imports point one way (issue 13): a module imports its own package and lower layers only.

Written by the package-move script from its LAYERS and ALLOWED_UPWARD tables; every import
counts, those inside functions and under TYPE_CHECKING too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "leaflets"
LAYERS: list[tuple[str, ...]] = [
    ("",),
    ("content",),
    ("review",),
    ("text",),
    ("render",),
    ("verify",),
    ("build",),
    ("authoring", "preview"),
    ("cli",),
]
ALLOWED_UPWARD: dict[tuple[str, str], str] = {
    ("review.approve", "text.clinic_review"): (
        "approving and listing clinic:ID units (lazy imports): the clinic unit's segments "
        "are reader text"
    ),
    ("review.governance", "text.clinic_review"): (
        "the approval log lists clinic units' records (a lazy import)"
    ),
    ("review.approved", "text.clinic_review"): (
        "a clinic's review records file is read by the clinic module (a lazy import)"
    ),
    ("text.clinic_review", "render.render"): (
        "the check that a clinic's own templates add no words outside the reader's text "
        "renders a branded page (a lazy import)"
    ),
    ("text.clinic_review", "render.templates"): (
        "the same check: the clinic's template environment (a lazy import)"
    ),
    ("review.approved", "text.reader_text"): (
        "the approved wording kept for a leaflet unit is its reader's text at approval (a "
        "lazy import inside one function)"
    ),
    ("text.i18n", "render.templates"): (
        "issue 17b: `css_string` for right-to-left CSS, a lazy import; moving css_string "
        "into text/inline.py would drop this exception"
    ),
}
FRONT_DOORS = {"__init__", "__main__"}


def _rank(package: str) -> int:
    for index, layer in enumerate(LAYERS):
        if package in layer:
            return index
    raise AssertionError(f"package {package!r} is in no layer: add it to LAYERS")


def _dotted(path: Path) -> str:
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def _is_module(parts: list[str]) -> bool:
    return PACKAGE.joinpath(*parts).with_suffix(".py").is_file() if parts else False


def _imports(source: str, importer: str) -> list[tuple[str, int]]:
    """The leaflets modules `source` (module `importer`) imports, dotted, with lines."""
    package = importer.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - (node.level - 1)]
            target = [*base, *(node.module.split(".") if node.module else [])]
            if _is_module(target):
                found.append((".".join(target), node.lineno))
                continue
            for alias in node.names:  # `from .pkg import module`, or names of a package
                module = [*target, alias.name]
                found.append((".".join(module if _is_module(module) else target), node.lineno))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("leaflets."):
            found.append((str(node.module).removeprefix("leaflets."), node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("leaflets."):
                    found.append((alias.name.removeprefix("leaflets."), node.lineno))
    return found


def _package(dotted: str) -> str:
    first = dotted.split(".")[0]
    return first if (PACKAGE / first).is_dir() and "." in dotted else ""


def violations(source: str, importer: str) -> list[str]:
    """Imports of `importer` that point to its own layer's other packages or higher."""
    if importer in FRONT_DOORS:
        return []
    own = _package(importer)
    wrong = []
    for target, line in _imports(source, importer):
        theirs = _package(target)
        if theirs == own or (importer, target) in ALLOWED_UPWARD:
            continue
        if _rank(theirs) >= _rank(own):
            wrong.append(
                f"{importer}:{line}: imports {target} "
                f"({theirs or 'the root'} is not below {own or 'the root'})"
            )
    return wrong


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_package_is_in_a_layer() -> None:
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert packages, "no stage packages under src/leaflets"
    assert packages <= {name for layer in LAYERS for name in layer}, packages


@pytest.mark.parametrize("path", MODULES, ids=_dotted)
def test_imports_point_down(path: Path) -> None:
    wrong = violations(path.read_text(encoding="utf-8"), _dotted(path))
    assert not wrong, "\n".join(wrong)


def test_an_import_pointing_up_is_found() -> None:
    """The check itself can fail: upward imports, relative, absolute and lazy, are found."""
    top = LAYERS[-1][0]
    [module] = [p for p in MODULES if p.parent.name == top][:1]
    source = (
        f"from ..{top}.{module.stem} import x\ndef f():\n    import leaflets.{top}.{module.stem}\n"
    )
    found = violations(source, "content.load")
    assert len(found) == 2, found
    assert violations("from ..errors import Problem\n", "content.load") == []
    assert violations("from . import x\n", "content.load") == []


#: Small modules (issue 13): past this, split a module along a seam of what it does.
MAX_LINES = 400


def long_modules(paths: list[Path], limit: int = MAX_LINES) -> list[str]:
    """`module: N lines` for every module longer than `limit` lines."""
    found = []
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{_dotted(path)}: {lines} lines (more than {limit})")
    return found


def test_no_module_is_over_400_lines() -> None:
    assert len(MODULES) > 50, MODULES  # the package was found
    too_long = long_modules(MODULES)
    assert not too_long, "\n".join(too_long)


def test_a_long_module_is_found() -> None:
    """The check itself can fail: the longest module is over a limit one line shorter."""
    longest = max(MODULES, key=lambda p: len(p.read_text(encoding="utf-8").splitlines()))
    lines = len(longest.read_text(encoding="utf-8").splitlines())
    found = long_modules(MODULES, lines - 1)
    assert f"{_dotted(longest)}: {lines} lines (more than {lines - 1})" in found, found
