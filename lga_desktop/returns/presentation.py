"""A return in words: what the printed return says, worked out without reportlab.

The PDF (``returns.pdf``) lays out what this module reads from a return's
``return.json``; the window shows the same headline figures. Nothing here
knows a register by name: records are recognised by their refs (``EXP-003``
belongs to the register whose ``ref_prefix`` is ``EXP``) and printed with the
labels of the register's declaration, choices as their labels, money as
pounds, quarters as "2012/13 Q2". Figures worked out by a feature (savings
against target, days used ...) are labelled from :data:`LABELS`; a figure not
listed there still prints, its key written as words, with the unit its key
names (``_pence`` in pounds, ``_percent`` as a percentage).

:func:`headlines` picks page 1's figure per strand; :func:`changes` compares
a correction with the version it supersedes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lga_desktop.money import format_money
from lga_desktop.periods import Quarter

__all__ = [
    "Block",
    "Change",
    "Headline",
    "PrintedSection",
    "changes",
    "headlines",
    "label",
    "printed_sections",
    "quarter_text",
    "value_text",
]

NONE_RECORDED = "None recorded"
_QUARTER_KEY = re.compile(r"^(\d{4})Q([1-4])$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[a-z][a-z0-9_]*$|^[A-Z]{2,5}$")
_REF = re.compile(r"^([A-Z]{2,5})-\d+$")

# Figures that features work out, by key (or "parent.key" where the parent decides)
LABELS: dict[str, str] = {
    # CAP
    "funding": "Funding",
    "lga_investment_pence": "LGA investment",
    "match_funding_pence": "Match funding",
    "outputs_against_plan": "Outputs against plan",
    "output": "Output",
    "unit": "Unit",
    "planned_year": "Planned for the year",
    "planned_due_year": "Due this year by the quarter's end",
    "realised_period": "Realised this quarter",
    "realised_year_to_date": "Realised this year to date",
    "planned_to_date": "Planned to date",
    "realised_to_date": "Realised to date",
    # procurement
    "quarter": "Quarter",
    "period": "Period",
    "lines": "Spend lines",
    "suppliers": "Suppliers paid",
    "total_pence": "Total spend",
    "basis_pence": "Procurement spend (what the shares are of)",
    "excluded_pence": "Left out: not procurement",
    "sme_pence": "With SMEs",
    "sme_percent": "SME share",
    "not_sme_pence": "With suppliers that are not SMEs",
    "unclassified_pence": "Not yet classified",
    "classified_pence": "Classified as SME or not",
    "classified_percent": "Share of it classified",
    "vcse_pence": "With VCSEs",
    "vcse_percent": "VCSE share",
    "local_pence": "With local suppliers",
    "local_percent": "Local share",
    "unmapped_pence": "Spend with no big-spend category",
    "unmapped_lines": "Lines with no big-spend category",
    "sme_aspiration_percent": "SME share aspiration",
    "sme_aspiration_context": "About the aspiration",
    "sme_definition": "SME definition",
    "spend_by_category": "Spend by big-spend category",
    "category": "Category",
    "name": "Name",
    "spend_pence": "Spend",
    "share": "SME, VCSE and local share this quarter",
    "year_to_date": "SME, VCSE and local share, year to date",
    "supplier_flags": "Suppliers paid, as flagged when signed",
    "sme": "SME",
    "vcse": "VCSE",
    "local": "Local",
    "redacted": "Name withheld",
    "category_mapping": "Expenditure categories, as mapped when signed",
    "source": "Expenditure category in the spend file",
    "source_code": "Its code",
    "procurement": "Procurement",
    "mapped_by": "Mapped by",
    # pipeline and timelines
    "timelines": "Procurement timelines",
    "timeline_days": "Working days from advert to award (or to the quarter's end)",
    "timeline_summary": "Procurement timelines: summary",
    "awarded": "Procurements awarded",
    "within_120_working_days": "Awarded within 120 working days",
    "running": "Procurements still running",
    "running_past_120_working_days": "Running past 120 working days",
    "mean_working_days_to_award": "Mean time to award",
    "carries_pipeline": "Pipeline returned this quarter",
    "pipeline": "Procurement pipeline",
    "pipeline_summary": "Procurement pipeline: summary",
    "entries": "Procurements in the pipeline",
    "total_value_pence": "Total value",
    "by_category_pence": "Value by category",
    "by_year_pence": "Value by year of contract start",
    "by_confidence_pence": "Value by confidence",
    "sme_lots_value_pence": "Value split into lots for SMEs",
    # experts
    "days": "Expert days",
    "days_agreed": "Days agreed",
    "days_used_period": "Days used this quarter",
    "days_used_to_date": "Days used to date",
    "days_used": "Days used",
    "engagements": "Engagements",
    "engagements.ref": "Engagement",
    "expected_saving_pence": "Expected saving",
    "realised_saving_pence": "Savings realised",
    "realised_per_day_pence": "Realised per expert day",
    # savings
    "by_workstream": "Savings by workstream",
    "by_workstream.key": "Workstream",
    "total": "All workstreams",
    "total.key": "Workstream",
    "by_basis": "Savings by kind",
    "by_basis.key": "Kind",
    "effect": "In-year and full-year effect",
    "effect.by_basis": "Effect by kind",
    "year": "Financial year",
    "in_year_pence": "In-year effect",
    "full_year_pence": "Full-year effect",
    "years": "Recurs for (years)",
    "recurrence": "Recurring",
    "cashable": "Cashable",
    "kind": "Revenue or capital",
    "target_pence": "Target",
    "realised_pence": "Realised",
    "period.": "This quarter",
    "to_date.": "To date",
    "ref": "Ref",
}
# What names a row of figures (printed first)
NAMING = ("ref", "key", "output", "category", "name")
# Units of figures whose key does not say it
DAYS = {"days_agreed", "days_used_period", "days_used_to_date", "days_used"}
WORKING_DAYS = {"mean_working_days_to_award", "timeline_days"}
# Words a code stands for, where no register declares it
VALUES = {
    "total": "All workstreams",
    "pence": "£",
    # savings kept apart by kind (registers.savings.BASES)
    "cashable.revenue": "Cashable revenue",
    "cashable.capital": "Cashable capital",
    "non_cashable.revenue": "Non-cashable revenue",
    "non_cashable.capital": "Non-cashable capital",
}


_RANK = {k: i for i, k in enumerate(LABELS)}


def ordered(data: dict[str, Any], parent: str = "") -> list[tuple[str, Any]]:
    """A dict's items in reading order, whatever order the file holds them in.

    Figures come in the order :data:`LABELS` lists them (others after, by key);
    codes, refs and quarters in the order of what they print as.
    """
    if data and all(_named_by_value(k, parent) for k in data):
        return sorted(data.items(), key=lambda kv: (code_text(kv[0]), kv[0]))
    return sorted(data.items(), key=lambda kv: (_RANK.get(kv[0], len(_RANK)), kv[0]))


def _named_by_value(key: str, parent: str = "") -> bool:
    """True for a dict key that is data (a code, a ref, a quarter), not a figure's name."""
    if _REF.match(key) or _QUARTER_KEY.match(key) or re.fullmatch(r"\d{4}/\d{2}", key):
        return True
    known = key in LABELS or f"{parent}.{key}" in LABELS
    return not known and key in _codes()


