"""Peer-bank tiers: the data equals the reference (shared/reference/peer_banks.md), the presets follow the stated
rule, and a preset applied to the aum scheme tiers a hand-made book as the published thresholds say."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ui.state import SAMPLE_SEED, SAMPLE_SIZE
from workbook import i18n, peers
from workbook.samples import sample_book
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
    assert pb.provenance.year("zh") and pb.provenance.source_zh and pb.provenance.source_en


def test_conflicting_and_historical_thresholds_are_kept() -> None:
    assert [h.amount for h in peers.BANK_BY_ID["boc"].private_banking.history] == [800 * WAN]  # US$1m ≈ 800万
    assert [h.amount for h in peers.BANK_BY_ID["ccb"].private_banking.history] == [1000 * WAN]


def test_every_figure_has_source_year_and_a_known_grade() -> None:
    for bank in peers.PEER_BANKS:
        assert bank.confidence in peers.CONFIDENCE_LEVELS
        figures = [t.provenance for t in bank.tiers] + [bank.private_banking.provenance]
        for provenance in figures:
            assert provenance.confidence in peers.CONFIDENCE_LEVELS, bank.id
            assert provenance.year("zh").strip() and provenance.year("en").strip(), bank.id
            assert provenance.source_zh.strip() and provenance.source_en.strip(), bank.id


LATIN_WORD = re.compile(r"[A-Za-z]")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_years_are_written_in_each_language() -> None:
    # The reference says "2015, later" and "recent": on the Chinese page they read 2015年及以后 and 近期.
    citic = peers.BANK_BY_ID["citic"].private_banking.provenance
    assert (citic.year("zh"), citic.year("en")) == ("2015年及以后", "2015 and later")
    cib = peers.BANK_BY_ID["cib"].private_banking.provenance
    assert (cib.year("zh"), cib.year("en")) == ("近期", "recent")
    icbc = peers.BANK_BY_ID["icbc"].private_banking.provenance
    assert (icbc.year("zh"), icbc.year("en")) == ("2015、2020", "2015, 2020")
    for bank in peers.PEER_BANKS:
        pb = bank.private_banking
        for provenance in [t.provenance for t in bank.tiers] + [pb.provenance] + [h.provenance for h in pb.history]:
            assert not LATIN_WORD.search(provenance.year("zh")), (bank.id, provenance)
            assert not CJK.search(provenance.year("en")), (bank.id, provenance)


@pytest.mark.parametrize(
    "table",
    [
        {"year": "recent", "source_zh": "x", "source_en": "x", "confidence": "M"},  # worded, one language only
        {"year_zh": "近期", "source_zh": "x", "source_en": "x", "confidence": "M"},  # the English year missing
        {"year": "2015", "source_zh": "x", "source_en": "x", "confidence": "Q"},  # not a grade
    ],
)
def test_the_data_file_refuses_a_year_or_grade_that_would_leak_or_mislead(table: dict) -> None:
    with pytest.raises(peers.PeerDataError):
        peers.provenance_of(table)


def test_grades_read_as_words() -> None:
    # H / M / L and the grades between them are words on screen; anything but H carries the ⚠ mark.
    assert [peers.confidence_text(c, "zh") for c in peers.CONFIDENCE_LEVELS] == [
        "高", "⚠\u00a0中高", "⚠\u00a0中", "⚠\u00a0中低", "⚠\u00a0较低", "⚠\u00a0低"
    ]
    assert peers.confidence_text("M-L", "en") == "⚠\u00a0Medium–low"
    assert peers.confidence_phrase("H", "zh") == "高，多个来源一致"
    assert peers.confidence_phrase("M", "zh") == "⚠\u00a0中，单一来源"  # no brackets: it sits inside some
    assert peers.confidence_phrase("H", "en") == "High, several consistent sources"


def test_cmb_tiers_equal_the_reference() -> None:
    # 金卡 5万–50万 (M–L) · 金葵花 ≥50万 (H) · 钻石 ≥500万 (M–L, 2007) · 私人银行 ≥1000万 (H)
    tiers = peers.BANK_BY_ID["cmb"].tiers
    assert [(t.zh, t.minimum, t.maximum, t.provenance.confidence) for t in tiers] == [
        ("金卡", 5 * WAN, 50 * WAN, "M-L"),
        ("金葵花", 50 * WAN, None, "H"),
        ("钻石", 500 * WAN, None, "M-L"),
        ("私人银行", 1000 * WAN, None, "H"),
    ]
    assert tiers[2].provenance.year("zh") == tiers[2].provenance.year("en") == "2007"


def test_every_bank_is_a_preset() -> None:
    # DESIGN §4.6: each of the ten banks is a preset for the aum scheme.
    assert peers.PRESET_BANKS == ("cmb", "icbc", "abc", "boc", "ccb", "bocom", "psbc", "citic", "spdb", "cib")
    # Those that publish only a private-banking threshold (or grade by points) get the two-tier preset.
    assert peers.PRIVATE_ONLY_BANKS == ("icbc", "abc", "boc", "ccb", "spdb")
    with pytest.raises(peers.PresetError):
        peers.aum_preset("nonesuch")


# The reference figures (shared/reference/peer_banks.md), in 元, and the tier names in zh and en.
REFERENCE_PRESETS = [
    # 招商: 金卡 5万 / 金葵花 50万 / 钻石 500万 / 私行 1000万; customers below 金卡 form an unnamed base tier.
    ("cmb", [5 * WAN, 50 * WAN, 500 * WAN, 1000 * WAN],
     ["金卡以下（未列名）", "金卡", "金葵花", "钻石", "私人银行"],
     ["Below Gold card (unnamed)", "Gold card", "Sunflower", "Diamond", "Private banking"]),
    # 工商: 星级 is by points, not AUM → only 个人金融资产 ≥800万 (2015; 2020, M–H).
    ("icbc", [800 * WAN], ["私行以下（未列名）", "私人银行"], ["Below private banking (unnamed)", "Private banking"]),
    # 农业: 金融资产 ≥600万 (2025, M).
    ("abc", [600 * WAN], ["私行以下（未列名）", "私人银行"], ["Below private banking (unnamed)", "Private banking"]),
    # 中国银行: 600万 (2025 article, L–M), conflicting with US$1m ≈ 800万 at launch; 中银理财 · 中银财富 unverified.
    ("boc", [600 * WAN], ["中银理财 · 中银财富（600万以下）", "私人银行"],
     ["BOC Wealth Management · BOC Fortune (below CNY 6m)", "Private banking"]),
    # 建设: 600万 in recent sources (1000万 at launch 2008 and in 2015).
    ("ccb", [600 * WAN], ["私行以下（未列名）", "私人银行"], ["Below private banking (unnamed)", "Private banking"]),
    # 交通: 交银理财 has no public bound → merged with 普通; 沃德 ≈50万; 私行 600万.
    ("bocom", [50 * WAN, 600 * WAN], ["普通 · 交银理财", "沃德", "私人银行"],
     ["Standard · BOCOM Wealth", "OTO Fortune", "Private banking"]),
    # 邮储: VIP ≈10万, 富嘉 ≈50万, 鼎福 600万.
    ("psbc", [10 * WAN, 50 * WAN, 600 * WAN], ["VIP以下（未列名）", "VIP", "富嘉", "鼎福（私行）"],
     ["Below VIP (unnamed)", "VIP", "Fujia", "Dingfu (private banking)"]),
    # 中信: 贵宾 … unknown → the base below 600万; 私行白钻 600万–1000万; above it unnamed.
    ("citic", [600 * WAN, 1000 * WAN], ["贵宾等（600万以下）", "私行白钻", "白钻以上私行层级（未列名）"],
     ["VIP etc. (below CNY 6m)", "PB White Diamond", "Private tiers above White Diamond (unnamed)"]),
    # 浦发: 月日均 ≥800万 (2015, M–L).
    ("spdb", [800 * WAN], ["私行以下（未列名）", "私人银行"], ["Below private banking (unnamed)", "Private banking"]),
    # 兴业: 财富客户 unknown → the base; 品尊 600万, 领尊 3000万, 顶尊 1亿.
    ("cib", [600 * WAN, 3000 * WAN, 10000 * WAN], ["财富客户（600万以下）", "私行 品尊", "私行 领尊", "私行 顶尊"],
     ["Wealth clients (below CNY 6m)", "PB Pinzun", "PB Lingzun", "PB Dingzun"]),
]


@pytest.mark.parametrize(("bank_id", "thresholds", "zh", "en"), REFERENCE_PRESETS)
def test_presets_equal_the_reference_figures(
    bank_id: str, thresholds: list[float], zh: list[str], en: list[str]
) -> None:
    preset = peers.aum_preset(bank_id)
    assert preset["thresholds"] == thresholds
    assert [label["zh"] for label in preset["labels"]] == zh
    assert [label["en"] for label in preset["labels"]] == en
    assert len({label["code"] for label in preset["labels"]}) == len(zh)
    SCHEMES["aum"].resolve(preset)  # valid params for the aum scheme


def test_reference_presets_cover_all_ten_banks() -> None:
    assert sorted(bank_id for bank_id, *_ in REFERENCE_PRESETS) == sorted(peers.PRESET_BANKS)


def test_the_top_private_tier_is_the_private_banking_threshold_where_no_tier_gives_it() -> None:
    # For the five banks with only a private-banking threshold the top bound is that threshold, with its provenance.
    for bank_id in peers.PRIVATE_ONLY_BANKS:
        pb = peers.BANK_BY_ID[bank_id].private_banking
        top = peers.peer_preset(bank_id).tiers[-1]
        assert top.origin == "private_banking"
        assert top.minimum == pb.amount
        assert top.provenance == pb.provenance


def test_presets_carry_provenance_and_say_what_is_filled_in() -> None:
    for bank_id in peers.PRESET_BANKS:
        for tier in peers.peer_preset(bank_id).tiers:
            assert tier.origin in peers.ORIGINS
            if tier.origin == "unnamed_base":
                assert tier.provenance is None and tier.filled  # the label is ours: nothing to cite
            else:
                assert tier.provenance is not None, (bank_id, tier.code)
                assert tier.provenance.year("en") and tier.provenance.source_zh and tier.provenance.source_en
                assert tier.provenance.confidence in peers.CONFIDENCE_LEVELS
    boc = peers.peer_preset("boc").tiers
    # 中国银行: the recent 600万 (2025, L–M) with the conflicting US$1m ≈ 800万 kept on the tier.
    assert (boc[1].provenance.year("zh"), boc[1].provenance.confidence) == ("2025", "L-M")
    assert [h.amount for h in boc[1].history] == [800 * WAN]
    assert boc[0].origin == "named_base" and boc[0].provenance.confidence == "L"  # unverified names
    ccb = peers.peer_preset("ccb").tiers
    assert [h.amount for h in ccb[1].history] == [1000 * WAN]  # 1000万 at launch / 2015
    assert "星点" in peers.peer_preset("icbc").tiers[0].note("zh")  # the star ladder is by points
    assert "points" in peers.peer_preset("icbc").tiers[0].note("en")
    assert peers.peer_preset("citic").tiers[-1].origin == "inferred"
    assert not peers.peer_preset("bocom").filled  # 交通: every tier is published (交银理财 merged)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("bank_id", peers.PRESET_BANKS)
def test_preset_table_shows_published_and_filled_in(bank_id: str, lang: str) -> None:
    table = peers.preset_table(bank_id, lang)
    preset = peers.peer_preset(bank_id)
    assert table["tier"].tolist() == [t.label(lang) for t in preset.tiers]
    assert table["filled"].tolist() == [t.filled for t in preset.tiers]
    filled_source = i18n.t("peers.filled_source", lang)
    for tier, (_, row) in zip(preset.tiers, table.iterrows(), strict=True):
        if tier.provenance is None:
            assert (row["source"], row["year"], row["confidence"]) == (filled_source, "—", "—")
        else:
            assert row["source"] == tier.provenance.source(lang)
            assert row["confidence"] == peers.confidence_text(tier.provenance.confidence, lang)
            assert row["source"] in row["provenance"] and row["confidence"] in row["provenance"]
    # The first row is below the first threshold, the last from the top threshold up.
    assert table["range"].iloc[0].startswith("< ")
    assert table["range"].iloc[-1].startswith("≥ ")


def test_preset_table_keeps_conflicts_and_the_star_note_visible() -> None:
    boc = peers.preset_table("boc", "zh")
    assert "800万" in boc.loc[1, "origin"] and "⚠\u00a0低" in boc.loc[1, "origin"]  # US$1m at launch: L
    assert boc.loc[1, "confidence"] == "⚠\u00a0较低" and boc.loc[1, "range"] == "≥ 600万"  # L–M
    ccb = peers.preset_table("ccb", "en")
    assert "CNY 10m" in ccb.loc[1, "origin"] and ccb.loc[0, "range"] == "< CNY 6m"
    icbc = peers.preset_table("icbc", "zh")
    assert icbc.loc[0, "origin"].startswith("填补") and "星点" in icbc.loc[0, "origin"]
    assert icbc.loc[1, "range"] == "≥ 800万" and icbc.loc[1, "year"] == "2015、2020"
    assert peers.preset_table("icbc", "en").loc[1, "year"] == "2015, 2020"
    psbc = peers.preset_table("psbc", "zh")
    assert psbc["range"].tolist() == ["< 约10万", "约10万 – 约50万", "约50万 – 600万", "≥ 600万"]


def test_overview_says_how_much_of_each_preset_is_published() -> None:
    overview = peers.overview_table("zh").set_index("bank")
    # 招商: 金卡以下 is ours, the other four are published; 交通: all three published (交银理财 merged).
    assert overview.loc["招商银行", "preset"] == "5 层：公开 4，填补 1"
    assert overview.loc["交通银行", "preset"] == "3 层，均公开"
    assert overview.loc["农业银行", "preset"] == "2 层：公开 1，填补 1"


@pytest.mark.parametrize("bank_id", peers.PRESET_BANKS)
def test_every_preset_puts_each_sample_customer_in_exactly_one_tier(bank_id: str) -> None:
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    params = peers.aum_preset(bank_id)
    detail = segment_detail(book, "aum", params)
    codes = [label["code"] for label in params["labels"]]
    tiers = detail.tiers.astype(str).tolist()
    assert len(tiers) == len(book) and set(tiers) <= set(codes)  # one tier per customer, from the ladder
    # The same tier counted independently: number of thresholds at or below the customer's AUM.
    aum = book["aum"].to_numpy(dtype=float)
    expected = [codes[int((aum_i >= np.asarray(params["thresholds"], dtype=float)).sum())] for aum_i in aum]
    assert tiers == expected
    summary = tier_summary(book, detail)
    assert int(summary["customers"].sum()) == len(book)
    assert summary["aum"].sum() == pytest.approx(aum.sum())


def test_two_tier_presets_on_the_sample_book() -> None:
    # The sample book has 7 customers at ≥600万 and 4 at ≥800万 (counted directly on its aum column).
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    assert int((book["aum"] >= 600 * WAN).sum()) == 7 and int((book["aum"] >= 800 * WAN).sum()) == 4
    for bank_id, top in (("abc", 7), ("ccb", 7), ("boc", 7), ("icbc", 4), ("spdb", 4)):
        summary = tier_summary(book, segment_detail(book, "aum", peers.aum_preset(bank_id)))
        assert summary.loc[f"{bank_id}_private", "customers"] == top
        assert summary["customers"].sum() == SAMPLE_SIZE


@given(st.lists(st.floats(min_value=0, max_value=2e8, allow_nan=False), min_size=1, max_size=40),
       st.sampled_from(peers.PRESET_BANKS))
def test_a_preset_tiers_any_book_by_its_inclusive_lower_bounds(aum: list[float], bank_id: str) -> None:
    params = peers.aum_preset(bank_id)
    book = pd.DataFrame({"customer_id": [f"X{i}" for i in range(len(aum))], "aum": aum})
    tiers = segment_detail(book, "aum", params).tiers.astype(str).tolist()
    codes = [label["code"] for label in params["labels"]]
    assert tiers == [codes[sum(a >= b for b in params["thresholds"])] for a in aum]


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
        figures = peers.figures_table(lang)
        for _, row in figures.iterrows():
            assert row["flagged"] == row["confidence"].startswith("⚠")
    # 招商: 金卡 5万–50万 (2022, M–L) … 私人银行 ≥1000万 (2022, H), one tier per line.
    assert peers.overview_table("zh").iloc[0]["tiers"].split("\n") == [
        "金卡 5万–50万（2022，⚠\u00a0中低）", "金葵花 ≥50万（2022，高）", "钻石 ≥500万（2007，⚠\u00a0中低）",
        "私人银行 ≥1000万（2022，高）",
    ]
    first = peers.overview_table("en").iloc[0]["tiers"].split("\n")[0]
    assert first == "Gold card CNY 50k–CNY 500k (2022, ⚠\u00a0Medium–low)"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_peer_tables_speak_one_language(lang: str) -> None:
    # No English year or letter grade in Chinese cells, no Chinese in English ones.
    raw_grade = re.compile(r"(?<![A-Za-z])[HML](?:[-–][HML])?(?![A-Za-z])")
    tables = [peers.overview_table(lang), peers.figures_table(lang),
              *(peers.preset_table(b, lang) for b in peers.PRESET_BANKS)]
    for table in tables:
        for value in table.select_dtypes(include="str").stack().tolist():
            assert not raw_grade.search(value), value
            if lang == "zh":
                assert not re.search(r"\b(recent|later)\b", value), value
            else:
                assert not CJK.search(value), value


def test_ladder_text() -> None:
    assert peers.ladder_text(peers.aum_preset("bocom"), "zh") == "普通 · 交银理财 < 50万 ≤ 沃德 < 600万 ≤ 私人银行"
    spdb = peers.ladder_text(peers.aum_preset("spdb"), "en")
    assert spdb == "Below private banking (unnamed) < CNY 8m ≤ Private banking"
    assert peers.thresholds_text(peers.aum_preset("cmb"), "zh") == "5万、50万、500万、1000万"
    assert peers.thresholds_text(peers.aum_preset("abc"), "en") == "CNY 6m"


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


def test_two_tier_banks_can_keep_the_course_lower_tiers() -> None:
    # 工商银行 publishes only its private-banking line (800万): its preset is 私行以下 · 私人银行. Blended with the
    # course: 大众 < 5万 ≤ 潜力 < 50万 ≤ 财富 < 800万 ≤ 私人银行 (工行); the course's own 私行 (600万) gives way to the
    # bank's line.
    blend = peers.course_blend("icbc")
    assert blend.params() == {
        "thresholds": [50_000, 500_000, 8_000_000],
        "labels": [{"code": "mass", "zh": "大众客户", "en": "Mass"},
                   {"code": "potential", "zh": "潜力客户", "en": "Potential"},
                   {"code": "affluent", "zh": "财富客户", "en": "Affluent"},
                   {"code": "icbc_private", "zh": "私人银行", "en": "Private banking"}],
    }
    assert [t.origin for t in blend.tiers] == ["course", "course", "course", "private_banking"]
    table = peers.preset_table("icbc", "zh", blend=True)
    assert table["range"].tolist() == ["< 5万", "5万 – 50万", "50万 – 800万", "≥ 800万"]
    assert table["filled"].tolist() == [True, True, True, False]
    # 农业银行 at 600万: the course ladder with the bank's private tier
    assert peers.course_blend("abc").thresholds == (50_000, 500_000, 6_000_000)
    # on the sample book: the 4 customers at ≥ 800万 are 工行 private clients, the 3 at 600–800万 stay 财富
    book = sample_book(n=SAMPLE_SIZE, seed=SAMPLE_SEED)
    summary = tier_summary(book, segment_detail(book, "aum", blend.params()))
    assert summary.loc["icbc_private", "customers"] == 4
    assert summary.loc["affluent", "customers"] == 59 + 3
    # banks that publish their lower tiers do not blend
    with pytest.raises(peers.PresetError):
        peers.course_blend("cmb")
    assert set(peers.PRIVATE_ONLY_BANKS) == {"icbc", "abc", "boc", "ccb", "spdb"}


def test_the_product_churn_figure_has_its_provenance() -> None:
    churn = peers.PRODUCT_CHURN
    assert "1–2%" in churn.text("zh") and "50%" in churn.text("zh") and "1–2%" in churn.text("en")
    assert churn.provenance.year("zh") == "2011" and churn.provenance.confidence == "M"
    assert churn.provenance.flagged  # one source: shown with ⚠ on the page
    assert "期刊" in churn.provenance.source("zh") and "2011" not in churn.provenance.source("zh")
