"""read_yaml: the only reader of YAML refuses what PyYAML would silently accept, with a location."""

from __future__ import annotations

import datetime as dt
import tempfile
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leaflets.content import source
from leaflets.content.source import MAX_DEPTH, SourceDocument, read_yaml
from leaflets.errors import ContentError, Location, Problem, Severity

INVALID = Path(__file__).parent / "fixtures" / "invalid"
SHOWN = Path("content/leaflets/leaf.yaml")


def read(folder: Path, content: str | bytes) -> SourceDocument:
    """Write `content` (text is written as UTF-8, as is) and read it back."""
    path = folder / "leaf.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return read_yaml(path, SHOWN)


def refused(folder: Path, content: str | bytes) -> list[Problem]:
    """The problems read_yaml raises for `content`; fails on any other exception."""
    try:
        document = read(folder, content)
    except ContentError as error:
        problems = error.problems
    else:
        problems = document.problems
    assert problems
    assert all(isinstance(p, Problem) for p in problems)
    return problems


def located(problems: list[Problem]) -> list[tuple[str, str]]:
    return [(str(p.location), p.message) for p in problems]


# --- valid input ------------------------------------------------------------------------

VALID = """\
id: leaf
title:
  easy: Hello
  plain: "Hello, reader"
sections:
  - id: one
    blocks:
      - id: a
        sources: [S1, S2]
"""


def test_valid_file_returns_data_and_no_problems(tmp_path: Path) -> None:
    document = read(tmp_path, VALID)
    assert document.path == SHOWN
    assert document.problems == []
    assert document.data == {
        "id": "leaf",
        "title": {"easy": "Hello", "plain": "Hello, reader"},
        "sections": [{"id": "one", "blocks": [{"id": "a", "sources": ["S1", "S2"]}]}],
    }


@pytest.mark.parametrize(
    ("key_path", "key", "expected"),
    [
        ((), False, "1:1"),
        (("id",), False, "1:5"),
        (("id",), True, "1:1"),
        (("title",), False, "3:3"),
        (("title", "easy"), False, "3:9"),
        (("title", "easy"), True, "3:3"),
        (("title", "plain"), False, "4:10"),
        (("sections", 0), False, "6:5"),
        (("sections", 0, "id"), False, "6:9"),
        (("sections", 0, "blocks", 0), False, "8:9"),
        (("sections", 0, "blocks", 0, "sources", 1), False, "9:23"),
        (("sections", 0, "blocks", 0, "sources"), True, "9:9"),
    ],
)
def test_positions_of_keys_values_and_list_items(
    tmp_path: Path, key_path: tuple[str | int, ...], key: bool, expected: str
) -> None:
    positions = read(tmp_path, VALID).positions
    assert str(positions.of(key_path, key=key)) == f"{SHOWN}:{expected}"


def test_positions_of_a_missing_path_is_its_nearest_ancestor(tmp_path: Path) -> None:
    positions = read(tmp_path, VALID).positions
    assert positions.of(("title", "detailed")) == Location(SHOWN, 3, 3)
    assert positions.of(("title", "detailed"), key=True) == Location(SHOWN, 3, 3)
    assert positions.of(("sections", 5, "id")) == Location(SHOWN, 6, 3)
    assert positions.of(("nowhere",)) == Location(SHOWN, 1, 1)


def test_display_path_defaults_to_the_file_path(tmp_path: Path) -> None:
    path = tmp_path / "leaf.yaml"
    path.write_text("a: 1\n")
    document = read_yaml(path)
    assert document.path == path
    assert document.positions.of(("a",)) == Location(path, 1, 4)


def test_plain_scalars_keep_their_yaml_types(tmp_path: Path) -> None:
    document = read(tmp_path, "s: text\nq: '1.0'\nf: 1.0\ni: 3\nb: true\nn: ~\nd: 2026-01-01\n")
    assert document.data == {
        "s": "text",
        "q": "1.0",
        "f": 1.0,
        "i": 3,
        "b": True,
        "n": None,
        "d": dt.date(2026, 1, 1),
    }


def test_missing_file_is_a_content_error(tmp_path: Path) -> None:
    with pytest.raises(ContentError) as info:
        read_yaml(tmp_path / "absent.yaml", SHOWN)
    assert located(info.value.problems) == [
        (str(SHOWN), "cannot read file: No such file or directory")
    ]


# --- duplicate keys and odd keys: reported, data still usable ----------------------------


def test_duplicate_key_names_the_key_and_the_first_line(tmp_path: Path) -> None:
    document = read(tmp_path, "id: leaf\ntitle:\n  easy: One\n  plain: Two\n  easy: Three\n")
    [problem] = document.problems
    assert str(problem.location) == f"{SHOWN}:5:3"
    assert problem.message == "duplicate key 'easy' (first defined at line 3)"
    assert problem.hint == "a key may appear only once: remove or rename one of them"
    assert problem.severity is Severity.ERROR


