"""Receipts in the classroom's time: UTC moments shown in Asia/Shanghai unless WORKBOOK_TIMEZONE says otherwise."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workbook import clock


@pytest.fixture(autouse=True)
def _no_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("workbook.settings.secrets_files", lambda: ())
    monkeypatch.delenv(clock.TIMEZONE_SETTING, raising=False)


def test_utc_shown_in_beijing_time() -> None:
    # 06:34 UTC + 8 h = 14:34 Beijing time; 17:30 UTC is 01:30 the next day in Beijing
    assert clock.local_time_text("2026-12-05T06:34:00+00:00") == "2026-12-05 14:34（北京时间）"
    assert clock.local_time_text(datetime(2026, 12, 5, 17, 30, tzinfo=UTC), "en") == "2026-12-06 01:30 (Beijing time)"
    assert clock.local_time_text(datetime(2026, 12, 5, 6, 34)) == "2026-12-05 14:34（北京时间）"  # naive = UTC


def test_the_classroom_zone_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.TIMEZONE_SETTING, "Europe/London")
    # December: London is on GMT (UTC+0)
    assert clock.local_time_text("2026-12-05T06:34:00+00:00", "en") == "2026-12-05 06:34 (Europe/London)"
    monkeypatch.setenv(clock.TIMEZONE_SETTING, "Asia/Hong_Kong")
    assert clock.local_time_text("2026-12-05T06:34:00+00:00") == "2026-12-05 14:34（香港时间）"
    monkeypatch.setenv(clock.TIMEZONE_SETTING, "Mars/Olympus")  # unknown: the default, and a line in the log
    assert clock.classroom_zone().key == "Asia/Shanghai"


def test_text_that_is_not_a_moment_is_shown_as_it_is() -> None:
    assert clock.local_time_text("yesterday") == "yesterday"


def test_now_is_utc() -> None:
    assert clock.now().utcoffset().total_seconds() == 0
