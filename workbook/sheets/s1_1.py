"""1.1 难题自测 in Excel: the eight ratings as inputs (1–5, a drop-down), the two averages and every module's
score as formulas (:mod:`workbook.self_check`)::

    average of a group = AVERAGE of its answered ratings (blank = not answered)
    score(module)      = Σ weight × (rating − 1) ÷ 4 over the answered items that point to it

The recommendation (the top three modules scoring at least 0.5, ties in course order) is shown as at export.
"""

from __future__ import annotations

from typing import Any

from workbook import carrier, i18n, self_check, xlsx
from workbook.export import ExportContext, ModuleSheet
from workbook.sheets import layout

PAGE = "s1_1"
DEFAULTS: dict[str, Any] = {"ratings": {}, "note": ""}


def _module_title(ctx: ExportContext, module_id: str) -> str:
    key = f"nav.{module_id}"
    return ctx.t(key) if i18n.has_key(key) else ctx.t(f"s1.check.module.{module_id}")


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    ratings = self_check.clean_ratings(values["ratings"] if isinstance(values["ratings"], dict) else {})
    layout.widths(canvas, 60, 12, 34, 12)
    row = layout.title_block(ctx, canvas, PAGE)
    row = layout.note(canvas, row, ctx.t("s1.check.intro")) + 1

    item_cells: dict[str, str] = {}
    group_cells: dict[str, list[str]] = {}
    for group in self_check.GROUPS:
        row = layout.heading(canvas, row, ctx.t(f"s1.check.group.{group}"))
        row = layout.note(canvas, row, ctx.t(f"s1.check.scale.{group}"))
        row = layout.header_row(canvas, row, [ctx.t("export.s1_1.item"), ctx.t("export.s1_1.rating")])
        for item in self_check.items_in(group):
            canvas.text(row, 1, ctx.t(item.text_key), "wrap")
            ref = ctx.input(canvas, row, 2, module=PAGE, path=("ratings", item.id), kind=carrier.INTEGER,
                            value=ratings.get(item.id), label=ctx.both(item.short_key), unit="plain",
                            number_format=xlsx.GENERAL, minimum=self_check.RATING_MIN,
                            maximum=self_check.RATING_MAX, blank=carrier.BLANK_DELETE)
            canvas.validations.append(xlsx.whole_number_validation(self_check.RATING_MIN, self_check.RATING_MAX,
                                                                   xlsx.relative(row, 2)))
            item_cells[item.id] = ref
            group_cells.setdefault(group, []).append(ref)
            row += 1
        row += 1

    row = layout.heading(canvas, row, ctx.t("export.s1_1.averages"))
    for group in self_check.GROUPS:
        canvas.text(row, 1, ctx.t(f"s1.check.mean_{group}"))
        canvas.formula(row, 2, f'IFERROR(AVERAGE({",".join(group_cells[group])}),"—")', "key", xlsx.DECIMAL)
        row += 1
    row += 1

    row = layout.heading(canvas, row, ctx.t("export.s1_1.scores"))
    row = layout.note(canvas, row, ctx.t("s1.check.focus_rule"))
    row = layout.header_row(canvas, row, [ctx.t("export.summary.col.module"), ctx.t("export.s1_1.score"),
                                          ctx.t("export.s1_1.recommended")])
    picks = {pick.module_id for pick in self_check.focus(ratings)}
    span = self_check.RATING_MAX - self_check.RATING_MIN
    for module_id in self_check.MODULE_ORDER:
        terms = [
            f"{weight:g}*IF(ISNUMBER({item_cells[item.id]}),({item_cells[item.id]}-{self_check.RATING_MIN})/{span},0)"
            for item in self_check.ITEMS for target, weight in item.focus if target == module_id
        ]
        if not terms:
            continue
        canvas.text(row, 1, _module_title(ctx, module_id))
        canvas.formula(row, 2, "+".join(terms), "body", xlsx.DECIMAL)
        canvas.text(row, 3, ctx.t("export.s1_1.yes") if module_id in picks else "")
        row += 1
    row = layout.note(canvas, row, ctx.t("export.s1_1.recommended_note")) + 1

    canvas.text(row, 1, ctx.t("s1.check.note_label"), "wrap")
    canvas.merged.append(f"B{row}:D{row}")
    ctx.input(canvas, row, 2, module=PAGE, path=("note",), kind=carrier.TEXT, value=values["note"],
              label=ctx.both("s1.check.note_label"), unit="text", blank=carrier.BLANK_EMPTY)
    canvas.row_heights[row] = 48


SHEET = ModuleSheet(PAGE, write)
