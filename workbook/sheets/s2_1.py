"""2.1 深度KYC与潜在需求 in Excel: the four-account shares (inputs), then every KYC card the trainee worked on — the
card as the page shows it (values), the latent needs the need rules find, the household four-account plan live
(:func:`workbook.households.four_account_plan`) and the proposal::

    total   = the typed total assets (万元), else the sum of the holdings     (cards.plan_total)
    target  = total × the account's share;   current = the holding;   gap = target − current

KYC text (goals, notes, a family member's note, the proposal) is the trainee's own, kept masked as on the page;
it is written as text for reading, never as an input or a formula — edited in Excel it could carry personal data
back unmasked, so it is changed in the app. The numbers of the plan are inputs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from workbook import cards, carrier, kyc, privacy, xlsx
from workbook.export import Both, ExportContext, ModuleSheet
from workbook.households import ACCOUNT_INFO, ACCOUNTS, DEFAULT_SHARES
from workbook.products import product_label
from workbook.schema import finite_number
from workbook.sheets import layout

PAGE = "s2_1"
DEFAULTS: dict[str, Any] = {"source": "book", "customer": None, "case": "pufa", "cards": {},
                            "shares_pct": {code: share * 100 for code, share in DEFAULT_SHARES.items()},
                            "proposals": {}}
SHARE_NAMES = {code: f"AccountShare_{code}" for code in ACCOUNTS}
WAN = cards.WAN


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _row_of(ctx: ExportContext, customer: str) -> tuple[pd.Series | None, int | None]:
    """The book row of a customer id (text, as the page keys it), and its position; (None, None) when absent."""
    ids = ctx.memo("s2_1.ids", lambda: ctx.book["customer_id"].astype("str").str.strip().reset_index(drop=True)
                   if "customer_id" in ctx.book.columns else pd.Series([], dtype="str"))
    hits = ids.index[ids == customer]
    if len(hits) == 0:
        return None, None
    position = int(hits[0])
    return ctx.book.iloc[position], position


def card_keys(ctx: ExportContext) -> list[str]:
    """The card the page shows now, then every other card the trainee edited or wrote a proposal for."""
    values = ctx.values(PAGE, DEFAULTS)
    source = values["source"] if values["source"] in ("book", "case", "blank") else "book"
    current: str | None = None
    if source == "book":
        customer = values["customer"]
        if isinstance(customer, str) and _row_of(ctx, customer)[0] is not None:
            current = f"book:{customer}"
        elif len(ctx.book):
            current = None  # the page suggests a customer; without the trainee's choice there is no card of theirs
    elif source == "case":
        case = values["case"] if values["case"] in cards.CASES else next(iter(cards.CASES))
        current = f"{cards.CASE_PREFIX}{case}"
    else:
        current = cards.BLANK_KEY
    keys = [current] if current else []
    for key in (*_mapping(values["cards"]), *_mapping(values["proposals"])):
        if isinstance(key, str) and key not in keys:
            keys.append(key)
    return keys


def _card_name(ctx: ExportContext, key: str) -> Both:
    """A card's name in both languages, for the labels of its input cells (the customer id masked as text)."""
    if key.startswith("book:"):
        return ctx.pair("export.s2_1.card_book", customer=privacy.mask_text(key[5:]))
    case = key[len(cards.CASE_PREFIX):]
    if key.startswith(cards.CASE_PREFIX) and case in cards.CASES:
        return ctx.pair(f"s2_1.case.{case}.title")
    return ctx.pair("export.s2_1.card_blank")


def _card(ctx: ExportContext, key: str) -> tuple[dict[str, Any], dict[str, Any], tuple[str, ...], str]:
    """(defaults, the card as shown, names to mask, its title) of a card key."""
    names: tuple[str, ...] = ()
    if key.startswith("book:"):
        customer = key[5:]
        row, position = _row_of(ctx, customer)
        if row is not None and position is not None:
            defaults = cards.card_from_row({str(k): v for k, v in row.items()})
            name = row.get("name")
            if isinstance(name, str) and name.strip():
                names = (name.strip(),)
            shown_id = str(ctx.masked["customer_id"].iloc[position])
            masked_name = ctx.masked["name"].iloc[position] if "name" in ctx.masked.columns else None
            title = ctx.t("export.s2_1.card_book", customer=shown_id + (
                f" · {masked_name}" if isinstance(masked_name, str) and masked_name else ""))
        else:
            defaults = cards.blank_card()
            title = ctx.t("export.s2_1.card_book_absent", customer=privacy.mask_text(customer))
    elif key.startswith(cards.CASE_PREFIX) and key[len(cards.CASE_PREFIX):] in cards.CASES:
        case = key[len(cards.CASE_PREFIX):]
        defaults = cards.card_from_case(case, ctx.lang)
        title = ctx.t(f"s2_1.case.{case}.title")
    else:
        defaults = cards.blank_card()
        title = ctx.t("export.s2_1.card_blank")
    values = ctx.values(PAGE, DEFAULTS)
    card = cards.merge_card(defaults, _mapping(_mapping(values["cards"]).get(key)))
    return defaults, card, names, title


