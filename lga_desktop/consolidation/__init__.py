"""Consolidation: the LGA's side, where the returns of every pilot council meet.

``store`` (the programme file: members, trusted keys, every file received,
every return accepted), ``facts`` (the figures read out of a return's
sections when it is merged), ``merge`` (checking and merging files, holding
bad ones aside with the reason), ``figures`` (programme-wide totals, SME share,
CAP outputs, expert days, missing returns: exact sums of the councils' returns),
``reports`` (``write_report``: the Board report as XLSX, CSV or PDF, whose content
is ``report_tables`` and whose layouts are ``report_xlsx`` and ``report_pdf``).
"""
