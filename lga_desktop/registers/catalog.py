"""Every declared register, found by key, and grouped into families.

A *family* is a top-level register and the registers under it (a CAP plan,
its assets, its outputs planned and realised). Files, the command line and
the window's pages work a family at a time. A module listed in
:data:`REGISTER_MODULES` exposes ``REGISTERS``, its family's declarations,
top-level first.
"""

from __future__ import annotations

import importlib
from functools import cache

from lga_desktop.errors import UsageError
from lga_desktop.registers.declaration import Register
from lga_desktop.registers.fields import Reference

__all__ = ["REGISTER_MODULES", "all_registers", "register", "family", "family_keys", "children"]

REGISTER_MODULES: tuple[str, ...] = (
    "lga_desktop.registers.cap",
    "lga_desktop.registers.experts",
    "lga_desktop.registers.savings",
    "lga_desktop.registers.pipeline",
)


@cache
def all_registers() -> dict[str, Register]:
    found: dict[str, Register] = {}
    for name in REGISTER_MODULES:
        for reg in importlib.import_module(name).REGISTERS:
            if reg.key in found:
                raise ValueError(f"register key {reg.key} is declared twice")
            found[reg.key] = reg
    return found


def register(key: str) -> Register:
    try:
        return all_registers()[key]
    except KeyError:
        raise UsageError(
            f"there is no register called {key!r} (choose one of {', '.join(family_keys())})"
        ) from None


def family_keys() -> tuple[str, ...]:
    """The top-level registers, in the order of :data:`REGISTER_MODULES`."""
    return tuple(k for k, r in all_registers().items() if r.parent is None)


def children(reg: Register) -> tuple[Register, ...]:
    return tuple(r for r in all_registers().values() if r.parent_register == reg.key)


def family(key: str) -> tuple[Register, ...]:
    """A top-level register and every register below it, parents before children."""
    top = register(key)
    if top.parent is not None:
        raise UsageError(f"{top.title} belongs to {top.parent_register}; name that register")
    out = [top]
    i = 0
    while i < len(out):
        out.extend(children(out[i]))
        i += 1
    return tuple(out)


def referrers(reg: Register) -> list[tuple[Register, str]]:
    """Optional links into ``reg`` from other registers: (register, field name)."""
    return [
        (other, f.name)
        for other in all_registers().values()
        for f in other.links
        if isinstance(f.type, Reference) and f.type.register == reg.key and f.name != other.parent
    ]
