"""Benchmark: build a synthetic content library and compare against the engine's floor.

    .venv/bin/python bench/catalog.py                 # 50 leaflets x 3 levels x 2 papers
    .venv/bin/python bench/catalog.py --leaflets 10   # a quicker run
    .venv/bin/python bench/catalog.py --leaflets 10 --executor dask   # also on a 2-worker
                                                      # Dask LocalCluster, as a ratio
    .venv/bin/python bench/catalog.py --leaflets 5000 --plan-only     # a large library:
                                                      # no-op and one-edit, no cold render
    .venv/bin/python bench/catalog.py --check-copies 200   # `leaflets check` of 200 copies
                                                      # of the sample leaflet, one process
    .venv/bin/python bench/catalog.py --with-large 5000 --with-check 200  # all of it, in
                                                      # one run (bench/results.json)

Every figure is measured in this run on this machine, and reported as a ratio against a
baseline measured in the same run (never as an absolute pass/fail). Writes
bench/results.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
LEAFLETS = REPO / ".venv" / "bin" / "leaflets"
TEXT = (
    "you may feel tired after the dose and should rest at home with someone who can help "
    "ask your doctor about what to expect on the day and how long you stay in the clinic "
    "most people go home the same day and feel well again by the next morning"
)
WORDS = tuple(TEXT.split())

PROJECT = """\
name: Benchmark library
publisher: Benchmark publisher
language: en-GB
paper: a4
feedback: Tell us what you think at the front desk.
other_formats: Ask us for easy read or large print.
outputs:
  papers: [a4, letter]
levels:
  easy: {label: Easy read, font_size_pt: 16, easy_read: true}
  plain: {label: Plain, font_size_pt: 12}
  detailed: {label: Detailed, font_size_pt: 12, references: true}
"""


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, sentences: int, length: int) -> str:
    return " ".join(sentence(rng, length) for _ in range(sentences))


def block(rng: random.Random, block_id: str, image: bool = True) -> str:
    text = {
        level: paragraph(rng, 4, n) for level, n in (("easy", 8), ("plain", 13), ("detailed", 18))
    }
    lines = [f"      - id: {block_id}"]
    if image:
        lines.append(f"        image: {{path: images/{rng.choice(IMAGES)}, alt: A picture}}")
    lines.append("        text:")
    lines += [f"          {level}: {value}" for level, value in text.items()]
    lines.append("        sources: [S1]")
    return "\n".join(lines)


IMAGES = ["clock.svg", "doctor.svg", "phone.svg", "question.svg"]


def leaflet(rng: random.Random, index: int, shared: bool) -> str:
    sections = []
    for kind in ("general", "benefits", "uncertainty", "risks", "general"):
        blocks = [block(rng, f"{kind}-{len(sections)}-{n}") for n in range(rng.randint(2, 4))]
        if kind == "benefits":
            blocks.append(FREQUENCIES)
        if kind == "risks" and shared:
            blocks.append("      - use: shared-advice")
        sections.append(
            f"  - id: s-{len(sections)}\n    kind: {kind}\n"
            f"    heading: {{all: Part {len(sections)}}}\n"
            "    blocks:\n" + "\n".join(blocks)
        )
    sections.append(URGENT)
    return (
        f'id: leaflet-{index:03d}\nversion: "1.0"\ntitle: {{all: Leaflet {index}}}\n'
        f"summary: {{all: {paragraph(rng, 2, 10)}}}\n"
        "evidence_checked: 2026-01-01\nnext_review: 2027-01-01\n"
        + ABOUT
        + "sections:\n"
        + "\n".join(sections)
        + "\n"
    )


ABOUT = """\
about:
  authors: [Benchmark team]
  funding: No external funding.
  conflicts: The authors declare no conflicts of interest.
  update_policy: The evidence is checked every year.
"""

URGENT = """\
  - id: urgent-help
    kind: urgent_help
    heading: {all: Get help fast}
    blocks:
      - id: urgent-routes
        kind: list
        items:
          all:
            - For urgent advice, call NHS 111.
            - If you are very ill, call 999."""


FREQUENCIES = """\
      - id: numbers
        kind: frequencies
        frequencies:
          out_of: 100
          who: {all: people}
          time: {all: after 4 weeks}
          outcome: {all: felt better}
          outcome_not: {all: did not}
          groups:
            - {label: {all: with the medicine}, count: 60}
            - {label: {all: without it}, count: 40}
        certainty: {rating: moderate, reason: one trial}
        sources: [S1]"""

SHARED = """\
blocks:
  - id: shared-advice
    kind: warning
    text: {all: "Do not drive until the next day. Ask someone to take you home."}
    sources: [S1]
