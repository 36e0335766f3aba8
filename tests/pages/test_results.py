"""我的成果: progress per module with the exercise's receipt, the identity kept in the workspace, the address and QR
code that open the same work elsewhere, and starting fresh only after a confirmation. In Chinese and English."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image

from tests.pages.apptest import all_text, open_app
from workbook import workspace as ws
from workbook.store import open_store

PAGE = "views/results.py"
TEXT = {
    "zh": {"progress": "各模块进度", "identity": "我的信息", "device": "在其他设备上继续", "fresh": "重新开始",
           "not_submitted": "练习一尚未提交", "submitted": "练习一已提交", "done": "1.2 核心业绩公式 · 已完成",
           "started": "1.1 难题自测 · 进行中"},
    "en": {"progress": "Progress per module", "identity": "About you", "device": "Continue on another device",
           "fresh": "Start fresh", "not_submitted": "Exercise 1 not submitted yet", "submitted": "Exercise 1 submitted",
           "done": "1.2 Core performance formula · done", "started": "1.1 Pain-point self-check · in progress"},
}


def _token(at) -> str:  # type: ignore[no-untyped-def]
    value = at.query_params["t"]
    return value[0] if isinstance(value, list) else value


def _work() -> ws.Workspace:
    work = ws.new_workspace()
    ws.mark_done(work, "s1_2")
    ws.set_values(work, "s1_1", note="礼品换不来忠诚")
    return work


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_shows_progress_identity_the_address_and_start_fresh(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_work())
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    for key in ("progress", "identity", "device", "fresh"):
        assert TEXT[lang][key] in subheaders, key
    text = all_text(at)
    assert TEXT[lang]["done"] in text and TEXT[lang]["started"] in text
    assert any(TEXT[lang]["not_submitted"] in c.value for c in at.caption)
    # the address carries the token and the language; the QR code is a real image
    [address] = [c.value for c in at.code]
    assert re.search(rf"\?t={re.escape(_token(at))}&lang={lang}$", address)
    [image] = at.get("image")
    assert image.proto.imgs[0].url  # served by Streamlit's media store
    if lang == "en":
        assert not re.search(r"[\u4e00-\u9fff]", " ".join(subheaders))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_qr_code_scans_to_the_address_shown(lang: str) -> None:
    at = open_app(lang, PAGE)
    [address] = [c.value for c in at.code]
    # the picture the page showed, from the session memo it was drawn from; decoded as a phone would
    png = at.session_state["_session_memo"][("results.qr", address)]
    [decoded] = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert decoded.format == zxingcpp.BarcodeFormat.QRCode and decoded.text == address


def test_identity_edited_here_is_kept_in_the_workspace_and_saved() -> None:
    at = open_app("zh", PAGE)
    at.text_input(key="results_name").input("张三").run()
    at.text_input(key="results_group").input("第三组").run()
    at.text_input(key="results_workshop").input("BJ1205").run()
    assert at.session_state["workspace"]["trainee"] == {"name": "张三", "group": "第三组", "workshop": "BJ1205"}
    saved = open_store().load_workspace(_token(at))
    assert saved is not None and saved["trainee"]["group"] == "第三组"
    at.switch_page("views/s3_5_exercise1.py").run()  # the same identity on the exercise page
    assert at.text_input(key="s3_5_group").value == "第三组"
    assert at.text_input(key="s3_5_workshop").value == "BJ1205"
    assert at.text_input(key="s3_5_name").value == "张三"


def test_a_submitted_exercise_shows_its_receipt_in_the_progress() -> None:
    work = _work()
    ws.set_values(work, "s3_5", receipt={"number": 3, "workshop": "BJ1205", "group": "第三组",
                                         "time": "2026-12-05T06:34:00+00:00", "client_key": "k", "digest": "d"})
    at = open_app("zh", PAGE, workspace=work)
    captions = " ".join(c.value for c in at.caption).replace("\u2011", "-").replace("\u00a0", " ")
    assert "练习一已提交：2026-12-05 14:34（北京时间）（课堂 BJ1205 · 第三组）" in captions


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_start_fresh_asks_first_then_opens_a_blank_workbook_under_a_new_address(lang: str) -> None:
    at = open_app(lang, PAGE, workspace=_work())
    at.run()  # saved under the first address
    old_token = _token(at)
    at.button(key="results_fresh").click().run()
    assert at.warning and at.session_state["workspace"]["modules"]  # only a question so far
    at.button(key="results_fresh_no").click().run()
    assert _token(at) == old_token and at.session_state["workspace"]["modules"]

    at.button(key="results_fresh").click().run()
    at.button(key="results_fresh_yes").click().run()
    assert not at.exception
    assert _token(at) != old_token
    fresh = at.session_state["workspace"]
    # blank: nobody's name, no page's inputs (only the app's note that this page's lecture was shown)
    assert fresh["trainee"] == ws.new_workspace()["trainee"] and set(fresh["modules"]) <= {ws.LECTURES_SEEN}
    assert at.session_state["lang"] == lang
    saved = open_store().load_workspace(old_token)  # the old work stays under its old address
    assert saved is not None and saved["modules"]["s1_1"]["note"] == "礼品换不来忠诚"
