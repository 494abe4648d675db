"""The Board tables page: every table of the Board report for a period, and the drill-down.

The same tables as the report (``report_tables.report_content``), for a
quarter, a financial year or the programme to date, each with the sentence
saying which councils it adds up. Double-clicking a council's row opens its
return (:class:`ReturnDialog`): its figures, every version and what changed
between them, the printed PDF as signed, and the LGA's review (query,
accept, comment), with who and when.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from lga_desktop.consolidation.figures import (
    ALL,
    figures_for,
    programme_period,
    quarters_with_returns,
)
from lga_desktop.consolidation.report_tables import ReportTable, Row, display, report_content
from lga_desktop.periods import FinancialYear, Quarter, parse_quarter
from lga_desktop.ui.deferred_refresh import DeferredRefresh
from lga_desktop.ui.list_model import Index, ListTableModel
from lga_desktop.ui.programme.context import ProgrammeContext
from lga_desktop.ui.programme.tables import table_view
from lga_desktop.ui.qt import (
    QComboBox,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QFont,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    Qt,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from lga_desktop.ui.styles import MUTED

__all__ = ["fill_period_box", "BoardTablesPage", "ReportTableModel", "ReturnDialog"]


def fill_period_box(box: QComboBox, prog) -> None:
    """Quarters newest first, then the financial years, then the programme to date."""
    keep = box.currentData()
    quarters = sorted(quarters_with_returns(prog), reverse=True)
    box.blockSignals(True)
    box.clear()
    for q in quarters:
        box.addItem(str(q), q.key)
    for year in sorted({q.year.start_year for q in quarters}, reverse=True):
        label = str(FinancialYear(year))
        box.addItem(f"{label} (financial year)", label)
    if quarters:
        box.addItem("Programme to date", ALL)
    index = box.findData(keep) if keep else -1
    box.setCurrentIndex(index if index >= 0 else 0)
    box.blockSignals(False)


class ReportTableModel(ListTableModel[Row]):
    """One report table: its council and item columns, then its own, as the report prints them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: ReportTable | None = None

    def set_table(self, table: ReportTable) -> None:
        self.table = table
        self.headings = tuple(
            [h for h in (table.council_heading, table.item_heading) if h]
            + [c.heading for c in table.columns]
        )
        self.set_rows(list(table.rows))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        r = self.item(index)
        t = self.table
        if r is None or t is None:
            return None
        dims = ([r.council] if t.council_heading else []) + ([r.item] if t.item_heading else [])
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return dims[col] if col < len(dims) else display(r.cells[col - len(dims)])
        if role == Qt.ItemDataRole.FontRole and r.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= len(dims):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and r.council_gss:
            return f"Double-click to open the return of {r.council}"
        return None


