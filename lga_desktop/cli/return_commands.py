"""Signing keys, signed returns and their verification, from the command line.

``keygen``, ``change-passphrase``, ``export-key`` and ``export-return`` work on a
council's workspace; ``verify`` and ``trust-key`` are what the LGA runs on the
files councils send. Passphrases come from ``LGA_PASSPHRASE`` (and
``LGA_NEW_PASSPHRASE`` for a new one) or, in a terminal, a prompt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from lga_desktop.cli import EXIT_OK, open_or_create_programme, print_json, quarter_arg
from lga_desktop.errors import NotValidError, UsageError
from lga_desktop.words import plural
from lga_desktop.workspace import Workspace

PASSPHRASE_ENV = "LGA_PASSPHRASE"
NEW_PASSPHRASE_ENV = "LGA_NEW_PASSPHRASE"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "keygen",
        help="create the workspace's signing key (or rotate it)",
        description=(
            "Create the Ed25519 key this workspace signs returns with, locked with a "
            f"passphrase (from {PASSPHRASE_ENV} or a prompt). With --rotate, replace the "
            f"current key: {PASSPHRASE_ENV} unlocks the old one, {NEW_PASSPHRASE_ENV} locks "
            "the new one. With --programme, the LGA's key in a programme file (it signs "
            "programme packs and receipts)."
        ),
    )
    p.add_argument(
        "workspace", type=Path, nargs="?", metavar="WORKSPACE", help="the workspace file"
    )
    p.add_argument(
        "--programme", type=Path, metavar="PROGRAMME", help="(LGA) the programme file instead"
    )
    p.add_argument(
        "--rotate",
        action="store_true",
        help="replace the current key; returns signed with the old one stay verifiable",
    )
    p.add_argument("--json", action="store_true", help="print the new key's details as JSON")
    p.set_defaults(handler=cmd_keygen)

    p = sub.add_parser(
        "change-passphrase",
        help="lock the signing key with a new passphrase",
        description=(
            f"Unlock the signing key with the old passphrase ({PASSPHRASE_ENV} or a prompt) "
            f"and lock it with a new one ({NEW_PASSPHRASE_ENV} or a prompt). The key and "
            "its fingerprint do not change."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.set_defaults(handler=cmd_change_passphrase)

    p = sub.add_parser(
        "export-key",
        help="write the public key card to send to the LGA",
        description="Write the signing key's card (.lgakey) and, with --pdf, its printable page.",
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument(
        "--out", type=Path, required=True, metavar="FILE", help="the .lgakey file to write"
    )
    p.add_argument(
        "--pdf", type=Path, metavar="FILE", help="also write the one-page printable card"
    )
    p.add_argument("--json", action="store_true", help="print the card as JSON")
    p.set_defaults(handler=cmd_export_key)

    p = sub.add_parser(
        "trust-key",
        help="(LGA) add councils' key cards to a trusted-keys file",
        description=(
            "Add key cards to the trusted-keys file used by 'verify --trusted-keys' (created "
            "if missing), or to a programme file, which then merges the returns that were "
            "waiting for those keys. Only do this after confirming the fingerprint with the "
            "council."
        ),
    )
    p.add_argument("cards", type=Path, nargs="+", metavar="CARD", help="key card files (.lgakey)")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--trusted-keys", type=Path, metavar="FILE", help="the trusted-keys file (JSON)"
    )
    where.add_argument(
        "--programme",
        type=Path,
        metavar="FILE",
        help="a programme file (.lgaprog): trust the keys there, and merge the returns that "
        "were waiting for them",
    )
    p.add_argument(
        "--fingerprint",
        metavar="FP",
        help="the fingerprint as the council read it out; the card must match it",
    )
    p.add_argument("--note", default="", help="how the fingerprint was confirmed, kept in the file")
    p.add_argument("--json", action="store_true", help="print what was added as JSON")
    p.set_defaults(handler=cmd_trust_key)

    p = sub.add_parser(
        "revoke-key",
        help="(LGA) revoke a trusted key for returns received after a date",
        description=(
            "Mark a trusted key as revoked: returns signed with it and received after DATE are "
            "refused by 'verify' and held aside by 'consolidate', whatever date they claim to "
            "have been signed on; those received up to DATE stay accepted. Use it when a "
            "council's key is lost, stolen or retired."
        ),
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--trusted-keys", type=Path, metavar="FILE", help="the trusted-keys file (JSON or CSV)"
    )
    where.add_argument("--programme", type=Path, metavar="FILE", help="a programme file (.lgaprog)")
    p.add_argument("--fingerprint", required=True, metavar="FP", help="the key's fingerprint")
    p.add_argument(
        "--after", required=True, metavar="DATE", help="the last day (YYYY-MM-DD) it was valid"
    )
    p.add_argument("--reason", required=True, metavar="TEXT", help="why, kept with the key")
    p.add_argument("--json", action="store_true", help="print what was revoked as JSON")
    p.set_defaults(handler=cmd_revoke_key)

    p = sub.add_parser(
        "export-return",
        help="build, sign and save a quarter's return",
        description=(
            "Assemble the quarter's return from the registers, check it, and sign it with the "
            f"workspace's key (passphrase from {PASSPHRASE_ENV} or a prompt). Refuses while "
            "validation errors remain or a warning has no explanation note, and lists them."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument(
        "--period", required=True, metavar="QUARTER", help='the quarter, e.g. "2012/13 Q2"'
    )
    p.add_argument("--signer", metavar="NAME", help="the signing officer's name")
    p.add_argument("--role", metavar="ROLE", help="the signing officer's role")
    p.add_argument("--email", default=None, metavar="EMAIL", help="the signing officer's e-mail")
    p.add_argument(
        "--preparer", metavar="NAME", help="who prepared it (default: the workspace's officer)"
    )
    p.add_argument("--preparer-role", metavar="ROLE", help="the preparer's role")
    p.add_argument("--preparer-email", metavar="EMAIL", help="the preparer's e-mail")
    p.add_argument(
        "--note",
        action="append",
        default=[],
        metavar="KEY=TEXT",
        help="an explanation note for a warning (KEY as listed by --check, or the rule's code)",
    )
    p.add_argument(
        "--correction-reason",
        default="",
        metavar="TEXT",
        help="what a correction corrects (default, when the LGA queried the return it corrects: "
        "an answer naming the query)",
    )
    p.add_argument("--out", type=Path, metavar="FILE", help="the .lgareturn file to write")
    p.add_argument(
        "--check", action="store_true", help="only list the findings and what blocks signing"
    )
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_export_return)

    p = sub.add_parser(
        "returns",
        help="list the returns a workspace has signed",
        description=(
            "List the returns this workspace has signed, newest first, with their hashes and the "
            "LGA's status from its receipts; with --json, the LGA's comments, each with the "
            "figure it is about as the return states it (figure_label, figure_value)."
        ),
    )
    p.add_argument("workspace", type=Path, metavar="WORKSPACE", help="the workspace file")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=cmd_returns)

    p = sub.add_parser(
        "verify",
        help="check that return files are intact and signed by the council's key",
        description=(
            "Check return files: intact, signed, every field within the format, which council "
            "and quarter, and (with --trusted-keys) whether the key is the one trusted for that "
            "council and not revoked. Each file gets its own verdict. Exits 0 only when every "
            "file is valid."
        ),
    )
    p.add_argument("files", type=Path, nargs="+", metavar="FILE", help="return files (.lgareturn)")
    p.add_argument(
        "--trusted-keys",
        type=Path,
        metavar="FILE",
        help="the LGA's trusted-keys file (JSON or CSV)",
    )
    p.add_argument("--json", action="store_true", help="print the results as JSON")
    p.set_defaults(handler=cmd_verify)


# ---- passphrases -------------------------------------------------------------


def _passphrase(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value:
        return value
    if not sys.stdin.isatty():
        raise UsageError(f"no passphrase given: set {env} or run the command in a terminal")
    value = getpass.getpass(prompt)
    if confirm and getpass.getpass("Type it again: ") != value:
        raise UsageError("the two passphrases typed differ; nothing was changed")
    return value


# ---- keys ----------------------------------------------------------------------


def _key_json(key) -> dict:
    return {
        "fingerprint": key.fingerprint,
        "public_key": key.public_key_hex,
        "created_at": key.created_at,
        "created_by": key.created_by,
        "replaces": key.endorsement["fingerprint"] if key.endorsement else None,
    }


def _key_file(args: argparse.Namespace):
    """The workspace, or with --programme the programme file, whose key is meant."""
    if (args.workspace is None) == (args.programme is None):
        raise UsageError("give a WORKSPACE, or --programme PROGRAMME for the LGA's key")
    if args.programme is not None:
        from lga_desktop.consolidation.store import Programme

        return Programme.open(args.programme), args.programme
    return Workspace.open(args.workspace), args.workspace


def cmd_keygen(args: argparse.Namespace) -> int:
    from lga_desktop.returns import keys

    opened, path = _key_file(args)
    with opened as ws:
        by = "" if args.programme is None else "LGA"
        if args.rotate:
            old = _passphrase(PASSPHRASE_ENV, "Current passphrase: ")
            new = _passphrase(NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
            key = keys.rotate_key(ws, old, new, created_by=by)
        else:
            if keys.current_key(ws) is not None:
                raise UsageError(
                    f"{path.name} already has a signing key "
                    f"({keys.current_key(ws).fingerprint}); use --rotate to replace it"
                )
            key = keys.create_key(
                ws,
                _passphrase(PASSPHRASE_ENV, "Passphrase for the new key: ", confirm=True),
                created_by=by,
            )
    if args.json:
        print_json(_key_json(key))
    else:
        print(f"Signing key {'rotated' if args.rotate else 'created'}.")
        print(f"Fingerprint: {key.fingerprint}")
        if args.programme is not None:
            print("Councils confirm this fingerprint once, when they import the first pack.")
        else:
            print(
                "Send the key card to the LGA: "
                "lga-desktop export-key WORKSPACE --out FILE --pdf FILE"
            )
    return 0


def cmd_change_passphrase(args: argparse.Namespace) -> int:
    from lga_desktop.returns import keys

    with Workspace.open(args.workspace) as ws:
        old = _passphrase(PASSPHRASE_ENV, "Current passphrase: ")
        new = _passphrase(NEW_PASSPHRASE_ENV, "New passphrase: ", confirm=True)
        key = keys.change_passphrase(ws, old, new)
    print(f"Passphrase changed; the key ({key.fingerprint}) is the same.")
    return 0


def cmd_export_key(args: argparse.Namespace) -> int:
    from lga_desktop.returns import keys
    from lga_desktop.returns.trust import key_card_for, write_key_card

    with Workspace.open(args.workspace, read_only=True) as ws:
        key = keys.current_key(ws)
        if key is None:
            raise keys.NoKey()
        card = key_card_for(ws.council.gss, key)
    write_key_card(card, args.out)
    if args.pdf:
        from lga_desktop.returns.pdf import key_card_pdf

        args.pdf.write_bytes(key_card_pdf(card.to_json()))
    if args.json:
        print_json(card.to_json())
    else:
        print(f"Key card written to {args.out}" + (f" and {args.pdf}" if args.pdf else ""))
        print(f"Fingerprint: {card.fingerprint}")
    return 0


def cmd_trust_key(args: argparse.Namespace) -> int:
    from lga_desktop.returns.keys import normalise_fingerprint
    from lga_desktop.returns.trust import TrustedKeys, load_trusted_keys, read_key_card

    expected = normalise_fingerprint(args.fingerprint) if args.fingerprint else None
    cards = [(path, read_key_card(path)) for path in args.cards]
    for path, card in cards:
        if expected and card.fingerprint != expected:
            raise NotValidError(
                f"{path.name} holds the key {card.fingerprint}, not the {expected} read out; "
                "nothing was added"
            )
    if args.programme:
        return trust_in_programme(args, cards)
    trusted = load_trusted_keys(args.trusted_keys) if args.trusted_keys.exists() else TrustedKeys()
    added = trust_cards(cards, trusted.add, args.note)
    trusted.save(args.trusted_keys)
    if args.json:
        print_json(added)
    else:
        print_trusted(added)
    return 0


def cmd_revoke_key(args: argparse.Namespace) -> int:
    from lga_desktop.returns.keys import normalise_fingerprint
    from lga_desktop.returns.trust import load_trusted_keys, parse_revocation

    fp = normalise_fingerprint(args.fingerprint)
    revocation = parse_revocation(args.after, args.reason)
    if args.programme:
        from lga_desktop.consolidation.store import Programme

        with Programme.open(args.programme) as prog:
            prog.backup(reason=f"before revoking key {fp[:16]}")
            councils = prog.revoke_key(fp, revocation)
    else:
        if args.trusted_keys.suffix.lower() == ".csv":
            raise UsageError(
                f"{args.trusted_keys.name} is CSV: add the columns revoked_after and "
                "revoked_reason to its row, or keep the list as JSON (lga-desktop trust-key writes "
                "JSON)"
            )
        trusted = load_trusted_keys(args.trusted_keys)
        councils = trusted.revoke(fp, revocation)
        trusted.save(args.trusted_keys)
    result = {"fingerprint": fp, "councils": councils, **revocation.to_json()}
    if args.json:
        print_json(result)
    else:
        print(
            f"Revoked the key {fp} ({', '.join(councils)}) for returns received after "
            f"{revocation.after:%d %B %Y}: {revocation.reason}"
        )
    return 0


def trust_cards(cards: list, add, note: str) -> list[dict]:
    """Trust each ``(path, card)`` with ``add(gss, fingerprint, note)``; what happened to each."""
    return [
        {
            "council": card.council_gss,
            "name": card.council_name,
            "fingerprint": card.fingerprint,
            "added": add(card.council_gss, card.fingerprint, note or f"added from {path.name}"),
            "replaces": card.endorsed_by,
        }
        for path, card in cards
    ]


def print_trusted(added: list[dict]) -> None:
    for a in added:
        verb = "Trusted" if a["added"] else "Already trusted"
        print(f"{verb}: {a['name']} ({a['council']}) key {a['fingerprint']}")


def trust_in_programme(args: argparse.Namespace, cards: list) -> int:
    """``trust-key --programme``: trust the cards' keys there, then merge what waited for them."""
    from lga_desktop.consolidation.merge import retry_waiting

    with open_or_create_programme(args.programme, None, as_json=args.json) as prog:
        prog.backup(reason="before trusting " + ", ".join(c.council_gss for _, c in cards))
        added = trust_cards(cards, prog.trust_key, args.note)
        report = retry_waiting(prog)
    if args.json:
        print_json({"keys": added, "waiting_returns": report.to_json()})
        return EXIT_OK
    print_trusted(added)
    for outcome in report.files:
        if outcome.outcome != "waiting-key":
            print(outcome.line())
    if report.waiting:
        print(f"{plural(report.waiting, 'return')} still wait for other councils' keys.")
    return EXIT_OK


