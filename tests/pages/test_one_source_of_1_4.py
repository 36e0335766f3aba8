"""One source for the 1.4 settings, seen on the pages: the trainee raises the hourly cost to 300 元 and assumes 20 hours
a year for a 财富 customer on 1.4; 1.4, 3.2 (asset/liability), 3.4 (today), 4.2, 4.3 and 4.4 then show the same
figures for the same book (arithmetic in tests/workbook/test_profit_settings.py)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.pages.apptest import open_app
from tests.pages.s1_helpers import book, markdown_text, metrics
from workbook import workspace as ws


def _book():  # type: ignore[no-untyped-def]
    frame = pd.DataFrame({"customer_id": ["a", "b", "c"], "aum": [20_000.0, 800_000.0, 9_000_000.0],
                          "fee_income_12m": [100.0, 5_000.0, 40_000.0]})
    return book(frame, "one-source")


def _work(edited: bool = True) -> ws.Workspace:
    work = ws.new_workspace()
    if edited:
        # as page 1.4 keeps them: the annual cost in 元 and the tier table's changed cells
        ws.set_values(work, "s1_4", annual_cost=540_000.0, tier_costs={"affluent": {"hours": 20.0}})
    ws.set_values(work, "s3_5", group="第三组", members="张三", schemes=["aum"])
    return work


def _table(at, column: str) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("edited", [True, False])
def test_one_1_4_setting_shows_the_same_figures_on_every_page(edited: bool) -> None:
    hourly, hours, per_hour = ("300元", "20", "200") if edited else ("200元", "8", "500")
    # 财富 (b): T = 5,000 − 600 gifts − 400 events = 4,000 over 20 h = 200 an hour (defaults: over 8 h = 500)

    at = open_app("zh", "views/s1_4_asset_liability.py", book=_book(), workspace=_work(edited))
    assert not at.exception
    shown = metrics(at)
    assert shown["每小时成本"] == hourly
    # b becomes a liability at 20 h × 300 + 1,000 = 7,000 of cost against 5,000 of revenue
    assert ("负债（2 位）" if edited else "负债（1 位）") in shown
    assert _table(at, "affluent")["affluent"].tolist()[0] == float(hours)  # the assumptions table, hours row

    at.switch_page("views/s3_2_segmentation.py").run()
    assert not at.exception
    profile = _table(at, "负债")  # the profile by asset/liability, 1.4's verdicts
    assert profile.loc[0, "负债"] == ("2" if edited else "1")  # the first row: customers

    at.switch_page("views/s3_4_service_matrix.py").run()
    assert not at.exception
    assert re.search(rf"每小时成本 {hourly[:-1]} ?元", markdown_text(at))
    assert _table(at, "今天小时")["今天小时"].tolist()[2] == hours  # rows 大众 · 潜力 · 财富 · 私行

    at.switch_page("views/s4_2_strategy.py").run()
    assert not at.exception
    assert _table(at, "今天（1.4 口径）")["今天（1.4 口径）"].tolist()[1] == f"{hours} 小时"  # 大众 · 财富 · 私行

    at.switch_page("views/s4_3_throughput.py").run()
    assert not at.exception
    tiers = _table(at, "服务小时")  # one unit per column, said in the header: hours, 元 an hour
    assert tiers["服务小时"].tolist()[1] == hours and tiers["每小时有效产出（元/小时）"].tolist()[1] == per_hour

    at.switch_page("views/s4_4_exercise2.py").run()
    at.selectbox(key="s4_4_张三_tier").set_value("affluent").run()
    assert not at.exception
    assert {m.label: m.value for m in at.tabs[0].metric}["每小时有效产出"] == f"{per_hour}元/小时"  # a metric says it
    assert f"服务时间 {hours} 小时" in markdown_text(at)
