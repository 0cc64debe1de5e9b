"""The reviewer's reading commands: `review diff`, `packet`, `log` (registered by
review.py under `leaflets review`).

Each action is its own handler; `loaded` reads the project once for them: the approved
wording kept beside the content is content, so a broken sidecar is refused, and a leaflet
file that does not load is reported while the others are still listed.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
from pathlib import Path
from typing import TextIO

from ..content.load import Catalog, load_project
from ..content.selection import project_root
from ..errors import ContentError, UsageError
from ..output import write_atomic
from .options import (
    EXIT_CONTENT,
    EXIT_OK,
    Commands,
    json_option,
    level_option,
    out_folder,
    out_option,
    project_option,
    today_option,
)

__all__ = ["loaded", "register"]


def register(actions: Commands) -> None:
    """Add `diff`, `packet` and `log` to the `review` actions."""
    diff = actions.add_parser(
        "diff",
        help="word by word, what changed in each stale unit since it was approved",
        parents=[project_option(), level_option(), json_option(), today_option()],
    )
    diff.add_argument("leaflet", nargs="?", metavar="LEAFLET", help="leaflet id (default: all)")
    diff.set_defaults(handler=_run_diff)

    packet = actions.add_parser(
        "packet",
        help="one accessible document for the reviewer (PDF or HTML)",
        parents=[
            project_option(),
            out_option("the current folder; writes LEAFLET-review.FORMAT"),
            today_option(),
        ],
    )
    packet.add_argument("leaflet", metavar="LEAFLET", help="leaflet id")
    packet.add_argument("--format", choices=("pdf", "html"), default="pdf", help="default: pdf")
    packet.set_defaults(handler=_run_packet)

    log = actions.add_parser(
        "log",
        help="every approval recorded, for a clinical governance board",
        parents=[
            project_option(),
            out_option("print it; with --out: DIR/review-log.txt|csv|json"),
            json_option("the same as --format json"),
            today_option(),
        ],
    )
    log.add_argument("--format", choices=("table", "csv", "json"), default="table")
    log.set_defaults(handler=_run_log)


def loaded(
    args: argparse.Namespace, err: TextIO, *, kept_wording: bool = False, list_failed: bool = False
) -> tuple[Catalog, dt.date, int]:
    """The whole project, the date to count from, and the exit code so far: with
    `kept_wording`, a broken approved-wording sidecar is refused; with `list_failed`, the
    leaflet files that do not load are printed (and make the exit code 1)."""
    catalog = load_project(project_root(args.project))
    today = args.today or dt.date.today()
    if kept_wording:
        from ..review.approved import sidecar_problems

        broken = sidecar_problems(catalog)  # the kept wording is content: refuse it broken
        if broken:
            raise ContentError(broken)
    failed = [p for problems in catalog.failed.values() for p in problems] if list_failed else []
    for problem in failed:
        print(problem, file=err)
    return catalog, today, EXIT_CONTENT if failed else EXIT_OK


def _run_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, today, code = loaded(args, err, kept_wording=True, list_failed=True)
    return max(code, _diff(catalog, args, today, out))


def _run_packet(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, today, _ = loaded(args, err, kept_wording=True)
    return _packet(catalog, args, today, out)


def _run_log(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog, today, code = loaded(args, err, list_failed=True)
    return max(code, _log(catalog, args, today, out))


# --- diff -------------------------------------------------------------------------------------

_RED, _GREEN, _RESET = "\033[31m", "\033[32m", "\033[0m"


def _colour(out: TextIO) -> bool:
    return out.isatty() and "NO_COLOR" not in os.environ


def _diff(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from ..review.approved import Kept, hunks, render_ops, unit_diffs

    chosen = [x for x in catalog.leaflets if args.leaflet in (None, x.leaflet.id)]
    if args.leaflet is not None and not chosen:
        raise UsageError(f"no leaflet {args.leaflet!r} in this project")
    for level in args.level or []:
        if level not in catalog.project.levels:
            raise UsageError(f"unknown level {level!r}")
    kept = Kept(catalog)
    diffs = [
        d
        for loaded in chosen
        for d in unit_diffs(
            catalog,
            loaded,
            today,
            levels=tuple(args.level) if args.level else None,
            kept=kept,
        )
    ]
    if args.json:
        json.dump({"stale": [d.as_json() for d in diffs]}, out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    colour = _colour(out)
    deleted = f"{_RED}[-{{}}-]{_RESET}" if colour else "[-{}-]"
    inserted = f"{_GREEN}{{{{+{{}}+}}}}{_RESET}" if colour else "{{+{}+}}"
    for unit_diff in diffs:
        review = unit_diff.state.review
        since = f" since {review.date} ({review.by})" if review else ""
        print(f"{unit_diff.unit.location}: {unit_diff.unit.name} changed{since}", file=out)
        if not unit_diff.changed_levels:
            print(f"  {unit_diff.as_json()['note']}", file=out)
        for level_diff in unit_diff.changed_levels:
            if level_diff.old is None:
                print(f"  {level_diff.level}: the approved wording was not kept", file=out)
                continue
            print(f"  {level_diff.level}:", file=out)
            for hunk in hunks(level_diff.ops):
                print(f"    ... {render_ops(hunk, deleted, inserted)} ...", file=out)
    print(f"{len(diffs)} unit(s) changed since approved", file=out)
    return EXIT_OK


# --- packet ----------------------------------------------------------------------------------


def _packet(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from ..authoring.packet import build_packet

    packet = build_packet(catalog, args.leaflet, args.format, today)
    target = out_folder(args.out, Path.cwd()) / f"{args.leaflet}-review.{args.format}"
    write_atomic(target, packet.data)
    print(
        f"wrote {target}: {packet.units} unit(s), {packet.to_review} to review "
        f"({packet.changed} changed since approved)",
        file=out,
    )
    return EXIT_OK


# --- log and due ----------------------------------------------------------------------------


def _log(catalog: Catalog, args: argparse.Namespace, today: dt.date, out: TextIO) -> int:
    from ..review.governance import LOG_FIELDS, approvals

    rows = [row.as_dict() for row in approvals(catalog, today)]
    form = "json" if args.json else args.format
    if form == "json":
        text = json.dumps({"approvals": rows}, indent=2, ensure_ascii=False) + "\n"
    elif form == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=LOG_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        text = "".join(
            f"{r['date']}  {r['kind']:<9}  {r['leaflet']}  {r['unit']} ({r['levels']})  "
            f"{r['by']}, {r['role']}; next {r['next_review']}; {r['state']}\n"
            for r in rows
        )
        text += f"{len(rows)} approval(s)\n"
    if args.out is not None:
        suffix = {"table": "txt"}.get(form, form)
        target = out_folder(args.out, Path.cwd()) / f"review-log.{suffix}"
        write_atomic(target, text.encode("utf-8"))
        print(f"wrote {target}: {len(rows)} approval(s)", file=out)
    else:
        out.write(text)
    return EXIT_OK
