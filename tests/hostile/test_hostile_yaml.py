"""Hostile and broken YAML: each case is refused with one exact, located message, exit 1,
no traceback, and nothing in the output folder (guarantees 1, 5 and 6 of docs/security.md).

Each case edits a copy of the minimal project and returns the lines stderr must hold; line
numbers come from the file itself, so the fixture can grow without breaking the cases.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_kit import (
    HOSTILE,
    LEAFLET,
    TESTS,
    Project,
    assert_failed_cleanly,
    assert_nothing_built,
    unlocated,
)

from leaflets.content import source
from leaflets.content.source import MAX_DEPTH, MAX_FILE_BYTES

Case = Callable[[Project], list[str]]
LEAFLET_CASES: dict[str, Case] = {}
PROJECT_CASES: dict[str, Case] = {}

SYNTAX_HINT = "    hint: check the indentation and quoting on this line and the one before"
TAG_HINT = "    hint: content is data only: remove the '!' tag"


def leaflet_case(name: str) -> Callable[[Case], Case]:
    """A mistake in one leaflet file: that leaflet fails, the run goes on."""

    def register(function: Case) -> Case:
        LEAFLET_CASES[name] = function
        return function

    return register


def project_case(name: str) -> Callable[[Case], Case]:
    """A mistake in a file every leaflet depends on: the whole run stops before building."""

    def register(function: Case) -> Case:
        PROJECT_CASES[name] = function
        return function

    return register


# --- syntax -------------------------------------------------------------------------------


@leaflet_case("malformed-indentation")
def _(p: Project) -> list[str]:
    line = p.line_of("easy: Test medicine")
    p.edit("  easy: Test medicine", " easy: Test medicine")
    return [f"{LEAFLET}:{line + 1}:8: mapping values are not allowed in this context", SYNTAX_HINT]


@leaflet_case("unclosed-quote")
def _(p: Project) -> list[str]:
    # PyYAML points at the end of the file, not at the quote that was never closed.
    end = len(p.text().splitlines()) + 1
    p.edit('version: "1.0"', 'version: "1.0')
    return [f"{LEAFLET}:{end}:1: while scanning a quoted scalar, found unexpected end of stream"]


@leaflet_case("unclosed-flow-list")
def _(p: Project) -> list[str]:
    line = p.line_of("- id: uncertainty")
    p.edit("sources: [S1]\n  - id: uncertainty", "sources: [S1\n  - id: uncertainty")
    return [f"{LEAFLET}:{line}:7: while parsing a flow sequence, did not find expected ',' or ']'"]


@leaflet_case("tab-in-indentation")
def _(p: Project) -> list[str]:
    line = p.line_of("easy: Test medicine")
    p.edit("  easy: Test medicine", "\teasy: Test medicine")
    return [
        f"{LEAFLET}:{line}:1: tab character in indentation",
        "    hint: YAML indentation must use spaces; set your editor to insert spaces",
    ]


@leaflet_case("two-documents")
def _(p: Project) -> list[str]:
    lines = len(p.text().splitlines())
    p.write(LEAFLET, p.text() + "---\nid: other\n")
    return [
        f"{LEAFLET}:{lines + 1}:1: expected a single document in the stream, "
        "but found another document",
        "    hint: remove the '---' separator: one file holds one document",
    ]


# --- encoding -----------------------------------------------------------------------------


@leaflet_case("bom-keeps-columns")
def _(p: Project) -> list[str]:
    # A UTF-8 byte-order mark is accepted and must not shift the columns after it.
    p.write(LEAFLET, b"\xef\xbb\xbfbogus: 1\n" + p.path().read_bytes())
    return [f"{LEAFLET}:1:1: unknown key 'bogus'"]


@leaflet_case("non-utf8-latin1")
def _(p: Project) -> list[str]:
    line = p.line_of("easy: Test medicine")
    p.write(LEAFLET, p.path().read_bytes().replace(b"Test medicine", b"Test m\xe9dicine", 1))
    return [
        f"{LEAFLET}:{line}:15: file is not UTF-8 (byte 0xe9)",
        "    hint: save the file as UTF-8 in your editor",
    ]


@leaflet_case("non-utf8-utf16")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, p.text().encode("utf-16"))
    return [f"{LEAFLET}:1:1: file is not UTF-8 (byte 0xff)"]


@leaflet_case("nul-character")
def _(p: Project) -> list[str]:
    line = p.line_of("all: We do not know")
    p.edit("We do not know the", "We do not\x00know the")
    return [
        f"{LEAFLET}:{line}:25: character 0 is not allowed in YAML",
        "    hint: remove it; it is often pasted in by accident from another program",
    ]


@leaflet_case("empty-file")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, b"")
    return [f"{LEAFLET}:1:1: file is empty", "    hint: see docs/content.md for the format"]


@leaflet_case("only-a-comment")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, "# TODO: write this leaflet\n")
    return [f"{LEAFLET}:1:1: file is empty"]


@leaflet_case("a-list-not-a-mapping")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, "- id: mini\n- version: '1.0'\n")
    return [f"{LEAFLET}:1:1: expected a mapping of keys (e.g. 'id: ...')"]


@leaflet_case("plain-text-not-yaml")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, "Ketamine is a medicine. It is given in clinics.\n")
    return [f"{LEAFLET}:1:1: expected a mapping of keys (e.g. 'id: ...')"]


# --- keys and types -----------------------------------------------------------------------


@leaflet_case("duplicate-top-level-key")
def _(p: Project) -> list[str]:
    line = p.line_of("next_review:")
    p.edit("next_review: 2027-01-01", "next_review: 2027-01-01\nid: other")
    return [
        f"{LEAFLET}:{line + 1}:1: duplicate key 'id' (first defined at line 1)",
        "    hint: a key may appear only once: remove or rename one of them",
    ]


@leaflet_case("duplicate-level-key")
def _(p: Project) -> list[str]:
    first = p.line_of("easy: Test medicine")
    p.edit("  easy: Test medicine\n", "  easy: Test medicine\n  easy: Other medicine\n")
    return [f"{LEAFLET}:{first + 1}:3: duplicate key 'easy' (first defined at line {first})"]


@leaflet_case("wrong-type-version-number")
def _(p: Project) -> list[str]:
    p.edit('version: "1.0"', "version: 1.0")
    return [
        f"{LEAFLET}:2:10: version: expected text, got 1.0",
        '    hint: put the value in quotes, e.g. "1.0"',
    ]


@leaflet_case("wrong-type-title-list")
def _(p: Project) -> list[str]:
    p.edit("title:\n  easy: Test medicine\n  plain: About the test medicine", "title: [a, b]")
    return [f"{LEAFLET}:3:8: title: Input should be a valid dictionary"]


@leaflet_case("wrong-type-sections-number")
def _(p: Project) -> list[str]:
    line = p.line_of("sections:")
    text = p.text()
    p.write(LEAFLET, text[: text.index("sections:")] + "sections: 7\n")
    return [f"{LEAFLET}:{line}:11: sections: Input should be a valid list"]


@leaflet_case("wrong-type-date")
def _(p: Project) -> list[str]:
    line = p.line_of("next_review:")
    p.edit("next_review: 2027-01-01", "next_review: next spring")
    return [f"{LEAFLET}:{line}:14: next_review: expected a date like 2026-11-24"]


@leaflet_case("impossible-date")
def _(p: Project) -> list[str]:
    line = p.line_of("next_review:")
    p.edit("next_review: 2027-01-01", "next_review: 2027-02-30")
    return [
        f"{LEAFLET}:{line}:14: '2027-02-30' is not a valid date",
        "    hint: use a real date, e.g. 2027-02-28",
    ]


@leaflet_case("unknown-top-level-key")
def _(p: Project) -> list[str]:
    line = p.line_of("next_review:")
    p.edit("next_review: 2027-01-01", "next_review: 2027-01-01\nevidance_checked: 2026-01-01")
    return [
        f"{LEAFLET}:{line + 1}:1: unknown key 'evidance_checked'",
        "    hint: did you mean 'evidence_checked'?",
    ]


@leaflet_case("unknown-key-in-block")
def _(p: Project) -> list[str]:
    line = p.line_of("all: We do not know") - 1
    p.edit(
        "        text:\n          all: We do not know",
        "        txt:\n          all: We do not know",
    )
    return [
        f"{LEAFLET}:{line}:9: unknown key 'txt' in sections[1].blocks[0]",
        "    hint: did you mean 'text'?",
    ]


# --- YAML features that run code or multiply data -------------------------------------------


@leaflet_case("python-object-apply-tag")
def _(p: Project) -> list[str]:
    marker = p.root / "pwned"
    line = p.line_of("all: We do not know")
    p.edit(
        "all: We do not know the long-term effects.",
        f"all: !!python/object/apply:os.system ['touch {marker}']",
    )
    return [
        f"{LEAFLET}:{line}:16: YAML tag '!!python/object/apply:os.system' is not allowed",
        TAG_HINT,
    ]


@leaflet_case("python-name-tag")
def _(p: Project) -> list[str]:
    p.edit('version: "1.0"', "version: !!python/name:os.system")
    return [f"{LEAFLET}:2:10: YAML tag '!!python/name:os.system' is not allowed", TAG_HINT]


@leaflet_case("include-tag")
def _(p: Project) -> list[str]:
    line = p.line_of("all: We do not know")
    p.edit("all: We do not know the long-term effects.", "all: !include /etc/passwd")
    return [f"{LEAFLET}:{line}:16: YAML tag '!include' is not allowed", TAG_HINT]


@leaflet_case("merge-key")
def _(p: Project) -> list[str]:
    line = p.line_of("all: This leaflet tells")
    p.edit("summary:\n  all:", "summary:\n  <<: {easy: x}\n  all:")
    return [f"{LEAFLET}:{line}:3: merge keys ('<<') are not allowed"]


@leaflet_case("alias-bomb")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, (TESTS / "fixtures" / "invalid" / "billion-laughs.yaml").read_bytes())
    return [
        f"{LEAFLET}:4:8: anchors and aliases (*name) are not allowed",
        "    hint: write the value out again, or move it into a shared block",
    ]


@leaflet_case("alias-reusing-text")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, (HOSTILE / "alias-in-leaflet.yaml").read_bytes())
    return [f"{LEAFLET}:8:10: anchors and aliases (*name) are not allowed"]


@leaflet_case("nesting-200-flow")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, "[" * 200 + "]" * 200 + "\n")
    return [
        f"{LEAFLET}:1:{MAX_DEPTH + 1}: nesting deeper than {MAX_DEPTH} levels",
        "    hint: leaflet content is never this deep; check the structure",
    ]


@leaflet_case("nesting-200-block")
def _(p: Project) -> list[str]:
    p.write(LEAFLET, "".join(" " * depth + "k:\n" for depth in range(200)))
    return [f"{LEAFLET}:{MAX_DEPTH}:{MAX_DEPTH}: nesting deeper than {MAX_DEPTH} levels"]


@leaflet_case("huge-integer")
def _(p: Project) -> list[str]:
    p.edit('version: "1.0"', "version: !!int " + "9" * 5000)
    return [f"{LEAFLET}:2:10: '{'9' * 40}...' is not a valid whole number"]


# --- levels -------------------------------------------------------------------------------


@leaflet_case("every-level-missing")
def _(p: Project) -> list[str]:
    p.edit(
        "title:\n  easy: Test medicine\n  plain: About the test medicine", "title:\n  detailed: X"
    )
    return [
        f"{LEAFLET}:4:3: unknown level 'detailed' in title",
        "    hint: levels: easy, plain (or 'all')",
        f"{LEAFLET}:4:3: title: no text for level 'easy', 'plain'",
        "    hint: write the text for each level, or use 'all:' when one text suits every level",
    ]


@leaflet_case("only-unknown-levels")
def _(p: Project) -> list[str]:
    p.edit('version: "1.0"', 'version: "1.0"\nlevels: [detailed]')
    return [
        f"{LEAFLET}:3:10: unknown level 'detailed'",
        "    hint: levels in leaflets.yaml: easy, plain",
    ]


# --- files that are not files ---------------------------------------------------------------


@leaflet_case("fifo-instead-of-a-file")
def _(p: Project) -> list[str]:
    # Reading a FIFO blocks until someone writes to it: refused before it is opened.
    p.path().unlink()
    os.mkfifo(p.path())
    return [
        f"{LEAFLET}: not a regular file",
        "    hint: content files are plain text files; check for a link to a device or pipe",
    ]


@leaflet_case("symlink-to-dev-zero")
def _(p: Project) -> list[str]:
    # An endless file: refused before a byte is read (it would fill the memory).
    p.path().unlink()
    p.path().symlink_to("/dev/zero")
    return [
        f"{LEAFLET}: this file lies outside the project folder",
        "    hint: content files must be inside the project (a symlink points elsewhere)",
    ]


# --- files every leaflet depends on --------------------------------------------------------


@project_case("project-file-bad-level-id")
def _(p: Project) -> list[str]:
    line = p.line_of("  plain:", "leaflets.yaml")
    p.edit("  plain:\n", "  ../evil:\n", "leaflets.yaml")
    # (The message points at the level's settings, one line below the bad key.)
    return [f"leaflets.yaml:{line + 1}:5: levels.../evil.[key]: '../evil' has the wrong form"]


@project_case("project-file-python-tag")
def _(p: Project) -> list[str]:
    p.edit(
        "publisher: Test Clinic", "publisher: !!python/object/new:os.system [id]", "leaflets.yaml"
    )
    return [
        "leaflets.yaml:2:12: YAML tag '!!python/object/new:os.system' is not allowed",
        TAG_HINT,
    ]


@project_case("project-file-empty")
def _(p: Project) -> list[str]:
    p.write("leaflets.yaml", "")
    return ["leaflets.yaml:1:1: file is empty"]


@project_case("sources-wrong-type")
def _(p: Project) -> list[str]:
    line = p.line_of("year: 2020", "content/sources.yaml")
    p.edit("year: 2020", "year: twenty twenty", "content/sources.yaml")
    return [
        f"content/sources.yaml:{line}:11: sources.S1.year: Input should be a valid integer, "
        "unable to parse string as an integer"
    ]


@project_case("sources-alias")
def _(p: Project) -> list[str]:
    p.edit("  S1:\n", "  S1: &s\n", "content/sources.yaml")
    p.write("content/sources.yaml", p.text("content/sources.yaml") + "  S2: *s\n")
    lines = len(p.text("content/sources.yaml").splitlines())
    return [f"content/sources.yaml:{lines}:7: anchors and aliases (*name) are not allowed"]


@project_case("shared-block-unknown-key")
def _(p: Project) -> list[str]:
    path = "content/blocks/common.yaml"
    line = p.line_of("kind: list", path)
    p.edit("    kind: list", "    kind: list\n    onclick: alert(1)", path)
    return [f"{path}:{line + 1}:5: unknown key 'onclick' in blocks[0]"]


# --- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(LEAFLET_CASES))
def test_broken_leaflet_fails_alone_with_a_located_message(name: str, tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    expected = LEAFLET_CASES[name](project)
    result = project.build()
    assert_failed_cleanly(result, expected, failed="mini.yaml")
    assert unlocated(result) == []
    assert_nothing_built(project.output)
    assert not (project.root / "pwned").exists()  # the python tag ran nothing
    check = project.check()
    assert check.code == 1
    for line in expected:
        assert line in check.lines


@pytest.mark.parametrize("name", sorted(PROJECT_CASES))
def test_broken_shared_file_stops_the_run_before_building(name: str, tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    expected = PROJECT_CASES[name](project)
    result = project.build()
    assert_failed_cleanly(result, expected)
    assert unlocated(result) == []
    assert not project.output.exists()


def test_50_megabyte_file_is_refused_before_any_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(tmp_path / "p")
    size = 50 * 1024 * 1024
    with project.path().open("r+b") as handle:  # sparse: 50 MB on paper, no disk used
        handle.truncate(size)

    parse = source._StrictLoader.__init__

    def parse_small_files_only(loader: source._StrictLoader, text: str, shown: Path) -> None:
        assert shown.name != "mini.yaml", "the YAML parser was started on a file over the limit"
        parse(loader, text, shown)

    monkeypatch.setattr(source._StrictLoader, "__init__", parse_small_files_only)
    result = project.build()  # refused before parsing: the patch above proves it
    assert_failed_cleanly(
        result,
        [
            f"{LEAFLET}: file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "    hint: split the content into several files or shared blocks",
        ],
        failed="mini.yaml",
    )
    assert_nothing_built(project.output)


def test_a_file_that_grows_past_the_limit_is_read_only_up_to_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # stat() said small, the file is big by the time it is read (or lies about its size).
    project = Project(tmp_path / "p")
    project.write(LEAFLET, b"a: " + b"x" * (MAX_FILE_BYTES + 10) + b"\n")
    real_stat = Path.stat

    def small_stat(self: Path, **kwargs: bool) -> os.stat_result:
        result = real_stat(self, **kwargs)
        if self.name == "mini.yaml":
            fields = list(result)
            fields[6] = 100  # st_size
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(Path, "stat", small_stat)
    result = project.check()
    assert result.code == 1
    assert f"{LEAFLET}: file is {MAX_FILE_BYTES + 1:,} bytes; the limit is {MAX_FILE_BYTES:,}" in (
        result.lines
    )


def test_a_leaflet_built_at_no_level_is_an_error(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.edit('version: "1.0"', 'version: "1.0"\nlevels: []')
    result = project.build()
    assert result.code == 1
    assert any(line.startswith(f"{LEAFLET}:3:") for line in result.lines), result.err


def test_a_catastrophic_wording_rule_does_not_hang(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    project.write(
        "content/wording.yaml", "rules:\n  - id: slow\n    pattern: '(a+)+$'\n    message: slow\n"
    )
    project.edit("We do not know the long-term effects.", "a" * 40 + "!")
    command = [sys.executable, "-m", "leaflets", "check", str(project.root)]
    try:  # in a child process: a regular expression cannot be interrupted in this one
        completed = subprocess.run(command, capture_output=True, text=True, timeout=5)
    except subprocess.TimeoutExpired:  # run() has killed the child
        pytest.fail("`leaflets check` ran for more than 5 s on one wording rule")
    assert completed.returncode == 1
    assert "content/wording.yaml" in completed.stderr


@pytest.mark.parametrize("key", ["use", "block"])
def test_top_level_discriminator_word_is_an_unknown_key(tmp_path: Path, key: str) -> None:
    project = Project(tmp_path / "p")
    project.edit("next_review: 2027-01-01", f"next_review: 2027-01-01\n{key}: x")
    line = project.line_of(f"{key}: x")
    result = project.check()
    assert result.code == 1, result.err
    assert f"{LEAFLET}:{line}:1: unknown key {key!r}" in result.lines


def test_use_key_in_a_section_is_named(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    line = project.line_of("- id: uncertainty")
    project.edit("  - id: uncertainty\n", "  - id: uncertainty\n    use: x\n")
    result = project.check()
    assert f"{LEAFLET}:{line + 1}:5: unknown key 'use' in sections[1]" in result.lines
