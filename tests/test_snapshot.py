"""The build snapshot (issue 18): a rebuild loads only the leaflets whose inputs changed,
and never misses a change. Each test edits one kind of input and checks the rebuild
against the oracle: what a full load of the project would rebuild (fingerprints and the
manifest, `plan_jobs`), computed before the build runs."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaflets import load_project
from leaflets.build import jobs as jobs_module
from leaflets.build.builder import BuildOptions, build_catalog, plan_variants
from leaflets.build.incremental import build_project, decide
from leaflets.build.jobs import JobResult, plan_jobs
from leaflets.build.manifest import read_manifest
from leaflets.build.snapshot import SNAPSHOT_NAME, read
from leaflets.review.approve import approve
from test_fingerprints import edit, two_leaflets

TODAY = dt.date(2026, 6, 1)
MINI = ["mini/mini.easy.a4.pdf", "mini/mini.plain.a4.pdf"]
OTHER = ["other/other.easy.a4.pdf", "other/other.plain.a4.pdf"]


def oracle(root: Path, options: BuildOptions) -> list[str]:
    """What a full load and plan would rebuild now."""
    catalog = load_project(root)
    out = (root / "output").resolve()
    variants = plan_variants(catalog, options)
    today = options.today or dt.date.today()
    jobs, _ = plan_jobs(catalog, variants, {}, read_manifest(out), out, options, today)
    return sorted(job.variant.relative_path for job in jobs)


def rebuild(root: Path, today: dt.date = TODAY, **given: object) -> tuple[list[str], str]:
    """Build with the snapshot; the files built and what the decision was."""
    options = BuildOptions(today=today, **given)  # type: ignore[arg-type]
    expected = oracle(root, options)
    decision = decide(root.resolve(), (root / "output").resolve(), options, today)
    report = build_project(root, root / "output", options)
    assert report.ok, report.failed
    built = sorted(entry.path for entry in report.built)
    assert built == expected
    kind = "full" if decision.full else "noop" if decision.nothing_to_do else "partial"
    return built, kind


@pytest.fixture
def built(minimal: Path) -> Path:
    two_leaflets(minimal)
    report = build_project(minimal, minimal / "output", BuildOptions(today=TODAY))
    assert len(report.built) == 4
    assert report.ok
    assert (minimal / "output" / SNAPSHOT_NAME).is_file()
    return minimal


def test_a_no_op_loads_nothing(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_load(*args: object, **kwargs: object) -> None:
        raise AssertionError("the library was loaded")

    monkeypatch.setattr("leaflets.build.incremental.load_project", no_load)
    report = build_project(built, built / "output", BuildOptions(today=TODAY))
    assert report.built == []
    assert len(report.skipped) == 4
    assert report.ok


def test_a_leaflet_file_reloads_only_that_leaflet(built: Path) -> None:
    edit(built / "content" / "leaflets" / "other.yaml", "Who can I call?", "Who do I call?")
    assert rebuild(built) == (OTHER, "partial")
    assert rebuild(built) == ([], "noop")


def test_the_same_bytes_written_again_rebuild_nothing(built: Path) -> None:
    path = built / "content" / "leaflets" / "other.yaml"
    path.write_bytes(path.read_bytes())  # new mtime and ctime, same content
    assert rebuild(built) == ([], "noop")


def test_a_shared_block_reloads_the_leaflets_that_use_it(built: Path) -> None:
    edit(built / "content" / "blocks" / "common.yaml", "What will happen?", "What happens?")
    assert rebuild(built) == (MINI, "partial")


def test_a_picture_reloads_the_leaflets_that_show_it(built: Path) -> None:
    edit(built / "content" / "images" / "dot.svg", "#003366", "#003367")
    assert rebuild(built) == (sorted(MINI + OTHER), "partial")


def test_global_inputs_load_everything(built: Path) -> None:
    edit(built / "content" / "sources.yaml", "A trial of", "A study of")
    assert rebuild(built) == (sorted(MINI + OTHER), "full")
    reviews = built / "content" / "reviews" / "leaflets"
    reviews.mkdir(parents=True)
    (reviews / "mini.yaml").write_text("# a review record file\n")
    assert rebuild(built)[1] == "full"
    translations = built / "content" / "translations"
    translations.mkdir()
    (translations / "notes.txt").write_text("not a translation yet\n")
    assert rebuild(built)[1] == "full"
    project = built / "leaflets.yaml"
    project.write_text(project.read_text() + "# a note\n")
    assert rebuild(built) == (sorted(MINI + OTHER), "full")


def test_a_project_template_loads_everything(built: Path) -> None:
    templates = built / "templates"
    templates.mkdir()
    (templates / "extra.css").write_text("/* nothing yet */\n")
    assert rebuild(built) == (sorted(MINI + OTHER), "full")


def test_options_other_than_the_default_take_the_full_path(built: Path) -> None:
    assert rebuild(built, levels=("easy",))[1] == "full"
    assert rebuild(built, force=True) == (sorted(MINI + OTHER), "full")
    # A forced build wrote no snapshot: the next one loads everything, then records one.
    assert rebuild(built) == ([], "full")
    assert rebuild(built) == ([], "noop")


def test_a_review_falling_due_rebuilds_on_that_day(built: Path) -> None:
    catalog = load_project(built)
    approve(
        catalog,
        "unknown",
        by="Editor",
        role="editor",
        date=dt.date(2026, 1, 1),
        next_review=dt.date(2026, 6, 30),
        leaflet_id="mini",
    )
    assert rebuild(built)[1] == "full"  # the approved wording is kept in content/reviews/
    assert rebuild(built, today=dt.date(2026, 6, 30)) == ([], "noop")  # still in date
    assert rebuild(built, today=dt.date(2026, 7, 1)) == (MINI, "partial")  # expired
    assert rebuild(built, today=dt.date(2026, 7, 2)) == ([], "noop")


def test_a_new_leaflet_file_is_loaded_and_built(built: Path) -> None:
    leaflets = built / "content" / "leaflets"
    (leaflets / "third.yaml").write_text(
        (leaflets / "other.yaml").read_text().replace("id: other", "id: third")
    )
    assert rebuild(built) == (["third/third.easy.a4.pdf", "third/third.plain.a4.pdf"], "partial")


def test_removing_a_leaflet_or_reusing_an_id_loads_everything(built: Path) -> None:
    leaflets = built / "content" / "leaflets"
    (leaflets / "sub").mkdir()
    (leaflets / "sub" / "mini.yaml").write_text((leaflets / "mini.yaml").read_text())
    options = BuildOptions(today=TODAY)
    decision = decide(built, (built / "output").resolve(), options, TODAY)
    assert decision.reload == [leaflets / "sub" / "mini.yaml"]  # then refused: id taken
    report = build_project(built, built / "output", options)
    assert not report.ok
    assert any("already used" in str(p) for ps in report.failed.values() for p in ps)
    (leaflets / "sub" / "mini.yaml").unlink()
    (leaflets / "other.yaml").unlink()
    assert decide(built, (built / "output").resolve(), options, TODAY).full
    report = build_project(built, built / "output", options)
    assert report.ok
    assert report.removed == OTHER


def test_a_deleted_or_altered_output_is_rebuilt(built: Path) -> None:
    out = built / "output"
    (out / MINI[0]).unlink()
    target = out / OTHER[1]
    data = target.read_bytes()
    target.write_bytes(data[:-1] + b"\n" if data[-1:] != b"\n" else data[:-1] + b" ")
    before = (out / OTHER[0]).stat()
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    report = build_project(built, out, BuildOptions(today=TODAY))
    assert report.ok
    assert sorted(e.path for e in report.built) == sorted([MINI[0], OTHER[1]])


def test_a_warning_is_reported_again_by_a_no_op(built: Path) -> None:
    edit(
        built / "content" / "leaflets" / "other.yaml", "id: other", "id: other\nclinics: [nowhere]"
    )
    first = build_project(built, built / "output", BuildOptions(today=TODAY))
    second = build_project(built, built / "output", BuildOptions(today=TODAY))
    assert second.built == []
    assert [str(p) for p in second.warnings] == [str(p) for p in first.warnings]
    assert any("nowhere" in str(p) for p in second.warnings)


CORRUPTIONS = [
    lambda raw: raw[: len(raw) // 2],
    lambda raw: b"",
    lambda raw: b"{not json\n{}",
    lambda raw: raw.replace(b'"clean":true', b'"clean":1'),
    lambda raw: raw.split(b"\n", 1)[0] + b"\n" + raw.split(b"\n", 1)[1].replace(b"other", b"otter"),
]


@pytest.mark.parametrize("corrupt", CORRUPTIONS)
def test_a_corrupt_or_tampered_snapshot_means_a_full_check(built: Path, corrupt: object) -> None:
    path = built / "output" / SNAPSHOT_NAME
    path.write_bytes(corrupt(path.read_bytes()))  # type: ignore[operator]
    assert read(built / "output") is None
    edit(built / "content" / "leaflets" / "other.yaml", "Who can I call?", "Who do I call?")
    assert rebuild(built) == (OTHER, "full")


def test_a_snapshot_that_is_a_link_or_a_folder_is_ignored(built: Path, tmp_path: Path) -> None:
    path = built / "output" / SNAPSHOT_NAME
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(elsewhere)
    assert read(built / "output") is None
    path.unlink()
    path.mkdir()
    assert rebuild(built) == ([], "full")


def test_a_snapshot_whose_checksum_is_rewritten_is_validated_too(built: Path) -> None:
    """A hand-made snapshot with a correct checksum but wrong types is still refused."""
    import hashlib

    path = built / "output" / SNAPSHOT_NAME
    body = json.loads(path.read_bytes().split(b"\n", 1)[1])
    body["leaflets"] = {"x": {"id": 1}}
    raw = json.dumps(body).encode()
    header = json.dumps({"format": 1, "sha256": hashlib.sha256(raw).hexdigest()}).encode()
    path.write_bytes(header + b"\n" + raw)
    assert read(built / "output") is None


# --- a property: whatever is edited, the rebuild is what a full load would rebuild ------


def _fake_render(job: jobs_module.Job) -> JobResult:
    import hashlib

    data = f"{job.variant.relative_path} {job.inputs}\n".encode()
    return JobResult(job.variant, data, hashlib.sha256(data).hexdigest(), 1, len(data))


EDITS = {
    "leaflet": ("content/leaflets/other.yaml", "Who can I call?"),
    "block": ("content/blocks/common.yaml", "What will happen?"),
    "picture": ("content/images/dot.svg", "#003366"),
    "sources": ("content/sources.yaml", "A trial of"),
    "project": ("leaflets.yaml", "Minimal test project"),
}


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(sorted(EDITS)), st.integers(0, 40), st.booleans()),
        min_size=1,
        max_size=4,
    )
)
def test_any_edits_rebuild_what_a_full_load_would(
    minimal: Path, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[str, int, bool]]
) -> None:
    monkeypatch.setattr(jobs_module, "render_job", _fake_render)
    root = minimal
    if not (root / "content" / "leaflets" / "other.yaml").exists():
        two_leaflets(root)
    build_catalog(load_project(root), root / "output", BuildOptions(today=TODAY))
    build_project(root, root / "output", BuildOptions(today=TODAY))  # records a snapshot
    for kind, day, twice in steps:
        relative, anchor = EDITS[kind]
        path = root / relative
        text = path.read_text()
        path.write_text(text.replace(anchor, anchor + ("" if twice else " "), 1))
        rebuild(root, today=TODAY + dt.timedelta(days=day))
        if twice:
            rebuild(root, today=TODAY + dt.timedelta(days=day))


def test_verify_ignores_the_snapshot(built: Path) -> None:
    """The trust model, spelled out: someone who can write the output folder can make a
    build skip work (as with the manifest); `--verify` reads and hashes everything."""
    import hashlib

    path = built / "output" / SNAPSHOT_NAME
    leaflet = built / "content" / "leaflets" / "other.yaml"
    edit(leaflet, "Who can I call?", "Who do I call?")
    body = json.loads(path.read_bytes().split(b"\n", 1)[1])
    info = leaflet.stat()
    body["files"][str(leaflet.resolve())] = [
        info.st_size,
        info.st_mtime_ns,
        info.st_ino,
        info.st_ctime_ns,
        info.st_dev,
        hashlib.sha256(leaflet.read_bytes()).hexdigest(),
        info.st_size,
    ]
    raw = json.dumps(body).encode()
    header = json.dumps({"format": 1, "sha256": hashlib.sha256(raw).hexdigest()}).encode()
    path.write_bytes(header + b"\n" + raw)
    options = BuildOptions(today=TODAY)
    assert decide(built.resolve(), (built / "output").resolve(), options, TODAY).nothing_to_do
    report = build_project(built, built / "output", options, verify=True)
    assert sorted(e.path for e in report.built) == OTHER


def test_the_command_line_builds_with_the_snapshot(built: Path) -> None:
    from leaflets.cli.main import main

    edit(built / "content" / "leaflets" / "other.yaml", "Who can I call?", "Who do I call?")
    assert main(["build", str(built), "--json", "-j", "1"]) == 0
    today = dt.date.today()
    assert decide(
        built.resolve(), (built / "output").resolve(), BuildOptions(), today
    ).nothing_to_do
    assert main(["build", str(built), "--json", "-j", "1", "--verify"]) == 0


def test_a_partial_build_counts_the_other_files_as_unchanged(built: Path) -> None:
    edit(built / "content" / "leaflets" / "other.yaml", "Who can I call?", "Who do I call?")
    report = build_project(built, built / "output", BuildOptions(today=TODAY))
    assert sorted(e.path for e in report.built) == OTHER
    assert sorted(e.path for e in report.skipped) == MINI
    assert sorted(read_manifest((built / "output").resolve())) == sorted(MINI + OTHER)


def test_a_broken_leaflet_is_loaded_again_and_the_others_are_not(built: Path) -> None:
    other = built / "content" / "leaflets" / "other.yaml"
    edit(other, "Who can I call?", "Who can I call?\n  bad indent: [")
    report = build_project(built, built / "output", BuildOptions(today=TODAY))
    assert not report.ok
    assert sorted(read_manifest((built / "output").resolve())) == sorted(MINI + OTHER)
    decision = decide(built.resolve(), (built / "output").resolve(), BuildOptions(), TODAY)
    assert not decision.full
    assert decision.reload == [other.resolve()]
    report = build_project(built, built / "output", BuildOptions(today=TODAY))
    assert list(report.failed) == ["other.yaml"]
    edit(other, "Who can I call?\n  bad indent: [", "Who can I ring?")
    assert rebuild(built) == (OTHER, "partial")
    assert rebuild(built) == ([], "noop")


def test_a_fifo_where_an_input_was_is_not_read(tmp_path: Path) -> None:
    from leaflets.build.snapshot import Prover

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert Prover().digest(fifo) == "not-a-file"  # returns at once: opened non-blocking
    assert Prover().digest(tmp_path / "gone.yaml") == "missing"
