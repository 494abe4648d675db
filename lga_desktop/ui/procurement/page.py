"""The Procurement page: spend lines, suppliers, category mapping, SME share."""

from __future__ import annotations

from lga_desktop.ui.context import AppContext
from lga_desktop.ui.procurement.categories_page import CategoriesTab
from lga_desktop.ui.procurement.sme_chart import SmeShareTab
from lga_desktop.ui.procurement.spend_page import SpendTab
from lga_desktop.ui.procurement.suppliers_page import SuppliersTab
from lga_desktop.ui.qt import QTabWidget, QVBoxLayout, QWidget


class ProcurementPage(QWidget):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.setObjectName("procurementPage")
        self.context = context
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tabs = QTabWidget()
        self.spend = SpendTab(context)
        self.suppliers = SuppliersTab(context)
        self.categories = CategoriesTab(context)
        self.sme_share = SmeShareTab(context)
        self.tabs.addTab(self.spend, "Spend")
        self.tabs.addTab(self.suppliers, "Suppliers")
        self.tabs.addTab(self.categories, "Categories")
        self.tabs.addTab(self.sme_share, "SME share")
        from lga_desktop.ui.pages.pipeline import PipelinePage, TimelinesPage

        self.pipeline = PipelinePage(context)
        self.timelines = TimelinesPage(context)
        self.tabs.addTab(self.pipeline, "Pipeline")
        self.tabs.addTab(self.timelines, "Timelines (120 days)")
        layout.addWidget(self.tabs)
