"""Exercise 1: completeness cases, problem messages in both languages, and the submission carrying aggregates only
(no customer row, no customer id)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import exercises, i18n, peers
from workbook import workspace as ws
from workbook.samples import sample_book

SCHEMES3 = [("aum", None), ("relationship", None), ("behaviour", None)]


def _hand_book() -> pd.DataFrame:
    # Four customers: aum 2万 (大众), 20万 (潜力), 80万 (财富), 900万 (私行).
    return pd.DataFrame({
        "customer_id": ["K-ALPHA-1", "K-BRAVO-2", "K-CHARLIE-3", "K-DELTA-4"],
        "name": ["赵一", "钱二", "孙三", "李四"],
        "aum": [20_000, 200_000, 800_000, 9_000_000],
        "tenure_years": [1, 3, 8, 12],
        "contacts_12m": [0, 2, 6, 20],
        "app_logins_30d": [0, 5, 12, 2],
    })


def _services_for(payload: dict, text: str = "每月电话一次") -> dict[str, dict[str, str]]:
    return {entry["scheme"]: {t["code"]: text for t in entry["tiers"]} for entry in payload["schemes"]}


def _complete(book: pd.DataFrame) -> dict:
    draft = exercises.exercise1_submission(book, group="第三组", members=["张", "王"], schemes=SCHEMES3)
    return exercises.exercise1_submission(
        book, group="第三组", members=["张", "王"], schemes=SCHEMES3, services=_services_for(draft),
        reflection="按资产分层看清了集中度，按行为分层找到了可以线上服务的客户。", book_source="sample",
    )


def test_complete_submission_has_no_problem() -> None:
    payload = _complete(_hand_book())
    assert exercises.check_exercise1(payload) == []
    aum = payload["schemes"][0]
    counts = {t["code"]: t["customers"] for t in aum["tiers"]}
    assert counts == {"mass": 1, "potential": 1, "affluent": 1, "private": 1, "insufficient": 0}
    totals = {t["code"]: t["aum"] for t in aum["tiers"]}
    assert totals["private"] == 9_000_000 and totals["potential"] == 200_000
    assert aum["params"]["thresholds"] == [50_000, 500_000, 6_000_000]
    assert payload["book"] == {"source": "sample", "customers": 4, "aum": 10_020_000}


def test_empty_submission_lists_every_problem() -> None:
    codes = [p.code for p in exercises.check_exercise1({})]
    assert codes == ["group_missing", "members_missing", "too_few_schemes", "reflection_missing"]


def test_each_missing_part_is_reported() -> None:
    book = _hand_book()
    complete = _complete(book)

    no_group = dict(complete, group="  ")
    assert [p.code for p in exercises.check_exercise1(no_group)] == ["group_missing"]

    no_members = dict(complete, members=["", " "])
    assert [p.code for p in exercises.check_exercise1(no_members)] == ["members_missing"]

    two = dict(complete, schemes=complete["schemes"][:2])
    problems = exercises.check_exercise1(two)
    assert [p.code for p in problems] == ["too_few_schemes"]
    assert problems[0].values == {"count": 2, "minimum": 3}

    short = dict(complete, reflection="太短")
    problems = exercises.check_exercise1(short)
    assert [(p.code, p.values["count"]) for p in problems] == [("reflection_short", 2)]

    duplicated = dict(complete, schemes=[*complete["schemes"], complete["schemes"][0]])
    assert [p.code for p in exercises.check_exercise1(duplicated)] == ["duplicate_scheme"]

    unknown = dict(complete, schemes=[*complete["schemes"], {"scheme": "astrology", "params": {}, "tiers": []}])
    assert [p.code for p in exercises.check_exercise1(unknown)] == ["unknown_scheme"]


def test_service_needed_for_tiers_with_customers_only() -> None:
    book = _hand_book()
    draft = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3)
    lines = _services_for(draft)
    lines["aum"]["affluent"] = "   "  # a blank line for a tier with one customer
    payload = exercises.exercise1_submission(
        book, group="G", members=["A"], schemes=SCHEMES3, services=lines, reflection="x" * 30
    )
    problems = exercises.check_exercise1(payload, "en")
    assert [(p.code, p.values) for p in problems] == [
        ("service_missing", {"scheme": "By assets (AUM)", "tier": "Affluent"})
    ]
    # 信息不足 has no customer here: it needs no service line.
    del lines["aum"]["insufficient"]
    lines["aum"]["affluent"] = "季度面谈"
    payload = exercises.exercise1_submission(
        book, group="G", members=["A"], schemes=SCHEMES3, services=lines, reflection="x" * 30
    )
    assert exercises.check_exercise1(payload) == []


def test_each_scheme_needs_one_line_of_the_groups_own() -> None:
    # The hand book on the AUM ladder: 大众 · 潜力 · 财富 · 私行 (one customer each). The 3.4 templates give every
    # tier a line such as "联系频率：每季度一次线上触达（…）；服务渠道：…；专属权益：…" (cadence, channel, benefits).
    book = _hand_book()
    draft = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3)
    codes = [t["code"] for t in draft["schemes"][0]["tiers"]]
    templates = {scheme: exercises.template_lines(scheme, [t["code"] for t in entry["tiers"]])
                 for scheme, entry in ((e["scheme"], e) for e in draft["schemes"])}
    # every line the prefilled template (the Chinese one): complete in every tier, yet none is the group's
    prefilled = {scheme: {code: sorted(lines[code])[-1] if lines[code] else "" for code in lines}
                 for scheme, lines in templates.items()}
    assert all("联系频率" in prefilled["aum"][c] for c in codes if c != "insufficient")
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3, services=prefilled,
                                             reflection="x" * 30)
    problems = exercises.check_exercise1(payload, "zh")
    assert [p.code for p in problems] == ["service_not_own"] * 3
    assert problems[0].text("zh") == "“按资产量分层”的各层服务还都是课程模板：请至少为一层写出你们小组自己的服务。"
    assert not any(t["service_own"] for t in payload["schemes"][0]["tiers"])
    # the English template counts as the template too
    english = {scheme: {code: next(line for line in lines[code] if "Contact cadence" in line) for code in lines}
               for scheme, lines in templates.items()}
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3, services=english,
                                             reflection="x" * 30)
    assert [p.code for p in exercises.check_exercise1(payload)] == ["service_not_own"] * 3
    # one line rewritten per scheme is enough
    for scheme in prefilled:
        first = codes[0] if scheme == "aum" else next(iter(prefilled[scheme]))
        prefilled[scheme][first] = "每月一次企业微信问候，节日电话"
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3, services=prefilled,
                                             reflection="x" * 30)
    assert exercises.check_exercise1(payload) == []
    assert [t["service_own"] for t in payload["schemes"][0]["tiers"]] == [True, False, False, False, False]
    # a stored payload without the flag (version 1) has no line of its own
    old = json.loads(json.dumps(payload))
    for entry in old["schemes"]:
        for tier in entry["tiers"]:
            tier.pop("service_own")
    assert [p.code for p in exercises.check_exercise1(old)] == ["service_not_own"] * 3


def test_scheme_without_usable_fields_has_no_tier_counts() -> None:
    book = _hand_book()[["customer_id", "aum"]]
    entry = exercises.scheme_entry(book, "aum", None)
    entry["tiers"] = [dict(t, customers=0) for t in entry["tiers"]]
    problems = exercises.check_exercise1({"group": "G", "members": ["a"], "schemes": [entry], "reflection": "x" * 30})
    assert "tiers_missing" in [p.code for p in problems]


def test_every_problem_has_text_in_both_languages() -> None:
    values = {"count": 1, "minimum": 3, "scheme": "S", "tier": "T"}
    for code in exercises.PROBLEM_CODES:
        for lang in ("zh", "en"):
            text = exercises.Problem(code, values).text(lang)
            assert text.strip() and not text.startswith(i18n.MISSING_MARK[0]), (code, lang)


def test_split_members() -> None:
    assert exercises.split_members("张三\n李四，王五、赵六; 孙七\n\n") == ["张三", "李四", "王五", "赵六", "孙七"]


def test_payload_never_carries_customer_ids_or_rows() -> None:
    book = sample_book()
    payload = _complete(book)
    text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    for customer_id in book["customer_id"]:
        assert str(customer_id) not in text
    for column in ("name", "phone", "id_number", "card_no"):
        if column in book.columns:
            for value in book[column].dropna().astype(str):
                assert value not in text
    assert "customer_id" not in text
    # Aggregates: the tier counts add up to the book; the payload is plain JSON the workspace accepts.
    for entry in payload["schemes"]:
        assert sum(t["customers"] for t in entry["tiers"]) == len(book)
    workspace = ws.new_workspace()
    ws.set_values(workspace, "s3_5", submission=payload)
    assert ws.from_json(ws.to_json(workspace))["modules"]["s3_5"]["submission"] == payload


def test_hand_book_ids_and_names_absent() -> None:
    book = _hand_book()
    text = json.dumps(_complete(book), ensure_ascii=False)
    for value in [*book["customer_id"], *book["name"]]:
        assert value not in text
    # A file name passed by mistake as the book's source never reaches the instructor.
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3,
                                             book_source="赵一的客户.xlsx")
    assert payload["book"]["source"] == "upload" and "赵一" not in json.dumps(payload, ensure_ascii=False)


def test_bank_preset_params_are_kept() -> None:
    book = _hand_book()
    preset = peers.aum_preset("cmb")
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=[("aum", preset)])
    entry = payload["schemes"][0]
    assert entry["params"]["thresholds"] == [50_000, 500_000, 5_000_000, 10_000_000]
    counts = {t["code"]: t["customers"] for t in entry["tiers"]}
    # 2万 below 金卡; 20万 金卡; 80万 金葵花; 900万 钻石 (below 私行's 1000万).
    assert counts == {"cmb_below": 1, "cmb_gold": 1, "cmb_sunflower": 1, "cmb_diamond": 1, "cmb_private": 0,
                      "insufficient": 0}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_messages_name_schemes_in_the_language(lang: str) -> None:
    book = _hand_book()
    payload = exercises.exercise1_submission(book, group="G", members=["A"], schemes=SCHEMES3, reflection="x" * 30)
    problems = exercises.check_exercise1(payload, lang)
    assert problems and all(p.code in ("service_missing", "service_not_own") for p in problems)
    names = {p.values["scheme"] for p in problems}
    expected = {"按资产量分层"} if lang == "zh" else {"By assets (AUM)"}
    assert expected <= names


def test_params_text_summarises_the_parameters() -> None:
    assert exercises.params_text("aum", None, "zh").endswith("5万、50万、600万")
    assert "CNY 5m" in exercises.params_text("aum", peers.aum_preset("cmb"), "en")
    relationship = exercises.params_text("relationship", None, "zh")
    assert "20、40、60、80" in relationship and "开户年限" in relationship  # field labels, not keys
    assert "20, 40, 60, 80" in exercises.params_text("relationship", None, "en")
    assert "80%" in exercises.params_text("contribution", None, "en")


_json = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.floats(allow_nan=True) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
_tier = st.fixed_dictionaries({}, optional={"code": _json, "zh": _json, "customers": _json, "service": _json})
_scheme = st.fixed_dictionaries({}, optional={"scheme": st.sampled_from(["aum", "relationship", "x"]) | _json,
                                              "name": _json, "params": _json, "tiers": st.lists(_tier) | _json})
_payload = st.fixed_dictionaries({}, optional={"group": _json, "members": _json, "reflection": _json,
                                               "schemes": st.lists(_scheme | _json, max_size=4) | _json})


@given(_payload | _json)
def test_a_damaged_stored_payload_is_checked_never_raises(payload: object) -> None:
    # The instructor board reads payloads back from storage: whatever they hold, the check lists what is missing.
    for lang in ("zh", "en"):
        problems = exercises.check_exercise1(payload, lang)  # type: ignore[arg-type]
        assert all(p.code in exercises.PROBLEM_CODES for p in problems)
        for problem in problems:
            text = problem.text(lang)
            assert text.strip() and "⟦" not in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_submission_summary_reads_the_payload_in_the_language(lang: str) -> None:
    # The hand book: 2万 (大众), 20万 (潜力), 80万 (财富), 900万 (私行); AUM total 1,002万.
    shown = exercises.submission_summary(_complete(_hand_book()), lang)
    assert shown.group == "第三组" and shown.members == ("张", "王")
    assert (shown.book_source, shown.book_customers, shown.book_aum) == ("sample", 4, 10_020_000)
    assert [s.name for s in shown.schemes] == (
        ["按资产量分层", "按客户关系分层", "按行为习惯分层"] if lang == "zh"
        else ["By assets (AUM)", "By relationship", "By behaviour"]
    )
    aum = shown.schemes[0]
    # the ladder in words, not {"thresholds": […]}: 5万 / 50万 / 600万
    assert aum.params == ("大众客户 < 5万 ≤ 潜力客户 < 50万 ≤ 财富客户 < 600万 ≤ 私行客户" if lang == "zh"
                          else "Mass < CNY 50k ≤ Potential < CNY 500k ≤ Affluent < CNY 6m ≤ Private banking")
    # four tiers with one customer each (the empty "insufficient data" tier is left out); 私行 900 ÷ 1,002
    assert [r["tier"] for r in aum.tiers] == (["大众客户", "潜力客户", "财富客户", "私行客户"] if lang == "zh"
                                              else ["Mass", "Potential", "Affluent", "Private banking"])
    private = aum.tiers[-1]
    assert private["customers"] == 1 and private["customer_share"] == 0.25 and private["aum"] == 9_000_000
    assert private["aum_share"] == pytest.approx(900 / 1002, abs=1e-6)
    assert private["service"] == "每月电话一次"
    assert "开户年限" in shown.schemes[1].params if lang == "zh" else "Tenure" in shown.schemes[1].params
    assert shown.reflection.startswith("按资产分层")


@given(_payload | _json)
def test_a_damaged_payload_still_gives_a_summary(payload: object) -> None:
    for lang in ("zh", "en"):
        shown = exercises.submission_summary(payload, lang)
        for scheme in shown.schemes:
            assert isinstance(scheme.params, str) and scheme.params
            for row in scheme.tiers:
                assert set(row) == {"tier", "customers", "customer_share", "aum", "aum_share", "service"}
                assert isinstance(row["customers"], int) and isinstance(row["aum_share"], float)