def humanise(key: str) -> str:
    """``sme_share_pence`` -> ``SME share``: a key no label was written for, in words.

    A percentage says so (``classified_percent`` -> ``Classified share``), so it
    never reads like the amount of money beside it.
    """
    words = key.removesuffix("_pence").removesuffix("_percent").replace("_", " ").strip()
    if key.endswith("_percent") and words.split()[-1:] not in (["share"], ["rate"]):
        words += " share"
    acronyms = {"sme", "vcse", "cap", "ict", "lga", "fte", "ojeu", "gss", "uprn", "co2e", "id"}
    text = " ".join(w.upper() if w.lower() in acronyms else w for w in words.split())
    return text[:1].upper() + text[1:] if text else key


def label(key: str, parent: str = "") -> str:
    """What a figure's key is called on paper (``parent``: the key it sits under)."""
    return LABELS.get(f"{parent}.{key}") or LABELS.get(key) or humanise(key)


@cache
def _registers() -> dict[str, Any]:
    from lga_desktop.registers.catalog import all_registers

    return {r.ref_prefix: r for r in all_registers().values()}


@cache
def _codes() -> dict[str, str]:
    """Every choice's code -> its label, from the registers' declarations."""
    from lga_desktop.registers.catalog import all_registers
    from lga_desktop.registers.fields import Choice

    found: dict[str, str] = {}
    for reg in all_registers().values():
        for f in reg.fields:
            if isinstance(f.type, Choice):
                for code, text in f.type.options:
                    found.setdefault(code, text)
    for reg in all_registers().values():  # CAP outputs are named by their field
        for f in reg.fields:
            found.setdefault(f.name, f.label)
    from lga_desktop.categories import default_categories

    for category in default_categories():  # big-spend categories, wherever they appear
        found.setdefault(category.code, category.name)
    return found


