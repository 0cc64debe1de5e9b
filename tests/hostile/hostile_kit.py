"""Helpers for the hostile-input suite: a writable project, the CLI run in-process, and
checks on what the output folder and the built PDFs hold.

Not a test module (pytest collects `test_*.py` only); the suite's files import it by name
(pytest puts this folder on `sys.path`, as it has no `__init__.py`).
"""

from __future__ import annotations

import io
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pikepdf

from leaflets.cli.main import main

TESTS = Path(__file__).resolve().parents[1]
MINIMAL = TESTS / "fixtures" / "minimal"
HOSTILE = Path(__file__).resolve().parent / "fixtures"
LEAFLET = "content/leaflets/mini.yaml"
#: The build's lock file: machinery, not output (it holds only "pid N").
LOCK_NAME = ".leaflets.lock"
SNAPSHOT_NAME = ".leaflets-snapshot.json"
#: A problem line: `path: `, `path:line: ` or `path:line:col: ` first (paths here have no
#: spaces or colons).
LOCATED = re.compile(r"^[^\s:]+(:\d+){0,2}: ")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def run(*argv: str) -> Run:
    """`leaflets ARGV` in this process; never raises."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return Run(code, out.getvalue(), err.getvalue())


class Project:
    """A writable copy of a project (the minimal two-level one by default)."""

    def __init__(self, root: Path, source: Path = MINIMAL) -> None:
        shutil.copytree(source, root)
        self.root = root

    @property
    def output(self) -> Path:
        return self.root / "output"

    def path(self, relative: str = LEAFLET) -> Path:
        return self.root / relative

    def text(self, relative: str = LEAFLET) -> str:
        return self.path(relative).read_text(encoding="utf-8")

    def edit(self, old: str, new: str, relative: str = LEAFLET) -> Project:
        """Replace the one occurrence of `old` in a file (fails if it is not there once)."""
        text = self.text(relative)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {relative}"
        self.path(relative).write_text(text.replace(old, new), encoding="utf-8")
        return self

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    def line_of(self, needle: str, relative: str = LEAFLET) -> int:
        """1-based number of the only line containing `needle`."""
        found = [n for n, line in enumerate(self.text(relative).splitlines(), 1) if needle in line]
        assert len(found) == 1, (needle, found)
        return found[0]

    def build(self, *extra: str) -> Run:
        return run("build", str(self.root), "--quiet", *extra)

    def check(self) -> Run:
        return run("check", str(self.root))


def output_files(out_dir: Path) -> dict[str, bytes]:
    """Every file in the output folder (but the lock and the build snapshot, the builder's
    own bookkeeping: build/snapshot.py) and its bytes."""
    if not out_dir.exists():
        return {}
    return {
        path.relative_to(out_dir).as_posix(): path.read_bytes()
        for path in sorted(out_dir.rglob("*"))
        if path.is_file() and path.name not in (LOCK_NAME, SNAPSHOT_NAME)
    }


def assert_nothing_built(out_dir: Path) -> None:
    """No PDF, no HTML, no temporary file; at most a manifest that lists no files."""
    files = output_files(out_dir)
    assert set(files) <= {"manifest.json"}, sorted(files)
    if files:
        assert json.loads(files["manifest.json"])["files"] == []


def assert_failed_cleanly(result: Run, expected: list[str], failed: str | None = None) -> None:
    """Exit 1, every expected line in stderr exactly, no traceback, the failed item named."""
    assert result.code == 1, (result.code, result.err)
    assert "Traceback" not in result.err
    assert "internal error" not in result.err
    for line in expected:
        assert line in result.lines, f"missing {line!r} in:\n{result.err}"
    if failed is not None:
        assert f"FAILED {failed}" in result.lines, result.err


def unlocated(result: Run) -> list[str]:
    """Lines of stderr that are neither a located problem, a hint nor a FAILED header."""
    return [
        line
        for line in result.lines
        if not (LOCATED.match(line) or line.startswith(("    hint: ", "FAILED ")))
    ]


def pdf_text(path: Path) -> str:
    """The text of every page, with all white space removed (line breaks fall anywhere)."""
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s+", "", "".join(page.extract_text() or "" for page in pdf.pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


_DANGEROUS_KEYS = {"/EmbeddedFiles", "/EmbeddedFile", "/AF", "/JavaScript", "/JS", "/Launch"}


def pdf_dangers(path: Path) -> list[str]:
    """Anything in the PDF that carries a file or runs something: embedded files (`/AF`,
    `/EmbeddedFiles`, file attachment annotations), JavaScript, launch actions, and links
    to anything but http(s), mailto and tel."""
    found = []
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        if names is not None and "/EmbeddedFiles" in names:
            found.append("/Root/Names/EmbeddedFiles")
        if "/AF" in pdf.Root:
            found.append("/Root/AF")
        for number, page in enumerate(pdf.pages, 1):
            for annot in page.obj.get("/Annots", []):
                subtype = str(annot.get("/Subtype"))
                if subtype == "/FileAttachment":
                    found.append(f"page {number}: FileAttachment annotation")
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uri = str(action.URI)
                    if not re.match(r"(?i)(https?://|mailto:|tel:)", uri):
                        found.append(f"page {number}: link to {uri!r}")
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                keys = set(obj.keys()) & _DANGEROUS_KEYS
                if keys:
                    found.append(f"object {obj.objgen}: {sorted(keys)}")
                if obj.get("/Type") == pikepdf.Name.Filespec:
                    found.append(f"object {obj.objgen}: /Filespec")
    return found