"""


def make_library(root: Path, count: int) -> None:
    rng = random.Random(20261125)
    (root / "content" / "leaflets").mkdir(parents=True)
    (root / "content" / "blocks").mkdir()
    (root / "content" / "images").mkdir()
    (root / "leaflets.yaml").write_text(PROJECT)
    (root / "content" / "sources.yaml").write_text(
        "sources:\n  S1: {title: A trial, organisation: A journal, year: 2020}\n"
    )
    (root / "content" / "blocks" / "shared.yaml").write_text(SHARED)
    for name in IMAGES:
        shutil.copy(REPO / "content" / "images" / name, root / "content" / "images" / name)
    for index in range(count):
        shared = index % 10 == 0  # the shared block is used by 10% of leaflets
        path = root / "content" / "leaflets" / f"leaflet-{index:03d}.yaml"
        path.write_text(leaflet(rng, index, shared))


#: CPU seconds of the engine floor (appended by engine_floor).
FLOOR_CPU: list[float] = []


def children_cpu() -> float:
    """CPU seconds of finished child processes and their waited-for descendants (the
    build's workers are reaped by its fork server, which the build reaps)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_build(root: Path, out: Path, jobs: int, *extra: str) -> dict[str, Any]:
    cpu = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [
            "/usr/bin/time",
            "-f",
            "peak-kb %M",
            str(LEAFLETS),
            "build",
            str(root),
            "--out",
            str(out),
            "-j",
            str(jobs),
            "--json",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    peaks = [line for line in done.stderr.splitlines() if line.startswith("peak-kb ")]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    if not summary["ok"]:
        raise SystemExit(f"build failed: {summary['failed']}")
    summary["wall_seconds"] = wall
    summary["cpu_seconds"] = children_cpu() - cpu
    summary["peak_main_mb"] = int(peaks[-1].split()[1]) / 1024 if peaks else None
    return summary


def plan_only(root: Path, out: Path, results: dict[str, Any]) -> None:
    """A large library without its cold render: plan it, stand in a placeholder for every
    file (listed in the manifest with its real input fingerprint), then time a real no-op
    build and a real one-edit build (which renders only the edited leaflet's files)."""
    import datetime as dt

    sys.path.insert(0, str(REPO / "src"))
    from leaflets import load_project
    from leaflets.build.builder import BuildOptions, plan_variants
    from leaflets.build.jobs import plan_jobs
    from leaflets.build.manifest import ManifestEntry, write_manifest
    from leaflets.version import VERSION

    started = time.perf_counter()
    catalog = load_project(root)
    variants = plan_variants(catalog, BuildOptions())
    jobs, _ = plan_jobs(catalog, variants, {}, {}, out, BuildOptions(), dt.date.today())
    results["plan_variants"] = len(jobs)
    results["plan_seconds_in_process"] = time.perf_counter() - started
    entries = {}
    for job in jobs:
        data = f"placeholder for {job.variant.relative_path}\n".encode()
        job.target.parent.mkdir(parents=True, exist_ok=True)
        job.target.write_bytes(data)
        entries[job.variant.relative_path] = ManifestEntry(
            leaflet=job.variant.leaflet,
            level=job.variant.level,
            paper=job.variant.paper,
            language=job.context.language,
            path=job.variant.relative_path,
            pages=1,
            sha256=__import__("hashlib").sha256(data).hexdigest(),
            bytes=len(data),
            format=job.variant.format,
            inputs=job.inputs,
        )
    write_manifest(out, entries, VERSION)
    # The first no-op has no build snapshot yet (the placeholders were not built): it loads
    # and validates every leaflet, as every no-op did before the snapshot, and writes one.
    noop = run_build(root, out, 2)
    assert noop["built"] == 0, noop
    results["plan_noop_s"] = noop["wall_seconds"]
    results["plan_noop_cpu_s"] = noop["cpu_seconds"]
    results["plan_noop_library_s"] = noop["seconds"]
    results["plan_noop_peak_mb"] = noop["peak_main_mb"]
    results["plan_noop_note"] = "no build snapshot yet: every leaflet loaded and validated"
    # The no-op with the snapshot: every input and output proven unchanged by its stat
    # signature; nothing loaded (build/snapshot.py).
    again = run_build(root, out, 2)
    assert again["built"] == 0, again
    results["plan_noop_snapshot_s"] = again["wall_seconds"]
    results["plan_noop_snapshot_cpu_s"] = again["cpu_seconds"]
    results["plan_noop_snapshot_library_s"] = again["seconds"]
    results["plan_noop_snapshot_peak_mb"] = again["peak_main_mb"]
    print(
        f"  no-op with the build snapshot: {again['wall_seconds']:.1f} s wall, "
        f"{again['cpu_seconds']:.1f} s CPU (peak {again['peak_main_mb']:.0f} MB)"
    )
    edited = root / "content" / "leaflets" / "leaflet-000.yaml"
    edited.write_text(edited.read_text().replace("Leaflet 0}", "Leaflet zero}"))
    one = run_build(root, out, 2)
    results["plan_one_edit_built"] = one["built"]
    results["plan_one_edit_s"] = one["wall_seconds"]
    # All of the build's processes (the fork server, reaped at exit, holds the workers').
    results["plan_one_edit_cpu_s"] = one["cpu_seconds"]
    results["plan_one_edit_peak_mb"] = one["peak_main_mb"]
    results["plan_one_edit_note"] = "with the build snapshot: only the edited leaflet loaded"
    print(
        f"  {len(jobs)} variants: planned in {results['plan_seconds_in_process']:.1f} s; "
        f"no-op build {noop['wall_seconds']:.1f} s (peak {noop['peak_main_mb']:.0f} MB); "
        f"one edit: {one['built']} rebuilt in {one['wall_seconds']:.1f} s "
        f"(peak {one['peak_main_mb']:.0f} MB)"
    )


def check_copies(folder: Path, copies: int) -> dict[str, Any]:
    """`leaflets check` (one process) on the sample project with its leaflet copied."""
    root = folder / "sample"
    shutil.copytree(REPO, root, ignore=shutil.ignore_patterns(".*", "output", "tests", "bench"))
    leaflets = root / "content" / "leaflets"
    original = sorted(leaflets.glob("*.yaml"))[0]
    text = original.read_text()
    leaflet_id = original.stem
    for n in range(copies - 1):
        (leaflets / f"copy-{n:04d}.yaml").write_text(
            text.replace(f"id: {leaflet_id}", f"id: copy-{n:04d}", 1)
        )
    figures: dict[str, Any] = {"leaflets": copies}
    for run in ("cold_cache", "warm_cache"):
        cpu, started = children_cpu(), time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "peak-kb %M", str(LEAFLETS), "check", str(root)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "LEAFLETS_CACHE": str(folder / "cache")},
        )
        peaks = [line for line in done.stderr.splitlines() if line.startswith("peak-kb ")]
        figures[run] = {
            "wall_s": time.perf_counter() - started,
            "cpu_s": children_cpu() - cpu,
            "peak_mb": int(peaks[-1].split()[1]) / 1024 if peaks else None,
            "last_line": done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "",
        }
    return figures


