"""The registers a council keeps, declared once and served by one machinery.

* :mod:`~lga_desktop.registers.fields` - field types (text, money, quantity, date,
  quarter, year, choice, yes/no, link to another record).
* :mod:`~lga_desktop.registers.declaration` - :class:`Register` and :class:`Field`,
  and the checks and rules that produce validation findings.
* :mod:`~lga_desktop.registers.store` - create, update, delete and restore records,
  each in one transaction with its audit trail (:mod:`~lga_desktop.registers.audit`).
* :mod:`~lga_desktop.registers.excel` - XLSX and CSV export and all-or-nothing import.
* :mod:`~lga_desktop.registers.catalog` - every declared register, by key and family.
* ``cap``, ``experts``, ``savings`` - the declarations, their rules and derived figures.

See ``docs/architecture.md`` ("Registers") for adding a register.
"""
