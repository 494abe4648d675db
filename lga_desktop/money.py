"""Money: integer pence inside, text at the edges.

Every amount in the workspace, the core and a return is an ``int`` of pence.
``Decimal`` appears only while parsing what a person typed or a file held,
and while formatting for display. No ``float`` ever touches money.

>>> parse_money("£1,234.50")
123450
>>> parse_money("1.2m")
120000000
>>> parse_money("(500)")
-50000
>>> format_money(123456789)
'£1,234,567.89'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["MoneyError", "parse_money", "format_money", "pence_to_decimal", "decimal_to_pence"]


class MoneyError(ValueError):
    """Text that cannot be read as an amount of money; the message says why."""


_MULTIPLIERS = {"k": Decimal(1000), "m": Decimal(1_000_000), "bn": Decimal(1_000_000_000)}
_WORDS = {"thousand": "k", "million": "m", "billion": "bn"}

# digits with optional well-placed thousands commas, optional decimals
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_PLAIN = re.compile(r"^-?\d+(?:\.\d{1,2})?$")


def parse_money(text: str | int | Decimal, *, allow_negative: bool = True) -> int:
    """Read an amount as an officer or a spend file writes it; return pence.

    Accepts ``£1,234.50``, ``1234.5``, ``1.2m``, ``£500k``, ``2 million``,
    ``-500``, ``(500)`` and ``£-500``. Raises :class:`MoneyError` with a
    reason for anything ambiguous: European decimal commas, misplaced
    thousands separators, fractions of a penny, two signs, empty text.
    """
    if isinstance(text, bool):
        raise MoneyError("a yes/no value is not an amount of money")
    if isinstance(text, int):
        return text * 100
    if isinstance(text, Decimal):
        return decimal_to_pence(text)
    raw = str(text)
    s = raw.strip()
    if _PLAIN.match(s):  # the common case in spend files: no symbols at all
        pence = decimal_to_pence(Decimal(s))
        if pence < 0 and not allow_negative:
            raise MoneyError(f"{raw!r}: the amount cannot be negative here")
        return pence
    if not s:
        raise MoneyError("no amount was given")
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = s.replace("\u00a0", " ").replace("\u2212", "-")
    if s.startswith("-"):
        if negative:
            raise MoneyError(f"{raw!r} has two minus signs; write it as -500 or (500)")
        negative, s = True, s[1:].strip()
    for symbol in ("£", "GBP"):
        if s.upper().startswith(symbol):
            s = s[len(symbol) :].strip()
            break
    if s.startswith("-"):
        if negative:
            raise MoneyError(f"{raw!r} has two minus signs; write it as -500 or (500)")
        negative, s = True, s[1:].strip()
    if s.endswith("-"):  # accounting exports sometimes write 500-
        if negative:
            raise MoneyError(f"{raw!r} has two minus signs; write it as -500 or (500)")
        negative, s = True, s[:-1].strip()
    lowered = s.lower()
    multiplier = Decimal(1)
    for word, suffix in _WORDS.items():
        if lowered.endswith(word):
            lowered = lowered[: -len(word)].strip() + suffix
            break
    for suffix in ("bn", "k", "m"):
        if lowered.endswith(suffix):
            multiplier = _MULTIPLIERS[suffix]
            lowered = lowered[: -len(suffix)].strip()
            break
    number = lowered.replace(" ", "") if multiplier == 1 else lowered
    if not number:
        raise MoneyError(f"{raw!r} has no digits")
    if "," in number and "." not in number and re.fullmatch(r"\d+,\d{1,2}", number):
        raise MoneyError(
            f"{raw!r} looks like a decimal comma; write pounds and pence with a point, e.g. 1234.50"
        )
    if not _NUMBER.match(number):
        if re.fullmatch(r"[\d.,]+", number):
            raise MoneyError(
                f"{raw!r}: the commas or points are not where thousands and pence go "
                "(write 1,234,567.89)"
            )
        raise MoneyError(f"{raw!r} is not an amount of money (write it like £1,234.50 or 1.2m)")
    try:
        value = Decimal(number.replace(",", "")) * multiplier
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
        raise MoneyError(f"{raw!r} is not an amount of money") from exc
    if multiplier == 1 and "." in number and len(number.split(".")[1]) > 2:
        raise MoneyError(
            f"{raw!r} has more than two decimal places: is it pounds and pence, "
            "or thousands written with a point?"
        )
    pence = decimal_to_pence(-value if negative else value)
    if pence < 0 and not allow_negative:
        raise MoneyError(f"{raw!r}: the amount cannot be negative here")
    return pence


def decimal_to_pence(value: Decimal) -> int:
    """Convert pounds as a ``Decimal`` to pence, refusing fractions of a penny."""
    if not value.is_finite():
        raise MoneyError(f"{value} is not an amount of money")
    pence = value * 100
    if pence != pence.to_integral_value():
        raise MoneyError(f"£{value} includes a fraction of a penny")
    return int(pence)


def pence_to_decimal(pence: int) -> Decimal:
    """Pounds as an exact ``Decimal`` with two places (for Excel, JSON and display)."""
    return (Decimal(pence) / 100).quantize(Decimal("0.01"))


def format_money(pence: int, *, symbol: bool = True) -> str:
    """``123456789`` -> ``'£1,234,567.89'``; negatives as ``'-£500.00'``."""
    if not isinstance(pence, int) or isinstance(pence, bool):
        raise TypeError(f"money must be integer pence, not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, pennies = divmod(abs(pence), 100)
    return f"{sign}{'£' if symbol else ''}{pounds:,}.{pennies:02d}"


def format_money_short(pence: int) -> str:
    """A compact form for charts and headline tiles: ``£1.2m``, ``£350k``, ``£920``."""
    sign = "-" if pence < 0 else ""
    value = Decimal(abs(pence)) / 100
    if value >= 1_000_000:
        text = f"{(value / 1_000_000).quantize(Decimal('0.1'))}m"
    elif value >= 10_000:
        text = f"{(value / 1000).quantize(Decimal('1'))}k"
    else:
        text = f"{value.quantize(Decimal('1')):,}"
    return f"{sign}£{text.replace('.0m', 'm')}"
