"""The reviewer's commands: `review approve`, `diff`, `packet`, `log`, `status`, `keep`.

`register` adds `leaflets review ...` with a handler per action (cli_options.py: the shared
options); like every command module this one only parses, calls the library (review.py,
approved.py, governance.py, packet.py) and prints. Library errors arrive as `LeafletError`s
and cli.main prints them.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import re
import sys
from pathlib import Path
from typing import TextIO

from ..content.load import Catalog, load_project
from ..content.selection import project_root, select
from ..errors import ContentError, UsageError
from ..output import write_atomic
from ..review.approve import a_year_on, approve, units_to_approve
from ..review.state import BlockReview, ReviewStatus, leaflet_reviews
from .options import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    date,
    json_option,
    level_option,
    out_folder,
    out_option,
    paths_option,
    print_problems,
    project_option,
)


def _days(text: str) -> int:
    match = re.fullmatch(r"(\d{1,5})\s*d?", text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of days like 60d")
    return int(match.group(1))


def register(commands: Commands) -> None:
    """Add `review` and its actions to the top-level commands."""
    review = commands.add_parser("review", help="record and list reviews of the wording")
    actions = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")
    approving = actions.add_parser(
        "approve",
        help="record that a unit's current wording was reviewed (a block, a leaflet's own "
        "text, a section, a leaflet, or everything pending)",
        parents=[project_option(), level_option("levels reviewed (default: all)")],
    )
    approving.add_argument(
        "unit",
        nargs="?",
        metavar="UNIT",
        help="a block id, or leaflet:ID for a leaflet's title, summary, headings, glossary "
        "and structure (omit with --section, --leaflet or --all-pending)",
    )
    approving.add_argument(
        "--section", metavar="ID", help="every block of this section (with --leaflet)"
    )
    approving.add_argument(
        "--all-pending",
        action="store_true",
        help="every unit that is unreviewed, stale or expired (with --leaflet: of that leaflet)",
    )
    approving.add_argument(
        "--yes", action="store_true", help="approve several units at once without asking"
    )
    approving.add_argument("--by", required=True, help="name of the reviewer")
    approving.add_argument(
        "--role", required=True, help="their role, e.g. 'consultant psychiatrist'"
    )
    approving.add_argument("--date", type=date, help="date of the review (default: today)")
    approving.add_argument(
        "--next-review", type=date, metavar="DATE", help="next review due (default: a year on)"
    )
    approving.add_argument(
        "--clinical", action="store_true", help="a clinician's sign-off, not an editorial check"
    )
    approving.add_argument(
        "--leaflet",
        metavar="ID",
        help="the leaflet, when block ids repeat; alone: every unit of the leaflet",
    )
    approving.add_argument(
        "--clinic",
        metavar="ID",
        help="the clinic's printed text (name, contact details, urgent-help routes, logo): "
        "the unit clinic:ID",
    )
    approving.set_defaults(handler=_approve)

    status = actions.add_parser(
        "status",
        help="list blocks that are unreviewed, changed since review, or expired",
        parents=[paths_option(), project_option()],
    )
    status.add_argument("--all", action="store_true", help="list reviewed blocks too")
    status.add_argument(
        "--due-within",
        type=_days,
        metavar="DAYS",
        help="list reviews that expire within DAYS (e.g. 60d), and those already expired",
    )
    status.add_argument(
        "--today", type=date, metavar="DATE", help="the date to count from (default: today)"
    )
    status.set_defaults(handler=_status)

    diff = actions.add_parser(
        "diff",
        help="word by word, what changed in each stale unit since it was approved",
        parents=[project_option(), level_option(), json_option()],
    )
    diff.add_argument("leaflet", nargs="?", metavar="LEAFLET", help="leaflet id (default: all)")
    diff.add_argument("--today", type=date, help=argparse.SUPPRESS)
    diff.set_defaults(handler=_with_catalog)

    packet = actions.add_parser(
        "packet",
        help="one accessible document for the reviewer (PDF or HTML)",
        parents=[project_option(), out_option("the current folder; writes LEAFLET-review.FORMAT")],
    )
    packet.add_argument("leaflet", metavar="LEAFLET", help="leaflet id")
    packet.add_argument("--format", choices=("pdf", "html"), default="pdf", help="default: pdf")
    packet.add_argument("--today", type=date, help=argparse.SUPPRESS)
    packet.set_defaults(handler=_with_catalog)

    log = actions.add_parser(
        "log",
        help="every approval recorded, for a clinical governance board",
        parents=[
            project_option(),
            out_option("print it; with --out: DIR/review-log.txt|csv|json"),
            json_option("the same as --format json"),
        ],
    )
    log.add_argument("--format", choices=("table", "csv", "json"), default="table")
    log.add_argument("--today", type=date, help=argparse.SUPPRESS)
    log.set_defaults(handler=_with_catalog)

    keep = actions.add_parser(
        "keep",
        help="store the approved wording of reviews recorded before wording was kept "
        "(only where the wording is unchanged since the review)",
        parents=[project_option()],
    )
    keep.add_argument("--leaflet", metavar="ID", help="only this leaflet")
    keep.set_defaults(handler=_with_catalog)


def _with_catalog(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`review diff|packet|log|keep`: load the whole project, then run the action."""
    action = args.review_command
    catalog = load_project(project_root(args.project))
    today = getattr(args, "today", None) or dt.date.today()
    if action in ("diff", "packet", "keep"):
        from ..review.approved import sidecar_problems

        broken = sidecar_problems(catalog)  # the kept wording is content: refuse it broken
        if broken:
            raise ContentError(broken)
    # A leaflet file that does not load is reported; the others are still listed.
    failed = [p for problems in catalog.failed.values() for p in problems]
    for problem in failed if action in ("diff", "log") else []:
        print(problem, file=err)
    code = EXIT_CONTENT if failed else EXIT_OK
    if action == "diff":
        return max(code, _diff(catalog, args, today, out))
    if action == "packet":
        return _packet(catalog, args, today, out)
    if action == "log":
        return max(code, _log(catalog, args, today, out))
    from ..review.approved import keep_current

    added = keep_current(catalog, today, args.leaflet)
    print(f"kept the approved wording of {added} review(s)", file=out)
    return EXIT_OK


