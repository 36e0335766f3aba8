"""讲师看板 behaviour (AppTest): the PIN box and nothing else without the role — whatever the URL or the session
holds —, wrong PINs throttled, the board with a seeded class (live update, one submission, two groups side by side,
the schemes chosen, the poll), the timer every session sees, archive and reset, projector mode across pages, the
讲师提示 for the instructor only, and the branch demo in one click. In Chinese and English."""

from __future__ import annotations

import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.classroom import the_class
from tests.pages.apptest import all_text, metric_values, open_app
from ui import instructor
from ui.state import BRANCH_DEMO_SIZE, SAMPLE_SIZE
from workbook import access
from workbook.store import open_store

PAGE = "views/board.py"
PIN = "246810"
CODE = "BJ1205"


@pytest.fixture(autouse=True)
def classroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """This test's own database (the board lists every workshop in it), the PIN, and a fresh throttle and timer
    cache (both are process-wide)."""
    url = f"sqlite:///{(tmp_path / 'classroom' / 'workbook.sqlite').as_posix()}"
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    monkeypatch.setenv(access.PIN_SETTING, PIN)
    monkeypatch.setattr(instructor, "_THROTTLE", access.Throttle())
    instructor.forget_timers()
    yield url
    instructor.forget_timers()


def _seed(url: str) -> None:
    store = open_store(url)
    for s in the_class():
        store.submit(CODE, s.group, s.exercise, s.payload, s.client_key, submitted_by=s.submitted_by)
    store.close()


def _sign_in(at, pin: str = PIN):
    at.text_input(key=instructor.PIN_WIDGET).input(pin)
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    return at


def _board(lang: str = "zh"):
    return _sign_in(open_app(lang, PAGE))


def _text(at) -> str:
    """Everything on the page, the static tables' cells included (they travel as Arrow data, not as text)."""
    cells = [str(value) for table in at.table for value in table.value.astype(str).to_numpy().ravel()]
    headers = [str(column) for table in at.table for column in table.value.columns]
    shown = [element.value for kind in ("markdown", "caption", "info", "success", "warning", "error")
             for element in getattr(at, kind)]
    return "\n".join([*shown, *headers, *cells, all_text(at)])


def _html(at) -> str:
    return "\n".join(element.proto.body for element in at.get("html"))


# ---- no role, no data ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_without_the_pin_only_the_pin_box(classroom: str, lang: str) -> None:
    _seed(classroom)
    at = open_app(lang, PAGE)
    assert not at.exception
    text = all_text(at)
    for secret in (CODE, "第一组", "第十组", "张三", "季度电话"):
        assert secret not in text
    assert [w.key for w in at.text_input] == [instructor.PIN_WIDGET]
    assert not at.selectbox and not at.metric and not at.get("plotly_chart")
    assert ("讲师 PIN" if lang == "zh" else "Instructor PIN") in text


def test_a_role_put_in_the_session_or_the_url_is_not_the_role(classroom: str) -> None:
    _seed(classroom)
    forged = types.SimpleNamespace(fingerprint=access.current_pin().fingerprint)
    for value in (True, "instructor", forged, {"fingerprint": access.current_pin().fingerprint}):
        at = open_app("zh", PAGE, **{instructor.ROLE_KEY: value})
        assert "第一组" not in all_text(at) and [w.key for w in at.text_input] == [instructor.PIN_WIDGET]
    at = open_app("zh")
    for name, value in (("role", "instructor"), ("pin", PIN), ("instructor", "1")):
        at.query_params[name] = value
    at.run()
    at.switch_page(PAGE).run()
    assert "第一组" not in all_text(at) and not at.selectbox


def test_the_notes_and_the_switches_are_not_shown_to_a_trainee() -> None:
    at = open_app("zh", "views/s1_2_performance_formula.py")
    text = all_text(at)
    assert "讲师提示" not in text and "投影模式" not in text


# ---- the PIN -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_wrong_pins_are_counted_then_locked_even_for_the_right_one(lang: str) -> None:
    at = open_app(lang, PAGE)
    _sign_in(at, "000000")
    assert ("还可再试 4 次" if lang == "zh" else "4 tries left") in at.error[0].value
    for _ in range(4):
        _sign_in(at, "111111")
    assert ("请 60 秒后再试" if lang == "zh" else "try again in 60 seconds") in at.error[0].value
    _sign_in(at, PIN)  # locked: the right PIN is not checked
    assert at.error and not at.selectbox and not instructor_role(at)


