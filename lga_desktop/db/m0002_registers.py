"""0002: the registers: CAP plan, expert support days, realised savings, and the audit trail.

The table statements are what ``python -m lga_desktop.registers.schema cap
experts savings`` printed for the declarations when this migration shipped;
they are frozen here because a shipped migration never changes.
"""

from lga_desktop.db.connection import Database
from lga_desktop.db.migrations import MIGRATIONS


@MIGRATIONS(name="0002_registers")
def m0002_registers(db: Database) -> None:
    # every change to a register: one row per field touched, grouped by change number
    db.execute(
        """CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    change INTEGER NOT NULL,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    register TEXT NOT NULL,
    record_id INTEGER NOT NULL,
    record_ref TEXT NOT NULL,
    parent_id INTEGER,
    action TEXT NOT NULL,
    field TEXT,
    old_value TEXT,
    new_value TEXT,
    source TEXT
)"""
    )
    db.execute("CREATE INDEX audit_log_record ON audit_log (register, record_id)")
    db.execute("CREATE INDEX audit_log_parent ON audit_log (register, parent_id)")
    db.execute("CREATE INDEX audit_log_change ON audit_log (change)")
    # the last ref number handed out per register, so a deleted record's ref is never reused
    db.execute("CREATE TABLE register_refs (register TEXT PRIMARY KEY, last INTEGER NOT NULL)")
    db.execute(
        """CREATE TABLE cap_plans (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    title TEXT,
    wave TEXT,
    status TEXT,
    summary TEXT,
    partners TEXT,
    lga_investment INTEGER,
    match_funding INTEGER,
    start_date TEXT,
    end_date TEXT
)"""
    )
    db.execute(
        """CREATE TABLE cap_assets (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    plan INTEGER NOT NULL REFERENCES cap_plans (id) ON DELETE CASCADE,
    name TEXT,
    address TEXT,
    owner TEXT,
    action TEXT,
    floor_area INTEGER,
    running_before INTEGER,
    running_after INTEGER,
    capital_receipt INTEGER
)"""
    )
    db.execute("""CREATE INDEX cap_assets_plan ON cap_assets (plan)""")
    db.execute(
        """CREATE TABLE cap_outputs_planned (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    plan INTEGER NOT NULL REFERENCES cap_plans (id) ON DELETE CASCADE,
    year INTEGER,
    jobs INTEGER,
    homes_public INTEGER,
    homes_private INTEGER,
    space_reused INTEGER,
    capex_reduced INTEGER,
    carbon INTEGER,
    UNIQUE (plan, year)
)"""
    )
    db.execute("""CREATE INDEX cap_outputs_planned_plan ON cap_outputs_planned (plan)""")
    db.execute(
        """CREATE TABLE cap_outputs_realised (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    plan INTEGER NOT NULL REFERENCES cap_plans (id) ON DELETE CASCADE,
    quarter TEXT,
    jobs INTEGER,
    homes_public INTEGER,
    homes_private INTEGER,
    space_reused INTEGER,
    capex_reduced INTEGER,
    carbon INTEGER,
    evidence TEXT,
    UNIQUE (plan, quarter)
)"""
    )
    db.execute("""CREATE INDEX cap_outputs_realised_plan ON cap_outputs_realised (plan)""")
    db.execute(
        """CREATE TABLE expert_engagements (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    expert TEXT,
    organisation TEXT,
    specialism TEXT,
    purpose TEXT,
    days_agreed INTEGER,
    start_date TEXT,
    end_date TEXT,
    expected_saving INTEGER,
    saving_basis TEXT
)"""
    )
    db.execute(
        """CREATE TABLE expert_days (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    engagement INTEGER NOT NULL REFERENCES expert_engagements (id) ON DELETE CASCADE,
    date TEXT,
    days INTEGER,
    work TEXT
)"""
    )
    db.execute("""CREATE INDEX expert_days_engagement ON expert_days (engagement)""")
    db.execute(
        """CREATE TABLE savings_lines (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    workstream TEXT,
    title TEXT,
    cashable TEXT,
    kind TEXT,
    recurrence TEXT,
    baseline INTEGER,
    target INTEGER,
    start TEXT,
    engagement INTEGER REFERENCES expert_engagements (id) ON DELETE SET NULL,
    notes TEXT
)"""
    )
    db.execute("""CREATE INDEX savings_lines_engagement ON savings_lines (engagement)""")
    db.execute(
        """CREATE TABLE savings_realised (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    saving INTEGER NOT NULL REFERENCES savings_lines (id) ON DELETE CASCADE,
    quarter TEXT,
    amount INTEGER,
    evidence TEXT,
    UNIQUE (saving, quarter)
)"""
    )
    db.execute("""CREATE INDEX savings_realised_saving ON savings_realised (saving)""")
