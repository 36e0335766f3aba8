"""The persona cards (客户画像) an instructor can open on 1.4, 3.2 and 3.3: six customers of the sample book who tell
the course's stories. Presentation only: the personas are data (``workbook.personas``) and their figures come from
the same functions the pages use. On an uploaded book there are none, and nothing is shown."""

from __future__ import annotations

import math
from typing import Any

import streamlit as st

from ui.state import active_book, book_memo, lang, t
from ui.tier_views import plain_markdown
from workbook import personas
from workbook.money import money_text
from workbook.segmentation import get_scheme

# Which groupings each page's card names the persona's tier under (the page's own lens first).
PAGE_SCHEMES: dict[str, tuple[str, ...]] = {
    "s1_4": ("kind", "aum", "contribution"),
    "s3_2": ("aum", "priority", "relationship", "lifecycle", "kind"),
    "s3_3": ("aum", "relationship", "lifecycle", "cognition"),
}


def _cards(frame: Any, profit_params: Any) -> tuple[personas.PersonaCard, ...]:
    return personas.persona_cards(frame, profit_params)


def persona_cards(page_id: str, profit_params: Any = None) -> None:
    """An expander with the persona cards for ``page_id`` (one of ``personas.PAGES``), when the active book is a
    sample book that holds them. ``profit_params``: the trainee's 1.4 settings, so a card's net and kind agree
    with the page."""
    book = active_book()
    if not book.is_sample:
        return
    cards = book_memo("personas.cards", lambda frame, _p: _cards(frame, profit_params), repr(profit_params))
    if not cards:
        return
    language = lang()
    with st.expander(t("persona.title", n=len(cards)), icon=":material/person_book:"):
        st.caption(t("persona.help"))
        by_id = {card.persona.id: card for card in cards}
        # Labels resolved now: a format function may be called outside the script run.
        labels = {pid: f"{card.persona.title(language)}（{card.customer_id}）" if language == "zh"
                  else f"{card.persona.title(language)} ({card.customer_id})" for pid, card in by_id.items()}
        chosen = st.radio(t("persona.choose"), list(by_id), format_func=labels.__getitem__,
                          key=f"{page_id}_persona", horizontal=True)
        _card(by_id[chosen], page_id, language)


def _card(card: personas.PersonaCard, page_id: str, language: str) -> None:
    facts = card.facts
    persona = card.persona
    with st.container(border=True):
        st.markdown(f"**{plain_markdown(persona.title(language))}** · {card.customer_id}")
        st.markdown(persona.story(language))
        left, middle, right = st.columns(3)
        retention = facts["retention"]
        left.metric(t("persona.aum"), money_text(facts["aum"], language),
                    delta=None if math.isnan(retention) else t("persona.retention", value=f"{retention * 100:.0f}%"),
                    delta_color="normal" if not math.isnan(retention) and retention >= 1 else "inverse",
                    delta_arrow="off")
        middle.metric(t("persona.net"), money_text(facts["net"], language),
                      delta=t(f"profit.kind.{facts['kind']}"), delta_color="off", delta_arrow="off")
        right.metric(t("persona.hours"), f"{facts['actual_hours']:,.1f}".rstrip("0").rstrip("."),
                     delta=t("persona.justified", hours=f"{facts['justified_hours']:,.0f}"), delta_color="off",
                     delta_arrow="off")
        tiers = facts["tiers"]
        separator = t("common.list_sep")
        named = []
        for scheme_id in PAGE_SCHEMES.get(page_id, ()):
            scheme = get_scheme(scheme_id)
            code = tiers.get(scheme_id)
            label = next((tier.label(language) for tier in scheme.tiers() if tier.code == code), str(code))
            named.append(t("persona.tier", scheme=scheme.name(language), tier=label))
        st.caption(separator.join(named))
        if facts["gifts_events"] > 0:
            st.caption(t("persona.gifts", amount=money_text(facts["gifts_events"], language)))
        st.info(persona.lesson(language), icon=":material/lightbulb:")
        hint = persona.hint(page_id, language)
        if hint:
            st.markdown(t("persona.hint", hint=hint))
