"""The persona cards on 1.4, 3.2 and 3.3: offered on the sample book, figures as the pages compute them, in both
languages; absent on an uploaded book."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.pages.apptest import all_text, open_app
from ui.state import ActiveBook

PAGES = {"s1_4": "views/s1_4_asset_liability.py", "s3_2": "views/s3_2_segmentation.py",
         "s3_3": "views/s3_3_four_degrees.py"}
TITLE = {"zh": "客户画像", "en": "customer personas"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", list(PAGES))
def test_cards_on_the_sample_book(page: str, lang: str) -> None:
    at = open_app(lang, PAGES[page])
    assert not at.exception
    assert any(TITLE[lang] in e.label for e in at.expander)
    text = all_text(at)
    # the first persona shown: 李老师 (C000008), with what to look at on this page
    assert "C000008" in text
    assert ("送礼仍流失：李老师" if lang == "zh" else "Gifts, and still leaving: Ms Li") in text
    assert ("在本页看什么" if lang == "zh" else "What to look at on this page") in text
    at.radio(key=f"{page}_persona").set_value("time_heavy_regular").run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # 周大爷: net 380 − 6,550 = −6,170 元 a year; 30 service hours, his revenue pays for 1.9 → "2"
    net = "净贡献 / 年" if lang == "zh" else "Net a year"
    assert metrics[net] == ("-6,170元" if lang == "zh" else "-CNY 6.2k")
    hours = "服务小时 / 年" if lang == "zh" else "Service hours a year"
    assert metrics[hours] == "30"


def test_no_cards_on_an_uploaded_book() -> None:
    frame = pd.DataFrame({"customer_id": ["a", "b"], "aum": [10_000.0, 20_000.0]})
    book = ActiveBook(frame=frame, source="upload", label="mine.csv", token="mine")
    for page in PAGES.values():
        at = open_app("zh", page, book=book)
        assert not at.exception
        assert not any(TITLE["zh"] in e.label for e in at.expander)
