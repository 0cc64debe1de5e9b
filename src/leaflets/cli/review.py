"""The reviewer's commands: `review approve`, `status`, `keep` here; `diff`, `packet` and
`log` in review_reports.py.

`register` adds `leaflets review ...` with a handler per action (options.py: the shared
options); like every command module this one only parses, calls the library
(review/approve.py, review/state.py, review/approved.py, review/governance.py) and prints.
Library errors arrive as `LeafletError`s and cli.main prints them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from typing import TextIO

from ..content.load import load_project
from ..content.selection import project_root, select
from ..errors import UsageError
from ..review.approve import a_year_on, approve, units_to_approve
from ..review.state import BlockReview, ReviewStatus, leaflet_reviews
from . import review_reports
from .options import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_USAGE,
    Commands,
    date,
    level_option,
    paths_option,
    print_problems,
    project_option,
    today_option,
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
        parents=[paths_option(), project_option(), today_option(shown=True)],
    )
    status.add_argument("--all", action="store_true", help="list reviewed blocks too")
    status.add_argument(
        "--due-within",
        type=_days,
        metavar="DAYS",
        help="list reviews that expire within DAYS (e.g. 60d), and those already expired",
    )
    status.set_defaults(handler=_status)

    review_reports.register(actions)

    keep = actions.add_parser(
        "keep",
        help="store the approved wording of reviews recorded before wording was kept "
        "(only where the wording is unchanged since the review)",
        parents=[project_option(), today_option()],
    )
    keep.add_argument("--leaflet", metavar="ID", help="only this leaflet")
    keep.set_defaults(handler=_keep)


def _keep(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """`review keep`: store the approved wording of earlier reviews (where unchanged)."""
    from ..review.approved import keep_current

    catalog, today, _ = review_reports.loaded(args, err, kept_wording=True)
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