class BoardTablesPage(QWidget):
    def __init__(self, context: ProgrammeContext) -> None:
        super().__init__()
        self.setObjectName("boardTablesPage")
        self.context = context
        self.figures = None
        self.content = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Period:"))
        self.period_box = QComboBox()
        self.period_box.setObjectName("tablesPeriodBox")
        top.addWidget(self.period_box)
        top.addWidget(QLabel("Table:"))
        self.table_box = QComboBox()
        self.table_box.setObjectName("tableBox")
        top.addWidget(self.table_box, 1)
        layout.addLayout(top)
        self.about = QLabel()
        self.about.setObjectName("tableAbout")
        self.about.setWordWrap(True)
        self.about.setStyleSheet(f"color: {MUTED}")
        layout.addWidget(self.about)
        self.model = ReportTableModel(self)
        self.view = table_view(self.model, name="boardTable")
        self.view.setSortingEnabled(False)  # a total row stays last
        self.view.doubleClicked.connect(self.open_row)
        layout.addWidget(self.view, 1)
        self.period_box.currentIndexChanged.connect(lambda _i: self.refresh_figures())
        self.table_box.currentIndexChanged.connect(lambda _i: self.show_table())
        self._deferred = DeferredRefresh(self, self.refresh)
        context.changed.connect(self._deferred.request)
        self.refresh()

    def refresh(self) -> None:
        fill_period_box(self.period_box, self.context.programme)
        self.refresh_figures()

    def refresh_figures(self) -> None:
        key = self.period_box.currentData()
        prog = self.context.programme
        if key is None:
            self.figures = self.content = None
            self.table_box.clear()
            self.model.set_rows([])
            self.about.setText("No returns merged yet.")
            return
        self.figures = figures_for(prog, programme_period(prog, key))
        self.content = report_content(self.figures)
        keep = self.table_box.currentData()
        self.table_box.blockSignals(True)
        self.table_box.clear()
        for t in self.content.tables:
            self.table_box.addItem(t.title, t.key)
        index = self.table_box.findData(keep) if keep else -1
        self.table_box.setCurrentIndex(max(index, 0))
        self.table_box.blockSignals(False)
        self.show_table()

    def set_table(self, key: str) -> None:
        self.table_box.setCurrentIndex(self.table_box.findData(key))

    def set_period(self, key: str) -> None:
        self.period_box.setCurrentIndex(self.period_box.findData(key))

    def show_table(self) -> None:
        if self.content is None:
            return
        table = self.content.table(self.table_box.currentData())
        self.model.set_table(table)
        self.about.setText(table.about if table.rows else table.empty)

    def quarter_of(self, gss: str) -> Quarter:
        """The quarter whose return stands behind a council's row: its latest in the period."""
        f = self.figures
        return parse_quarter(f.last_known.get(gss, f.quarter.key))

    def open_row(self, index: Index) -> ReturnDialog | None:
        row = self.model.item(index)
        if row is None or not row.council_gss or self.figures is None:
            return None
        quarter = self.quarter_of(row.council_gss)
        if isinstance(row.item, str) and row.item.count("Q") == 1:
            with contextlib.suppress(ValueError):  # a row naming its quarter (missing, exceptions)
                quarter = parse_quarter(row.item)
        dialog = ReturnDialog(self.context, row.council_gss, quarter, self)
        dialog.show()
        return dialog