def instructor_role(at) -> bool:
    return instructor.ROLE_KEY in at.session_state


def test_the_right_pin_opens_the_board_and_sign_out_closes_it(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    assert not at.exception and instructor_role(at)
    assert at.selectbox(key="board_workshop_select").value == CODE
    at.button(key="board_sign_out").click().run()
    assert not instructor_role(at) and [w.key for w in at.text_input] == [instructor.PIN_WIDGET]


# ---- the board with a class ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_board_shows_the_class_and_follows_new_submissions(classroom: str, lang: str) -> None:
    _seed(classroom)
    at = _board(lang)
    metrics = list(metric_values(at).values())
    # 3 groups; exercise 1 from 第一组 and 第十组; exercise 2 from 第一组 and 第二组; 3 poll answers
    assert metrics == ["3", "2", "2", "3"]
    text = _text(at)
    for group in ("第一组", "第二组", "第十组"):
        assert group in text
    # a group hands in while the board is open: the next run (the fragment's, every few seconds) shows it
    store = open_store(classroom)
    store.submit(CODE, "第三组", "exercise1", the_class()[0].payload, "late-key", submitted_by="周八")
    at.run()
    assert list(metric_values(at).values())[:2] == ["4", "3"] and "第三组" in _text(at)


def test_one_submission_in_full_shows_typed_text_as_text(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    at.selectbox(key="board_open_group").set_value("第十组").run()
    text = _text(at)
    assert "沙龙邀约" in text and "王五" in text
    # Markdown and HTML in what the group typed are escaped, never rendered
    assert "\\*\\*粗体\\*\\* \\<b\\>x\\<\\/b\\> \\:red\\[红\\]" in text and "<b>x</b>" not in text
    assert "\\=HYPERLINK\\(" in text
    at.radio(key="board_open_exercise").set_value("exercise2").run()
    assert "还没有提交练习二" in _text(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_two_groups_side_by_side(classroom: str, lang: str) -> None:
    _seed(classroom)
    at = _board(lang)
    at.segmented_control(key="board_view").set_value("compare").run()
    assert not at.exception
    text = _text(at)
    assert "季度电话" in text and "沙龙邀约" in text and "每月面谈" in text
    assert ("仅 第一组 使用" if lang == "zh" else "only 第一组") in text  # contribution: 第一组 only
    # the default ladder's 财富 tier (2 customers) against 第十组's ladder (0); each cell: customers · service line
    assert ("2 位 · 每月面谈" if lang == "zh" else "2 · 每月面谈") in text
    assert ("3 位 · 沙龙邀约" if lang == "zh" else "3 · 沙龙邀约") in text
    at.radio(key="board_compare_exercise").set_value("exercise2").run()
    text = _text(at)
    assert "提升财富客户资产留存" in text and "\\*\\*粗体\\*\\*" in text  # 第二组's goal, escaped


def test_the_schemes_the_class_chose(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    at.segmented_control(key="board_view").set_value("schemes").run()
    text = all_text(at)
    assert "按资产量分层**：第一组、第十组" in text and "按行为习惯分层**：第十组" in text
    [chart] = at.get("plotly_chart")
    assert '"x":[2,0,0,1,1,0,0]' in chart.proto.spec.replace(" ", "")  # aum 2, contribution 1, behaviour 1


def test_the_poll_on_the_board(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    at.segmented_control(key="board_view").set_value("poll").run()
    assert not at.exception
    # the pain statements' means 4, 3, 2, 1 → 2.5; no market statement answered
    assert metric_values(at)["四个难题平均分"] == "2.5" and metric_values(at)["四个市场变化平均分"] == "—"
    assert len(at.get("plotly_chart")) == 2


def test_the_export_view_offers_the_class_workbook(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    at.segmented_control(key="board_view").set_value("export").run()
    assert not at.exception
    [button] = at.get("download_button")
    assert button.proto.label == "下载全班 Excel 工作簿"


# ---- the timer -----------------------------------------------------------------------------------------------------


def test_the_timer_starts_for_every_session_and_stops(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    at.selectbox(key="board_timer_activity").set_value("exercise1").run()
    assert at.number_input(key="board_timer_minutes").value == 30  # the agenda's 30 minutes for exercise 1
    at.button(key="board_timer_start").click().run()
    timer = open_store(classroom).timer(CODE)
    assert timer is not None and timer.exercise == "exercise1" and timer.minutes == pytest.approx(30)
    assert 'data-wb-remaining="' in _html(at) and "练习一" in _html(at)
    # while it runs the board lists who has handed exercise 1 in and who not yet
    text = all_text(at)
    assert "练习一已提交（2 组）" in text and "尚未提交（1 组）" in text
    # a trainee with no workshop code (the one running timer) and one with this code both see the countdown
    trainee = open_app("zh", "views/s1_2_performance_formula.py")
    sidebar = "\n".join(e.proto.body for e in trainee.sidebar.get("html"))
    assert "练习一" in sidebar and "wb-countdown" in sidebar
    remaining = int(sidebar.split('data-wb-remaining="')[1].split('"')[0])
    assert 0 < remaining <= 30 * 60 * 1000
    other = open_app("zh", "views/s1_2_performance_formula.py",
                     workspace={"version": 1, "trainee": {"name": "", "group": "", "workshop": "SH0101"},
                                "modules": {}, "done": []})
    assert not other.sidebar.get("html")  # another workshop's trainee: no countdown
    at.button(key="board_timer_stop").click().run()
    assert open_store(classroom).timer(CODE) is None
    trainee.run()
    assert not trainee.sidebar.get("html")


# ---- workshops -----------------------------------------------------------------------------------------------------


def test_create_archive_and_reset_with_a_confirmation(classroom: str) -> None:
    _seed(classroom)
    at = _board()
    form_input = next(w for w in at.text_input if w.key != instructor.PIN_WIDGET and w.key != "board_reset_confirm")
    form_input.input("sh 0101")
    next(b for b in at.button if b.proto.is_form_submitter).click().run()
    assert at.selectbox(key="board_workshop_select").value == "SH0101"
    at.selectbox(key="board_workshop_select").set_value(CODE).run()
    # reset: the code typed wrong deletes nothing; typed right deletes the workshop's submissions
    at.text_input(key="board_reset_confirm").input("BJ9999")
    at.button(key="board_reset").click().run()
    assert "不一致" in at.error[0].value and len(open_store(classroom).history(CODE)) == 7
    at.text_input(key="board_reset_confirm").input("bj1205")
    at.button(key="board_reset").click().run()
    assert open_store(classroom).history(CODE) == [] and "删除了 7 份提交" in at.success[0].value
    assert at.text_input(key="board_reset_confirm").value == ""
    at.button(key="board_archive").click().run()
    assert open_store(classroom).workshop_status(CODE) == "archived"
    assert at.selectbox(key="board_workshop_select").value == "SH0101"  # archived codes are hidden by default


# ---- projector, notes, demo ----------------------------------------------------------------------------------------


def test_projector_mode_is_one_switch_remembered_across_pages(classroom: str) -> None:
    at = _board()
    assert "font-size: 19px" not in _html(at)
    at.toggle(key=instructor.PROJECTOR_WIDGET).set_value(True).run()
    assert "html { font-size: 19px; }" in _html(at)
    at.switch_page("views/s3_2_segmentation.py").run()
    assert "html { font-size: 19px; }" in _html(at) and at.toggle(key=instructor.PROJECTOR_WIDGET).value
    at.toggle(key=instructor.PROJECTOR_WIDGET).set_value(False).run()
    assert "font-size: 19px" not in _html(at)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_instructor_sees_the_notes_with_the_time_on_the_day(lang: str) -> None:
    at = _board(lang)
    at.switch_page("views/s1_2_performance_formula.py").run()
    [notes] = [e for e in at.expander if e.label.startswith("讲师提示" if lang == "zh" else "Instructor notes")]
    text = "\n".join(m.value for m in notes.markdown)
    # 1.2 follows 1.1's 15 minutes from 09:15: 09:30–09:55, 25 minutes
    assert "09:30–09:55" in text and ("25 分钟" if lang == "zh" else "25 min") in text
    assert ("1.1³" in text) or ("33.1%" in text)
    at.switch_page("views/home.py").run()
    assert any(e.label.startswith("讲师提示" if lang == "zh" else "Instructor notes") for e in at.expander)


def test_the_branch_demo_in_one_click_and_back() -> None:
    at = _board()
    assert len(at.session_state["active_book"].frame) == SAMPLE_SIZE
    at.button(key="instructor_demo").click().run()
    assert len(at.session_state["active_book"].frame) == BRANCH_DEMO_SIZE
    at.switch_page("views/s1_4_asset_liability.py").run()
    assert not at.exception and "20,000" in all_text(at)
    at.button(key="instructor_demo").click().run()
    assert len(at.session_state["active_book"].frame) == SAMPLE_SIZE
