"""3.5 练习一 in Excel: the group's exercise as the instructor would read it — group, members, each segmentation
with its parameters in words, per tier the counts, shares and the service line, the reflection — and whether it
is complete. Group, members, reflection and every service line are inputs the group may keep working on in Excel.

The payload is built exactly as the page builds it (:func:`exercise_payload`: schemes from 3.5, parameters from
3.2, service lines prefilled from 3.4 unless the group wrote its own) and read back with
:func:`workbook.exercises.submission_summary`, so the sheet shows what the page shows. Counts and shares are
aggregates as at export.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook import carrier, clock, exercises, services, xlsx
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.segmentation import INSUFFICIENT, SCHEME_IDS, SCHEMES, SchemeParamError, segment_detail, tier_summary
from workbook.sheets import layout

PAGE = "s3_5"
DEFAULTS: dict[str, Any] = {"group": "", "members": "", "schemes": None, "services": {}, "reflection": "",
                            "submission": None, "submitted_at": None}


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def exercise_payload(ctx: ExportContext) -> tuple[dict[str, Any], dict[str, dict[str, str]], dict[str, list[str]]]:
    """(payload, the service line shown per scheme and tier, the tier codes listed per scheme), as 3.5 builds them."""
    saved = ctx.values(PAGE, DEFAULTS)
    chosen = ctx.values("s3_2", {"scheme": "aum", "params": {}})
    overrides = _mapping(ctx.values("s3_4", {"overrides": {}})["overrides"])
    initial = saved["schemes"]
    if not isinstance(initial, list):
        initial = [chosen["scheme"]] if chosen.get("scheme") in SCHEME_IDS else []
    selected = list(dict.fromkeys(s for s in initial if s in SCHEME_IDS))
    dimension_labels = {d: ctx.t(f"service.dim.{d}") for d in services.DIMENSIONS}
    edits_by_scheme = _mapping(saved["services"])
    configured: list[tuple[str, dict[str, Any]]] = []
    lines_by_scheme: dict[str, dict[str, str]] = {}
    codes_by_scheme: dict[str, list[str]] = {}
    for scheme_id in selected:
        params = dict(_mapping(_mapping(chosen.get("params")).get(scheme_id)))
        try:
            SCHEMES[scheme_id].resolve(params)
        except SchemeParamError:
            params = {}
        configured.append((scheme_id, params))
        detail = segment_detail(ctx.book, scheme_id, params)
        summary = tier_summary(ctx.book, detail)
        counts = summary["customers"]
        codes = [t.code for t in detail.tier_list if t.code != INSUFFICIENT or int(counts[t.code])]
        matrix = services.matrix_rows(scheme_id, codes, ctx.lang, _mapping(overrides.get(scheme_id)))
        prefill = {row["tier"]: services.service_line(row, dimension_labels, ctx.lang) for row in matrix}
        edits = _mapping(edits_by_scheme.get(scheme_id))
        lines_by_scheme[scheme_id] = {c: str(edits.get(c, prefill[c])) for c in codes}
        codes_by_scheme[scheme_id] = codes
    payload = exercises.exercise1_submission(
        ctx.book, group=str(saved["group"] or ""), members=exercises.split_members(str(saved["members"] or "")),
        schemes=configured, services=lines_by_scheme, reflection=str(saved["reflection"] or ""),
        book_source=ctx.book_source or "",
    )
    return payload, lines_by_scheme, codes_by_scheme


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    saved = ctx.values(PAGE, DEFAULTS)
    payload, lines, codes_by_scheme = exercise_payload(ctx)
    shown = exercises.submission_summary(payload, ctx.lang)
    problems = exercises.check_exercise1(payload, ctx.lang)
    layout.widths(canvas, 26, 12, 14, 18, 12, 70)
    row = layout.title_block(ctx, canvas, PAGE)

    row = layout.heading(canvas, row, ctx.t("s3_5.group_title"))
    for name, label_key, height in (("group", "s3_5.group_label", None), ("members", "s3_5.members_label", 60)):
        canvas.text(row, 1, ctx.t(label_key), "header")
        canvas.merged.append(f"B{row}:F{row}")
        ctx.input(canvas, row, 2, module=PAGE, path=(name,), kind=carrier.TEXT, value=str(saved[name] or ""),
                  label=ctx.both(label_key), unit="text", blank=carrier.BLANK_EMPTY)
        if height:
            canvas.row_heights[row] = height
        row += 1
    canvas.text(row, 1, ctx.t("export.s3_5.book"), "header")
    canvas.text(row, 2, ctx.t("export.s3_5.book_value", customers=f"{shown.book_customers:,}",
                              aum=f"{shown.book_aum / xlsx.WAN_DIVISOR:,.1f}"))
    row += 2

    row = layout.heading(canvas, row, ctx.t("s3_5.schemes_title"))
    if not shown.schemes:
        row = layout.note(canvas, row, ctx.t("s3_5.summary_no_schemes")) + 1
    for index, (entry, summary) in enumerate(zip(payload["schemes"], shown.schemes, strict=True), start=1):
        scheme_id = entry["scheme"]
        row = layout.heading(canvas, row, f"{index}. {summary.name}")
        row = layout.note(canvas, row, ctx.t("s3_5.summary_params", params=summary.params))
        row = layout.header_row(canvas, row, [
            ctx.t("tiers.col.tier"), ctx.t("tiers.col.customers"), ctx.t("tiers.col.customer_share"),
            ctx.t("export.col.money", what=ctx.t("tiers.col.aum"), unit=ctx.t("export.unit.wan")),
            ctx.t("tiers.col.aum_share"), ctx.t("s3_5.col.service")])
        scheme_name = Both(entry["name"]["zh"], entry["name"]["en"])
        tiers = {t["code"]: t for t in entry["tiers"]}
        for code in codes_by_scheme.get(scheme_id, []):
            tier = tiers.get(code)
            if tier is None:
                continue
            canvas.text(row, 1, tier.get(ctx.lang) or tier.get("zh") or code)
            canvas.number(row, 2, int(tier["customers"]), "body", xlsx.COUNT)
            canvas.number(row, 3, float(tier["customer_share"]), "body", xlsx.PERCENT)
            canvas.number(row, 4, float(tier["aum"]) / xlsx.WAN_DIVISOR, "body", xlsx.WAN)
            canvas.number(row, 5, float(tier["aum_share"]), "body", xlsx.PERCENT)
            ctx.input(canvas, row, 6, module=PAGE, path=("services", scheme_id, code), kind=carrier.TEXT,
                      value=lines[scheme_id].get(code, ""), unit="text", blank=carrier.BLANK_EMPTY,
                      label=ctx.both("export.s3_5.service", scheme=scheme_name,
                                     tier=Both(str(tier.get("zh") or code), str(tier.get("en") or code))))
            canvas.row_heights[row] = 48
            row += 1
        row += 1

    row = layout.heading(canvas, row, ctx.t("s3_5.reflection_title"))
    canvas.text(row, 1, ctx.t("s3_5.reflection_label"), "wrap")
    canvas.merged.append(f"B{row}:F{row}")
    ctx.input(canvas, row, 2, module=PAGE, path=("reflection",), kind=carrier.TEXT,
              value=str(saved["reflection"] or ""), label=ctx.both("s3_5.reflection_title"), unit="text",
              blank=carrier.BLANK_EMPTY)
    canvas.row_heights[row] = 90
    row += 2

    row = layout.heading(canvas, row, ctx.t("s3_5.check_title"))
    if problems:
        row = layout.note(canvas, row, ctx.t("s3_5.incomplete", count=len(problems)))
        for problem in problems:
            canvas.text(row, 1, f"• {problem.text(ctx.lang)}", "warning")
            row += 1
    else:
        canvas.text(row, 1, ctx.t("s3_5.complete"), "key")
        row += 1
    if saved.get("submitted_at"):
        # in the classroom's time, its zone named (the store keeps UTC)
        finished = clock.local_time_text(str(saved["submitted_at"]), ctx.lang)
        canvas.text(row, 1, ctx.t("export.s3_5.finished", time=finished), "note")
        row += 1
    layout.note(canvas, row + 1, ctx.t("export.s3_5.note"))


SHEET = ModuleSheet(PAGE, write)