def write(ctx: ExportContext, canvas: xlsx.Canvas) -> None:
    values = ctx.values(PAGE, DEFAULTS)
    layout.widths(canvas, 30, 16, 16, 16, 16, 50)
    row = layout.title_block(ctx, canvas, PAGE)

    # ---- the four accounts' shares (inputs, shared by every card) ----
    row = layout.heading(canvas, row, ctx.t("s2_1.shares_title"))
    row = layout.note(canvas, row, ctx.t("export.s2_1.shares_note"))
    shares_saved = _mapping(values["shares_pct"])
    shares_shown = {code: finite_number(shares_saved.get(code)) for code in ACCOUNTS}
    shares_shown = {code: DEFAULT_SHARES[code] * 100 if value is None else value
                    for code, value in shares_shown.items()}
    first = row
    for code in ACCOUNTS:
        account = ACCOUNT_INFO[code]
        canvas.text(row, 1, account.label(ctx.lang))
        ref = ctx.input(canvas, row, 2, module=PAGE, path=("shares_pct", code), kind=carrier.NUMBER,
                        value=shares_shown[code], label=ctx.both("export.s2_1.share", account=Both(
                            account.label("zh"), account.label("en"))),
                        unit="percent", scale=100.0, number_format=xlsx.PERCENT0, minimum=0.0, maximum=100.0,
                        blank=carrier.BLANK_REFUSE, seed=(1, dict(shares_shown)))
        ctx.define_name(SHARE_NAMES[code], ref)
        canvas.text(row, 3, account.purpose[ctx.lang], "note")
        row += 1
    canvas.text(row, 1, ctx.t("export.col.total"), "key")
    shares_total = f"SUM({xlsx.column_range(2, first, row - 1)})"
    canvas.formula(row, 2, shares_total, "key", xlsx.PERCENT0)
    off = xlsx.formula_string(ctx.t("export.s2_1.shares_off"))
    canvas.formula(row, 3, f'IF(ABS({shares_total}-1)>1E-6,{off},"")', "warning")
    row += 1
    row = layout.note(canvas, row, ctx.t("s2_1.accounts_source")) + 1

    keys = card_keys(ctx)
    if not keys:
        layout.note(canvas, row, ctx.t("export.s2_1.no_cards"))
        return
    proposals = _mapping(values["proposals"])
    for key in keys:
        row = _card_block(ctx, canvas, row, key, proposals.get(key), shares_total)
    layout.note(canvas, row, ctx.t("s2_1.privacy"))


def _member_line(ctx: ExportContext, member: Mapping[str, Any], names: tuple[str, ...]) -> str:
    relation = str(member.get("relation") or "")
    parts = [kyc.RELATIONS[relation].label(ctx.lang) if relation in kyc.RELATIONS else relation]
    if member.get("age") is not None:
        parts.append(ctx.t("export.s2_1.member_age", age=member["age"]))
    note = cards.masked(member.get("note"), names)
    if note:
        parts.append(note)
    return " · ".join(part for part in parts if part)


