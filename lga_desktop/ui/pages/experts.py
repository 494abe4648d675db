"""The productivity expert page: engagements, their day logs, days used and savings per day."""

from __future__ import annotations

from lga_desktop.money import format_money
from lga_desktop.registers import experts
from lga_desktop.registers.declaration import Record
from lga_desktop.ui.charts import Bar
from lga_desktop.ui.pages.cap import percent
from lga_desktop.ui.registers.page import RegisterPage
from lga_desktop.words import plural


def _per_day(pence: int | None) -> str:
    return "—" if pence is None else format_money(pence)


class ExpertsPage(RegisterPage):
    key = experts.KEY
    also_listens = ("savings",)  # savings per day come from the savings lines linked here
    split = (2, 3)
    over_is_warning = True  # days beyond those agreed

    def title(self) -> str:
        return "Productivity expert support"

    def _uses(self) -> dict[int, experts.EngagementUse]:
        return {u.engagement.id: u for u in experts.engagement_use(self.context.workspace)}  # type: ignore[misc]

    def summary_html(self) -> str:
        uses = list(self._uses().values())
        if not uses:
            return ""
        agreed = sum(u.days_agreed for u in uses)
        used = sum(u.days_used for u in uses)
        realised = sum(u.realised_saving for u in uses)
        per = experts.per_day(realised, used)
        share = percent(used * 100 / agreed if agreed else None)
        return (
            f"{plural(len(uses), 'engagement')}: <b>{used} of {agreed} days</b> used{share}; "
            f"<b>{format_money(realised)}</b> realised on the savings they unlocked, "
            f"<b>{_per_day(per)}</b> per expert day."
        )

    def describe_record(self, eng: Record) -> str:
        use = self._uses().get(eng.id)  # type: ignore[arg-type]
        head = (
            f"<b>{eng.label}</b> ({eng.display('organisation') or 'organisation not recorded'})<br>"
            f"{eng.display('specialism')} · {eng.display('start_date')} to "
            f"{eng.display('end_date') or 'open'}"
        )
        if use is None:
            return head
        expected = (
            f"Expected saving {format_money(use.expected_saving)} ({eng.display('saving_basis').lower()}): "
            f"{_per_day(use.expected_per_day)} per day used"
            if use.expected_saving is not None
            else "No expected saving recorded"
        )
        return (
            f"{head}<br>{expected}<br>Realised on linked savings lines "
            f"{format_money(use.realised_saving)}: {_per_day(use.realised_per_day)} per day used"
        )

    def record_bars(self, eng: Record) -> list[Bar]:
        use = self._uses().get(eng.id)  # type: ignore[arg-type]
        if use is None:
            return []
        return [
            Bar(
                "Days used",
                use.days_used,
                use.days_agreed,
                f"{use.days_used} of {use.days_agreed} days{percent(use.percent_used)}",
            )
        ]
