"""Layout pieces the module sheets share: the title block, section headings and table headers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from workbook import i18n, xlsx
from workbook.export import Both, ExportContext

FIRST_ROW = 4  # the row after the title block


def title_block(ctx: ExportContext, canvas: xlsx.Canvas, page_id: str, note_key: str | None = None) -> int:
    """Title (the page's navigation title), the legend of input cells and an optional note; returns the next row."""
    canvas.text(1, 1, i18n.t(f"nav.{page_id}", ctx.lang), "title")
    canvas.text(2, 1, ctx.t(note_key) if note_key else ctx.t("export.sheet_legend"), "note")
    return FIRST_ROW


def heading(canvas: xlsx.Canvas, row: int, text: str) -> int:
    canvas.text(row, 1, text, "subtitle")
    return row + 1


def header_row(canvas: xlsx.Canvas, row: int, headers: Sequence[str], first_column: int = 1) -> int:
    for offset, text in enumerate(headers):
        canvas.text(row, first_column + offset, text, "header")
    return row + 1


def note(canvas: xlsx.Canvas, row: int, text: str, column: int = 1) -> int:
    canvas.text(row, column, text, "note")
    return row + 1


def widths(canvas: xlsx.Canvas, *characters: float) -> None:
    for column, width in enumerate(characters, start=1):
        canvas.width(column, width)


def page_scheme(ctx: ExportContext, page_id: str) -> str:
    """The segmentation a section-四 page shows: its own choice, else the one chosen on 3.2, else the AUM ladder
    (as ``ui.section4.scheme_choice`` opens)."""
    from workbook.segmentation import SCHEME_IDS

    for choice in (ctx.values(page_id, {"scheme": None}).get("scheme"),
                   ctx.values("s3_2", {"scheme": None}).get("scheme")):
        if choice in SCHEME_IDS:
            return str(choice)
    return "aum"


def tier_names(detail: Any) -> dict[str, Both]:
    """Each tier code of a segmentation with its label in both languages (for input labels)."""
    return {tier.code: Both(tier.zh, tier.en) for tier in detail.tier_list}
