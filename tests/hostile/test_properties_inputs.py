"""Property-based, for the inputs issue 12 found trusted: random manifests and random
clinic files (docs/security.md §6 and §8).

- Whatever `manifest.json` holds, `load_manifest` returns a `Manifest` (never raises);
  every entry it keeps has a path of the shape the build makes; `read_built` returns only
  the bytes of a regular file inside the output folder that match the entry, and never
  the bytes of a file outside it, however the entry names it.
- Whatever a clinic file holds, `load_clinic` returns a clinic whose printed addresses
  pass the address rule, or raises `ContentError` with located problems; never any other
  exception; and a clinic file outside the project is always refused.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets.build.manifest import PATH_PATTERN, load_manifest, read_built
from leaflets.content.load import load_clinic
from leaflets.content.urls import url_refusal
from leaflets.errors import ContentError

FUZZ_EXAMPLES = int(os.environ.get("LEAFLETS_FUZZ_EXAMPLES", "0"))
PROPERTY = settings(
    max_examples=FUZZ_EXAMPLES or 60,
    deadline=timedelta(seconds=2),
    derandomize=not FUZZ_EXAMPLES,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

SECRET = b"secret bytes outside the output folder\n"
GOOD = b"%PDF-1.7 a built file\n"

# --- random manifests ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder with a good file, a link to a secret outside, a FIFO, a link to
    /dev/zero and a linked folder; the secret lies next to the folder."""
    root = tmp_path_factory.mktemp("manifest")
    (root / "secret.txt").write_bytes(SECRET)
    out = root / "output"
    (out / "mini").mkdir(parents=True)
    (out / "mini/mini.easy.a4.pdf").write_bytes(GOOD)
    (out / "mini/link.easy.a4.pdf").symlink_to(root / "secret.txt")
    (out / "mini/zero.easy.a4.pdf").symlink_to("/dev/zero")
    os.mkfifo(out / "mini/fifo.easy.a4.pdf")
    (out / "linked").symlink_to(root)
    return out


PATHS = st.sampled_from(
    [
        "mini/mini.easy.a4.pdf",
        "mini/link.easy.a4.pdf",
        "mini/zero.easy.a4.pdf",
        "mini/fifo.easy.a4.pdf",
        "linked/secret.txt",
        "linked/output/mini/mini.easy.a4.pdf",
        "../secret.txt",
        "mini/../../secret.txt",
        "/dev/zero",
        "/etc/passwd",
        "mini/missing.easy.a4.pdf",
        "mini/.hidden.pdf",
        "",
    ]
) | st.text(max_size=30)
HASHES = st.sampled_from(
    [
        hashlib.sha256(GOOD).hexdigest(),
        hashlib.sha256(SECRET).hexdigest(),
        hashlib.sha256(b"").hexdigest(),
    ]
) | st.text(max_size=70)
SIZES = st.sampled_from([len(GOOD), len(SECRET), 0, -1, 2**63]) | st.integers() | st.booleans()
VALUES = st.none() | st.booleans() | st.integers() | st.text(max_size=10) | st.floats()
ENTRY = st.fixed_dictionaries(
    {
        "leaflet": st.just("mini") | VALUES,
        "level": st.just("easy") | VALUES,
        "paper": st.just("a4") | VALUES,
        "language": st.just("en-GB") | VALUES,
        "path": PATHS | VALUES,
        "pages": st.integers(-2, 5) | VALUES,
        "sha256": HASHES | VALUES,
        "bytes": SIZES | VALUES,
    },
    optional={
        "format": st.sampled_from(["pdf", "html"]) | VALUES,
        "large_print": VALUES,
        "clinic": VALUES,
        "inputs": VALUES,
        "extra": VALUES,
    },
)
MANIFEST = st.fixed_dictionaries(
    {"format": st.just(2) | VALUES, "files": st.lists(ENTRY | VALUES, max_size=6) | VALUES},
    optional={"claimed": st.lists(PATHS | VALUES, max_size=3) | VALUES},
) | st.recursive(VALUES, lambda children: st.lists(children, max_size=3), max_leaves=10)


