"""Property-based: whatever a leaflet file holds, `load_project` returns a `Catalog` or raises
`ContentError` with located problems, never any other exception, within a bounded time.

Three sources of input: random YAML documents (random data, dumped), random edits of the
parsed minimal leaflet (valid to start with), and random text edits of the shipped sample
leaflet inside a copy of the sample project (also valid to start with).
"""

from __future__ import annotations

import os
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hostile_kit import LEAFLET, MINIMAL, TESTS
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leaflets.content.load import Catalog, load_project
from leaflets.errors import ContentError, Problem

REPO = TESTS.parent
SAMPLE = "content/leaflets/ketamine-esketamine-depression.yaml"

#: Fixed seeds, no example database: the same examples on every run and every machine.
#: `LEAFLETS_FUZZ_EXAMPLES=2000 pytest tests/hostile/test_properties.py` fuzzes longer, with
#: fresh random examples each run.
FUZZ_EXAMPLES = int(os.environ.get("LEAFLETS_FUZZ_EXAMPLES", "0"))
PROPERTY = settings(
    max_examples=FUZZ_EXAMPLES or 50,
    deadline=timedelta(seconds=2),
    derandomize=not FUZZ_EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Keys the model knows, so random documents reach past "unknown key" into deeper checks.
KEYS = st.sampled_from(
    ["id", "version", "title", "summary", "evidence_checked", "next_review", "sections",
     "blocks", "kind", "heading", "text", "items", "easy", "plain", "all", "use", "image",
     "path", "alt", "sources", "levels", "language", "glossary", "term", "meaning",
     "frequencies", "certainty", "rating", "reviews"]
)  # fmt: skip
TEXT = st.text(st.characters(exclude_characters="\x85\u2028\u2029"), max_size=20)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | TEXT
    | st.dates()
    | st.sampled_from(["mini", "1.0", "benefits", "risks", "uncertainty", "S1", "images/dot.svg"])
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(KEYS | TEXT, children, max_size=5)
    ),
    max_leaves=30,
)


def hits_known_bug(text: str) -> bool:
    """A top-level `use:` or `block:` key: load.py crashes on it (an xfail test in
    test_hostile_yaml.py), so the properties skip it to keep looking for new bugs."""
    try:
        data = yaml.safe_load(text)
    except Exception:
        return False
    return isinstance(data, dict) and bool({"use", "block"} & set(map(str, data)))


def check_load(root: Path) -> Catalog | None:
    """`load_project(root)`: a Catalog or a ContentError, with located problems."""
    try:
        catalog = load_project(root)
    except ContentError as error:
        problems = error.problems
        assert problems, "ContentError without problems"
        catalog = None
    else:
        problems = catalog.all_problems()
        leaflet_files = list((root / "content" / "leaflets").rglob("*.yaml"))
        assert len(catalog.leaflets) + len(catalog.failed) == len(leaflet_files)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert not problem.location.path.is_absolute(), problem
        assert problem.location.line >= 0
        assert problem.location.column >= 0
        assert problem.message
        assert str(problem)
    return catalog


