"""The bundle's ``holidays.countries``: the United Kingdom's module alone.

The package's own ``__init__`` imports every country's module (about 1 MB
compiled, and time at first use); ``build.spec`` puts this file in its place
and leaves the other countries out. ``holidays.country_holidays("GB")`` loads
``holidays.countries.united_kingdom`` by name, which is all the app asks
(``lga_desktop.periods.bank_holidays``; the self-test's bank-holidays step
reads the 2012 and 2022 one-offs through it). Any other country would fail
to import in the bundle.
"""

from holidays.countries.united_kingdom import GB, GBR, UK, UnitedKingdom  # noqa: F401
