"""The procurement pipeline and timelines pages (tabs of the Procurement page)."""

from __future__ import annotations

from datetime import date

from lga_desktop.money import format_money
from lga_desktop.periods import PeriodError, quarter_of
from lga_desktop.registers import pipeline
from lga_desktop.registers.declaration import Record
from lga_desktop.ui.charts import Bar
from lga_desktop.ui.registers.page import RegisterPage


class PipelinePage(RegisterPage):
    key = pipeline.KEY

    def summary_html(self) -> str:
        s = pipeline.pipeline_summary(self.context.workspace)
        if not s.entries:
            return ""
        years = ", ".join(f"{y}: {format_money(v)}" for y, v in s.by_year.items())
        share = s.sme_lots_value * 100 / s.total_value if s.total_value else 0
        return (
            f"{s.entries} planned procurements worth <b>{format_money(s.total_value)}</b> "
            f"({years}); <b>{share:.0f}%</b> of the value is to be let in lots suitable for SMEs. "
            "The Q2 and Q4 returns carry the pipeline."
        )

    def describe_record(self, rec: Record) -> str:
        advert = rec.display("advert_date") or "not set"
        lots = "in lots suitable for SMEs" if rec.get("sme_lots") else "not split into SME lots"
        return (
            f"<b>{rec.label}</b>: {rec.display('estimated_value')}, {rec.display('category')}<br>"
            f"Advert expected {advert}; contract starts {rec.display('contract_start')} "
            f"for {rec.display('length_months') or '?'} months; {lots}. "
            f"Confidence: {rec.display('confidence').lower()}."
        )


class TimelinesPage(RegisterPage):
    key = pipeline.TIMELINES
    also_listens = (pipeline.KEY,)
    over_is_warning = True  # working days beyond the commitment

    def _today(self) -> date:
        return date.today()

    def summary_html(self) -> str:
        try:
            quarter = quarter_of(self._today())
            s = pipeline.timeline_summary(self.context.workspace, quarter)
        except PeriodError:
            return ""
        if not (s.awarded or s.running):
            return ""
        mean = f", on average {s.mean_working_days} working days" if s.mean_working_days else ""
        late = f"; <b>{s.running_over}</b> still running past 120 days" if s.running_over else ""
        return (
            f"<b>{s.within_commitment} of {s.awarded}</b> awarded procurements met the "
            f"{pipeline.COMMITMENT_DAYS}-working-day commitment{mean}; {s.running} running{late}."
        )

    def _days(self, rec: Record) -> pipeline.TimelineDays | None:
        rows = pipeline.timeline_days(self.context.workspace, as_of=self._today())
        return next((r for r in rows if r.record.id == rec.id), None)

    def describe_record(self, rec: Record) -> str:
        row = self._days(rec)
        head = f"<b>{rec.label}</b>: {rec.display('procedure')}, OJEU notice {rec.display('ojeu_date')}"
        if row is None or row.working_days is None:
            return head
        if row.awarded:
            return f"{head}<br>Awarded {rec.display('award_date')}, {row.working_days} working days after the notice."
        return f"{head}<br>Not yet awarded: {row.working_days} working days since the notice."

    def record_bars(self, rec: Record) -> list[Bar]:
        row = self._days(rec)
        if row is None or row.working_days is None:
            return []
        return [
            Bar(
                "Working days",
                row.working_days,
                pipeline.COMMITMENT_DAYS,
                f"{row.working_days} of {pipeline.COMMITMENT_DAYS} working days",
            )
        ]
