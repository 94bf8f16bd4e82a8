"""Importing a Board's own action-plan tracker (an Excel workbook) into the plan.

The first three parts are pure (no database, no Qt):

- :mod:`~esi_desktop.tracker.values`: one cell's value read as a date, a recommendation
  reference, a status or text;
- :mod:`~esi_desktop.tracker.sheet`: the workbook read with openpyxl (defusedxml guards the
  XML), the header row found and the columns matched by their headings;
- :mod:`~esi_desktop.tracker.rows`: the rows grouped into actions and milestones, with a
  warning naming the sheet, row and cell for every row that cannot be placed;
- :mod:`~esi_desktop.tracker.stored` and :mod:`~esi_desktop.tracker.importer`: the preview
  against the database (what an earlier import created, what would change) and the import in
  one transaction, through the plan's own use cases.

This file imports nothing, so the pure parts never load the database part.
"""
