"""0006: the SME share's basis: what is procurement, and suppliers not yet classified.

* ``spend_category.procurement``: 0 for spend that is not procurement (grants,
  payments to other public bodies, benefits, refunds), which the SME, VCSE
  and local shares leave out. The category ``NPR`` holds it by default.
* ``supplier.sme_known``: 0 while nobody has said whether a supplier is an
  SME ("not yet classified", which is not "not an SME"). Before this
  migration an unset flag read as "not an SME"; only a supplier flagged SME
  is known for certain, so only those start as classified.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS

NOT_PROCUREMENT = "NPR"
NOT_PROCUREMENT_NAME = "Not procurement (grants, public bodies, benefits, refunds)"


@MIGRATIONS(name="0006_sme_basis")
def m0006_sme_basis(db: Database) -> None:
    db.execute("ALTER TABLE spend_category ADD COLUMN procurement INTEGER NOT NULL DEFAULT 1")
    db.execute(
        "INSERT INTO spend_category (code, name, position) "
        "SELECT ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM spend_category) "
        "WHERE NOT EXISTS (SELECT 1 FROM spend_category WHERE code = ?)",
        [NOT_PROCUREMENT, NOT_PROCUREMENT_NAME, NOT_PROCUREMENT],
    )
    db.execute("UPDATE spend_category SET procurement = 0 WHERE code = ?", [NOT_PROCUREMENT])
    db.execute("ALTER TABLE supplier ADD COLUMN sme_known INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE supplier SET sme_known = 1 WHERE sme = 1")
