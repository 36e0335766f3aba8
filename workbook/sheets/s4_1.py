"""4.1 客户经营梯度 in Excel: per tier of the segmentation the page shows, the book's engagement figures and the
suggested level (values as at export, :func:`workbook.ladder.suggestions`), the level reached today and the target
(inputs, 1–12), the steps still to climb and the next level's action (live), and the outline's twelve levels.

    steps to climb = target − today (0 when either is blank or the target is not above today)
    next level     = the ladder's level today + 1, with its action, while there are steps to climb
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook import carrier, ladder, xlsx
from workbook.export import ExportContext, ModuleSheet
from workbook.schema import field_label, finite_number
from workbook.segmentation import get_scheme
from workbook.sheets import layout

PAGE = "s4_1"
# Columns of the assessment table.
TIER, CUSTOMERS, CONTACTS, GIFTS, EVENTS, REFERRALS, SUGGESTED, CURRENT, TARGET, STEPS, NEXT = range(1, 12)
FIGURE_COLUMNS = {"contacts_per_customer": CONTACTS, "gift_share": GIFTS, "events_per_customer": EVENTS,
                  "referrals_per_customer": REFERRALS}
LEVEL_TEXT, ACTION_TEXT = 2, 7  # the ladder table: level text over B:F, action over G:K
LADDER_NAME = "LadderLevels"
ACTION_NAME = "LadderActions"


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, {"scheme": None, "levels": {}})
    scheme_id = layout.page_scheme(ctx, PAGE)
    detail, _, _ = ctx.segmentation(scheme_id)
    figures = ladder.engagement_figures(ctx.book, detail.tiers)
    suggested = ladder.suggestions(figures)
    labels = detail.labels(ctx.lang)
    names = layout.tier_names(detail)
    codes = [c for c in figures.index if int(figures.loc[c, "customers"]) > 0]
    saved = {code: dict(_mapping(entry)) for code, entry in _mapping(_mapping(values["levels"]).get(scheme_id)).items()}
    rows = ladder.assessments(codes, saved, suggested)

    layout.widths(canvas, 18, 10, 12, 12, 12, 12, 10, 12, 12, 12, 60)
    row = layout.title_block(ctx, canvas, PAGE)
    canvas.text(row, 1, ctx.t("s4.scheme_label"), "header")
    canvas.text(row, 2, get_scheme(scheme_id).name(ctx.lang))
    canvas.text(row, 4, ctx.t("export.s1_2.choice_in_app"), "note")
    row += 2
    row = layout.heading(canvas, row, ctx.t("s4_1.assess_title"))
    row = layout.note(canvas, row, ctx.t("export.s4_1.note"))
    headers = [ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers")] + [
        ctx.t(f"export.s4_1.figure.{key}") for key in FIGURE_COLUMNS] + [
        ctx.t("s4_1.col.suggested"), ctx.t("s4_1.col.current"), ctx.t("s4_1.col.target"),
        ctx.t("export.s4_1.steps"), ctx.t("export.s4_1.next")]
    row = layout.header_row(canvas, row, headers)
    canvas.row_heights[row - 1] = 36
    ladder_top = row + len(codes) + 4  # the twelve levels, below the table
    levels = canvas.range_ref(ladder_top + 1, LEVEL_TEXT, ladder_top + ladder.TOP, LEVEL_TEXT)
    actions = canvas.range_ref(ladder_top + 1, ACTION_TEXT, ladder_top + ladder.TOP, ACTION_TEXT)
    ctx.define_name(LADDER_NAME, levels)
    ctx.define_name(ACTION_NAME, actions)
    tier_range = ctx.book_range(f"tier:{scheme_id}")
    first = row
    for assessment in rows:
        code, r = assessment.tier, row
        canvas.text(r, TIER, labels[code])
        canvas.formula(r, CUSTOMERS, f"COUNTIF({tier_range},{xlsx.relative(r, TIER)})", "body", xlsx.COUNT)
        for key, column in FIGURE_COLUMNS.items():
            value = finite_number(figures.at[code, key])
            if value is None:  # NaN: the book cannot show it
                canvas.text(r, column, "—")
            else:
                canvas.number(r, column, value, "body", xlsx.PERCENT0 if key == "gift_share" else xlsx.DECIMAL)
        suggestion = suggested[code].level
        if suggestion is None:
            canvas.text(r, SUGGESTED, "—")
        else:
            canvas.number(r, SUGGESTED, suggestion, "body", xlsx.COUNT)
        for column, key, level in ((CURRENT, "current", assessment.current), (TARGET, "target", assessment.target)):
            ctx.input(canvas, r, column, module=PAGE, path=("levels", scheme_id, code, key), kind=carrier.INTEGER,
                      value=level, label=ctx.both(f"export.s4_1.{key}_of", tier=names[code]), unit="count",
                      number_format=xlsx.COUNT, minimum=1.0, maximum=float(ladder.TOP), blank=carrier.BLANK_NONE)
        canvas.validations.append(xlsx.whole_number_validation(1, ladder.TOP, f"{xlsx.relative(r, CURRENT)}:"
                                                                              f"{xlsx.relative(r, TARGET)}"))
        current, target = xlsx.relative(r, CURRENT), xlsx.relative(r, TARGET)
        canvas.formula(r, STEPS, f"IF(AND(ISNUMBER({current}),ISNUMBER({target})),MAX({target}-{current},0),0)",
                       "key", xlsx.COUNT)
        steps = xlsx.relative(r, STEPS)
        canvas.formula(r, NEXT, f'IF({steps}>0,INDEX({LADDER_NAME},{current}+1)&"："&INDEX({ACTION_NAME},'
                                f'{current}+1),"")' if ctx.lang == "zh" else
                       f'IF({steps}>0,INDEX({LADDER_NAME},{current}+1)&": "&INDEX({ACTION_NAME},{current}+1),"")',
                       "wrap")
        canvas.row_heights[r] = 48
        row += 1
    last = row - 1
    missing = sorted({f for c in codes for f in suggested[c].missing if suggested[c].level is None},
                     key=ladder.SUGGESTION_FIELDS.index)
    if missing:
        layout.note(canvas, row, ctx.t("s4_1.no_suggestion", fields=ctx.t("common.list_sep").join(
            field_label(f, ctx.lang) for f in missing)))

    # ---- the twelve levels ----
    if codes:
        ctx.key_figure(PAGE, ctx.t("export.s4_1.total_steps"), f"SUM({canvas.range_ref(first, STEPS, last, STEPS)})",
                       xlsx.COUNT, ctx.t("export.s4_1.steps_unit"))

    # ---- the twelve levels (the outline's words): level text over B:F, its action over G:K ----
    row = ladder_top - 1
    row = layout.heading(canvas, row, ctx.t("s4_1.ladder_title"))
    for column, key in ((1, "s4_1.col.number"), (LEVEL_TEXT, "s4_1.col.level"), (ACTION_TEXT, "s4_1.col.action")):
        canvas.text(row, column, ctx.t(key), "header")
    canvas.merged.append(f"{xlsx.letter(LEVEL_TEXT)}{row}:{xlsx.letter(ACTION_TEXT - 1)}{row}")
    canvas.merged.append(f"{xlsx.letter(ACTION_TEXT)}{row}:{xlsx.letter(NEXT)}{row}")
    row += 1
    for step in ladder.LADDER:
        canvas.number(row, 1, step.number, "body", xlsx.COUNT)
        canvas.text(row, LEVEL_TEXT, step.label(ctx.lang), "wrap")
        canvas.text(row, ACTION_TEXT, step.action(ctx.lang), "wrap")
        canvas.merged.append(f"{xlsx.letter(LEVEL_TEXT)}{row}:{xlsx.letter(ACTION_TEXT - 1)}{row}")
        canvas.merged.append(f"{xlsx.letter(ACTION_TEXT)}{row}:{xlsx.letter(NEXT)}{row}")
        canvas.row_heights[row] = 32
        row += 1
    layout.note(canvas, row, ctx.t("s4_1.ladder_help"))


SHEET = ModuleSheet(PAGE, write)
