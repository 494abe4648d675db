"""The SQL a register's declaration implies, for writing its migration.

Migrations are frozen text (a shipped migration never changes), so they do not
call this at run time: run ``python -m lga_desktop.registers.schema KEY`` and
paste the output into the new migration module. ``tests/test_registers.py``
checks that every declared register matches its table in a migrated workspace.
"""

from __future__ import annotations

import sys

from lga_desktop.registers.catalog import family, register
from lga_desktop.registers.declaration import Register
from lga_desktop.registers.fields import Reference

__all__ = ["create_table_sql"]


def create_table_sql(reg: Register) -> list[str]:
    cols = ["id INTEGER PRIMARY KEY", "ref TEXT NOT NULL UNIQUE"]
    for f in reg.fields:
        col = f"{f.name} {f.type.sql_type}"
        if isinstance(f.type, Reference):
            target = register(f.type.register)
            if f.required:
                col += " NOT NULL"
            col += f" REFERENCES {target.table} (id) ON DELETE {f.type.on_delete}"
        cols.append(col)
    for names, _message in reg.unique:
        cols.append(f"UNIQUE ({', '.join(names)})")
    statements = [f"CREATE TABLE {reg.table} (\n    " + ",\n    ".join(cols) + "\n)"]
    for f in reg.links:
        statements.append(f"CREATE INDEX {reg.table}_{f.name} ON {reg.table} ({f.name})")
    return statements


if __name__ == "__main__":  # pragma: no cover - a developer's tool
    for key in sys.argv[1:]:
        for reg in family(key):
            for statement in create_table_sql(reg):
                print(f'    db.execute(\n        """{statement}"""\n    )')