class ReturnDialog(QDialog):
    """One council's return for a quarter: figures, versions, changes, PDF, review."""

    def __init__(
        self, context: ProgrammeContext, gss: str, quarter: Quarter, parent: QWidget | None = None
    ) -> None:
        from lga_desktop.consolidation.drill import council_return_detail

        super().__init__(parent)
        self.setObjectName("returnDialog")
        self.context = context
        self.quarter = quarter
        prog = context.programme
        self.detail = detail = council_return_detail(prog, gss, quarter)
        self.counting = next((v for v in detail.versions if v.counts), detail.versions[0])
        self.setWindowTitle(f"{detail.council_name}, {quarter}")
        self.resize(760, 620)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("returnSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.changes = QLabel()
        self.changes.setObjectName("returnChanges")
        self.changes.setWordWrap(True)
        layout.addWidget(self.changes)
        self.review = QLabel()
        self.review.setObjectName("returnReview")
        self.review.setWordWrap(True)
        layout.addWidget(self.review, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.pdf_button = QPushButton("Open printed return")
        self.pdf_button.setObjectName("openPdfButton")
        self.query_button = QPushButton("Query…")
        self.query_button.setObjectName("queryButton")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setObjectName("acceptButton")
        self.comment_button = QPushButton("Comment…")
        self.comment_button.setObjectName("commentButton")
        for b in (self.pdf_button, self.query_button, self.accept_button, self.comment_button):
            buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.pdf_button.clicked.connect(lambda _=False: self.open_pdf())
        self.query_button.clicked.connect(lambda _=False: self.ask_and_review("queried"))
        self.accept_button.clicked.connect(lambda _=False: self.do_review("accepted", ""))
        self.comment_button.clicked.connect(lambda _=False: self.ask_and_comment())
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        from html import escape

        from lga_desktop.consolidation.drill import figures_with_comments
        from lga_desktop.consolidation.roster import review_history, review_state

        d = self.detail
        prog = self.context.programme
        versions = "".join(
            f"<li>version {v.version} {'counts' if v.counts else 'superseded'}, signed "
            f"{escape(v.signed_at[:10])} by {escape(v.signer_name)} · "
            f"<code>{v.return_hash[:16]}…</code></li>"
            for v in d.versions
        )
        history = review_history(prog, self.counting.return_hash)
        # each comment on a figure beside it, as the council sees it on its Returns page
        rows, _elsewhere = figures_with_comments(d.figures, [e for e in history if e["comment"]])
        figures = "".join(
            f"<tr><td>{escape(a)}</td><td align='right'>{escape(b)}</td><td><i>"
            + "<br>".join(f"{escape(e['action'])}: {escape(e['comment'])}" for e in said)
            + "</i></td></tr>"
            for a, b, said in rows
        )
        self.summary.setText(
            f"<h3>{escape(d.council_name)} ({d.council_gss}), {escape(d.quarter)}</h3>"
            f"<ul>{versions}</ul><table cellspacing='4'>{figures}</table>"
        )
        if len(d.versions) < 2:
            self.changes.setText("<i>One version: nothing changed.</i>")
        elif not d.changes:
            self.changes.setText("<b>Between versions:</b> no figure changed.")
        else:
            shown = d.changes[:40]
            more = f"<br>…and {len(d.changes) - 40} more" if len(d.changes) > 40 else ""
            self.changes.setText(
                "<b>Between versions:</b><br>"
                + "<br>".join(
                    f"v{v}: {escape(w)}: {escape(o)} → {escape(n)}" for v, w, o, n in shown
                )
                + more
            )
        state = review_state(prog, self.counting.return_hash)
        lines = "".join(
            f"<li>{escape(e['at'][:16].replace('T', ' '))} {escape(e['by_name'])}: "
            f"{escape(e['action'])}{' on ' + escape(e['figure']) if e['figure'] else ''}"
            f"{' — ' + escape(e['comment']) if e['comment'] else ''}</li>"
            for e in history
        )
        self.review.setText(f"<b>Review: {state}</b><ul>{lines}</ul>")

    def ask_text(self, action: str) -> str:
        text, ok = QInputDialog.getText(
            self, "Query the return" if action == "queried" else "Comment", "What about?"
        )
        return text if ok else ""

    def ask_and_review(self, action: str) -> None:
        text = self.ask_text(action)
        if text.strip():
            self.do_review(action, text)

    WHOLE_RETURN = "(the whole return)"

    def ask_figure(self) -> str | None:
        """Which figure a comment is about ("" for the whole return; None: cancelled)."""
        items = [self.WHOLE_RETURN] + [label for label, _value in self.detail.figures]
        chosen, ok = QInputDialog.getItem(self, "Comment", "About:", items, 0, False)
        if not ok:
            return None
        return "" if chosen == self.WHOLE_RETURN else chosen

    def ask_and_comment(self) -> None:
        figure = self.ask_figure()
        if figure is None:
            return
        text = self.ask_text("comment")
        if text.strip():
            self.do_review("comment", text, figure)

    def do_review(self, action: str, comment: str, figure: str = "") -> None:
        import getpass

        from lga_desktop.consolidation.roster import review

        review(
            self.context.programme,
            self.detail.council_gss,
            self.quarter,
            action,
            comment,
            by=getpass.getuser(),
            figure=figure,
        )
        self.context.notify()
        self.refresh()

    def pdf_path(self) -> Path:
        """The printed return, saved in a temporary folder for the PDF viewer."""
        from lga_desktop.consolidation.drill import return_pdf_bytes

        folder = Path(tempfile.mkdtemp(prefix="lga-return-"))
        path = folder / f"{self.detail.council_name} {self.quarter}.pdf".replace("/", "-")
        path.write_bytes(return_pdf_bytes(self.context.programme, self.counting.return_hash))
        return path

    def open_pdf(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.pdf_path())))
