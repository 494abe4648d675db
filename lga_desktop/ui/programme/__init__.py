"""The consolidation window LGA staff use: one programme file, the returns of every council.

``window.ProgrammeWindow`` (navigation, menus, dropping files), ``actions``
(adding returns and trusting keys, off the UI thread), ``overview``,
``returns_page``, ``held``, ``councils`` (its pages), ``dialogs`` (what a batch
of files did; confirming a key card's fingerprint), ``start`` (opening it from
the command line or the council window). Nothing here is imported when the
council window starts: ``lga_desktop.ui.app`` and ``main_window`` import it on
demand.
"""
