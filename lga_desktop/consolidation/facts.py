"""The figures read out of a return when it is merged: what the programme adds up.

Each function reads one section of ``return.json`` (``docs/return-format.md``
section 6) into rows of the programme's fact tables. A section a return does
not carry gives no rows; sections and keys this program does not know are
ignored, as the format asks. A figure that is not what the format says (money
that is not whole pence, days in hundredths) raises :class:`FactError`, and the
merge holds the file aside with that reason rather than guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from lga_desktop.errors import LgaError

__all__ = ["FactError", "ReturnFacts", "read_facts"]


class FactError(LgaError):
    """A figure in a signed return is not in the form the format specifies."""


def _whole(value: Any, what: str, unit: str = "") -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise FactError(f"{what} is not a whole number{unit} ({value!r})")
    return value


def _pence(value: Any, what: str) -> int:
    return _whole(value, what, " of pence")


def _decimal_text(value: Any, what: str) -> str:
    if isinstance(value, bool):
        raise FactError(f"{what} is not a number ({value!r})")
    if isinstance(value, int):
        return str(value)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise FactError(f"{what} is not a number ({value!r})") from None
    if not number.is_finite():
        raise FactError(f"{what} is not a number ({value!r})")
    return str(number)


def _tenths(value: Any, what: str) -> int:
    number = Decimal(_decimal_text(value, what))
    tenths = number * 10
    if tenths != tenths.to_integral_value():
        raise FactError(f"{what} is not in whole tenths of a day ({value!r})")
    return int(tenths)


def _section(doc: dict[str, Any], key: str) -> dict[str, Any] | None:
    for section in doc.get("sections") or []:
        if isinstance(section, dict) and section.get("key") == key:
            data = section.get("data")
            if not isinstance(data, dict):
                raise FactError(f"the section {key!r} holds no data")
            return data
    return None


@dataclass
class ReturnFacts:
    savings: list[dict[str, Any]] = field(default_factory=list)
    savings_kinds: list[dict[str, Any]] = field(default_factory=list)
    spend: dict[str, Any] | None = None
    spend_categories: list[dict[str, Any]] = field(default_factory=list)
    cap: dict[str, Any] | None = None
    cap_outputs: list[dict[str, Any]] = field(default_factory=list)
    experts: dict[str, Any] | None = None
    # what the rest of the return carries (p0003): pipeline, 120-day timelines, CAP plans,
    # savings lines, expert engagements and the warnings with the officer's notes
    pipeline: dict[str, Any] | None = None
    pipeline_splits: list[dict[str, Any]] = field(default_factory=list)
    timelines: dict[str, Any] | None = None
    cap_plans: list[dict[str, Any]] = field(default_factory=list)
    savings_lines: list[dict[str, Any]] = field(default_factory=list)
    engagements: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def rows(self) -> list[tuple[str, dict[str, Any]]]:
        """(table, row) pairs to insert, each row still without its ``return_id``."""
        out: list[tuple[str, dict[str, Any]]] = [("fact_savings", r) for r in self.savings]
        out += [("fact_savings_kind", r) for r in self.savings_kinds]
        if self.spend is not None:
            out.append(("fact_spend", self.spend))
        out += [("fact_spend_category", r) for r in self.spend_categories]
        if self.cap is not None:
            out.append(("fact_cap", self.cap))
        out += [("fact_cap_output", r) for r in self.cap_outputs]
        if self.experts is not None:
            out.append(("fact_experts", self.experts))
        return out + self.more_rows()

    def more_rows(self) -> list[tuple[str, dict[str, Any]]]:
        """The rows of the fact tables added by p0003 (also what that migration backfills)."""
        out: list[tuple[str, dict[str, Any]]] = []
        if self.pipeline is not None:
            out.append(("fact_pipeline", self.pipeline))
        out += [("fact_pipeline_split", r) for r in self.pipeline_splits]
        if self.timelines is not None:
            out.append(("fact_timelines", self.timelines))
        out += [("fact_cap_plan", r) for r in self.cap_plans]
        out += [("fact_savings_line", r) for r in self.savings_lines]
        out += [("fact_engagement", r) for r in self.engagements]
        out += [("fact_warning", r) for r in self.warnings]
        return out


def read_facts(doc: dict[str, Any]) -> ReturnFacts:
    """Every fact the programme keeps from one return; :class:`FactError` when a figure is malformed."""
    facts = ReturnFacts()
    try:
        _read_savings(doc, facts)
        _read_spend(doc, facts)
        _read_cap(doc, facts)
        _read_experts(doc, facts)
        _read_pipeline(doc, facts)
        _read_cap_plans(doc, facts)
        _read_savings_lines(doc, facts)
        _read_engagements(doc, facts)
        _read_warnings(doc, facts)
    except (KeyError, TypeError, AttributeError) as exc:
        raise FactError(
            f"a section of the return is not laid out as the format says ({exc})"
        ) from None
    return facts


def _read_savings(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "savings")
    if data is None:
        return
    seen = set()
    for row in data.get("by_workstream") or []:
        key = str(row["key"])
        if key in seen:
            raise FactError(f"the savings section lists the workstream {key!r} twice")
        seen.add(key)
        facts.savings.append({"workstream": key, **_against(row, key)})
    seen = set()
    for row in data.get("by_basis") or []:  # returns from before kinds were kept apart have none
        key = str(row["key"])
        if key in seen or key.count(".") != 1:
            raise FactError(f"the savings section lists the kind {key!r} twice or unreadably")
        seen.add(key)
        cashable, kind = key.split(".")
        facts.savings_kinds.append({"cashable": cashable, "kind": kind, **_against(row, key)})


def _against(row: dict[str, Any], key: str) -> dict[str, int]:
    return {
        "realised_pence": _pence(row["period"]["realised_pence"], f"{key} realised"),
        "target_pence": _pence(row["period"]["target_pence"], f"{key} target"),
        "realised_to_date_pence": _pence(
            row["to_date"]["realised_pence"], f"{key} realised to date"
        ),
        "target_to_date_pence": _pence(row["to_date"]["target_pence"], f"{key} target to date"),
    }


def _read_spend(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "procurement")
    if data is None:
        return
    share = data["share"]
    facts.spend = {
        "lines": _whole(share["lines"], "the number of spend lines"),
        "total_pence": _pence(share["total_pence"], "total spend"),
        "sme_pence": _pence(share["sme_pence"], "SME spend"),
        "vcse_pence": _pence(share["vcse_pence"], "VCSE spend"),
        "local_pence": _pence(share["local_pence"], "local spend"),
        "unmapped_pence": _pence(data.get("unmapped_pence", 0), "unmapped spend"),
        # returns from before the SME share's basis: all spend, classification not stated
        "basis_pence": _pence(share.get("basis_pence", share["total_pence"]), "procurement spend"),
        "classified_pence": None
        if share.get("classified_pence") is None
        else _pence(share["classified_pence"], "classified spend"),
    }
    seen = set()
    for row in data.get("spend_by_category") or []:
        code = str(row["category"])
        if code in seen:
            raise FactError(f"the procurement section lists the category {code!r} twice")
        seen.add(code)
        facts.spend_categories.append(
            {
                "category": code,
                "name": str(row.get("name") or code),
                "lines": _whole(row["lines"], f"{code} lines"),
                "pence": _pence(row["spend_pence"], f"{code} spend"),
            }
        )


def _read_cap(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "cap")
    if data is None:
        return
    funding = data.get("funding") or {}
    facts.cap = {
        "lga_investment_pence": _pence(funding.get("lga_investment_pence", 0), "LGA investment"),
        "match_funding_pence": _pence(funding.get("match_funding_pence", 0), "match funding"),
    }
    seen = set()
    for row in data.get("outputs_against_plan") or []:
        output = str(row["output"])
        if output in seen:
            raise FactError(f"the CAP section lists the output {output!r} twice")
        seen.add(output)
        facts.cap_outputs.append(
            {
                "output": output,
                "unit": str(row.get("unit") or ""),
                **{
                    k: _decimal_text(row[k], f"{output} {k.replace('_', ' ')}")
                    for k in (
                        "planned_year",
                        "planned_to_date",
                        "realised_period",
                        "realised_to_date",
                    )
                },
            }
        )


def _read_experts(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "experts")
    if data is None:
        return
    days = data["days"]
    facts.experts = {
        "engagements": _whole(days["engagements"], "the number of engagements"),
        "days_agreed_tenths": _tenths(days["days_agreed"], "days agreed"),
        "days_used_period_tenths": _tenths(days["days_used_period"], "days used"),
        "days_used_to_date_tenths": _tenths(days["days_used_to_date"], "days used to date"),
        "realised_saving_pence": _pence(days.get("realised_saving_pence", 0), "realised saving"),
    }


def _records(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return [r for r in (data.get("records") or {}).get(key) or [] if isinstance(r, dict)]


def _read_pipeline(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "pipeline")
    if data is None:
        return
    summary = data.get("pipeline_summary")
    if data.get("carries_pipeline") and isinstance(summary, dict):
        facts.pipeline = {
            "entries": _whole(summary["entries"], "the number of pipeline entries"),
            "value_pence": _pence(summary["total_value_pence"], "pipeline value"),
            "sme_lots_pence": _pence(summary["sme_lots_value_pence"], "pipeline split into lots"),
        }
        for dimension in ("year", "category", "confidence"):
            for key, pence in sorted((summary.get(f"by_{dimension}_pence") or {}).items()):
                facts.pipeline_splits.append(
                    {
                        "dimension": dimension,
                        "key": str(key),
                        "value_pence": _pence(pence, f"pipeline value for {key}"),
                    }
                )
    timelines = data.get("timeline_summary")
    if isinstance(timelines, dict):
        awarded = _whole(timelines["awarded"], "the number of contracts awarded")
        days = data.get("timeline_days") or {}
        awarded_days = [
            _whole(days[t["ref"]], f"{t['ref']} working days")
            for t in data.get("timelines") or []
            if t.get("award_date") and t.get("ref") in days
        ]
        if len(awarded_days) == awarded:
            total = sum(awarded_days)
        else:  # a return listing no days per procurement: the mean it states, times the awards
            mean = timelines.get("mean_working_days_to_award")
            total = int(Decimal(_decimal_text(mean or 0, "mean working days")) * awarded)
        facts.timelines = {
            "awarded": awarded,
            "within_120": _whole(timelines["within_120_working_days"], "awards within 120 days"),
            "days_to_award": total,
            "running": _whole(timelines["running"], "procurements running"),
            "running_past_120": _whole(
                timelines["running_past_120_working_days"], "procurements past 120 days"
            ),
        }


def _read_cap_plans(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "cap")
    if data is None:
        return
    for plan in _records(data, "cap"):
        ref = str(plan["ref"])
        facts.cap_plans.append(
            {
                "ref": ref,
                "title": str(plan.get("title") or ref),
                "status": str(plan.get("status") or ""),
                "lga_investment_pence": _pence(plan.get("lga_investment_pence") or 0, ref),
                "match_funding_pence": _pence(plan.get("match_funding_pence") or 0, ref),
            }
        )


def _read_savings_lines(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "savings")
    if data is None:
        return
    quarter = str(doc["period"]["key"])
    realised: dict[str, list[int]] = {}
    for row in _records(data, "savings.realised"):
        amount = _pence(row["amount_pence"], f"{row.get('ref')} amount")
        sums = realised.setdefault(str(row["saving"]), [0, 0])
        sums[1] += amount
        if str(row["quarter"]) == quarter:
            sums[0] += amount
    for line in _records(data, "savings"):
        ref = str(line["ref"])
        period, to_date = realised.get(ref, (0, 0))
        facts.savings_lines.append(
            {
                "ref": ref,
                "workstream": str(line.get("workstream") or ""),
                "cashable": str(line.get("cashable") or ""),
                "kind": str(line.get("kind") or ""),
                "recurrence": str(line.get("recurrence") or ""),
                "annual_target_pence": _pence(line.get("target_pence") or 0, f"{ref} target"),
                "realised_pence": period,
                "realised_to_date_pence": to_date,
            }
        )


def _read_engagements(doc: dict[str, Any], facts: ReturnFacts) -> None:
    data = _section(doc, "experts")
    if data is None:
        return
    specialism = {str(r["ref"]): str(r.get("specialism") or "") for r in _records(data, "experts")}
    for row in data.get("engagements") or []:
        ref = str(row["ref"])
        facts.engagements.append(
            {
                "ref": ref,
                "specialism": specialism.get(ref, ""),
                "days_agreed_tenths": _tenths(row["days_agreed"], f"{ref} days agreed"),
                "days_used_tenths": _tenths(row["days_used"], f"{ref} days used"),
                "expected_saving_pence": _pence(row["expected_saving_pence"], f"{ref} expected"),
                "realised_saving_pence": _pence(row["realised_saving_pence"], f"{ref} realised"),
            }
        )


def _read_warnings(doc: dict[str, Any], facts: ReturnFacts) -> None:
    findings = (doc.get("validation") or {}).get("findings") or []
    for i, finding in enumerate(findings, start=1):
        if not isinstance(finding, dict) or finding.get("severity") != "warning":
            continue
        facts.warnings.append(
            {
                "seq": i,
                "register": str(finding.get("register") or ""),
                "code": str(finding.get("code") or ""),
                "record": str(finding.get("record") or ""),
                "message": str(finding.get("message") or ""),
                "note": str(finding.get("note") or ""),
            }
        )
