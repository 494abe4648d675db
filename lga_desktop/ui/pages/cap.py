"""The CAP business plan page: plans, their assets, outputs planned by year and realised by quarter."""

from __future__ import annotations

from datetime import date

from lga_desktop.money import format_money
from lga_desktop.periods import Quarter, quarter_of
from lga_desktop.registers import cap, store
from lga_desktop.registers.declaration import Record
from lga_desktop.ui.charts import Bar
from lga_desktop.ui.registers.page import RegisterPage
from lga_desktop.ui.styles import MUTED
from lga_desktop.words import count_noun, plural


def percent(value: object) -> str:
    return "" if value is None else f" ({value:.0f}%)"


class CapPage(RegisterPage):
    key = cap.KEY
    split = (1, 4)  # a council has one plan, or two: the details matter more

    def title(self) -> str:
        return "Capital & Assets Pathfinder plan"

    def summary_html(self) -> str:
        ws = self.context.workspace
        plans = self.main.model.records
        if not plans:
            return ""
        money = cap.funding(ws)
        assets = store.list_records(ws, cap.ASSETS)
        receipts = sum(a.get("capital_receipt", 0) for a in assets)
        running = sum(a.get("running_before", 0) - a.get("running_after", 0) for a in assets)
        return (
            f"LGA investment <b>{format_money(money['lga_investment'])}</b>, match funding "
            f"<b>{format_money(money['match_funding'])}</b> across {len(plans)} "
            f"{count_noun(len(plans), 'plan')}; {plural(len(assets), 'asset')} with expected capital "
            f"receipts of <b>{format_money(receipts)}</b> and running costs down "
            f"<b>{format_money(running)}</b> a year."
        )

    def _period(self, plan: Record) -> Quarter:
        """The plan's latest quarter with outputs realised, or this quarter."""
        realised = store.list_records(self.context.workspace, cap.REALISED, parent_id=plan.id)
        return max((r["quarter"] for r in realised), default=quarter_of(date.today()))

    def describe_record(self, plan: Record) -> str:
        lga, match = plan.get("lga_investment", 0), plan.get("match_funding", 0)
        share = percent(match * 100 / lga if lga else None)
        q = self._period(plan)
        return (
            f"<b>{plan.label}</b><br>{plan.display('wave')} · {plan.display('status')} · "
            f"{plan.display('start_date')} to {plan.display('end_date')}<br>"
            f"Match funding {format_money(match)} against LGA {format_money(lga)}{share}<br>"
            f"<span style='color:{MUTED}'>Outputs realised in {q.year} up to Q{q.q}, "
            f"against {cap.plan_due_label(q)}:</span>"
        )

    def record_bars(self, plan: Record) -> list[Bar]:
        q = self._period(plan)
        bars = []
        for o in cap.outputs_against_plan(self.context.workspace, q, plan_id=plan.id):
            done, aim = o.realised_year_to_date, o.planned_due_year
            text = (
                f"{o.output.display(done)} of {o.output.display(aim)} due{percent(o.percent)}"
                + cap.whole_year_words(o)
                if aim or done
                else "none planned this year"
            )
            bars.append(Bar(o.output.label, done, aim, text))
        return bars
