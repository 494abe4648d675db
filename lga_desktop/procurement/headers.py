"""Recognising the columns of a council's "spend over £500" file.

The Local Government Transparency Code names the fields (body, service area,
expenditure category, date, transaction number, amount, supplier...) but not
the headers, so every council writes them its own way: ``Paid Date``,
``payment_date``, ``Date Paid``, ``Transaction Date``; ``Expenditure
Catergory``; ``Organisatonal Unit``. A synonym table, compared after folding
case and punctuation and forgiving a typo or two, recognises most of them; a
header it cannot place goes to the officer, whose choice is remembered for
every later file with the same headers (:func:`header_signature`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

__all__ = [
    "FIELDS",
    "REQUIRED",
    "FIELD_LABELS",
    "ColumnMapping",
    "normalise_header",
    "header_signature",
    "recognise",
    "looks_like_header",
]

# field -> label an officer reads in the mapping step
FIELD_LABELS: dict[str, str] = {
    "date": "Payment date",
    "amount": "Amount",
    "supplier_name": "Supplier name",
    "supplier_ref": "Supplier ID",
    "reference": "Transaction reference",
    "category": "Expenditure category",
    "code": "Expenditure code",
    "service_area": "Service area / organisational unit",
    "body": "Body name",
    "cap_rev": "Revenue or capital",
    "company_number": "Company number",
}
FIELDS = tuple(FIELD_LABELS)
REQUIRED = ("date", "amount", "supplier_name")

# Best first: when a file has two columns for a field (``Net Amount`` and
# ``Gross Amount``), the earlier synonym wins and the other is left unread.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "body": (
        "body name",
        "body",
        "organisation name",
        "organisation",
        "organization",
        "council",
        "local authority",
        "authority",
        "client",
        "publisher",
        "entity",
        "organisation label",
        "body label",
        "public body",
    ),
    "service_area": (
        "service area",
        "organisational unit",
        "organizational unit",
        "service",
        "service label",
        "service area label",
        "department",
        "directorate",
        "service division",
        "division",
        "business unit",
        "cost centre description",
        "cost centre name",
        "cost centre",
        "responsible unit",
        "portfolio",
        "service area categorisation",
        "expense area",
        "team",
    ),
    "category": (
        "expenditure category",
        "expense type",
        "expenses type",
        "expenditure type",
        "detailed expense type",
        "category",
        "purpose of expenditure",
        "purpose",
        "subjective description",
        "subjective",
        "account description",
        "nominal description",
        "spend category",
        "procurement category",
        "proclass description",
        "proclass",
        "service category",
        "expenditure description",
        "account name",
        "category description",
    ),
    "code": (
        "expenditure code",
        "expense code",
        "expense type code",
        "account code",
        "subjective code",
        "nominal code",
        "cost code",
        "category code",
        "proclass code",
        "ledger code",
        "gl code",
        "expenditure account code",
        "account number",
    ),
    "date": (
        "paid date",
        "payment date",
        "date paid",
        "date of payment",
        "transaction date",
        "pay date",
        "invoice payment date",
        "posting date",
        "effective date",
        "date",
        "invoice date",
    ),
    "reference": (
        "trans no",
        "transaction number",
        "transaction no",
        "transaction reference",
        "transaction ref",
        "transaction id",
        "trans ref",
        "trans id",
        "transaction",
        "unique transaction reference",
        "payment reference",
        "payment ref",
        "payment number",
        "payment id",
        "reference",
        "ref",
        "reference number",
        "invoice number",
        "invoice no",
        "invoice ref",
        "invoice reference",
        "document number",
        "doc no",
        "voucher number",
        "voucher no",
    ),
    "amount": (
        "amount",
        "net amount",
        "amount net",
        "value",
        "net value",
        "amount paid",
        "payment amount",
        "total amount",
        "total",
        "transaction amount",
        "line amount",
        "amount excluding vat",
        "amount ex vat",
        "net",
        "expenditure",
        "sum",
        "invoice amount",
        "gross amount",
        "gross",
        "amount gross",
        "gross value",
    ),
    "cap_rev": (
        "type",
        "revenue capital",
        "capital revenue",
        "revenue or capital",
        "capital or revenue",
        "cap or rev",
        "rev or cap",
        "caporrev",
        "revorcap",
        "cap rev",
        "rev cap",
        "type of expenditure",
        "expenditure class",
        "capital revenue indicator",
    ),
    "supplier_ref": (
        "supplier id",
        "supplier number",
        "supplier no",
        "supplier code",
        "supplier reference",
        "supplier ref",
        "vendor id",
        "vendor number",
        "vendor no",
        "vendor code",
        "creditor number",
        "creditor id",
        "creditor code",
        "creditor no",
        "payee id",
        "payee number",
        "beneficiary id",
    ),
    "supplier_name": (
        "supplier name",
        "supplier",
        "vendor name",
        "vendor",
        "payee name",
        "payee",
        "creditor name",
        "creditor",
        "beneficiary name",
        "beneficiary",
        "merchant name",
        "merchant",
        "recipient name",
        "recipient",
        "supplier payee",
        "company name",
        "supplier trading name",
        "trading name",
    ),
    "company_number": (
        "company number",
        "company registration number",
        "companies house number",
        "company reg no",
        "registration number",
        "company no",
    ),
}


def normalise_header(text: object) -> str:
    """Fold case, ``&``, ``£``, underscores and punctuation: ``Amount (£)`` -> ``amount``."""
    s = str(text or "").strip().lower().replace("&", " and ").replace("/", " ")
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def _squash(text: str) -> str:
    return text.replace(" ", "")


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a transposition counts once), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


# squashed synonym -> (field, rank)
_EXACT: dict[str, tuple[str, int]] = {}
for _field, _names in SYNONYMS.items():
    for _rank, _name in enumerate(_names):
        _EXACT.setdefault(_squash(_name), (_field, _rank))


def match_header(text: object) -> tuple[str, int] | None:
    """The field a header names and its synonym's rank (lower is better), or None.

    Exact after normalising, else within two typos for long names (one for
    short ones): "Organisatonal Unit" and "Expenditure Catergory" are read, but
    "Expenditure Code" is never taken for "Expenditure Category".
    """
    key = _squash(normalise_header(text))
    if not key:
        return None
    if key in _EXACT:
        return _EXACT[key]
    limit = 2 if len(key) >= 10 else 1 if len(key) >= 6 else 0
    if not limit:
        return None
    best: list[tuple[int, str, int]] = []
    for name, (fld, rank) in _EXACT.items():
        if len(name) < 6:
            continue
        d = _distance(key, name, limit)
        if d <= limit:
            best.append((d, fld, rank))
    if not best:
        return None
    best.sort()
    closest = [b for b in best if b[0] == best[0][0]]
    if len({fld for _, fld, _ in closest}) > 1:
        return None  # two fields equally close: let the officer say
    _, fld, rank = closest[0]
    return fld, rank + 100  # a typo ranks below every exact synonym


@dataclass
class ColumnMapping:
    """Which column (by position in the header row) holds each field."""

    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)  # field -> column index
    remembered: bool = False  # came from an officer's earlier choice

    @property
    def missing(self) -> list[str]:
        return [f for f in REQUIRED if f not in self.columns]

    @property
    def unread(self) -> list[str]:
        """Headers no field reads (shown in the report and the mapping step)."""
        used = set(self.columns.values())
        return [h for i, h in enumerate(self.headers) if i not in used and str(h).strip()]

    @property
    def signature(self) -> str:
        return header_signature(self.headers)

    def by_header(self) -> dict[str, str]:
        """field -> header text: how a mapping is remembered and shown."""
        return {f: self.headers[i] for f, i in self.columns.items()}

    @classmethod
    def from_headers(cls, headers: list[str], by_header: dict[str, str]) -> ColumnMapping:
        """Rebuild from field -> header text; raises KeyError for a header not in the row."""
        folded = [normalise_header(h) for h in headers]
        columns = {}
        for fld, header in by_header.items():
            if fld not in FIELD_LABELS:
                raise KeyError(f"{fld!r} is not a spend-file field")
            columns[fld] = folded.index(normalise_header(header))
        return cls(list(headers), columns)


def header_signature(headers: list[str]) -> str:
    """Identifies a header row whatever its case and punctuation, for remembering a mapping."""
    text = "|".join(normalise_header(h) for h in headers).rstrip("|")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def recognise(headers: list[str]) -> ColumnMapping:
    """Propose a mapping from the synonym table; fields it cannot find are left out."""
    chosen: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
    for i, header in enumerate(headers):
        m = match_header(header)
        if m is None:
            continue
        fld, rank = m
        if fld not in chosen or rank < chosen[fld][0]:
            chosen[fld] = (rank, i)
    return ColumnMapping(list(headers), {f: col for f, (_, col) in chosen.items()})


def looks_like_header(row: list[str]) -> bool:
    """A row that names at least two spend-file fields is taken for the header row."""
    fields = {m[0] for m in (match_header(c) for c in row) if m is not None}
    return len(fields) >= 2