# ---- returns -------------------------------------------------------------------


def _notes(draft, given: list[str]) -> dict[str, str]:
    """Pre-filled notes, overridden by ``--note KEY=TEXT`` (KEY: a finding's key or rule code)."""
    notes = dict(draft.notes)
    for item in given:
        key, sep, text = item.partition("=")
        if not sep:
            raise UsageError(f"--note {item!r}: write it as KEY=TEXT")
        if key in {w.key for w in draft.warnings}:
            matches = [key]
        else:  # a rule's code explains every warning of that rule
            matches = [w.key for w in draft.warnings if w.code == key]
        if not matches:
            raise UsageError(f"--note {key!r} names no warning of this return (see --check)")
        notes.update(dict.fromkeys(matches, text))
    return notes


def _declaration(ws: Workspace, draft, args: argparse.Namespace):
    from datetime import date

    from lga_desktop.returns.build import Declaration, Person

    today = date.today().isoformat()
    pre = draft.declaration
    prev_signer = pre.signer if pre else None
    prev_preparer = pre.preparer if pre else None
    if not args.signer and not (prev_signer and prev_signer.name):
        raise UsageError("name the signing officer with --signer and --role")
    signer_name = args.signer or prev_signer.name
    same_as_before = prev_signer is not None and prev_signer.name == signer_name
    signer = Person(
        signer_name,
        args.role or (prev_signer.role if same_as_before else ""),
        args.email if args.email is not None else (prev_signer.email if same_as_before else ""),
        today,
    )
    if args.preparer:
        preparer = Person(args.preparer, args.preparer_role or "", args.preparer_email or "", today)
    elif prev_preparer and prev_preparer.name:
        preparer = Person(
            prev_preparer.name,
            args.preparer_role or prev_preparer.role,
            args.preparer_email or prev_preparer.email,
            today,
        )
    else:
        preparer = signer
    return Declaration(preparer, signer)