def test_duplicate_keys_in_list_items_are_each_reported(tmp_path: Path) -> None:
    text = "blocks:\n  - id: a\n    id: b\n  - id: c\n    kind: text\n    kind: list\n"
    assert located(read(tmp_path, text).problems) == [
        (f"{SHOWN}:3:5", "duplicate key 'id' (first defined at line 2)"),
        (f"{SHOWN}:6:5", "duplicate key 'kind' (first defined at line 5)"),
    ]


def test_keys_that_read_the_same_as_text_are_duplicates(tmp_path: Path) -> None:
    # `1` and "1" are different YAML keys but the same key once turned into text.
    [problem] = read(tmp_path, "levels:\n  1: a\n  '1': b\n").problems
    assert str(problem.location) == f"{SHOWN}:3:3"
    assert problem.message == "duplicate key '1' (first defined at line 2)"


@pytest.mark.parametrize(
    ("text", "where"),
    [("? [a, b]\n: 1\n", "1:3"), ("? {a: 1}\n: 1\n", "1:3"), ("2026-01-01: x\n", "1:1")],
)
def test_keys_that_are_not_plain_words_are_refused(tmp_path: Path, text: str, where: str) -> None:
    document = read(tmp_path, text)
    assert document.data == {}
    assert located(document.problems) == [(f"{SHOWN}:{where}", "mapping keys must be plain words")]


def test_merge_key_is_refused(tmp_path: Path) -> None:
    document = read(tmp_path, "a: {x: 1}\nb:\n  <<: {y: 2}\n  z: 3\n")
    assert located(document.problems) == [(f"{SHOWN}:3:3", "merge keys ('<<') are not allowed")]
    assert document.data == {"a": {"x": 1}, "b": {"z": 3}}


# --- tags ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "tag"),
    [
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ("!!python/object/apply:os.system ['echo hi']", "!!python/object/apply:os.system"),
        ("!!python/object/new:subprocess.Popen [[ls]]", "!!python/object/new:subprocess.Popen"),
        ("!!python/name:os.system", "!!python/name:os.system"),
        ("!!python/tuple [1, 2]", "!!python/tuple"),
        ("!foo bar", "!foo"),
        ("!foo {a: 1}", "!foo"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
    ],
)
def test_tags_other_than_plain_data_are_refused(tmp_path: Path, value: str, tag: str) -> None:
    document = read(tmp_path, f"id: leaf\nversion: {value}\n")
    assert document.data == {"id": "leaf", "version": None}
    [problem] = document.problems
    assert str(problem.location) == f"{SHOWN}:2:10"
    assert problem.message == f"YAML tag {tag!r} is not allowed"
    assert problem.hint == "content is data only: remove the '!' tag"


def test_python_apply_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    document = read(tmp_path, f'v: !!python/object/apply:os.system ["touch {marker}"]\n')
    assert document.problems
    assert not marker.exists()


def test_explicit_plain_tags_are_accepted(tmp_path: Path) -> None:
    document = read(tmp_path, "version: !!str 1.0\ncount: !!int '3'\n")
    assert document.problems == []
    assert document.data == {"version": "1.0", "count": 3}


# --- refused outright --------------------------------------------------------------------


def test_tab_in_indentation_is_located(tmp_path: Path) -> None:
    problems = refused(tmp_path, "title:\n\teasy: One\n  \tplain: Two\n")
    assert located(problems) == [
        (f"{SHOWN}:2:1", "tab character in indentation"),
        (f"{SHOWN}:3:3", "tab character in indentation"),
    ]
    assert problems[0].hint == "YAML indentation must use spaces; set your editor to insert spaces"


def test_tab_inside_quoted_text_is_fine(tmp_path: Path) -> None:
    # (PyYAML itself refuses a tab inside a plain, unquoted scalar.)
    assert read(tmp_path, 'a: "one\ttwo"\n').data == {"a": "one\ttwo"}


def test_non_utf8_byte_is_located(tmp_path: Path) -> None:
    problems = refused(tmp_path, b"id: leaf\ntitle: caf\xe9 au lait\n")
    assert located(problems) == [(f"{SHOWN}:2:11", "file is not UTF-8 (byte 0xe9)")]
    assert problems[0].hint == "save the file as UTF-8 in your editor"


def test_non_utf8_column_counts_characters(tmp_path: Path) -> None:
    problems = refused(tmp_path, "title: café ".encode() + b"\xff\n")
    assert located(problems) == [(f"{SHOWN}:1:13", "file is not UTF-8 (byte 0xff)")]