@PROPERTY
@given(MANIFEST)
def test_random_manifest(out_dir: Path, document: Any) -> None:
    (out_dir / "manifest.json").write_text(json.dumps(document))
    manifest = load_manifest(out_dir)
    assert all(problem.location.path == out_dir / "manifest.json" for problem in manifest.problems)
    for path in manifest.owned:
        assert PATH_PATTERN.fullmatch(path)
    for path, entry in manifest.entries.items():
        assert path == entry.path
        assert PATH_PATTERN.fullmatch(path)
        data = read_built(out_dir, entry)
        assert data != SECRET
        if data is not None:
            assert data == GOOD
            assert path == "mini/mini.easy.a4.pdf"


@PROPERTY
@given(st.binary(max_size=200))
def test_random_manifest_bytes(out_dir: Path, raw: bytes) -> None:
    (out_dir / "manifest.json").write_bytes(raw)
    manifest = load_manifest(out_dir)
    assert all(PATH_PATTERN.fullmatch(path) for path in manifest.entries)


# --- random clinic files ------------------------------------------------------------------

URL_PARTS = st.tuples(
    st.sampled_from(["https://", "http://", "javascript:", "mailto:", "ftp://", "", "HTTPS://"]),
    st.sampled_from(["", "user@", "www.nhs.uk@", "a:b@"]),
    st.sampled_from(["example.org", "exаmple.org", "xn--e1afmkfd.org", "", "1.2.3.4", "[::1]"]),
    st.sampled_from(["", "/", "/{leaflet}/{level}", "/a?b=c#d", "/\u202e", "/\t", " x"]),
)
URLS = URL_PARTS.map("".join) | st.text(max_size=30)
TEXT = st.text(max_size=20)
CLINIC_VALUES = st.none() | st.booleans() | st.integers() | TEXT | st.lists(TEXT, max_size=3)
CLINIC = st.fixed_dictionaries(
    {"id": st.just("fuzz") | CLINIC_VALUES, "name": TEXT | CLINIC_VALUES},
    optional={
        "phone": TEXT | CLINIC_VALUES,
        "web": URLS | CLINIC_VALUES,
        "leaflet_url": URLS | CLINIC_VALUES,
        "address": st.lists(TEXT, max_size=3) | CLINIC_VALUES,
        "opening_hours": TEXT | CLINIC_VALUES,
        "logo": st.fixed_dictionaries(
            {
                "path": st.sampled_from(["logo.svg", "../logo.svg", "/etc/passwd", "missing.png"])
                | CLINIC_VALUES,
                "alt": TEXT | CLINIC_VALUES,
            }
        )
        | CLINIC_VALUES,
        "colour": CLINIC_VALUES,
    },
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("clinic") / "p"
    (root / "clinics/fuzz").mkdir(parents=True)
    (root / "clinics/fuzz/logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'
    )
    (root.parent / "logo.svg").write_text("<svg/>")
    return root


@PROPERTY
@given(CLINIC)
def test_random_clinic_file(project: Path, document: dict[str, Any]) -> None:
    path = project / "clinics/fuzz/clinic.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    try:
        loaded = load_clinic(path, project)
    except ContentError as exc:
        problems = exc.problems
    else:
        problems = []
    if problems:
        for problem in problems:
            assert problem.location.path == Path("clinics/fuzz/clinic.yaml")
            assert problem.location.line >= 1
        return
    for url in (loaded.clinic.web, loaded.clinic.leaflet_url):
        if url is not None:
            printed = url.replace("{leaflet}", "mini").replace("{level}", "easy")
            assert url_refusal(printed) is None, printed
    if loaded.clinic.logo is not None:
        logo = (loaded.folder / loaded.clinic.logo.path).resolve()
        assert logo.is_relative_to(project / "clinics/fuzz")


@PROPERTY
@given(st.sampled_from(["../out/clinic.yaml", "/tmp/clinic.yaml", "clinics/../../x/clinic.yaml"]))
def test_a_clinic_file_outside_is_always_refused(project: Path, relative: str) -> None:
    outside = project.parent / "out"
    outside.mkdir(exist_ok=True)
    (outside / "clinic.yaml").write_text("id: out\nname: Out\nphone: '1'\n")
    with pytest.raises(ContentError, match="outside the project folder"):
        load_clinic(project / relative, project)