# --- approve -------------------------------------------------------------------------------


def ask(question: str, out: TextIO) -> bool | None:
    """Ask on a terminal; None when there is no terminal to ask on (tests replace this)."""
    if not sys.stdin.isatty():
        return None
    print(question, end=" ", file=out, flush=True)
    return sys.stdin.readline().strip().lower() in ("y", "yes")


def _approve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    catalog = load_project(project_root(args.project))
    date = args.date or dt.date.today()
    if args.clinic:  # the clinic unit (clinic_review.py)
        if args.unit or args.section or args.all_pending or args.leaflet:
            raise UsageError("give --clinic ID alone, or a UNIT, --section or --all-pending")
        args.unit = f"clinic:{args.clinic}"
    bulk = args.unit is None
    if not bulk:
        if args.section or args.all_pending:
            raise UsageError("give a UNIT, or --section / --all-pending, not both")
        names = [(args.unit, args.leaflet)]
    elif args.section or args.all_pending or args.leaflet:
        if args.section and not args.leaflet:
            raise UsageError("--section needs --leaflet ID")
        names = units_to_approve(
            catalog,
            date,
            leaflet_id=args.leaflet,
            section_id=args.section,
            pending_only=args.all_pending,
        )
        if not names:
            print("nothing to approve", file=out)
            return EXIT_OK
    else:
        raise UsageError(
            "give a UNIT (block id, leaflet:ID or clinic:ID), --clinic, --section, --leaflet "
            "or --all-pending"
        )
    kind = "clinical sign-off" if args.clinical else "editorial check"
    levels = ", ".join(args.level) if args.level else "all levels"
    next_review = args.next_review or a_year_on(date)
    if not args.yes:
        print(
            f"will record a {kind} by {args.by} ({args.role}) on {date}, next review "
            f"{next_review}, {levels}, of the wording as it is now:",
            file=out,
        )
        for name, leaflet in names:
            print(
                f"would approve {name} ({leaflet})" if leaflet else f"would approve {name}",
                file=out,
            )
        answer = ask(f"Record {len(names)} review(s)? [y/N]", out)
        if answer is None and bulk:
            raise UsageError(
                f"{len(names)} unit(s) would be approved: read them (leaflets review packet), "
                "then add --yes"
            )
        if answer is False:
            print("nothing recorded", file=out)
            return EXIT_USAGE
    for name, leaflet in names:
        review = approve(
            catalog,
            name,
            by=args.by,
            role=args.role,
            levels=args.level,
            date=date,
            next_review=args.next_review,
            clinical=args.clinical,
            leaflet_id=leaflet,
        )
        shown = ", ".join(review.levels) if review.levels else "all levels"
        print(
            f"recorded review of {name!r} ({shown}) by {review.by}, {review.role}, "
            f"on {review.date}; next review {review.next_review} ({kind})",
            file=out,
        )
    return EXIT_OK


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