def test_utf8_bom_is_accepted_and_does_not_shift_columns(tmp_path: Path) -> None:
    document = read(tmp_path, b"\xef\xbb\xbfid: leaf\ntitle: Caf\xc3\xa9\n")
    assert document.problems == []
    assert document.data == {"id": "leaf", "title": "Café"}
    assert document.positions.of(("id",), key=True) == Location(SHOWN, 1, 1)
    assert document.positions.of(("id",)) == Location(SHOWN, 1, 5)


def test_alias_is_refused_at_the_alias(tmp_path: Path) -> None:
    problems = refused(tmp_path, "a: &x one\nb: *x\n")
    assert located(problems) == [(f"{SHOWN}:2:4", "anchors and aliases (*name) are not allowed")]
    assert problems[0].hint == "write the value out again, or move it into a shared block"


def test_billion_laughs_is_refused_quickly() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(ContentError) as info:
            read_yaml(INVALID / "billion-laughs.yaml", SHOWN)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # refused before any expansion (an expanded bomb needs GBs)
    assert located(info.value.problems) == [
        (f"{SHOWN}:4:8", "anchors and aliases (*name) are not allowed")
    ]


def test_nesting_up_to_max_depth_is_accepted(tmp_path: Path) -> None:
    document = read(tmp_path, "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert document.problems == []


def test_nesting_deeper_than_max_depth_is_refused(tmp_path: Path) -> None:
    depth = MAX_DEPTH + 1
    problems = refused(tmp_path, "[" * depth + "]" * depth + "\n")
    assert located(problems) == [
        (f"{SHOWN}:1:{depth}", f"nesting deeper than {MAX_DEPTH} levels"),
    ]
    assert problems[0].hint == "leaflet content is never this deep; check the structure"


def test_deep_block_mappings_are_refused(tmp_path: Path) -> None:
    text = "".join("  " * level + "k:\n" for level in range(MAX_DEPTH + 5))
    [problem] = refused(tmp_path, text)
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels"


def test_file_bigger_than_the_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 64)
    assert read(tmp_path, "a: " + "x" * 60 + "\n").data == {"a": "x" * 60}  # 64 bytes: fine
    problems = refused(tmp_path, "a: " + "x" * 61 + "\n")
    assert located(problems) == [(str(SHOWN), "file is 65 bytes; the limit is 64")]
    assert problems[0].hint == "split the content into several files or shared blocks"


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "\ufeff"])
def test_empty_file_is_refused(tmp_path: Path, text: str) -> None:
    problems = refused(tmp_path, text)
    assert located(problems) == [(f"{SHOWN}:1:1", "file is empty")]
    assert problems[0].hint == "see docs/content.md for the format"


def test_two_documents_in_one_file_are_refused(tmp_path: Path) -> None:
    problems = refused(tmp_path, "id: one\n---\nid: two\n")
    assert located(problems) == [
        (
            f"{SHOWN}:2:1",
            "expected a single document in the stream, but found another document",
        )
    ]
    assert problems[0].hint == "remove the '---' separator: one file holds one document"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("id: leaf\n title: x\n", "2:7", "mapping values are not allowed in this context"),
        (
            "id: leaf\nsources: [S1, S2\n",
            "3:1",
            "while parsing a flow sequence, did not find expected ',' or ']'",
        ),
        (
            'id: leaf\ntitle: "unclosed\n',
            "3:1",
            "while scanning a quoted scalar, found unexpected end of stream",
        ),
        (
            "title:\n  easy: x\n plain: y\n",
            "3:2",
            "while parsing a block mapping, did not find expected key",
        ),
    ],
)
def test_syntax_error_is_located(tmp_path: Path, text: str, where: str, message: str) -> None:
    problems = refused(tmp_path, text)
    assert located(problems) == [(f"{SHOWN}:{where}", message)]
    assert problems[0].hint == "check the indentation and quoting on this line and the one before"


# --- known bugs: other exceptions escape instead of a located ContentError ------------------


def test_impossible_date_is_a_located_error(tmp_path: Path) -> None:
    problems = refused(tmp_path, "id: leaf\nnext_review: 2026-02-30\n")
    assert [str(p.location) for p in problems] == [f"{SHOWN}:2:14"]


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\ufffe"])
def test_forbidden_character_is_a_located_error(tmp_path: Path, char: str) -> None:
    problems = refused(tmp_path, f"id: leaf\ntitle: a{char}b\n")
    assert [str(p.location) for p in problems] == [f"{SHOWN}:2:9"]


