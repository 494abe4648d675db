"""The SQLite layer: opening files safely, identifying them, migrating them.

A workspace is a SQLite file that says what it is (``PRAGMA application_id``)
and records the numbered migrations it has had (sqlite-utils ``Migrations``).
SQL here stays portable where it can, so the consolidated store could move to
PostgreSQL without a redesign.
"""

from lga_desktop.db.connection import (
    SQLITE_HEADER,
    connect,
    is_sqlite_file,
)
from lga_desktop.db.migrations import (
    MIGRATIONS,
    WORKSPACE_APPLICATION_ID,
    known_migration_names,
    migrate,
    schema_version,
)

# Migrations register themselves on import, in this (number) order.
from lga_desktop.db import m0001_foundation  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0002_registers  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0003_procurement  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0004_returns  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0005_pipeline  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0006_sme_basis  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0007_savings_years  # noqa: E402, F401  isort: skip
from lga_desktop.db import m0008_programme_pack  # noqa: E402, F401  isort: skip

__all__ = [
    "SQLITE_HEADER",
    "connect",
    "is_sqlite_file",
    "MIGRATIONS",
    "WORKSPACE_APPLICATION_ID",
    "known_migration_names",
    "migrate",
    "schema_version",
]
