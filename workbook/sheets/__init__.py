"""The module sheets of the exported workbook, one module per course page.

Each module here defines ``SHEET = ModuleSheet(page_id, write, prepare=None)`` (:mod:`workbook.export`);
:func:`workbook.export.module_sheets` finds every one of them and orders them by the course. A page of a new
section gets its sheet by adding a module here: nothing else changes. Shared layout helpers are in
:mod:`workbook.sheets.layout`.

Conventions every sheet follows (so the workbook reads as one):

* row 1 the page's title, row 2 how to read the sheet; inputs are placed with ``ExportContext.input`` (blue on
  yellow, recorded for resuming), results are formulas wherever the app's arithmetic can be written as one, and
  a figure that cannot (a sort, a quantile) is written as a value with a note saying it is as at export;
* money per customer and typed inputs in 元 (#,##0), totals in 万元 (the cell holds 元 ÷ 10,000), shares as
  percentages; units in every header;
* every number is the one the app shows: each sheet computes it with the same domain functions the page uses.
"""