def _status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`review status`: units not reviewed, stale or expired (or, with --due-within, due)."""
    if args.due_within is not None:
        return _due(args, out)
    chosen = select(args.paths, args.project)
    catalog = load_project(chosen.root, chosen.only)
    today = args.today or dt.date.today()
    for problems in catalog.failed.values():
        print_problems(problems, err)
    counts: dict[str, int] = {}
    for loaded in catalog.leaflets:
        for state in leaflet_reviews(loaded, today, catalog):
            counts[state.status] = counts.get(state.status, 0) + 1
            if args.all or state.status is not ReviewStatus.REVIEWED:
                print(f"{state.unit.location}: {state.status}: {state.describe()}", file=out)
    from ..content.structure import checklist

    for loaded in catalog.leaflets:
        if loaded.leaflet.kind == "decision":
            for item, what in checklist(loaded.leaflet):
                print(f"{loaded.path}: IPDAS {item}, for the reviewer to judge: {what}", file=out)
    from ..text.clinic_review import clinic_state

    for loaded_clinic in catalog.clinics:  # one unit per clinic, the same at every level
        unit, status, review = clinic_state(catalog, loaded_clinic, today)
        counts[status] = counts.get(status, 0) + 1
        if args.all or status is not ReviewStatus.REVIEWED:
            state = BlockReview("", "all levels", unit, status, review)
            print(f"{unit.location}: {status}: {state.describe()}", file=out)
    summary = ", ".join(f"{counts.get(s, 0)} {s}" for s in ReviewStatus)
    per_clinic = "; one per clinic" if catalog.clinics else ""
    print(
        f"{summary} (unit x level: every block, and each leaflet's own text{per_clinic})",
        file=out,
    )
    return EXIT_CONTENT if catalog.failed else EXIT_OK


def _due(args: argparse.Namespace, out: TextIO) -> int:
    from ..review.governance import due_within

    catalog = load_project(select(args.paths, args.project).root)
    today = args.today or dt.date.today()
    due = due_within(catalog, today, args.due_within)
    for item in due:
        print(
            f"{item.unit.location}: {item.when}: {item.leaflet} {item.unit.name} "
            f"({item.levels}) reviewed {item.review.date} by {item.review.by}; "
            f"due {item.review.next_review}",
            file=out,
        )
    until = today + dt.timedelta(days=args.due_within)
    print(f"{len(due)} review(s) expired or due by {until}", file=out)
    return EXIT_OK