def _card_block(ctx: ExportContext, canvas: xlsx.Canvas, row: int, key: str, proposal: Any,
                shares_total: str) -> int:
    _, card, names, title = _card(ctx, key)
    row = layout.heading(canvas, row, title)
    separator = ctx.t("common.list_sep")
    unknown = "—"
    stage = kyc.life_stage(cards.card_profile(card))
    facts = [
        ("s2_1.age", unknown if card["age"] is None else str(card["age"])),
        ("s2_1.marital", kyc.MARITAL[card["marital"]].label(ctx.lang) if card["marital"] in kyc.MARITAL else unknown),
        ("s2_1.children", unknown if card["children"] is None else str(card["children"])),
        ("s2_1.risk_level", card["risk_level"] or unknown),
        ("s2_1.occupation", card["occupation"] or unknown),
        ("s2_1.life_events", separator.join(kyc.EVENTS[e].label(ctx.lang) for e in card["life_events"]
                                            if e in kyc.EVENTS) or unknown),
        ("s2_1.life_stage", kyc.STAGES[stage].label(ctx.lang) if stage is not None and stage in kyc.STAGES
         else unknown),
        ("s2_1.goals", cards.masked(card["goals"], names) or unknown),
        ("s2_1.notes", cards.masked(card["notes"], names) or unknown),
    ]
    for label_key, text in facts:
        canvas.text(row, 1, ctx.t(label_key))
        canvas.text(row, 2, text, "wrap")
        canvas.merged.append(f"B{row}:F{row}")
        row += 1
    members = [m for m in card["members"] if isinstance(m, Mapping)]
    if members:
        canvas.text(row, 1, ctx.t("s2_1.members"))
        canvas.text(row, 2, "\n".join(_member_line(ctx, m, names) for m in members), "wrap")
        canvas.merged.append(f"B{row}:F{row}")
        canvas.row_heights[row] = 16 * len(members) + 4
        row += 1

    needs = kyc.latent_needs(cards.card_profile(card))
    row = layout.heading(canvas, row + 1, ctx.t("s2_1.needs_title"))
    if not needs:
        row = layout.note(canvas, row, ctx.t("s2_1.no_needs"))
    for need in needs:
        canvas.text(row, 1, need.text("label", ctx.lang), "key")
        canvas.text(row, 2, ctx.t("export.s2_1.need", stated=need.text("stated", ctx.lang),
                                  latent=need.text("latent", ctx.lang),
                                  products=separator.join(product_label(p, ctx.lang) for p in need.products)), "wrap")
        canvas.merged.append(f"B{row}:F{row}")
        canvas.row_heights[row] = 48
        row += 1

    # ---- the four-account plan (live) ----
    row = layout.heading(canvas, row + 1, ctx.t("s2_1.accounts_title"))
    card_name = _card_name(ctx, key)
    canvas.text(row, 1, ctx.t("s2_1.total_assets"))
    total_value = finite_number(card["total_assets_wan"])
    total = ctx.input(canvas, row, 2, module=PAGE, path=("cards", key, "total_assets_wan"), kind=carrier.NUMBER,
                      value=total_value, label=ctx.both("export.s2_1.total", card=card_name), unit="wan",
                      number_format=xlsx.WAN, minimum=0.0, blank=carrier.BLANK_NONE)
    canvas.text(row, 3, ctx.t("export.s2_1.total_help"), "note")
    row += 1
    row = layout.header_row(canvas, row, [ctx.t("s2_1.col.account"), ctx.t("s2_1.col.share"),
                                          ctx.t("export.s2_1.col.target"), ctx.t("export.s2_1.col.current"),
                                          ctx.t("export.s2_1.col.gap")])
    holdings = {code: finite_number(_mapping(card["holdings_wan"]).get(code)) or 0.0 for code in ACCOUNTS}
    first = row
    plan_total = (f"IF(ISNUMBER({total}),{total},SUM({xlsx.column_range(4, first, first + len(ACCOUNTS) - 1)}))")
    for code in ACCOUNTS:
        account = ACCOUNT_INFO[code]
        canvas.text(row, 1, account.label(ctx.lang))
        canvas.formula(row, 2, SHARE_NAMES[code], "body", xlsx.PERCENT0)
        canvas.formula(row, 3, f"{plan_total}*{SHARE_NAMES[code]}", "body", xlsx.WAN)
        ctx.input(canvas, row, 4, module=PAGE, path=("cards", key, "holdings_wan", code), kind=carrier.NUMBER,
                  value=holdings[code], unit="wan", number_format=xlsx.WAN, minimum=0.0, blank=carrier.BLANK_REFUSE,
                  seed=(3, dict(holdings)),
                  label=ctx.both("export.s2_1.holding", card=card_name, account=Both(account.label("zh"),
                                                                                     account.label("en"))))
        canvas.formula(row, 5, f"{xlsx.relative(row, 3)}-{xlsx.relative(row, 4)}", "key", xlsx.WAN)
        row += 1
    last = row - 1
    canvas.text(row, 1, ctx.t("export.col.total"), "key")
    for column in (3, 4, 5):
        canvas.formula(row, column, f"SUM({xlsx.column_range(column, first, last)})", "key", xlsx.WAN)
    row += 1
    held = f"SUM({xlsx.column_range(4, first, last)})"
    exceed = xlsx.formula_string(ctx.t("export.s2_1.holdings_exceed"))
    shares_off = xlsx.formula_string(ctx.t("export.s2_1.shares_off"))
    canvas.formula(row, 1, f'IF(ABS({shares_total}-1)>1E-6,{shares_off},'
                           f'IF(AND(ISNUMBER({total}),{held}>{total}+0.00005),{exceed},""))', "warning")
    row += 1
    row = layout.note(canvas, row, ctx.t("s2_1.gap_help"))

    text = proposal if isinstance(proposal, str) and proposal.strip() else None
    if text is not None:
        row = layout.heading(canvas, row + 1, ctx.t("s2_1.proposal"))
        canvas.text(row, 1, cards.masked(text, names), "wrap")
        canvas.merged.append(f"A{row}:F{row}")
        canvas.row_heights[row] = 90
        row += 1
    return row + 2


SHEET = ModuleSheet(PAGE, write)
