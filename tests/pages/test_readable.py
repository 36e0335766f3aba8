"""Readable where the class looks, the parts a browser is not needed for: the lecture open on a page's first
visit and folded on later ones (so the worksheet starts on a projector's first screen), and the rules for numbers
in tables (a unit in every money header, counts as whole numbers). The browser measures the rest
(tests/e2e/test_layout.py)."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.pages.apptest import open_app
from workbook import course
from workbook import workspace as ws

S1_3 = "views/s1_3_bottleneck.py"
S1_2 = "views/s1_2_performance_formula.py"


def _lecture_open(at) -> bool:
    return bool(at.main.expander[0].proto.expanded)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_lecture_is_open_on_the_first_visit_and_folded_on_the_next(lang: str) -> None:
    at = open_app(lang, S1_3)
    assert not at.exception
    assert _lecture_open(at)
    # A click on the worksheet during that visit must not fold the text being read.
    at.slider(key="s1_3_elevate_pct").set_value(20.0).run()
    assert _lecture_open(at)
    assert ws.is_seen(at.session_state["workspace"], "s1_3")
    at.switch_page(S1_2).run()
    assert _lecture_open(at)  # 1.2's first visit
    at.switch_page(S1_3).run()
    assert not _lecture_open(at)  # back on 1.3: folded, the table is on the first screen


def test_a_saved_workspace_folds_the_lecture_of_pages_already_read() -> None:
    work = ws.new_workspace()
    ws.mark_seen(work, "s1_3")
    at = open_app("zh", S1_3, workspace=work)
    assert not _lecture_open(at)


# ---- numbers in tables and metrics ---------------------------------------------------------------------------
# A header that names an amount of money must say its unit; a share, a ratio or a count of things needs none.
MONEY_WORDS = re.compile(r"资产|收入|成本|费用|金额|净贡献|中收|礼品|权益|让利|返佣|余额|客单价|AUM|"
                         r"\b[Rr]evenue|\b[Cc]ost\b|\b[Nn]et\b|\b[Ff]ees?\b|\b[Gg]ifts\b|\b[Bb]enefits\b|\b[Bb]alances?\b|\b[Cc]oncessions\b|"
                         r"\b[Aa]mount\b")
UNIT_WORDS = re.compile(r"万元|亿元|元|CNY|%|占比|比例|率|[Ss]hare|/|÷|[Hh]ours?|小时|次数|[Rr]atio|"
                        r"层级|[Tt]ier|类型|[Tt]ype|最大成本|[Ll]argest|[Dd]river")
COUNT_HEADERS = re.compile(r"^(客户数|人数|Customers|customers)(（|\(|$)")
WHOLE = re.compile(r"^-?[\d,]+$|^—$|^$")
PAGES_READ_HERE = tuple(entry.id for entry in course.PAGES)


IDENTIFIER = re.compile(r"^[a-z_]+$")  # a data editor's frame comes back with its column keys, not the headers
UNIT_IN_CELL = re.compile(r"万|元|CNY|%")


def _frames(at) -> list[pd.DataFrame]:
    return [element.value for element in at.dataframe] + [element.value for element in at.table]


def _units_in_rows(frame: pd.DataFrame) -> bool:
    """A table on its side (one figure per row, its unit in the row's name or in every cell): its headers are
    tiers or groups (资产, 负债 …), not amounts."""
    return any(frame[column].astype(str).str.contains(UNIT_IN_CELL).any() for column in frame.columns[:1])


MONEY_UNITS = re.compile(r"亿元|万元|(?<![万亿美])元|CNY [-\d.,]+(?:bn|m|k)?")


def _units_of(cell: str) -> set[str]:
    """The money units written in a cell: 亿元, 万元, 元, or CNY with its suffix (CNY 3k → "k")."""
    found = set()
    for unit in MONEY_UNITS.findall(cell):
        found.add(re.sub(r"CNY [-\d.,]+", "CNY ", unit))
    return found


def _number_problems(frames: list[pd.DataFrame], metrics: list[tuple[str, str]]) -> list[str]:
    problems: list[str] = []
    for frame in frames:
        sideways = _units_in_rows(frame)
        for header in map(str, frame.columns):
            if IDENTIFIER.match(header):
                continue
            # a column of single amounts (a range or a sentence may name 50万 and CNY 6m in one cell)
            cells = [_units_of(str(cell)) for cell in frame[header]]
            single = all(len(MONEY_UNITS.findall(str(cell))) <= 1 for cell in frame[header])
            units = set().union(*cells) if cells else set()
            if len(units) > 1 and single and not sideways:
                problems.append(f"one column, several money units: {header!r} {sorted(units)}")
            cells_say_unit = frame[header].astype(str).str.contains(UNIT_IN_CELL).all()
            if MONEY_WORDS.search(header) and not (sideways or cells_say_unit or UNIT_WORDS.search(header)):
                problems.append(f"money column without a unit: {header!r}")
            if COUNT_HEADERS.match(header):
                cells = frame[header]
                if pd.api.types.is_float_dtype(cells):
                    whole = cells.dropna().map(float.is_integer).all()
                    problems += [] if whole else [f"count column with fractions: {header!r}"]
                elif not pd.api.types.is_integer_dtype(cells):
                    bad = [str(v) for v in cells if not WHOLE.match(str(v))]
                    problems += [f"count column {header!r} shows {bad[:3]}"] if bad else []
    for label, value in metrics:
        if MONEY_WORDS.search(label) and not UNIT_WORDS.search(label + value):
            problems.append(f"metric without a unit: {label!r} = {value!r}")
        if re.search(r"\d\.0(?!\d)", value):
            problems.append(f"needless decimal in metric {label!r}: {value!r}")
    return problems


def test_the_number_rules_catch_a_bare_money_header_a_fractional_count_and_a_needless_decimal() -> None:
    frame = pd.DataFrame({"层级": ["大众", "财富"], "资产合计": [12.5, 300.0], "客户数": ["25.0", "3"],
                          "收入": ["3,500元", "1.2亿元"]})
    found = _number_problems([frame], [("全部客户净贡献", "41.6"), ("客户数", "25.0")])
    assert found == ["money column without a unit: '资产合计'", "count column '客户数' shows ['25.0']",
                     "one column, several money units: '收入' ['亿元', '元']",
                     "metric without a unit: '全部客户净贡献' = '41.6'", "needless decimal in metric '客户数': '25.0'"]
    fine = pd.DataFrame({"层级": ["大众"], "资产（万元）": [12.5], "客户数": [25]})
    assert _number_problems([fine], [("净贡献", "41.6万元"), ("客户数", "25")]) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_id", PAGES_READ_HERE)
def test_money_headers_say_their_unit_and_counts_are_whole(page_id: str, lang: str) -> None:
    at = open_app(lang, course.page_by_id(page_id).file)
    assert not at.exception
    problems = _number_problems(_frames(at), [(metric.label, str(metric.value)) for metric in at.metric])
    assert not problems, f"{page_id} ({lang}):\n" + "\n".join(problems)


def _progress_text(at) -> str:
    return " ".join(element.proto.text for element in at.sidebar.get("progress"))


def test_the_sidebar_progress_counts_an_exercise_submitted_on_this_click() -> None:
    # Submitting exercise 2 marks it done while the page runs, after the sidebar was drawn: the progress must
    # still count it on this click, not the next one.
    work = ws.new_workspace()
    ws.set_values(work, "s3_5", group="第三组", members="张三", schemes=["aum"])
    at = open_app("zh", "views/s4_4_exercise2.py", workspace=work)
    assert "0 / " in _progress_text(at)
    at.selectbox(key="s4_4_张三_tier").set_value("affluent").run()
    start = at.session_state["s4_4_start"]
    rows = [{"action": f"第 {i} 件事", "owner": "张三", "due": (start + timedelta(days=d)).isoformat()}
            for i, d in enumerate((10, 40, 80), start=1)]
    at.session_state["s4_4_actions_张三_zh"] = {"edited_rows": {}, "added_rows": rows, "deleted_rows": []}
    at.run()
    at.text_input(key="s4_4_workshop").input(f"T{secrets.token_hex(4).upper()}")  # a class of its own
    at.text_input(key="s4_4_name").input("张三")
    at.run()
    at.button(key="s4_4_submit").click().run()
    assert not at.exception and not at.error and ws.is_done(at.session_state["workspace"], "s4_4")
    assert "1 / " in _progress_text(at)


# ---- Streamlit's own chrome in the page's language --------------------------------------------------------------
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_no_page_calls_streamlits_multiselect_directly() -> None:
    # st.multiselect offers an English "Select all" first (one Enter picks every option): pages use
    # ui.widgets.multiselect, which leaves it out and says "请选择" on a Chinese page.
    root = Path(__file__).resolve().parents[2]
    callers = [str(path.relative_to(root)) for folder in ("views", "ui") for path in (root / folder).glob("*.py")
               if "st.multiselect(" in path.read_text(encoding="utf-8") and path.name != "widgets.py"]
    assert callers == []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page_id", ["s2_1", "s3_3", "s3_5", "s4_2"])
def test_multiselects_have_no_select_all_and_speak_the_page_language(page_id: str, lang: str) -> None:
    at = open_app(lang, course.page_by_id(page_id).file)
    assert not at.exception
    assert at.multiselect, f"{page_id} shows no multiselect"
    for widget in at.multiselect:
        assert widget.proto.select_all == 0, widget.label
        assert bool(CJK.search(widget.proto.placeholder)) == (lang == "zh"), widget.proto.placeholder
