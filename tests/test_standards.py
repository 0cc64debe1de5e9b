"""Every standard id the repository cites is defined in docs/standards.md (issue 13)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STANDARDS = ROOT / "docs" / "standards.md"
CITED_ID = re.compile(r"\b(?:CC|ER|LP|RK|RL|SC|SE|UA)[0-9]+\b")
CITED_FACT = re.compile(r"rendering-facts §([0-9]+(?:\.[0-9]+)?)")
#: Strings that look like ids but are not: CMU phonemes in the syllable tests.
NOT_IDS = {"ER0"}
SEARCHED = ("src", "tests", "templates", "docs", "bench", "README.md", "Makefile")


def cited_files() -> list[Path]:
    files: list[Path] = []
    for name in SEARCHED:
        path = ROOT / name
        candidates = [path] if path.is_file() else sorted(path.rglob("*"))
        files += [
            f
            for f in candidates
            if f.is_file()
            and f != STANDARDS
            and f.suffix in {".py", ".md", ".j2", ".css", ".yaml", ".html", ""}
            and ".venv" not in f.parts
        ]
    return files


def test_every_cited_standard_id_is_defined() -> None:
    defined = set(re.findall(r"^\| ([A-Z]{2}[0-9]+) \|", STANDARDS.read_text(), re.MULTILINE))
    missing = {}
    for path in cited_files():
        for found in set(CITED_ID.findall(path.read_text(encoding="utf-8", errors="replace"))):
            if found not in defined and found not in NOT_IDS:
                missing.setdefault(found, []).append(str(path.relative_to(ROOT)))
    assert len(defined) > 50
    assert not missing, f"cited but not in docs/standards.md: {missing}"


def test_every_cited_rendering_fact_is_in_the_repo() -> None:
    text = STANDARDS.read_text()
    for path in cited_files():
        for section in CITED_FACT.findall(path.read_text(encoding="utf-8", errors="replace")):
            heading = f"## rendering-facts §{section}"
            assert heading in text or any(
                line.startswith(heading + ".") for line in text.splitlines()
            ), f"{path.relative_to(ROOT)} cites rendering-facts §{section}"


def test_no_path_into_the_research_folder_outside_the_repo() -> None:
    for path in cited_files():
        if path.parts[len(ROOT.parts)] in {"src", "tests", "templates"}:
            research = "../" + "shared"  # spelt in two parts so this file does not match itself
            assert research not in path.read_text(encoding="utf-8", errors="replace"), path