def _findings_json(draft, notes: dict[str, str]) -> list[dict]:
    return [
        {
            "severity": str(f.severity),
            "key": f.key,
            "code": f.code,
            "message": f.message,
            "note": notes.get(f.key, ""),
        }
        for f in draft.findings
    ]


def cmd_export_return(args: argparse.Namespace) -> int:
    from lga_desktop.returns.build import assemble
    from lga_desktop.returns.fileformat import SUFFIX
    from lga_desktop.returns.sign import save_pending_return, sign_return

    quarter = quarter_arg(args.period)
    with Workspace.open(args.workspace) as ws:
        council_name = ws.council.official_name
        wanted = args.out and args.out.with_name(args.out.name.removesuffix(SUFFIX) + SUFFIX)
        saved = None if args.check else save_pending_return(ws, wanted)
        if saved is not None:
            if args.json:
                print_json({"signed": True, "path": str(saved), "saved_again": True})
            else:
                print(f"Saved the return signed earlier, unchanged: {saved}")
            return 0
        draft = assemble(ws, quarter)
        notes = _notes(draft, args.note)
        if args.check:
            return _print_check(draft, notes, args)
        if args.out is None:
            raise UsageError("say where to save the return with --out FILE")
        declaration = _declaration(ws, draft, args)
        if draft.supersedes is not None and not args.correction_reason:
            from lga_desktop.exchange.council import query_answer

            args.correction_reason = query_answer(ws, draft.supersedes.return_hash)
        problems = draft.problems(notes, declaration, args.correction_reason)
        if problems:
            if args.json:
                print_json(
                    {
                        "signed": False,
                        "problems": problems,
                        "findings": _findings_json(draft, notes),
                    }
                )
            else:
                print(f"The {quarter} return cannot be signed yet:", file=sys.stderr)
                for problem in problems:
                    print(f"  - {problem}", file=sys.stderr)
            raise NotValidError(
                f"{plural(len(problems), 'thing')} to fix before the return can be signed"
            )
        for warning in declaration.warnings():
            print(f"Note: {warning}", file=sys.stderr)
        signed = sign_return(
            ws,
            draft,
            notes=notes,
            declaration=declaration,
            passphrase=_passphrase(PASSPHRASE_ENV, "Passphrase of the signing key: "),
            out_path=args.out,
            correction_reason=args.correction_reason,
        )
    if args.json:
        print_json(
            {
                "signed": True,
                "path": str(signed.path),
                "period": str(quarter),
                "version": signed.record.version,
                "return_hash": signed.return_hash,
                "key_fingerprint": signed.key_fingerprint,
            }
        )
    else:
        print(
            f"Signed {council_name}'s return for {quarter} "
            f"(version {signed.record.version}): {signed.path}"
        )
        print(f"Return hash:     {signed.return_hash}")
        print(f"Key fingerprint: {signed.key_fingerprint}")
    return 0


