"""The persona cards: each persona is a row of the sample book, its card's figures are the pages' figures (worked
here by hand), and what each card tells the instructor to look for is true on the sample book."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from workbook.degrees import four_degrees
from workbook.personas import PAGES, PERSONA_BY_ID, PERSONAS, persona_cards, persona_customers
from workbook.profiles import profile_table
from workbook.profit import profitability, service_review, whale_curve
from workbook.samples import sample_book
from workbook.segmentation import segment


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return sample_book()


@pytest.fixture(scope="module")
def cards(book: pd.DataFrame) -> dict:
    return {card.persona.id: card for card in persona_cards(book)}


def test_six_personas_with_text_for_every_page() -> None:
    assert len(PERSONAS) == 6
    for persona in PERSONAS:
        for lang in ("zh", "en"):
            assert persona.title(lang) and persona.story(lang) and persona.lesson(lang)
            for page in PAGES:
                assert persona.hint(page, lang), (persona.id, page, lang)
        fields = persona.fields
        parts = sum(float(fields[k]) for k in ("deposit_balance", "wealth_balance", "fund_balance",
                                                "insurance_balance"))
        assert parts == pytest.approx(float(fields["aum"])), persona.id  # balances add up to AUM


def test_card_figures_worked_by_hand(cards: dict) -> None:
    # 周大爷: revenue 60 + 32,000 × 1% = 380; cost 30 h × 200 + 300 gifts + 250 events = 6,550; net −6,170;
    # 倒推 at the 30% target cost-to-serve ratio: 380 × 30% ÷ 200 = 0.57 hours, capped by the mass tier's service
    # standard of 0.5 hours a year (3.4) → 0.5, the "half an hour" of his card; he takes 30
    zhou = cards["time_heavy_regular"].facts
    assert (zhou["revenue"], zhou["cost"], zhou["net"]) == (380, 6_550, -6_170)
    assert zhou["justified_hours"] == pytest.approx(0.5) and zhou["kind"] == "liability"
    assert zhou["actual_hours"] == 30
    assert zhou["tiers"]["aum"] == "mass" and zhou["tiers"]["relationship"] == "close_friend"
    # 李老师: revenue 900 + 480,000 × 1% = 5,700; cost 16 × 200 + 2,800 + 1,500 = 7,500; net −1,800; 120万 elsewhere
    # (≥ 50万) → a potential asset; AUM 68万 of 112万 a year ago = 60.7%; gifts and events 4,300
    li = cards["gifts_still_leaving"].facts
    assert (li["revenue"], li["cost"], li["net"], li["kind"]) == (5_700, 7_500, -1_800, "potential")
    assert li["retention"] == pytest.approx(680_000 / 1_120_000) and li["gifts_events"] == 4_300
    assert li["tiers"]["lifecycle"] == "decline"  # 14 years, −39%
    # 刘医生: revenue 2,800 + 350,000 × 1% = 6,300; cost 1.5 × 200 = 300; her revenue justifies 6,300 × 30% ÷ 200 =
    # 9.45 hours, capped by the affluent standard of 8 → 8 hours, "far more than the 1.5" she gets
    liu = cards["underserved_doctor"].facts
    assert (liu["revenue"], liu["net"], liu["justified_hours"], liu["actual_hours"]) == (6_300, 6_000, 8, 1.5)
    # 孙总: relationship score 30 (12 years) + 30 (16 contacts) + 20 (4 events) + 20 (3 referrals) = 100
    assert cards["loyal_fan"].facts["tiers"]["relationship"] == "close_friend"
    assert cards["loyal_fan"].facts["tiers"]["education"] == "loyal_fan"
    # 陈总: 53, 1,600万 + 6,000万 elsewhere, two children → 传承规划, though he holds deposits only
    assert cards["private_low_stickiness"].facts["tiers"]["cognition"] == "legacy"
    # 赵老板: relationship 9 (3 years) + 30 (14 contacts) = 39 < 40 → 认识
    assert cards["rate_shopper"].facts["tiers"]["relationship"] == "acquainted"


def test_what_the_cards_point_to_is_true_on_the_sample_book(book: pd.DataFrame, cards: dict) -> None:
    ids = book["customer_id"]
    profit = profitability(book)
    review = service_review(book, result=profit)
    # 1.4: 陈总 leads the whale curve; 刘医生 is on the under-served list; 周大爷 among the first ten over-served
    assert ids[whale_curve(profit["net"])["customer"].iloc[0]] == cards["private_low_stickiness"].customer_id
    assert cards["underserved_doctor"].customer_id in set(ids[review.under.index])
    assert cards["time_heavy_regular"].customer_id in set(ids[review.over.index[:10]])
    # 3.2: the priority quadrant of the three big, ripe ones
    for persona_id in ("rate_shopper", "private_low_stickiness", "underserved_doctor"):
        assert cards[persona_id].facts["tiers"]["priority"] == "close_now", persona_id
    lifecycle = profile_table(book, segment(book, "lifecycle"), profit)
    assert lifecycle.loc["perks_mean"].drop("all").idxmax() == "decline"
    assert lifecycle.loc["aum_retention"].drop("all").idxmin() == "decline"
    # 3.3: by life cycle, decline keeps about seven tenths; by understanding, Steady has the lowest NPS;
    # by relationship, close friends score and refer most; by AUM, private is less sticky than affluent, and
    # mass is the least sticky and contributes least; affluent is no stickier than potential
    by_life = four_degrees(book, segment(book, "lifecycle"))
    assert 0.6 <= by_life.figures.loc["decline", "aum_retention"] <= 0.8
    by_mind = four_degrees(book, segment(book, "cognition")).figures["nps"].drop("all").dropna()
    assert by_mind.idxmin() == "steady"
    by_relation = four_degrees(book, segment(book, "relationship")).figures.drop("all").dropna(subset=["nps"])
    assert by_relation["nps"].idxmax() == "close_friend"
    assert by_relation["referrals_per_customer"].idxmax() == "close_friend"
    by_aum = four_degrees(book, segment(book, "aum")).scores.drop("all").dropna()
    assert by_aum.loc["private", "stickiness"] < by_aum.loc["affluent", "stickiness"]
    assert by_aum["stickiness"].idxmin() == "mass" and by_aum["contribution"].idxmin() == "mass"
    assert abs(by_aum.loc["affluent", "stickiness"] - by_aum.loc["potential", "stickiness"]) < 5


def test_an_edited_or_uploaded_book_has_no_persona(book: pd.DataFrame) -> None:
    assert len(persona_customers(book)) == 6
    edited = book.copy()
    row = edited.index[edited["customer_id"] == persona_customers(book)["loyal_fan"]][0]
    edited.loc[row, "aum"] = 1.0
    assert "loyal_fan" not in persona_customers(edited)
    assert persona_cards(book[["customer_id", "aum"]].head(50)) == ()
    assert not math.isnan(PERSONA_BY_ID["loyal_fan"].fields["aum"])