def dask_ratio(root: Path, out: Path, jobs: int, local_s: float, results: dict[str, Any]) -> None:
    """The same cold build on a 2-worker Dask LocalCluster, against the local pool."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        built = run_build(
            root, out, jobs, "--executor", "dask", "--scheduler", cluster.scheduler_address
        )
    results["dask_cold_s"] = built["wall_seconds"]
    results["dask_vs_local_pool"] = built["wall_seconds"] / local_s
    results["dask_note"] = (
        "coordinator CPU only: the LocalCluster's workers are children of the benchmark, "
        "so their CPU is not in the build's figure"
    )


def engine_floor(root: Path) -> tuple[float, int, list[Path]]:
    """In-process WeasyPrint on the very same HTML, sequential, warm (one font config)."""
    sys.path.insert(0, str(REPO / "src"))
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from leaflets import load_project
    from leaflets.build.builder import BuildOptions, plan_variants
    from leaflets.build.jobs import plan_jobs
    from leaflets.render.fetch import ProjectFetcher
    from leaflets.render.render import render_html
    from leaflets.render.templates import make_environment

    catalog = load_project(root)
    if catalog.failed:
        raise SystemExit(f"the synthetic library is invalid: {catalog.failed}")
    variants = plan_variants(catalog, BuildOptions())
    import datetime as dt

    jobs, _ = plan_jobs(catalog, variants, {}, {}, root / "floor", BuildOptions(), dt.date.today())
    environment = make_environment(root)
    pages = [(render_html(environment, job.context), job) for job in jobs]
    html_dir = root / "html"
    html_dir.mkdir()
    files = []
    for index, (html, _job) in enumerate(pages):
        path = html_dir / f"{index:04d}.html"
        path.write_text(html)
        files.append(path)
    config = FontConfiguration()
    HTML(
        string=pages[0][0],
        base_url=str(root / "content"),
        url_fetcher=ProjectFetcher(pages[0][1].roots),
    ).write_pdf(pdf_variant="pdf/ua-1", font_config=config)
    started, cpu = time.perf_counter(), time.process_time()
    for html, job in pages:
        HTML(
            string=html, base_url=str(root / "content"), url_fetcher=ProjectFetcher(job.roots)
        ).write_pdf(pdf_variant="pdf/ua-1", font_config=config)
    FLOOR_CPU.append(time.process_time() - cpu)
    return time.perf_counter() - started, len(pages), files


def release_checks(root: Path, out: Path, sample: int) -> dict[str, Any]:
    """What a release adds to each PDF of a draft build (issue 18), measured on the built
    files: the saved bytes parsed again and checked (contract.verify_pdf) and the
    pagination checks. In process, CPU seconds, on the first `sample` PDFs."""
    import datetime as dt

    sys.path.insert(0, str(REPO / "src"))
    from leaflets import load_project
    from leaflets.build.builder import BuildOptions, plan_variants
    from leaflets.build.jobs import plan_jobs
    from leaflets.errors import Location
    from leaflets.verify.contract import verify_pdf
    from leaflets.verify.pagination import pagination_problems

    catalog = load_project(root)
    options = BuildOptions(release=True)
    jobs, _ = plan_jobs(
        catalog, plan_variants(catalog, options), {}, {}, out, options, dt.date.today()
    )
    chosen = [job for job in jobs if job.target.exists()][:sample]
    files = [(job, job.target.read_bytes()) for job in chosen]
    cpu = time.process_time()
    for job, data in files:
        verify_pdf(data, job.context.language, job.context.title)
    reparse = time.process_time() - cpu
    cpu = time.process_time()
    for job, data in files:
        assert job.pagination is not None
        pagination_problems(data, Location(job.target), job.pagination)
    pagination = time.process_time() - cpu
    return {
        "pdfs": len(files),
        "reparse_and_check_ms_per_pdf": 1000 * reparse / len(files),
        "pagination_ms_per_pdf": 1000 * pagination / len(files),
    }


def naive_loop(files: list[Path], sample: int) -> float:
    """One `weasyprint` command per HTML file (timed on a sample, per file)."""
    command = REPO / ".venv" / "bin" / "weasyprint"
    chosen = files[:sample]
    started = time.perf_counter()
    for path in chosen:
        subprocess.run(
            [str(command), "--pdf-variant", "pdf/ua-1", str(path), str(path) + ".pdf"],
            check=True,
            capture_output=True,
        )
    return (time.perf_counter() - started) / len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaflets", type=int, default=50)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--naive-sample", type=int, default=10)
    parser.add_argument("--executor", choices=("local", "dask"), default="local")
    parser.add_argument("--plan-only", action="store_true", help="no cold render (large N)")
    parser.add_argument("--check-copies", type=int, metavar="N", help="time `check` only")
    parser.add_argument(
        "--with-large", type=int, metavar="N", help="also --leaflets N --plan-only, same run"
    )
    parser.add_argument("--with-check", type=int, metavar="N", help="also --check-copies N")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": os.getloadavg()[0],
        },
        "leaflets": args.leaflets,
        "jobs": args.jobs,
    }
    if args.check_copies:
        with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as folder:
            figures = check_copies(Path(folder), args.check_copies)
        figures["load_average"] = os.getloadavg()[0]
        path = REPO / "bench" / "results.json"
        merged = json.loads(path.read_text()) if path.exists() else {}
        merged[f"check_{args.check_copies}_copies"] = figures
        path.write_text(json.dumps(merged, indent=2) + "\n")
        print(json.dumps(figures, indent=2))
        return
    if args.plan_only:
        with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as folder:
            root = Path(folder) / "library"
            make_library(root, args.leaflets)
            plan_only(root, Path(folder) / "out", results)
        results["machine"]["load_average_at_end"] = os.getloadavg()[0]
        path = REPO / "bench" / "results.json"
        merged = json.loads(path.read_text()) if path.exists() else {}
        merged[f"plan_only_{args.leaflets}"] = results
        path.write_text(json.dumps(merged, indent=2) + "\n")
        return
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as folder:
        root = Path(folder) / "library"
        make_library(root, args.leaflets)
        floor, documents, files = engine_floor(root)
        results["variants"] = documents
        results["engine_sequential_s"] = floor
        results["engine_floor_s"] = floor / args.jobs
        results["engine_per_document_s"] = floor / documents

        cold = run_build(root, Path(folder) / "out-j", args.jobs)
        results["build_cold_s"] = cold["wall_seconds"]
        results["build_cold_vs_floor"] = cold["wall_seconds"] / results["engine_floor_s"]
        # On a shared machine wall time depends on what else runs; CPU time much less.
        results["engine_floor_cpu_s"] = FLOOR_CPU[-1]
        # Every process of the build: the coordinator, the fork server and every worker,
        # start-up and job transfer included. The workers are reaped by the fork server,
        # which the coordinator waits for at exit (executors.py), so RUSAGE_CHILDREN holds
        # them all; the workers also report their own CPU, for the breakdown.
        results["build_cold_worker_cpu_s"] = cold["worker_cpu_seconds"]
        results["build_cold_coordinator_cpu_s"] = cold["cpu_seconds"] - cold["worker_cpu_seconds"]
        results["build_cold_cpu_s"] = cold["cpu_seconds"]
        results["build_cold_cpu_vs_floor_cpu"] = results["build_cold_cpu_s"] / FLOOR_CPU[-1]
        # The jobs' own CPU only (the figure this benchmark reported before).
        results["build_cold_render_cpu_s"] = cold["render_cpu_seconds"]
        results["build_cold_render_cpu_vs_floor_cpu"] = cold["render_cpu_seconds"] / FLOOR_CPU[-1]
        results["peak_worker_rss_mb"] = cold["peak_worker_rss_mb"]
        results["load_average_after_cold"] = os.getloadavg()[0]

        single = run_build(root, Path(folder) / "out-1", 1)
        results["build_j1_s"] = single["wall_seconds"]
        results["speedup_j_over_j1"] = single["wall_seconds"] / cold["wall_seconds"]
        # One process, as the floor: the build's whole CPU (loading, planning, HTML, the
        # engine, the footer fix and checks, writing) against the engine's alone. Two
        # workers side by side on two shared cores each run slower per job than one, so
        # this is the fairer measure of what the build adds.
        results["build_j1_cpu_s"] = single["cpu_seconds"]
        results["build_j1_cpu_vs_floor_cpu"] = single["cpu_seconds"] / FLOOR_CPU[-1]
        results["load_average_after_j1"] = os.getloadavg()[0]

        noop = run_build(root, Path(folder) / "out-j", args.jobs)
        results["noop_s"] = noop["wall_seconds"]
        results["noop_library_s"] = noop["seconds"]
        results["noop_percent_of_full"] = 100 * noop["wall_seconds"] / cold["wall_seconds"]
        results["noop_cpu_s"] = noop["cpu_seconds"]
        results["noop_cpu_percent_of_full"] = (
            100 * noop["cpu_seconds"] / (results["build_cold_cpu_s"])
        )
        assert noop["built"] == 0, noop

        shared = root / "content" / "blocks" / "shared.yaml"
        shared.write_text(shared.read_text().replace("next day", "next morning"))
        edited = run_build(root, Path(folder) / "out-j", args.jobs)
        results["edit_shared_block_built"] = edited["built"]
        results["edit_shared_block_s"] = edited["wall_seconds"]
        results["edit_shared_block_percent_of_full"] = (
            100 * edited["wall_seconds"] / cold["wall_seconds"]
        )

        if args.executor == "dask":
            dask_ratio(root, Path(folder) / "out-dask", args.jobs, cold["wall_seconds"], results)
            print(
                f"  Dask, {args.jobs}-worker LocalCluster: {results['dask_cold_s']:.1f} s = "
                f"{results['dask_vs_local_pool']:.2f} x the local pool"
            )

        # What a release adds per PDF, as a share of the floor's CPU per PDF (issue 18).
        release = release_checks(root, Path(folder) / "out-j", 60)
        floor_ms = 1000 * FLOOR_CPU[-1] / documents
        release["floor_cpu_ms_per_pdf"] = floor_ms
        release["reparse_percent_of_floor"] = (
            100 * release["reparse_and_check_ms_per_pdf"] / floor_ms
        )
        release["pagination_percent_of_floor"] = 100 * release["pagination_ms_per_pdf"] / floor_ms
        results["release_checks"] = release

        per_file = naive_loop(files, args.naive_sample)
        results["naive_per_file_s"] = per_file
        results["naive_total_estimate_s"] = per_file * documents
        results["build_vs_naive_speedup"] = per_file * documents / cold["wall_seconds"]
    if args.with_large:
        large: dict[str, Any] = {"load_average_at_start": os.getloadavg()[0]}
        with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as folder:
            root = Path(folder) / "library"
            make_library(root, args.with_large)
            plan_only(root, Path(folder) / "out", large)
        large["load_average_at_end"] = os.getloadavg()[0]
        results[f"plan_only_{args.with_large}"] = large
    if args.with_check:
        with tempfile.TemporaryDirectory(prefix="leaflets-bench-") as folder:
            figures = check_copies(Path(folder), args.with_check)
        figures["load_average"] = os.getloadavg()[0]
        results[f"check_{args.with_check}_copies"] = figures
    previous = REPO / "bench" / "results.json"
    if previous.exists():  # keep the large-library figures of a --plan-only run
        old = json.loads(previous.read_text())
        kept = ("plan_only_", "check_")
        results.update({k: v for k, v in old.items() if k.startswith(kept) and k not in results})
    results["machine"]["shared"] = "measured on a 2-core machine shared with other work"
    results["machine"]["load_average_at_end"] = os.getloadavg()[0]
    results["typst_note"] = (
        "Typst (PyPI typst) compiles a comparable leaflet in 4-25 ms (rendering-facts §4.1): "
        "the fastest peer, at the cost of Typst templates instead of HTML and CSS."
    )
    (REPO / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    rows = [
        ("variants (PDFs)", f"{documents}"),
        (
            "engine floor: sequential / jobs",
            f"{results['engine_floor_s']:.1f} s "
            f"({results['engine_per_document_s'] * 1000:.0f} ms per PDF)",
        ),
        (
            f"leaflets build -j {args.jobs}, cold",
            f"{results['build_cold_s']:.1f} s = "
            f"{results['build_cold_vs_floor']:.2f} x floor (goal <= 1.15)",
        ),
        (
            "  the same in CPU time",
            f"{results['build_cold_cpu_s']:.1f} s CPU = "
            f"{results['build_cold_cpu_vs_floor_cpu']:.2f} x the floor's {FLOOR_CPU[-1]:.1f} s CPU"
            f" (jobs alone {results['build_cold_render_cpu_vs_floor_cpu']:.2f} x)",
        ),
        (
            "leaflets build -j 1, CPU",
            f"{results['build_j1_cpu_s']:.1f} s = "
            f"{results['build_j1_cpu_vs_floor_cpu']:.2f} x the floor's CPU (goal <= 1.10)",
        ),
        (
            f"speed-up -j {args.jobs} over -j 1",
            f"{results['speedup_j_over_j1']:.2f} x (goal >= 1.8)",
        ),
        (
            "no-op rebuild",
            f"{results['noop_s']:.2f} s = {results['noop_percent_of_full']:.1f} % "
            f"of full (library {results['noop_library_s']:.2f} s; goal <= 1 %)",
        ),
        (
            "  the same in CPU time",
            f"{results['noop_cpu_s']:.2f} s = {results['noop_cpu_percent_of_full']:.2f} % of full",
        ),
        (
            "edit a block shared by 10 %",
            f"{results['edit_shared_block_built']} rebuilt in "
            f"{results['edit_shared_block_s']:.1f} s "
            f"({results['edit_shared_block_percent_of_full']:.0f} %)",
        ),
        (
            "naive weasyprint command per file",
            f"{per_file:.2f} s per file; build is "
            f"{results['build_vs_naive_speedup']:.1f} x faster (goal >= 5)",
        ),
        ("peak RSS per worker", f"{results['peak_worker_rss_mb']:.0f} MB (goal <= 250)"),
        (
            "a release adds per PDF",
            f"{results['release_checks']['reparse_percent_of_floor']:.1f} % of the floor "
            "(the saved file parsed and checked again) + "
            f"{results['release_checks']['pagination_percent_of_floor']:.1f} % (pagination)",
        ),
    ]
    width = max(len(name) for name, _ in rows)
    print(f"leaflets benchmark on {os.cpu_count()} CPUs, Python {platform.python_version()}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")
    print(f"  {results['typst_note']}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"  (largest child process: {usage.ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
