"""The realised savings page: savings lines and what each realised, quarter by quarter."""

from __future__ import annotations

from datetime import date

from lga_desktop.money import format_money
from lga_desktop.periods import Quarter, quarter_of
from lga_desktop.registers import savings, store
from lga_desktop.registers.declaration import Record
from lga_desktop.ui.charts import Bar
from lga_desktop.ui.pages.cap import percent
from lga_desktop.ui.registers.page import RegisterPage


class SavingsPage(RegisterPage):
    key = savings.KEY
    also_listens = ("experts",)  # lines name the engagement that unlocked them
    split = (3, 2)

    def title(self) -> str:
        return "Realised savings"

    def _quarter(self) -> Quarter:
        return savings.latest_quarter(self.context.workspace) or quarter_of(date.today())

    def summary_html(self) -> str:
        if not self.main.model.records:
            return ""
        q = self._quarter()
        year = savings.programme_total(self.context.workspace, q.year)
        total = savings.programme_total(self.context.workspace, q)
        split = "; ".join(
            f"{r.label.lower()} {format_money(r.period.realised)}"
            for r in savings.by_basis(self.context.workspace, q.year)
        )
        return (
            f"{q.year}, all kinds together: <b>{format_money(year.period.realised)}</b> realised "
            f"against a target of {format_money(year.period.target)}"
            f"{percent(year.period.percent)} ({split}). Since the first line started, to the "
            f"end of {q}: <b>{format_money(total.to_date.realised)}</b> of "
            f"{format_money(total.to_date.target)}{percent(total.to_date.percent)}."
        )

    def describe_record(self, line: Record) -> str:
        bits = [line.display("cashable"), line.display("kind"), line.display("recurrence")]
        eng = line.get("engagement")
        return (
            f"<b>{line.label}</b><br>{line.display('workstream')} · {' · '.join(bits)}<br>"
            f"Target {line.display('target')}"
            f"{' a year' if line.get('recurrence') == 'recurring' else ''} from {line.display('start')}"
            + (
                f" to {savings.last_quarter_of(line)}"
                if savings.last_quarter_of(line)
                else (" (no end given)" if line.get("recurrence") == "recurring" else "")
            )
            + (f"<br>Unlocked by {eng}" if eng else "")
        )

    def record_bars(self, line: Record) -> list[Bar]:
        q = self._quarter()
        ws = self.context.workspace
        realised = store.list_records(ws, savings.REALISED, parent_id=line.id)
        this_year = set(q.year.quarters)
        year = savings.Against(
            savings.target_over(line, [x for x in q.year.quarters if x <= q]),
            sum(r["amount"] for r in realised if r["quarter"] in this_year and r["quarter"] <= q),
        )
        to_date = savings.line_progress(ws, line, q)
        return [
            Bar(
                f"{q.year} to Q{q.q}",
                year.realised,
                year.target,
                f"{format_money(year.realised)} of {format_money(year.target)}{percent(year.percent)}",
            ),
            Bar(
                "Since it started",
                to_date.realised,
                to_date.target,
                f"{format_money(to_date.realised)} of {format_money(to_date.target)}{percent(to_date.percent)}",
            ),
        ]
