"""Self-test step for returns: a real key, a real signed return with its PDF, verified.

Runs on the demo workspace the ``demo-workspace`` step made, so every register
that exists is carried (see ``lga_desktop/selftest.py``).
"""

from __future__ import annotations

from datetime import date

from lga_desktop.periods import parse_quarter
from lga_desktop.selftest import SelfTestContext, expect

PASSPHRASE = "self-test passphrase, not a real one"


def sign_and_verify_return(ctx: SelfTestContext) -> str:
    from lga_desktop.returns import keys
    from lga_desktop.returns.build import Declaration, Person, assemble
    from lga_desktop.returns.sign import sign_return
    from lga_desktop.returns.trust import TrustedKeys
    from lga_desktop.returns.verify import verify_file
    from lga_desktop.workspace import Workspace

    quarter = parse_quarter("2012/13 Q2")
    with Workspace.open(ctx.folder / "demo.lgaws") as ws:
        keys.create_key(ws, PASSPHRASE)
        draft = assemble(ws, quarter, today=date(2012, 10, 15))
        expect(not draft.errors, f"the demo return has errors: {draft.errors[:1]}")
        notes = {w.key: "Explained for the self-test." for w in draft.warnings}
        declaration = Declaration(
            Person("Sam Patel", "Officer", "sam@example.gov.uk", "2012-10-12"),
            Person("Jo Reed", "Head of Finance", "jo@example.gov.uk", "2012-10-15"),
        )
        out = ctx.folder / "self-test.lgareturn"
        signed = sign_return(
            ws, draft, notes=notes, declaration=declaration, passphrase=PASSPHRASE, out_path=out
        )
        trusted = TrustedKeys.from_keys(ws.council.gss, keys.all_keys(ws))
    result = verify_file(signed.path, trusted=trusted)
    expect(result.valid, f"the signed return did not verify: {result.reason}")
    tampered = bytearray(signed.path.read_bytes())
    tampered[len(tampered) // 2] ^= 0x01
    bad = ctx.folder / "tampered.lgareturn"
    bad.write_bytes(bytes(tampered))
    expect(not verify_file(bad, trusted=trusted).valid, "a tampered return still verified")
    import zipfile

    with zipfile.ZipFile(signed.path) as z:
        pdf = z.read("return.pdf")
    expect(pdf.startswith(b"%PDF"), "the return's PDF is not a PDF")
    ctx.shared["signed_return"] = signed.path
    return (
        f"{len(draft.sections)} sections, {len(draft.warnings)} warnings explained, "
        f"{signed.path.stat().st_size:,} bytes, PDF {len(pdf):,} bytes"
    )