def _print_check(draft, notes: dict[str, str], args: argparse.Namespace) -> int:
    blocking = draft.errors or draft.missing_notes(notes)
    if args.json:
        print_json(
            {
                "period": str(draft.quarter),
                "version": draft.version,
                "ready": not blocking,
                "findings": _findings_json(draft, notes),
            }
        )
    else:
        print(f"{draft.council.official_name}, {draft.quarter} (version {draft.version})")
        if not draft.findings:
            print("Every validation rule passed.")
        for f in draft.findings:
            state = (
                ""
                if f.severity.value == "error"
                else (" [explained]" if notes.get(f.key, "").strip() else " [needs a note]")
            )
            print(f"  {f.severity.value.upper():7} {f.key}{state}\n          {f.message}")
        print("Ready to sign." if not blocking else "Not ready to sign.")
    return 1 if blocking else 0


def cmd_returns(args: argparse.Namespace) -> int:
    from lga_desktop.exchange.council import LgaStatus, comments_on_figures, lga_statuses
    from lga_desktop.returns.history import history, superseded_hashes

    with Workspace.open(args.workspace, read_only=True) as ws:
        records = history(ws)
        superseded = superseded_hashes(ws)
        lga = lga_statuses(ws)
        commented = {h: comments_on_figures(ws, h) for h in lga}
    none = LgaStatus("", "")
    if args.json:
        print_json(
            [
                {
                    **r.__dict__,
                    "superseded": r.return_hash in superseded,
                    "lga_status": lga.get(r.return_hash, none).status or None,
                    "lga_comments": commented.get(r.return_hash, []),
                }
                for r in records
            ]
        )
        return 0
    if not records:
        print("No returns have been signed in this workspace yet.")
        return 0
    print(f"{'Quarter':<12}{'Ver':>4}  {'Signed':<26}{'Signer':<24}{'Return hash':<18}")
    for r in records:
        flag = "  (superseded)" if r.return_hash in superseded else ""
        if r.return_hash in lga:
            flag += f"  LGA: {lga[r.return_hash].status}"
        print(
            f"{r.period:<12}{r.version:>4}  {r.signed_at:<26}{r.signer_name[:23]:<24}"
            f"{r.short_hash:<18}{flag}"
        )
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from lga_desktop.returns.trust import load_trusted_keys
    from lga_desktop.returns.verify import verify_file

    trusted = load_trusted_keys(args.trusted_keys) if args.trusted_keys else None
    results = [verify_file(path, trusted=trusted) for path in args.files]
    if args.json:
        print_json([r.to_json() for r in results])
    else:
        print("\n".join(r.describe() for r in results))
    return 0 if all(r.valid for r in results) else 1