def quarter_text(text: str) -> str:
    """``2012Q2`` -> ``2012/13 Q2`` (other text as it is)."""
    m = _QUARTER_KEY.match(text)
    return str(Quarter(int(m[1]), int(m[2]))) if m else text


def _date_text(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"{d.day} {d:%b %Y}"


def code_text(text: str) -> str:
    """A choice code or quarter key as officers read it; other text as it is."""
    if _QUARTER_KEY.match(text):
        return quarter_text(text)
    if _ISO_DATE.match(text):
        return _date_text(text)
    if text in VALUES:
        return VALUES[text]
    if _CODE.match(text):
        return _codes().get(text, text)
    return text


def _number(value: Any) -> str:
    if isinstance(value, int):
        return f"{value:,}"
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    whole, _, frac = str(d).partition(".")
    return (
        f"{int(whole):,}" + (f".{frac}" if frac else "") if whole.lstrip("-").isdigit() else str(d)
    )


def value_text(key: str, value: Any, *, money: bool = False, unit: str = "") -> str:
    """A figure as printed: pounds, %, days, quarters, labels for codes, "—" for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return "; ".join(value_text("", v) for v in value) or "—"
    numeric = isinstance(value, (int, Decimal)) or (
        isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None
    )
    if not numeric:
        return code_text(str(value))
    if money or key.endswith("_pence") or unit == "£":
        return format_money(int(value)) if isinstance(value, int) else f"£{_number(value)}"
    if key.endswith("_percent"):
        return f"{_number(value)}%"
    if key in DAYS:
        return f"{_number(value)} days"
    if key in WORKING_DAYS:
        return f"{_number(value)} working days"
    text = _number(value)
    return f"{text} {unit}" if unit else text


# ---- register records ----------------------------------------------------------------


def register_of(records: list) -> Any:
    """The register a list of records belongs to (by the prefix of their refs), or None."""
    refs = {
        m[1]
        for r in records
        if isinstance(r, dict) and isinstance(r.get("ref"), str)
        for m in [_REF.match(r["ref"])]
        if m
    }
    if len(refs) != 1 or not all(isinstance(r, dict) for r in records):
        return None
    reg = _registers().get(refs.pop())
    if reg is None:
        return None
    keys = {"ref", *(_json_key(f) for f in reg.fields)}
    return reg if all(set(r) == keys for r in records) else None


def _json_key(f: Any) -> str:
    from lga_desktop.registers.fields import Money

    return f"{f.name}_pence" if isinstance(f.type, Money) else f.name


def _field_text(f: Any, value: Any) -> str:
    """A record's value as its field's type says (what an officer typed stays as typed)."""
    from lga_desktop.registers.fields import (
        Choice,
        Date,
        Money,
        MultiChoice,
        Quantity,
        QuarterType,
        YesNo,
    )

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(f.type, MultiChoice):
        return "; ".join(f.type.label(v) for v in value)
    if isinstance(f.type, Choice):
        return f.type.label(value)
    if isinstance(f.type, Money):
        return format_money(value)
    if isinstance(f.type, Quantity):
        unit = f.type.unit if f.type.unit and f.type.unit not in f.label else ""
        return value_text("", value, unit=unit)
    if isinstance(f.type, Date):
        return _date_text(value)
    if isinstance(f.type, QuarterType):
        return quarter_text(value)
    if isinstance(f.type, YesNo):
        return "Yes" if value else "No"
    return str(value)  # text, a UPRN, a link's ref, a year: never read as a code or number


@dataclass
class Block:
    """What a section prints: a list of figures, a table of rows, or cards (one per record)."""

    title: str
    kind: str  # "figures" (label, value), "table" (figures by row) or "records" (a register's)
    columns: list[str] = field(default_factory=list)  # labels (table and records)
    rows: list[list[str]] = field(default_factory=list)
    numeric: list[bool] = field(default_factory=list)  # right-aligned columns
    long: list[bool] = field(default_factory=list)  # columns of long text (cards span them)
    titles: list[int] = field(default_factory=list)  # the columns that name a record
    links: list[int] = field(default_factory=list)  # the columns holding another record's ref
    names: dict[str, str] = field(default_factory=dict)  # ref -> title, of the return's records

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass
class PrintedSection:
    title: str
    blocks: list[Block]


def _records_block(title: str, records: list[dict[str, Any]]) -> Block:
    from lga_desktop.registers.fields import LongText, Money, Quantity, Reference

    reg = register_of(records)
    if reg is None:
        return _rows_block(title, records)
    fields = [(f, _json_key(f)) for f in reg.fields]
    columns = ["Ref", *(f.label for f, _ in fields)]
    rows = [[r["ref"], *(_field_text(f, r.get(k)) for f, k in fields)] for r in records]
    numeric = [False, *(isinstance(f.type, (Money, Quantity)) for f, _ in fields)]
    long = [False, *(isinstance(f.type, LongText) for f, _ in fields)]
    titles = [i for i, (f, _) in enumerate(fields, start=1) if f.name in reg.label_fields]
    links = [i for i, (f, _) in enumerate(fields, start=1) if isinstance(f.type, Reference)]
    return Block(title or reg.title, "records", columns, rows, numeric, long, titles, links)


def _flat(row: dict[str, Any], parent: str = "") -> list[tuple[str, str, Any]]:
    """A row's cells: (key, label, value), nested dicts flattened as "This quarter: target"."""
    out = []
    items = ordered(row, parent)  # what names the row first, then its figures, then their parts
    items.sort(key=lambda kv: 0 if kv[0] in NAMING else (2 if isinstance(kv[1], dict) else 1))
    for k, v in items:
        if isinstance(v, dict):
            head = LABELS.get(f"{k}.") or label(k, parent)
            out += [(ck, f"{head}: {cl[:1].lower()}{cl[1:]}", cv) for ck, cl, cv in _flat(v, k)]
        else:
            out.append((k, label(k, parent), v))
    return out


def _rows_block(title: str, rows: list[dict[str, Any]], parent: str = "") -> Block:
    """A table of figure rows (outputs against plan, spend by category ...)."""
    columns: list[tuple[str, str]] = []
    cells: list[dict[str, tuple[str, Any]]] = []
    for row in rows:
        flat = _flat(row, parent)
        cells.append({cl: (ck, cv) for ck, cl, cv in flat})
        columns += [(ck, cl) for ck, cl, _ in flat if (ck, cl) not in columns]
    if any(ck == "unit" for ck, _ in columns):  # a unit column says how its row is counted
        out = []
        for c in cells:
            unit = value_text("unit", c.get("Unit", ("", ""))[1])
            out.append(
                [
                    value_text(k, v, unit=unit if unit == "£" else "") if k != "unit" else unit
                    for k, v in (c.get(cl, (ck, None)) for ck, cl in columns)
                ]
            )
    else:
        out = [[value_text(*c.get(cl, (ck, None))) for ck, cl in columns] for c in cells]
    same = [i for i in range(1, len(columns)) if all(r[i] == r[i - 1] for r in out) and out]
    columns = [c for i, c in enumerate(columns) if i not in same]
    out = [[v for i, v in enumerate(r) if i not in same] for r in out]
    numeric = [
        all(
            re.fullmatch(r"[-£]?[\d,.]+(%| days| working days)?", row[i]) or row[i] == "—"
            for row in out
        )
        for i in range(len(columns))
    ]
    return Block(title, "table", [cl for _, cl in columns], out, numeric, [False] * len(columns))


# the frozen lists a return carries to show what its figures used: past LONG_TABLE rows, the
# first LONG_TABLE_SHOWN (the largest spend) are printed; every other list is printed whole
CUT_TABLES = {"supplier_flags", "category_mapping"}
LONG_TABLE, LONG_TABLE_SHOWN = 60, 50


def _figures(data: dict[str, Any], parent: str = "", money: bool = False) -> list[list[str]]:
    rows = []
    for k, v in ordered(data, parent):
        key_label = code_text(k) if _named_by_value(k, parent) else label(k, parent)
        if money:
            text = value_text(k, v, money=True)
        elif parent in WORKING_DAYS:
            text = value_text(parent, v)
        else:
            text = value_text(k, v)
        rows.append([key_label, text])
    return rows


def _blocks(data: dict[str, Any], parent: str = "") -> list[Block]:
    scalars = {
        k: v
        for k, v in ordered(data, parent)
        if not isinstance(v, (dict, list)) or (isinstance(v, list) and not _has_dicts(v))
    }
    blocks = [Block("", "figures", rows=_figures(scalars, parent))] if scalars else []
    for k, v in ordered(data, parent):
        if isinstance(v, dict) and v and all(isinstance(x, list) for x in v.values()):
            # a family's records: {"cap": [...], "cap.assets": [...]}, in the catalogue's order
            blocks += [
                _records_block("", recs) if recs else _empty(rk)
                for rk, recs in sorted(v.items(), key=lambda kv: _register_rank(kv[0]))
            ]
        elif isinstance(v, dict) and "key" in v:
            # one row of figures in parts: {"key": "total", "period": {...}, "to_date": {...}}
            blocks.append(_rows_block(label(k, parent), [v], k))
        elif isinstance(v, dict):
            if v and all(not isinstance(x, (dict, list)) for x in v.values()):
                blocks.append(
                    Block(label(k, parent), "figures", rows=_figures(v, k, k.endswith("_pence")))
                )
            elif v:
                inner = _blocks(v, k)
                for b in inner:
                    b.title = f"{label(k, parent)}: {b.title}" if b.title else label(k, parent)
                blocks += inner
            else:
                blocks.append(Block(label(k, parent), "figures"))
        elif isinstance(v, list) and _has_dicts(v) and register_of(v):
            blocks.append(_records_block(label(k, parent), v))
        elif isinstance(v, list) and _has_dicts(v):
            # what the figures were worked out with (a county's suppliers as flagged when
            # signed) prints its first rows, the largest: all of it is in the signed return.json
            shown = v[:LONG_TABLE_SHOWN] if k in CUT_TABLES and len(v) > LONG_TABLE else v
            block = _rows_block(label(k, parent), shown, k)
            if len(shown) < len(v):
                block.title += (
                    f" (the first {len(shown)} of {len(v):,}; every one is in the signed file)"
                )
            blocks.append(block)
        elif isinstance(v, list) and not v and k not in scalars:
            blocks.append(Block(label(k, parent), "table"))
    return blocks


def _register_rank(key: str) -> tuple[int, str]:
    from lga_desktop.registers.catalog import all_registers

    keys = list(all_registers())
    return (keys.index(key) if key in keys else len(keys), key)


def _has_dicts(values: list) -> bool:
    return any(isinstance(x, dict) for x in values)


def _empty(register_key: str) -> Block:
    from lga_desktop.registers.catalog import all_registers

    reg = all_registers().get(register_key)
    return Block(reg.title if reg else humanise(register_key), "table")


def printed_sections(doc: dict[str, Any]) -> list[PrintedSection]:
    """Every section of a return as blocks of labelled, formatted figures and records.

    Each block of records also knows the title of every record in the return,
    so that a link (a savings line's expert engagement) can be printed with it.
    """
    found = [PrintedSection(s["title"], _blocks(s["data"] or {})) for s in doc["sections"]]
    records = [b for section in found for b in section.blocks if b.kind == "records"]
    names = {
        row[0]: " · ".join(row[i] for i in b.titles if row[i] != "—")
        for b in records
        for row in b.rows
    }
    for b in records:
        b.names = names
    for b in (b for section in found for b in section.blocks if b.kind != "records"):
        for row in b.rows:  # a figure about a record (days to award, an engagement's use)
            if names.get(row[0]):
                row[0] = f"{row[0]} · {names[row[0]]}"
    return found


# ---- page 1 ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    strand: str
    figure: str
    detail: str


def _section(doc: dict[str, Any], key: str) -> dict[str, Any] | None:
    return next((s["data"] for s in doc["sections"] if s["key"] == key), None)


def _get(data: Any, *path: str) -> Any:
    for p in path:
        if not isinstance(data, dict) or p not in data:
            return None
        data = data[p]
    return data


def _savings(doc: dict[str, Any], data: dict[str, Any]) -> Headline | None:
    if "total" not in data and data.get("by_basis"):
        return _savings_by_kind(data["by_basis"])
    period = _get(data, "total", "period")
    if not period:
        return None
    to_date = _get(data, "total", "to_date") or {}
    split = _cashable_split(doc["period"]["key"], data)
    detail = (
        f"To date: {value_text('x_pence', to_date.get('realised_pence'))} realised against "
        f"{value_text('x_pence', to_date.get('target_pence'))}."
    )
    if split:
        detail += f" This quarter: {split}."
    return Headline(
        "Savings",
        f"{value_text('x_pence', period.get('realised_pence'))} realised this quarter "
        f"against a target of {value_text('x_pence', period.get('target_pence'))}",
        detail,
    )


def _savings_by_kind(rows: list[dict[str, Any]]) -> Headline:
    """Every kind together, said to be so, and each kind apart (cashable or not, revenue or capital)."""

    def total(part: str, figure: str) -> int:
        return sum((_get(r, part, figure) or 0) for r in rows)

    each = "; ".join(
        f"{code_text(str(r.get('key', ''))).lower()} "
        f"{value_text('x_pence', _get(r, 'period', 'realised_pence'))}"
        for r in rows
    )
    return Headline(
        "Savings",
        f"{value_text('x_pence', total('period', 'realised_pence'))} realised this quarter, all "
        f"kinds together, against a target of {value_text('x_pence', total('period', 'target_pence'))}",
        f"This quarter: {each}. To date: "
        f"{value_text('x_pence', total('to_date', 'realised_pence'))} realised against "
        f"{value_text('x_pence', total('to_date', 'target_pence'))}.",
    )


def _cashable_split(period_key: str, data: dict[str, Any]) -> str:
    """Cashable and non-cashable savings realised in the quarter, from the records."""
    recs = data.get("records") or {}
    lines = next((v for v in recs.values() if (register_of(v) and "cashable" in v[0])), None)
    realised = next(
        (v for v in recs.values() if v and "amount_pence" in v[0] and "quarter" in v[0]), None
    )
    if not lines or not realised:
        return ""
    kind = {r["ref"]: r.get("cashable") for r in lines}
    sums: dict[str, int] = {}
    for r in realised:
        if r.get("quarter") == period_key:
            k = kind.get(next((v for v in r.values() if v in kind), None))
            sums[k] = sums.get(k, 0) + (r.get("amount_pence") or 0)
    return ", ".join(
        f"{value_text('x_pence', sums.get(code, 0))} {code_text(code).lower()}"
        for code in ("cashable", "non_cashable")
    )


def _cap(data: dict[str, Any]) -> Headline | None:
    rows = data.get("outputs_against_plan")
    if not rows:
        return None
    behind, on_plan = [], 0
    for o in rows:
        unit = "£" if o.get("unit") == "pence" else o.get("unit", "")
        try:
            ahead = Decimal(str(o.get("realised_to_date"))) >= Decimal(
                str(o.get("planned_to_date"))
            )
        except InvalidOperation:
            ahead = False
        if ahead:
            on_plan += 1
            continue
        done = value_text("", o.get("realised_to_date"), unit=unit)
        plan = value_text("", o.get("planned_to_date"), unit=unit)
        name = re.sub(r"\s*\(.*\)$", "", code_text(str(o.get("output", ""))))
        behind.append(f"{name} {done} of {plan}")
    return Headline(
        "CAP outputs",
        f"{on_plan} of {len(rows)} outputs on or ahead of plan to date",
        ("Behind plan: " + "; ".join(behind) + ".") if behind else "Every output on plan.",
    )


def _sme(data: dict[str, Any]) -> Headline | None:
    share = data.get("share")
    if not share:
        return None

    def money(key: str) -> str:
        return value_text("x_pence", share.get(key))

    if "basis_pence" in share:  # the share is of procurement spend, with what is classified
        detail = (
            f"Of {money('basis_pence')} of procurement spend ({money('total_pence')} in all, "
            f"{money('excluded_pence')} left out as not procurement); "
            f"{value_text('x_percent', share.get('classified_percent'))} of it classified, "
            f"{money('unclassified_pence')} not yet."
        )
    else:
        detail = (
            f"Of {money('total_pence')} spent ({value_text('', share.get('lines'))} lines, "
            f"{value_text('', data.get('suppliers'))} suppliers). Basis: all the quarter's "
            "spend, suppliers flagged as SMEs."
        )
    aspiration = data.get("sme_aspiration_percent")
    if aspiration:
        detail += (
            f" For context: central government's aspiration for its own spend is "
            f"{value_text('x_percent', aspiration)}."
        )
    basis = "procurement spend" if "basis_pence" in share else "spend"
    return Headline(
        "SME share",
        f"{value_text('sme_percent', share.get('sme_percent'))} of {basis} with SMEs this quarter",
        detail,
    )


def _experts(data: dict[str, Any]) -> Headline | None:
    days = data.get("days")
    if not days:
        return None
    return Headline(
        "Expert days",
        f"{value_text('days_used', days.get('days_used_to_date'))} used of "
        f"{value_text('days_agreed', days.get('days_agreed'))} agreed",
        f"{value_text('days_used', days.get('days_used_period'))} this quarter, over "
        f"{value_text('', days.get('engagements'))} engagements; "
        f"{value_text('x_pence', days.get('realised_saving_pence'))} of savings realised.",
    )


def _pipeline(data: dict[str, Any]) -> list[Headline]:
    found = []
    summary = data.get("pipeline_summary")
    if summary:
        found.append(
            Headline(
                "Pipeline",
                f"{value_text('x_pence', summary.get('total_value_pence'))} in "
                f"{value_text('', summary.get('entries'))} planned procurements",
                f"{value_text('x_pence', summary.get('sme_lots_value_pence'))} of it split "
                "into lots for SMEs.",
            )
        )
    elif "carries_pipeline" in data:
        found.append(Headline("Pipeline", "Not returned this quarter", "Due in Q2 and Q4."))
    t = data.get("timeline_summary")
    if t:
        mean = t.get("mean_working_days_to_award")
        found.append(
            Headline(
                "Procurement timelines",
                f"{value_text('', t.get('within_120_working_days'))} of "
                f"{value_text('', t.get('awarded'))} awarded within 120 working days",
                f"{value_text('', t.get('running'))} still running, "
                f"{value_text('', t.get('running_past_120_working_days'))} of them past 120 "
                "working days"
                + (
                    f"; mean {value_text('mean_working_days_to_award', mean)} to award."
                    if mean
                    else "."
                ),
            )
        )
    return found


def headlines(doc: dict[str, Any]) -> list[Headline]:
    """Page 1's figure per strand, from whatever the return carries (missing strands left out)."""
    found: list[Headline] = []
    for key, make in (
        ("savings", lambda d: _savings(doc, d)),
        ("cap", _cap),
        ("procurement", _sme),
        ("experts", _experts),
    ):
        data = _section(doc, key)
        h = make(data) if data else None
        if h:
            found.append(h)
    pipeline = _section(doc, "pipeline")
    if pipeline:
        found += _pipeline(pipeline)
    return found


# ---- a correction ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    what: str  # "Added", "Removed", "Changed", "Figure"
    where: str  # the register or section
    item: str  # the record (ref and title) or the figure
    before: str
    after: str


def _records_of(doc: dict[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """Register title -> ref -> the record as printed (label -> text)."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for section in printed_sections(doc):
        for b in section.blocks:
            if b.kind == "records":
                for row in b.rows:
                    record = dict(zip(b.columns, row, strict=True))
                    name = " · ".join([row[0], *(row[i] for i in b.titles if row[i] != "—")])
                    out.setdefault(b.title, {})[row[0]] = {**record, _NAME: name}
    return out


def _figures_of(doc: dict[str, Any]) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for section in printed_sections(doc):
        for b in section.blocks:
            where = f"{section.title}: {b.title}" if b.title else section.title
            if b.kind == "figures":
                out.update({(where, r[0]): r[1] for r in b.rows})
            elif b.kind == "table":
                for row in b.rows:
                    out.update(
                        {
                            (where, f"{row[0]}: {c}"): v
                            for c, v in zip(b.columns[1:], row[1:], strict=True)
                        }
                    )
    return out


_NAME = "\0name"  # beside a record's printed fields: its ref and title fields


def _name(record: dict[str, str]) -> str:
    return record[_NAME]


def changes(previous: dict[str, Any], current: dict[str, Any]) -> list[Change]:
    """What a correction changes: records added, removed and changed, and figures that moved."""
    found: list[Change] = []
    before, after = _records_of(previous), _records_of(current)
    for where in [*after, *(w for w in before if w not in after)]:
        old, new = before.get(where, {}), after.get(where, {})
        for ref, rec in new.items():
            if ref not in old:
                found.append(Change("Added", where, _name(rec), "", ""))
                continue
            for col, value in rec.items():
                if col != _NAME and old[ref].get(col) != value:
                    found.append(
                        Change(
                            "Changed", where, f"{_name(rec)}: {col}", old[ref].get(col, "—"), value
                        )
                    )
        found += [
            Change("Removed", where, _name(rec), "", "")
            for ref, rec in old.items()
            if ref not in new
        ]
    fb, fa = _figures_of(previous), _figures_of(current)
    for key in [*fa, *(k for k in fb if k not in fa)]:
        if fb.get(key) != fa.get(key):
            found.append(Change("Figure", key[0], key[1], fb.get(key, "—"), fa.get(key, "—")))
    return found