@pytest.mark.parametrize("value", ["!!int abc", "!!float abc", "!!bool maybe", "!!timestamp soon"])
def test_explicit_tag_that_does_not_fit_is_a_located_error(tmp_path: Path, value: str) -> None:
    problems = refused(tmp_path, f"id: leaf\nversion: {value}\n")
    assert [str(p.location) for p in problems] == [f"{SHOWN}:2:10"]


def test_huge_integer_is_a_located_error(tmp_path: Path) -> None:
    problems = refused(tmp_path, "id: leaf\nversion: " + "1" * 5000 + "\n")
    assert [str(p.location) for p in problems] == [f"{SHOWN}:2:10"]


def test_tab_line_number_counts_only_real_line_breaks(tmp_path: Path) -> None:
    problems = refused(tmp_path, "a: 1\x0c\n\tb: 2\n")
    assert [str(p.location) for p in problems] == [f"{SHOWN}:2:1"]


# --- property-based: anything in, data or ContentError out ------------------------------

#: Characters PyYAML accepts in a stream (yaml.reader.Reader.NON_PRINTABLE excludes the rest).
YAML_CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs"),
    exclude_characters="\ufffe\uffff",
    include_characters="\t\n\r\x85",
)
#: Bits of YAML syntax, so random text hits the parser's corners more often than letters do.
YAML_TOKENS = st.sampled_from(
    [": ", "- ", "\n", "  ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!", "!!str ", "#",
     "'", '"', "|\n", ">-\n", "---\n", "...\n", "%YAML 1.1\n", "<<: ", "\t", "\ufeff", "id"]
)  # fmt: skip
YAML_TEXT = st.lists(st.one_of(YAML_TOKENS, st.text(YAML_CHARACTERS, max_size=8)), max_size=30)


def check_read(content: bytes) -> SourceDocument | None:
    """read_yaml returns a document or raises ContentError with located problems; nothing else."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leaf.yaml"
        path.write_bytes(content)
        document: SourceDocument | None = None
        problems: list[Problem] = []
        try:
            document = read_yaml(path, SHOWN)
        except ContentError as exc:
            problems = exc.problems
            assert problems, "ContentError without problems"
        else:
            problems = document.problems
    assert all(isinstance(p, Problem) and p.location.path == SHOWN for p in problems)
    return document


@settings(max_examples=60, deadline=2000)
@given(st.text(YAML_CHARACTERS))
def test_any_yaml_text_gives_data_or_content_error(text: str) -> None:
    check_read(text.encode())


@settings(max_examples=60, deadline=2000)
@given(YAML_TEXT)
def test_yamlish_token_soup_gives_data_or_content_error(parts: list[str]) -> None:
    check_read("".join(parts).encode())


@pytest.mark.parametrize(
    "text", ["!: : ", "!custom key: 1\n", "? !!python/name:os.system x\n: 1\n"]
)
def test_a_tagged_mapping_key_is_refused_at_its_line(text: str) -> None:
    """Regression (found by the token-soup property): a tagged key crashed the reader."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "leaf.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            problems = read_yaml(path, SHOWN).problems
        except ContentError as exc:
            problems = exc.problems
    assert any("tag" in p.message and p.location.line == 1 for p in problems), problems


@settings(max_examples=60, deadline=2000)
@given(st.binary())
def test_any_bytes_without_forbidden_characters_give_data_or_content_error(raw: bytes) -> None:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if yaml.reader.Reader.NON_PRINTABLE.search(text):
            return  # covered by test_forbidden_character_is_a_located_error (a known bug)
    check_read(raw)


@settings(max_examples=60, deadline=2000)
@example("a: \x00\n")
@given(st.text())
def test_any_text_at_all_gives_data_or_content_error(text: str) -> None:
    check_read(text.encode())


#: Any text, but for the line breaks PyYAML's emitter mangles (it folds them to spaces).
DUMPABLE_TEXT = st.text(
    st.characters(exclude_characters="\x85\u2028\u2029", exclude_categories=("Cs",))
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | DUMPABLE_TEXT
    | st.dates()
)
STRUCTURES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(DUMPABLE_TEXT, children, max_size=4)
    ),
    max_leaves=25,
)


def _depth(data: Any) -> int:
    """Nesting as read_yaml counts it: each collection, and the scalars (and keys) in it."""
    if isinstance(data, dict):
        return 1 + max([1, *(_depth(v) for v in data.values())]) if data else 1
    if isinstance(data, list):
        return 1 + max(_depth(v) for v in data) if data else 1
    return 1


@settings(max_examples=60, deadline=2000)
@given(STRUCTURES)
def test_dumped_structures_read_back_unchanged(data: Any) -> None:
    document = check_read(yaml.safe_dump(data, allow_unicode=True).encode())
    if document is None:  # refused: only allowed for structures nested too deep
        assert _depth(data) > MAX_DEPTH
        return
    assert document.problems == []
    assert document.data == data
