"""Peer-bank tiers: the data equals the reference (shared/reference/peer_banks.md), the presets follow the stated
rule, and a preset applied to the aum scheme tiers a hand-made book as the published thresholds say."""

from __future__ import annotations

import pandas as pd
import pytest

from workbook import peers
from workbook.segmentation import SCHEMES, segment_detail, tier_summary

WAN = 10_000


def test_caveat_is_the_reference_wording() -> None:
    assert peers.caveat("zh") == "公开资料整理，仅供教学参考，以各行最新公告为准"
    assert "latest announcement" in peers.caveat("en")


def test_the_ten_banks_in_the_outline_order() -> None:
    # 工农中建交、邮信浦兴招 — the outline names these ten.
    names = [b.zh for b in peers.PEER_BANKS]
    assert sorted(names) == sorted(
        ["招商银行", "工商银行", "农业银行", "中国银行", "建设银行",
         "交通银行", "邮储银行", "中信银行", "浦发银行", "兴业银行"]
    )


@pytest.mark.parametrize(
    ("bank_id", "amount", "confidence"),
    [
        ("cmb", 1000 * WAN, "H"),  # ≥1000万 月日均全折人民币总资产, H
        ("icbc", 800 * WAN, "M-H"),  # 个人金融资产 ≥800万, M–H
        ("abc", 600 * WAN, "M"),
        ("boc", 600 * WAN, "L-M"),  # 2025 article; conflicting with US$1m at launch
        ("ccb", 600 * WAN, "M"),  # recent sources; 1000万 at launch and in 2015
        ("bocom", 600 * WAN, "M"),
        ("psbc", 600 * WAN, "M"),  # 鼎福
        ("citic", 600 * WAN, "M"),
        ("spdb", 800 * WAN, "M-L"),
        ("cib", 600 * WAN, "M-L"),
    ],
)
def test_private_banking_thresholds_equal_the_reference(bank_id: str, amount: float, confidence: str) -> None:
    pb = peers.BANK_BY_ID[bank_id].private_banking
    assert pb.amount == amount
    assert pb.provenance.confidence == confidence
    assert pb.provenance.year and pb.provenance.source_zh and pb.provenance.source_en


def test_conflicting_and_historical_thresholds_are_kept() -> None:
    assert [h.amount for h in peers.BANK_BY_ID["boc"].private_banking.history] == [800 * WAN]  # US$1m ≈ 800万
    assert [h.amount for h in peers.BANK_BY_ID["ccb"].private_banking.history] == [1000 * WAN]


def test_every_figure_has_source_year_and_a_known_grade() -> None:
    for bank in peers.PEER_BANKS:
        assert bank.confidence in peers.CONFIDENCE_LEVELS
        figures = [t.provenance for t in bank.tiers] + [bank.private_banking.provenance]
        for provenance in figures:
            assert provenance.confidence in peers.CONFIDENCE_LEVELS, bank.id
            assert provenance.year.strip() and provenance.source_zh.strip() and provenance.source_en.strip(), bank.id


def test_cmb_tiers_equal_the_reference() -> None:
    # 金卡 5万–50万 (M–L) · 金葵花 ≥50万 (H) · 钻石 ≥500万 (M–L, 2007) · 私人银行 ≥1000万 (H)
    tiers = peers.BANK_BY_ID["cmb"].tiers
    assert [(t.zh, t.minimum, t.maximum, t.provenance.confidence) for t in tiers] == [
        ("金卡", 5 * WAN, 50 * WAN, "M-L"),
        ("金葵花", 50 * WAN, None, "H"),
        ("钻石", 500 * WAN, None, "M-L"),
        ("私人银行", 1000 * WAN, None, "H"),
    ]
    assert tiers[2].provenance.year == "2007"


def test_presets_are_the_banks_with_two_known_bounds() -> None:
    assert peers.PRESET_BANKS == ("cmb", "bocom", "psbc", "citic", "cib")
    for bank_id in ("icbc", "abc", "boc", "ccb", "spdb"):
        with pytest.raises(peers.PresetError):
            peers.aum_preset(bank_id)
    with pytest.raises(peers.PresetError):
        peers.aum_preset("nonesuch")


