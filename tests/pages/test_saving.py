"""Saved work through the app: the resume token in the URL, autosave on change, a new session on the same address
getting everything back (worksheets, identity, the sample book chosen), an upload asked for again, and a database
that cannot be reached: one line, nothing lost, saved when it is back."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.apptest import APP, open_app
from ui import saving
from workbook import store as store_module
from workbook import workspace as ws
from workbook.store import open_store

NOTE = "s1_1_note"  # 1.1's free-text answer
S1_1 = "views/s1_1_self_check.py"
BOOK = "views/book.py"
PAUSED = {"zh": "保存已暂停", "en": "Saving is paused"}


def _token(at: AppTest) -> str:
    value = at.query_params["t"]
    return value[0] if isinstance(value, list) else value


def _reopen(token: str, page: str | None = None, lang: str = "zh") -> AppTest:
    """A new browser session (a refresh, a new tab, a server restart) on the same address."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["t"] = token
    at.run()
    if page is not None:
        at.switch_page(page).run()
    return at


def _note_widget(at: AppTest):
    return at.text_area(key=NOTE)


def test_a_first_visit_gets_an_unguessable_token_and_saves_nothing_until_something_changes() -> None:
    at = open_app("zh")
    token = _token(at)
    assert store_module.is_token(token) and len(token) >= 22
    assert open_app("zh").query_params["t"] != at.query_params["t"]  # every visitor their own
    assert open_store().load_workspace(token) is None
    at.run()  # reruns that change nothing write nothing
    assert open_store().load_workspace(token) is None


def test_a_typed_answer_comes_back_in_a_new_session_on_the_same_address() -> None:
    at = open_app("zh", S1_1)
    _note_widget(at).input("客户拿了礼品就走").run()
    token = _token(at)
    saved = open_store().load_workspace(token)
    assert saved is not None and saved["modules"]["s1_1"]["note"] == "客户拿了礼品就走"

    again = _reopen(token, S1_1)
    assert not again.exception
    assert _note_widget(again).value == "客户拿了礼品就走"
    assert _token(again) == token


def test_the_token_is_put_back_when_the_url_loses_it() -> None:
    # Sidebar navigation drops query parameters; the next run restores ?t= (and ?lang=) from the session.
    at = open_app("en")
    token = _token(at)
    at.query_params.clear()
    at.run()
    assert _token(at) == token and at.query_params["lang"] in ("en", ["en"])


def test_an_address_with_a_malformed_token_gets_a_new_one() -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["t"] = "<script>"
    at.run()
    assert not at.exception and store_module.is_token(_token(at)) and _token(at) != "<script>"


def test_the_branch_demo_book_choice_comes_back() -> None:
    at = open_app("zh", BOOK)
    at.button(key="book_use_branch").click().run()
    assert len(at.session_state["active_book"].frame) == 20_000
    again = _reopen(_token(at))
    assert len(again.session_state["active_book"].frame) == 20_000
    assert "20,000" in " ".join(c.value for c in again.sidebar.caption)


def test_an_uploaded_book_is_asked_for_again_and_the_work_on_it_is_kept() -> None:
    csv = "客户编号,金融资产\nA001,120000\nA002,5600000\nA003,30000\n".encode()
    at = open_app("zh", BOOK)
    at.get("file_uploader")[0].upload("我的客户.csv", csv, "text/csv").run()
    next(button for button in at.button if button.label == "载入名册").click().run()
    assert at.session_state["active_book"].source == "upload"
    at.switch_page(S1_1).run()
    _note_widget(at).input("用自己的名册做的判断").run()
    token = _token(at)
    saved = open_store().load_workspace(token)
    assert saved is not None and saved["modules"]["book"]["choice"] == {
        "source": "upload", "customers": 3, "name": "我的客户.csv"}
    assert "A001" not in ws.to_json(saved)  # never the book itself

    again = _reopen(token, S1_1)
    assert again.session_state["active_book"].is_sample
    warning = " ".join(w.value for w in again.sidebar.warning)
    assert "我的客户\\.csv" in warning and "3 位客户" in warning and "请重新上传" in warning  # the name as text
    assert _note_widget(again).value == "用自己的名册做的判断"


@pytest.fixture
def movable_database(tmp_path: Path, monkeypatch) -> Path:
    """A classroom database in a folder the test can take away and bring back."""
    folder = tmp_path / "classroom"
    url = f"sqlite:///{(folder / 'workbook.sqlite').as_posix()}"
    monkeypatch.setenv("WORKBOOK_DB_URL", url)
    monkeypatch.setattr(saving, "RETRY_SECONDS", 0.0)
    monkeypatch.setattr(saving, "_unavailable_until", 0.0)
    saving.with_store(lambda store: None)  # the server has opened its database before the trainees arrive
    return folder


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_saving_paused_is_one_line_nothing_is_lost_and_it_saves_when_back(lang: str, movable_database: Path) -> None:
    at = open_app(lang, S1_1)
    token = _token(at)
    movable_database.rename(movable_database.with_name("away"))
    _note_widget(at).input("断网时写的答案").run()
    assert not at.exception
    assert sum(PAUSED[lang] in w.value for w in at.warning) == 1  # exactly one line
    assert at.session_state["workspace"]["modules"]["s1_1"]["note"] == "断网时写的答案"
    assert _note_widget(at).value == "断网时写的答案"

    movable_database.with_name("away").rename(movable_database)
    at.run()
    assert not any(PAUSED[lang] in w.value for w in at.warning)
    saved = open_store().load_workspace(token)
    assert saved is not None and saved["modules"]["s1_1"]["note"] == "断网时写的答案"


def test_saved_work_unreachable_at_first_is_loaded_later_under_what_was_typed(movable_database: Path) -> None:
    at = open_app("zh", S1_1)
    _note_widget(at).input("上午的答案").run()
    token = _token(at)
    movable_database.rename(movable_database.with_name("away"))

    later = _reopen(token, S1_1)  # the server restarted while the database was away
    assert any("之前保存的练习稍后会自动载入" in w.value for w in later.warning)
    later.text_area(key="s1_1_note").input("下午改过的答案").run()
    assert later.session_state["workspace"]["modules"]["s1_1"]["note"] == "下午改过的答案"

    movable_database.with_name("away").rename(movable_database)
    later.run()
    later.run()  # the page is drawn again from the loaded work
    assert not any("稍后" in w.value for w in later.warning)
    saved = open_store().load_workspace(token)
    assert saved is not None and saved["modules"]["s1_1"]["note"] == "下午改过的答案"  # typed later wins
    assert later.text_area(key="s1_1_note").value == "下午改过的答案"


def test_two_sessions_on_one_address_keep_each_others_answers() -> None:
    laptop = open_app("zh", S1_1)
    _note_widget(laptop).input("笔记本上写的").run()
    token = _token(laptop)
    phone = _reopen(token, "views/s3_5_exercise1.py")
    phone.text_area(key="s3_5_reflection").input("手机上写的反思").run()
    laptop.switch_page("views/home.py").run()  # the laptop saves nothing new: no change
    saved = open_store().load_workspace(token)
    assert saved is not None
    assert saved["modules"]["s1_1"]["note"] == "笔记本上写的"
    assert saved["modules"]["s3_5"]["reflection"] == "手机上写的反思"


def test_store_tokens_are_random(monkeypatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(secrets, "token_urlsafe", lambda n: calls.append(n) or "x" * 22)
    assert saving.new_token() == "x" * 22 and calls == [saving.TOKEN_BYTES] and saving.TOKEN_BYTES >= 16