@pytest.fixture(scope="module")
def minimal_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One writable minimal project; each example rewrites its leaflet file."""
    root = tmp_path_factory.mktemp("prop-minimal") / "p"
    shutil.copytree(MINIMAL, root)
    return root


@pytest.fixture(scope="module")
def sample_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One writable copy of the sample project (its project file, content and clinics)."""
    root = tmp_path_factory.mktemp("prop-sample") / "p"
    root.mkdir()
    shutil.copy(REPO / "leaflets.yaml", root / "leaflets.yaml")
    for folder in ("content", "clinics", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    return root


# --- random documents ----------------------------------------------------------------------


@PROPERTY
@given(DOCUMENTS)
def test_random_document_as_a_leaflet(minimal_copy: Path, data: Any) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    assume(not hits_known_bug(text))
    (minimal_copy / LEAFLET).write_text(text, encoding="utf-8")
    catalog = check_load(minimal_copy)
    assert catalog is not None  # a broken leaflet fails alone; the project still loads
    assert len(catalog.failed) == 1


# --- random edits of the parsed minimal leaflet ----------------------------------------------

MINIMAL_DATA = yaml.safe_load((MINIMAL / LEAFLET).read_text(encoding="utf-8"))


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in `data`, containers before their contents."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += paths_in(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += paths_in(value, (*prefix, index))
    return found


def mutate(data: Any, path: tuple[Any, ...], operation: str, value: Any) -> Any:
    """A copy of `data` with the node at `path` replaced, removed, wrapped or joined by a key."""
    if not path:
        return value if operation == "replace" else data
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if operation == "replace":
        parent[last] = value
    elif operation == "delete":
        del parent[last]
    elif operation == "wrap":
        parent[last] = [parent[last]]
    elif operation == "unwrap" and isinstance(parent[last], list | dict) and parent[last]:
        inner = parent[last]
        parent[last] = inner[0] if isinstance(inner, list) else next(iter(inner.values()))
    elif operation == "add-key" and isinstance(parent, dict):
        parent[f"{last}x"] = value
    return data


@PROPERTY
@given(st.data())
def test_random_edit_of_the_minimal_leaflet(minimal_copy: Path, data: st.DataObject) -> None:
    document = yaml.safe_load(yaml.safe_dump(MINIMAL_DATA))  # a deep copy
    for _ in range(data.draw(st.integers(1, 3), label="edits")):
        path = data.draw(st.sampled_from(paths_in(document)), label="path")
        operation = data.draw(
            st.sampled_from(["replace", "delete", "wrap", "unwrap", "add-key"]), label="operation"
        )
        value = data.draw(DOCUMENTS, label="value")
        document = mutate(document, path, operation, value)
    text = yaml.safe_dump(document, allow_unicode=True)
    assume(not hits_known_bug(text))
    (minimal_copy / LEAFLET).write_text(text, encoding="utf-8")
    check_load(minimal_copy)


def test_the_minimal_leaflet_loads_unchanged(minimal_copy: Path) -> None:
    (minimal_copy / LEAFLET).write_text(yaml.safe_dump(MINIMAL_DATA))
    catalog = check_load(minimal_copy)
    assert catalog is not None
    assert catalog.failed == {}


# --- random text edits of the sample leaflet -------------------------------------------------

SAMPLE_TEXT = (REPO / SAMPLE).read_text(encoding="utf-8")
#: Bits of YAML syntax and hostile text, spliced into the sample at random places.
TOKENS = st.sampled_from(
    [": ", "- ", "\n", "  ", "\t", "[", "]", "{", "}", ",", "&a ", "*a", "!!python/name:os.system ",
     "!foo ", "<<: ", "---\n", "'", '"', "|\n", ">-\n", "#", "\ufeff", "\x00", "{{ 7*7 }}",
     "<script>", "../../etc/passwd", "id: ", "use: ", "all: ", "easy: ", "sources: [S99]",
     "kind: frequencies", "2027-02-30", "9" * 50]
)  # fmt: skip


@PROPERTY
@given(
    st.lists(
        st.tuples(st.integers(0, len(SAMPLE_TEXT)), st.integers(0, 40), TOKENS | TEXT),
        min_size=1,
        max_size=4,
    )
)
def test_random_text_edit_of_the_sample_leaflet(
    sample_copy: Path, edits: list[tuple[int, int, str]]
) -> None:
    text = SAMPLE_TEXT
    for start, length, insert in edits:
        start = min(start, len(text))
        text = text[:start] + insert + text[start + length :]
    assume(not hits_known_bug(text))
    (sample_copy / SAMPLE).write_text(text, encoding="utf-8")
    check_load(sample_copy)


def test_the_sample_leaflet_loads_unchanged(sample_copy: Path) -> None:
    (sample_copy / SAMPLE).write_text(SAMPLE_TEXT, encoding="utf-8")
    catalog = check_load(sample_copy)
    assert catalog is not None
    assert catalog.failed == {}