@pytest.mark.parametrize(
    ("bank_id", "thresholds", "labels"),
    [
        # 招商: 5万 / 50万 / 500万 / 1000万; customers below 金卡 form an unnamed base tier.
        ("cmb", [5 * WAN, 50 * WAN, 500 * WAN, 1000 * WAN],
         ["金卡以下（未列名）", "金卡", "金葵花", "钻石", "私人银行"]),
        # 交通: 交银理财 has no public bound → merged with 普通; 沃德 ≈50万; 私行 600万.
        ("bocom", [50 * WAN, 600 * WAN], ["普通 · 交银理财", "沃德", "私人银行"]),
        # 邮储: VIP ≈10万, 富嘉 ≈50万, 鼎福 600万.
        ("psbc", [10 * WAN, 50 * WAN, 600 * WAN], ["VIP以下（未列名）", "VIP", "富嘉", "鼎福（私行）"]),
        # 中信: 贵宾 … unknown → the base below 600万; 私行白钻 600万–1000万; above it unnamed.
        ("citic", [600 * WAN, 1000 * WAN], ["贵宾等（600万以下）", "私行白钻", "白钻以上私行层级（未列名）"]),
        # 兴业: 财富客户 unknown → the base; 品尊 600万, 领尊 3000万, 顶尊 1亿.
        ("cib", [600 * WAN, 3000 * WAN, 10000 * WAN], ["财富客户（600万以下）", "私行 品尊", "私行 领尊", "私行 顶尊"]),
    ],
)
def test_presets_equal_the_reference_figures(bank_id: str, thresholds: list[float], labels: list[str]) -> None:
    preset = peers.aum_preset(bank_id)
    assert preset["thresholds"] == thresholds
    assert [label["zh"] for label in preset["labels"]] == labels
    assert all(label["en"] and label["code"] for label in preset["labels"])
    assert len({label["code"] for label in preset["labels"]}) == len(labels)
    SCHEMES["aum"].resolve(preset)  # valid params for the aum scheme


def test_cmb_preset_tiers_a_hand_book_on_the_published_bounds() -> None:
    # Lower bounds inclusive: exactly 5万 is 金卡, exactly 1000万 is 私人银行.
    aum = [0, 49_999, 50_000, 499_999, 500_000, 4_999_999, 5_000_000, 9_999_999, 10_000_000]
    book = pd.DataFrame({"customer_id": [f"X{i}" for i in range(len(aum))], "aum": aum})
    detail = segment_detail(book, "aum", peers.aum_preset("cmb"))
    assert detail.tiers.astype(str).tolist() == [
        "cmb_below", "cmb_below", "cmb_gold", "cmb_gold", "cmb_sunflower", "cmb_sunflower",
        "cmb_diamond", "cmb_diamond", "cmb_private",
    ]
    summary = tier_summary(book, detail)
    assert summary.loc["cmb_private", "customers"] == 1
    assert summary.loc["cmb_private", "aum"] == 10_000_000


def test_amount_text() -> None:
    assert peers.amount_text(50_000, "zh") == "5万"
    assert peers.amount_text(6_000_000, "zh") == "600万"
    assert peers.amount_text(100_000_000, "zh") == "1亿"
    assert peers.amount_text(50_000, "en") == "CNY 50k"
    assert peers.amount_text(6_000_000, "en") == "CNY 6m"
    assert peers.amount_text(None, "en") == "—"


def test_tables_flag_every_figure_that_is_not_h() -> None:
    for lang in ("zh", "en"):
        overview = peers.overview_table(lang)
        assert len(overview) == 10
        cmb = overview.iloc[0]
        assert "⚠ M–L" in cmb["tiers"] and "(2022, H)" in cmb["tiers"]
        figures = peers.figures_table(lang)
        for _, row in figures.iterrows():
            assert row["flagged"] == row["confidence"].startswith("⚠")
    assert peers.confidence_text("H", "zh") == "H"
    assert peers.confidence_text("M-L", "zh") == "⚠ M–L"


def test_ladder_text() -> None:
    assert peers.ladder_text(peers.aum_preset("bocom"), "zh") == "普通 · 交银理财 < 50万 ≤ 沃德 < 600万 ≤ 私人银行"


def test_private_banking_reach_on_a_hand_book() -> None:
    # AUM 700万, 900万, 1200万, 10万 and a blank (counts as 0 and below every threshold).
    book = pd.DataFrame({"customer_id": list("abcde"), "aum": [7e6, 9e6, 12e6, 1e5, None]})
    reach = peers.private_banking_reach(book, "zh").set_index("threshold")
    # ≥1000万: 1 customer (1200万); ≥800万: 2 (900万 + 1200万); ≥600万: 3.
    assert reach.loc[10e6, "customers"] == 1
    assert reach.loc[8e6, "customers"] == 2
    assert reach.loc[6e6, "customers"] == 3
    # AUM share at 600万: (7 + 9 + 12) ÷ (7 + 9 + 12 + 0.1) = 28 / 28.1
    assert reach.loc[6e6, "aum_share"] == pytest.approx(28 / 28.1)
    assert reach.loc[6e6, "customer_share"] == pytest.approx(3 / 5)
    assert "招商银行" in reach.loc[10e6, "banks"] and "浦发银行" in reach.loc[8e6, "banks"]
