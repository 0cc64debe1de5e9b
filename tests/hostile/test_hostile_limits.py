"""Bounded work: per-field and per-file text limits, picture pixel limits (issue 12,
finding 8; docs/security.md §8). Times are measured in bench/, not here: these tests check
that the limits are enforced, located, and that what is under them still builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_kit import LOCATED, Project, assert_nothing_built
from PIL import Image

from leaflets.content import limits

FIELD = "          all: We do not know the long-term effects."


def with_text(project: Project, text: str) -> Project:
    return project.edit(FIELD, f"          all: {json.dumps(text)}")


def sentence_text(chars: int) -> str:
    """Plain sentences, exactly `chars` characters long."""
    sentence = "We do not know the long-term effects of it. "
    text = (sentence * (chars // len(sentence) + 1))[: chars - 1].rstrip()
    return text + "x" * (chars - 1 - len(text)) + "."


def test_a_2_mb_text_field_is_refused_at_its_line_before_any_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding 8: `leaflets check` on a 1.9 MB text field took 102 s."""
    import leaflets.text.readability

    def never(*args: object, **kwargs: object) -> object:
        raise AssertionError("the text was measured")

    monkeypatch.setattr(leaflets.text.readability, "measure", never)
    project = with_text(Project(tmp_path / "p"), sentence_text(1_900_000))
    line = project.line_of('          all: "We do not know')
    result = project.check()
    assert result.code == 1, result.err
    assert (
        f"content/leaflets/mini.yaml:{line}:16: this text is 1,900,000 characters long; "
        "one field may hold at most 10,000" in result.lines
    ), result.err
    assert all(LOCATED.match(x) or x.startswith(("    hint:", "FAILED")) for x in result.lines)
    assert project.build().code == 1
    assert_nothing_built(project.output)


def test_a_field_at_the_limit_is_fine_and_one_more_character_is_not(tmp_path: Path) -> None:
    at_limit = with_text(Project(tmp_path / "a"), sentence_text(limits.MAX_FIELD_CHARS))
    assert "characters long" not in at_limit.check().err
    over = with_text(Project(tmp_path / "b"), sentence_text(limits.MAX_FIELD_CHARS) + "x")
    assert "10,001 characters long" in over.check().err


def test_a_file_with_too_much_text_in_all_is_refused(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    items = "\n".join(f"          - {json.dumps(sentence_text(9_000))}" for _ in range(12))
    project.edit(FIELD, f"          all: Short.\n        items:\n          all:\n{items}")
    result = project.check()
    assert result.code == 1, result.err
    assert "content/leaflets/mini.yaml:1:1: this file holds 108," in result.err
    assert "at most 100,000 are allowed" in result.err


@pytest.fixture(scope="module")
def huge_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """144 megapixels, as in finding 8 (1-bit, so it is small on disk)."""
    path = tmp_path_factory.mktemp("img") / "huge.png"
    Image.new("1", (12_000, 12_000)).save(path)
    return path


def test_a_144_megapixel_logo_is_refused_with_a_located_message(
    tmp_path: Path, huge_png: Path
) -> None:
    project = Project(tmp_path / "p")
    folder = project.root / "clinics" / "big"
    folder.mkdir(parents=True)
    (folder / "logo.png").write_bytes(huge_png.read_bytes())
    (folder / "clinic.yaml").write_text(
        "id: big\nname: Big\nlogo:\n  path: logo.png\n  alt: Big logo\nphone: '01234'\n"
    )
    result = project.build("--clinic", str(folder / "clinic.yaml"))
    assert result.code == 1, result.err
    assert "DecompressionBomb" not in result.err
    assert (
        "clinics/big/clinic.yaml:4:9: logo 'logo.png': the picture has more than 40 million pixels"
        in result.lines
    ), result.err
    assert_nothing_built(project.output)


def test_a_picture_over_the_limit_in_content_is_refused(tmp_path: Path) -> None:
    """50 megapixels: under Pillow's own warning, over ours."""
    project = Project(tmp_path / "p")
    Image.new("1", (10_000, 5_000)).save(project.root / "content/images/wide.png")
    project.edit("path: images/dot.svg", "path: images/wide.png")
    result = project.build()
    assert result.code == 1, result.err
    line = project.line_of("images/wide.png")
    assert any(
        x.startswith(f"content/leaflets/mini.yaml:{line}:")
        and "the picture is 10000 x 5000 pixels (50 million)" in x
        for x in result.lines
    ), result.err


def test_a_picture_under_the_limit_builds(tmp_path: Path) -> None:
    project = Project(tmp_path / "p")
    Image.new("RGB", (300, 200), "#336699").save(project.root / "content/images/ok.png")
    project.edit("path: images/dot.svg", "path: images/ok.png")
    result = project.build()
    assert result.code == 0, result.err
