"""The LGA's commands: consolidating councils' returns into a programme file.

``consolidate`` checks and merges return files (creating the programme file
the first time); ``programme`` shows what a programme holds and, for a
quarter, its figures and which pilot councils have not sent a return.
``trust-key --programme`` (in :mod:`.return_commands`) trusts a council's
key there and merges what was waiting for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lga_desktop.cli import (
    EXIT_INVALID,
    EXIT_OK,
    open_or_create_programme,
    period_arg,
    print_json,
    quarter_arg,
)
from lga_desktop.errors import UsageError
from lga_desktop.money import format_money
from lga_desktop.words import plural


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "consolidate",
        help="(LGA) check councils' return files and merge them into a programme file",
        description=(
            "Check each return file (intact, signed with the key trusted for its council, a "
            "sensible quarter) and merge it into the programme file, created if missing. "
            "Folders bring in every .lgareturn file in them. Nothing is merged twice: a file "
            "or return already merged is counted once. A bad file is held aside with the "
            "reason; one signed with a key not yet trusted waits for it (see 'trust-key "
            "--programme'). Exits 0 when every file was merged or had been already, 1 when "
            "any was held aside or is waiting."
        ),
    )
    _programme_arg(p)
    p.add_argument(
        "files", type=Path, nargs="+", metavar="FILE", help="return files or folders of them"
    )
    p.add_argument(
        "--trusted-keys",
        type=Path,
        metavar="FILE",
        help="a trusted-keys file (JSON or CSV) whose keys the programme should trust first",
    )
    p.add_argument(
        "--name", default=None, help="the programme's name, when the file is being created"
    )
    p.add_argument("--json", action="store_true", help="print the outcome of every file as JSON")
    p.set_defaults(handler=cmd_consolidate)

    p = sub.add_parser(
        "programme",
        help="(LGA) what a programme file holds; with --period, its figures for that period",
        description=(
            "List the pilot councils, the returns merged (which count, which are superseded) "
            "and the files held aside with the reason. With --period (a quarter, a financial "
            "year such as 2012/13, or 'all' for the programme to date), the programme's "
            "figures for it and the pilot councils that have not sent a return; with --json, "
            "every table of the Board report; with --out as well, the Board report as Excel, "
            "CSV or PDF. Figures for the period add up each quarter's returns (a council that "
            "missed a quarter adds nothing for it); figures to date come from each council's "
            "latest return, flagged as last known figures when it is not the period's last "
            "quarter."
        ),
    )
    _programme_arg(p)
    p.add_argument(
        "--period",
        metavar="PERIOD",
        help='a quarter ("2012/13 Q2"), a financial year ("2012/13") or "all" (to date)',
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help="with --period: write the Board report to FILE (.xlsx, .csv or .pdf)",
    )
    p.add_argument(
        "--council",
        metavar="GSS",
        help="with a quarter as --period: that council's return (its figures, its versions and "
        "what changed between them)",
    )
    p.add_argument(
        "--pdf",
        type=Path,
        metavar="FILE",
        help="with --council: save the printed return, exactly as the council signed it",
    )
    p.add_argument(
        "--snapshot",
        type=int,
        metavar="N",
        help="a Board report exported before (numbered in the listing): with --out, write it "
        "again exactly as it was; alone, say what has changed since the Board was given it",
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_programme)

    p = sub.add_parser(
        "roster",
        help="(LGA) the programme's councils by strand and pilot, and when returns are due",
        description=(
            "With --import, replace the roster with a CSV or XLSX file: one row per council "
            "and strand, columns gss and strand, optional pilot and due (days after a "
            "quarter's end); headings in any case. With a roster its councils are the pilot "
            "councils (without one, the councils whose key is trusted). --due QUARTER DATE "
            "sets the date a quarter's returns are due (else 30 days after its end). "
            "Without options, lists the roster."
        ),
    )
    _programme_arg(p)
    p.add_argument(
        "--import",
        dest="import_file",
        type=Path,
        metavar="FILE",
        help="a CSV or XLSX roster (gss, strand; optional pilot, due) that replaces the roster",
    )
    p.add_argument(
        "--due",
        nargs=2,
        metavar=("QUARTER", "DATE"),
        help='the date returns for a quarter are due, e.g. --due "2012/13 Q2" 2012-10-31',
    )
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_roster)

    p = sub.add_parser(
        "status",
        help="(LGA) every pilot council's return for a quarter: on time, late, missing...",
        description=(
            "For each pilot council: on time, late, missing (nothing counted), corrected (a "
            "later version counts) or queried (queried by the LGA and not accepted since), "
            "with its due date. --chase FILE writes a CSV for a mail merge of the councils "
            "missing, late or queried, with the contact from each council's latest return. "
            "Exits 1 when any council is missing, late or queried."
        ),
    )
    _programme_arg(p)
    p.add_argument("--period", required=True, metavar="QUARTER", help='e.g. "2012/13 Q2"')
    p.add_argument("--chase", type=Path, metavar="FILE", help="write the chase list (CSV)")
    p.add_argument("--today", metavar="DATE", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser(
        "review",
        help="(LGA) query or accept a council's return, or comment on it",
        description=(
            "Each counted return moves received, queried, accepted. --query TEXT queries it, "
            "--accept accepts it (with --comment), --comment TEXT alone comments on it "
            "(--figure names the figure commented on). Without any, shows its review history."
        ),
    )
    _programme_arg(p)
    p.add_argument("--council", required=True, metavar="GSS", help="the council's GSS code")
    p.add_argument("--period", required=True, metavar="QUARTER", help='e.g. "2012/13 Q2"')
    group = p.add_mutually_exclusive_group()
    group.add_argument("--accept", action="store_true", help="accept the return")
    group.add_argument("--query", metavar="TEXT", help="query the return, saying what about")
    p.add_argument(
        "--comment", default="", metavar="TEXT", help="a comment (with --accept, or alone)"
    )
    p.add_argument("--figure", default="", metavar="NAME", help="the figure a comment is about")
    p.add_argument("--by", default=None, metavar="NAME", help="who reviews (default: you)")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_review)


def _programme_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "programme", type=Path, metavar="PROGRAMME", help="the programme file (.lgaprog)"
    )


def cmd_consolidate(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.merge import consolidate
    from lga_desktop.returns.trust import load_trusted_keys

    trusted = load_trusted_keys(args.trusted_keys) if args.trusted_keys else None
    with open_or_create_programme(args.programme, args.name, as_json=args.json) as prog:
        if trusted is not None:
            prog.backup(reason=f"before trusting keys from {args.trusted_keys.name}")
            added = prog.trust_all(trusted)
            print(
                f"Trusted {plural(added, 'new key')} from {args.trusted_keys.name}",
                file=sys.stderr if args.json else sys.stdout,
            )
        report = consolidate(prog, args.files)
        counts = prog.counts()
    if args.json:
        print_json({**report.to_json(), "programme": counts})
    else:
        print(report.describe())
        if report.waiting:
            print(
                "To merge the returns waiting for a key: confirm its fingerprint with the "
                "council, then run: lga-desktop trust-key CARD --programme " + str(args.programme)
            )
    return EXIT_OK if report.all_accepted else EXIT_INVALID


def _percent(value) -> str:
    return "n/a" if value is None else f"{value}%"


def cmd_programme(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.figures import figures_for, held_files, returns_on_record
    from lga_desktop.consolidation.store import Programme

    if args.snapshot is not None:
        return _snapshot_command(args)
    if args.council:
        return _council_command(args)
    if args.out and not args.period:
        raise UsageError("--out writes one period's report: name it with --period")
    period_text = args.period
    if period_text is not None and period_text.strip().lower() != "all":
        period_arg(period_text)
    with Programme.open(args.programme, read_only=True) as prog:
        if period_text is not None:
            from lga_desktop.consolidation.figures import programme_period

            figures = figures_for(prog, programme_period(prog, period_text))
            if args.out:
                from lga_desktop.consolidation.snapshots import export_board_report

                snap = export_board_report(prog, figures.period.key, args.out)
                print(
                    f"Wrote the Board report for {figures.period} to {args.out} "
                    f"(Board report {snap.id}: {plural(len(snap.counted.return_hashes), 'return')} "
                    "counted, recorded by hash)"
                )
                return EXIT_OK
            return _show_figures(args, figures)
        members = prog.members()
        returns = returns_on_record(prog)
        held = held_files(prog)
        counts = prog.counts()
        name = prog.name
        from lga_desktop.consolidation.snapshots import snapshots

        board = snapshots(prog)
    if args.json:
        print_json(
            {
                "name": name,
                "counts": counts,
                "members": [
                    {"gss": m.gss, "name": m.name, "fingerprints": list(m.fingerprints)}
                    for m in members
                ],
                "returns": [r.__dict__ for r in returns],
                "held_aside": held,
                "board_reports": [
                    {
                        "number": b.id,
                        "period": b.period,
                        "made_on": b.made_on.isoformat(),
                        "file_name": b.file_name,
                        "return_hashes": list(b.counted.return_hashes),
                    }
                    for b in board
                ],
            }
        )
        return EXIT_OK
    print(f"{name}: {plural(counts['members'], 'pilot council')}")
    for m in members:
        print(f"  {m.name} ({m.gss}), key {', '.join(m.fingerprints) or 'none trusted yet'}")
    print(
        f"Returns: {counts['returns_counted']} counting, {counts['returns_superseded']} superseded"
    )
    for r in returns:
        state = "counts" if r.counts else "superseded"
        print(
            f"  {r.period}  {r.council_name:<32} v{r.version} {state:<10} "
            f"signed {r.signed_at[:10]} by {r.signer_name}  {r.return_hash[:16]}…"
        )
    if held:
        print(f"Held aside or waiting for a key: {len(held)}")
        for f in held:
            print(f"  {f['file_name']}: {f['reason']}")
    if board:
        print(f"Board reports exported: {len(board)}")
        for b in board:
            print(
                f"  {b.id}. {b.period} on {b.made_on}, {b.file_name}, "
                f"{plural(len(b.counted.return_hashes), 'return')}"
            )
    return EXIT_OK


def _snapshot_command(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation.snapshots import changes_since, rewrite_snapshot
    from lga_desktop.consolidation.store import Programme

    with Programme.open(args.programme) as prog:
        if args.out:
            rewrite_snapshot(prog, args.snapshot, args.out)
            print(f"Wrote Board report {args.snapshot} again, as it was, to {args.out}")
            return EXIT_OK
        changes = changes_since(prog, args.snapshot)
    s = changes.snapshot
    if args.json:
        print_json(
            {
                "number": s.id,
                "period": s.period,
                "made_on": s.made_on.isoformat(),
                "new_returns": changes.new_returns,
                "corrections": changes.corrections,
                "figures": [{"figure": a, "then": b, "now": c} for a, b, c in changes.figures],
            }
        )
        return EXIT_OK
    print(f"Board report {s.id} ({s.period}, {s.made_on}, {s.file_name}):")
    for line in changes.lines() or ["nothing has changed since."]:
        print(f"  {line}")
    return EXIT_OK


def _show_figures(args: argparse.Namespace, fig) -> int:
    if args.json:
        print_json(_figures_json(fig))
        return EXIT_OK
    total = fig.savings_total
    print(f"{fig.programme}, {fig.period}: {plural(len(fig.returns), 'return')} counted")
    if fig.last_known:
        print(
            "  Last known figures (no return for "
            f"{fig.quarter}): "
            + ", ".join(f"{fig.names[g]} as at {k}" for g, k in sorted(fig.last_known.items()))
        )
    print(
        f"  Savings realised {format_money(total.realised_pence)} against a target of "
        f"{format_money(total.target_pence)} ({_percent(total.percent_of_target)})"
    )
    for s in fig.savings:
        print(
            f"    {s.label:<32} {format_money(s.realised_pence):>16} of "
            f"{format_money(s.target_pence):>16}"
        )
    sme = fig.sme_total
    print(
        f"  SME share of procurement spend {_percent(sme.sme_percent)} of "
        f"{format_money(sme.basis_pence)} (suppliers classified for "
        f"{_percent(sme.classified_percent)} of it)"
    )
    for s in fig.sme:
        print(
            f"    {s.label:<32} {_percent(s.sme_percent):>7} of {format_money(s.basis_pence)}, "
            f"{_percent(s.classified_percent)} classified"
        )
    if fig.experts_total:
        e = fig.experts_total
        print(
            f"  Expert days used {e.days_used_period} this quarter, {e.days_used_to_date} to "
            f"date, of {e.days_agreed} agreed"
        )
    for o in fig.outputs:
        planned, done = o.planned_to_date, o.realised_to_date
        if o.unit == "pence":
            planned, done = format_money(int(planned)), format_money(int(done))
            unit = ""
        else:
            unit = f" {o.unit}"
        print(f"  {o.label:<32} {done}{unit} realised of {planned}{unit} planned to date")
    if fig.missing:
        print(
            f"  No return yet for {fig.quarter} from: " + ", ".join(name for _, name in fig.missing)
            if fig.period and fig.period.kind != "quarter"
            else "  No return yet from: " + ", ".join(name for _, name in fig.missing)
        )
    else:
        print(f"  Every pilot council has sent a return for {fig.quarter}.")
    if fig.waiting_for_key or fig.held_aside:
        print(
            f"  Not counted: {plural(fig.waiting_for_key, 'return')} waiting for a key, "
            f"{plural(fig.held_aside, 'file')} held aside (see 'lga-desktop programme FILE')"
        )
    return EXIT_OK


def _figures_json(fig) -> dict:
    from lga_desktop.consolidation.report_tables import report_json

    def money_lines(lines):
        return [s.__dict__ for s in lines]

    return {
        "programme": fig.programme,
        "period": str(fig.period),
        "quarter": str(fig.quarter),
        "last_known": {g: k for g, k in sorted(fig.last_known.items())},
        "report": report_json(fig),
        "returns": [r.__dict__ for r in fig.returns],
        "missing": [{"gss": g, "name": n} for g, n in fig.missing],
        "savings_by_workstream": money_lines(fig.savings),
        "savings_total": fig.savings_total.__dict__,
        "savings_by_council": money_lines(fig.savings_by_council),
        "sme_by_council": [
            {
                **s.__dict__,
                "sme_percent": s.sme_percent,
                "classified_percent": s.classified_percent,
                "vcse_percent": s.vcse_percent,
            }
            for s in fig.sme
        ],
        "sme_total": {
            **fig.sme_total.__dict__,
            "sme_percent": fig.sme_total.sme_percent,
            "classified_percent": fig.sme_total.classified_percent,
        },
        "spend_by_category": [
            {"category": c, "name": n, "pence": p, "lines": lines}
            for c, n, p, lines in fig.spend_by_category
        ],
        "cap_outputs": [o.__dict__ for o in fig.outputs],
        "experts_by_council": [e.__dict__ for e in fig.experts],
        "experts_total": fig.experts_total.__dict__ if fig.experts_total else None,
        "savings_by_quarter": money_lines(fig.savings_by_quarter),
        "waiting_for_key": fig.waiting_for_key,
        "held_aside": fig.held_aside,
    }


def cmd_roster(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation import roster as r
    from lga_desktop.consolidation.store import Programme

    with Programme.open(args.programme) as prog:
        if args.import_file:
            r.import_roster(prog, args.import_file)
        if args.due:
            r.set_due_date(prog, quarter_arg(args.due[0]), args.due[1])
        rows = r.roster(prog)
    if args.json:
        print_json([row.__dict__ for row in rows])
        return EXIT_OK
    print(f"Roster: {plural(len(rows), 'row')}, {plural(len({x.gss for x in rows}), 'council')}")
    for row in rows:
        due = f", due {row.due_days} days after a quarter" if row.due_days is not None else ""
        print(
            f"  {row.name} ({row.gss}): {row.strand}{' / ' + row.pilot if row.pilot else ''}{due}"
        )
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from lga_desktop.consolidation import roster as r
    from lga_desktop.consolidation.store import Programme
    from lga_desktop.periods import parse_date

    quarter = quarter_arg(args.period)
    today = parse_date(args.today) if args.today else None
    with Programme.open(args.programme) as prog:
        rows = r.status_for(prog, quarter, today)
        if args.chase:
            n = r.write_chase_list(prog, quarter, args.chase, today)
    if args.json:
        print_json([s.to_json() for s in rows])
    else:
        for s in rows:
            late = " (late)" if s.late and s.status != r.LATE else ""
            print(f"  {s.name:<32} {s.status}{late}, due {s.due}")
        if args.chase:
            print(f"Wrote {n} council(s) to chase to {args.chase}")
    bad = any(s.status in (r.MISSING, r.QUERIED) or s.late for s in rows)
    return EXIT_INVALID if bad else EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    import getpass

    from lga_desktop.consolidation import roster as r
    from lga_desktop.consolidation.store import Programme

    quarter = quarter_arg(args.period)
    by = args.by or getpass.getuser()
    with Programme.open(args.programme) as prog:
        if args.accept or args.query or args.comment:
            action = r.ACCEPTED if args.accept else r.QUERIED if args.query else r.COMMENT
            event = r.review(
                prog,
                args.council,
                quarter,
                action,
                args.query or args.comment,
                by=by,
                figure=args.figure,
            )
            history = r.review_history(prog, event["return_hash"])
            state = event["state"]
        else:
            return_hash = r.return_hash_of(prog, args.council, quarter)
            history = r.review_history(prog, return_hash)
            state = r.review_state(prog, return_hash)
    if args.json:
        print_json({"state": state, "history": history})
        return EXIT_OK
    print(f"{args.council} {quarter}: {state}")
    for e in history:
        about = f" on {e['figure']}" if e["figure"] else ""
        print(f"  {e['at']} {e['by_name']}: {e['action']}{about} {e['comment']}".rstrip())
    return EXIT_OK


def _council_command(args: argparse.Namespace) -> int:
    from lga_desktop.atomic_write import replacing
    from lga_desktop.consolidation.drill import council_return_detail, return_pdf_bytes
    from lga_desktop.consolidation.store import Programme

    if not args.period:
        raise UsageError("--council shows one quarter's return: name it with --period")
    quarter = quarter_arg(args.period)
    with Programme.open(args.programme) as prog:
        d = council_return_detail(prog, args.council, quarter)
        counting = next((v for v in d.versions if v.counts), d.versions[0])
        if args.pdf:
            pdf = return_pdf_bytes(prog, counting.return_hash)
            with replacing(args.pdf, what="The printed return") as tmp:
                tmp.write_bytes(pdf)
    if args.json:
        print_json(
            {
                "council_gss": d.council_gss,
                "council": d.council_name,
                "quarter": d.quarter,
                "versions": [v.__dict__ for v in d.versions],
                "figures": dict(d.figures),
                "changes": [
                    {"version": v, "where": w, "old": o, "new": n} for v, w, o, n in d.changes
                ],
            }
        )
        return EXIT_OK
    print(f"{d.council_name} ({d.council_gss}), {d.quarter}:")
    for v in d.versions:
        state = "counts" if v.counts else "superseded"
        print(f"  version {v.version} {state}, signed {v.signed_at[:10]}, {v.return_hash[:16]}…")
    for what, value in d.figures:
        print(f"  {what}: {value}")
    for version, where, old, new in d.changes:
        print(f"  v{version} changed {where}: {old} → {new}")
    if args.pdf:
        print(f"Saved the printed return to {args.pdf}")
    return EXIT_OK
