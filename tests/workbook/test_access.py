"""The instructor PIN (workbook.access): right, wrong, throttled per session and per client, normalised as typed,
compared in constant time; unset → a random PIN made once per process and written to the server log only."""

from __future__ import annotations

import hmac
import logging
from pathlib import Path

import pytest

from workbook import access
from workbook.access import Attempts, Pin, Throttle


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(autouse=True)
def _no_configured_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(access.PIN_SETTING, raising=False)
    monkeypatch.setattr("workbook.settings.secrets_files", lambda: ())
    access.forget_random_pin()
    yield
    access.forget_random_pin()


PIN = Pin("246810", "configured")


def _try(typed: str, session: Attempts, throttle: Throttle, client: str = "10.0.0.7"):
    return access.try_pin(typed, PIN, session, client, throttle)


def test_the_right_pin_is_granted_and_clears_the_count() -> None:
    throttle = Throttle(FakeClock())
    verdict, session = _try("135790", Attempts(), throttle)
    assert not verdict.granted and verdict.left == 4
    verdict, session = _try("246810", session, throttle)
    assert verdict.granted and session == Attempts() and throttle.attempts("10.0.0.7") == Attempts()


def test_a_wrong_pin_says_how_many_tries_are_left() -> None:
    throttle = Throttle(FakeClock())
    session = Attempts()
    lefts = []
    for _ in range(4):
        verdict, session = _try("000000", session, throttle)
        lefts.append(verdict.left)
    assert lefts == [4, 3, 2, 1] and session.failures == 4


def test_five_wrong_lock_the_session_for_a_minute_even_for_the_right_pin() -> None:
    clock = FakeClock()
    throttle = Throttle(clock)
    session = Attempts()
    for _ in range(5):
        verdict, session = _try("000000", session, throttle)
    assert not verdict.granted and verdict.wait == pytest.approx(60) and verdict.left == 0
    clock.now += 59  # one second before the end of the wait: the right PIN is not even checked
    verdict, session = _try("246810", session, throttle)
    assert not verdict.granted and verdict.wait == pytest.approx(1)
    clock.now += 1  # the minute is over: the right PIN opens, and five fresh tries would be allowed again
    verdict, session = _try("246810", session, throttle)
    assert verdict.granted


def test_a_new_session_from_the_same_client_is_still_locked_another_client_is_not() -> None:
    clock = FakeClock()
    throttle = Throttle(clock)
    session = Attempts()
    for _ in range(5):
        _, session = _try("000000", session, throttle, client="10.0.0.7")
    # a fresh tab (new session) from the same laptop: the client's count still holds it
    verdict, _ = _try("246810", Attempts(), throttle, client="10.0.0.7")
    assert not verdict.granted and verdict.wait == pytest.approx(60)
    # the instructor's own laptop is another client
    verdict, _ = _try("246810", Attempts(), throttle, client="local")
    assert verdict.granted


def test_wrong_tries_spread_over_sessions_add_up_for_the_client() -> None:
    throttle = Throttle(FakeClock())
    for _ in range(4):  # four tabs, one wrong try each
        _try("000000", Attempts(), throttle)
    verdict, _ = _try("000000", Attempts(), throttle)  # the fifth wrong try from this client locks it
    assert verdict.wait == pytest.approx(60)


def test_a_pin_is_read_as_people_type_it() -> None:
    assert access.pin_matches(" 246 810 ", PIN)
    assert access.pin_matches("２４６８１０", PIN)  # full-width digits from a Chinese input method
    assert not access.pin_matches("24681", PIN) and not access.pin_matches("", PIN)
    assert not access.pin_matches("", Pin("", "configured"))  # an empty PIN never opens anything


def test_the_comparison_is_constant_time(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = hmac.compare_digest

    def spy(a, b):
        calls.append((a, b))
        return real(a, b)

    monkeypatch.setattr(access.hmac, "compare_digest", spy)
    assert access.pin_matches("246810", PIN)
    assert calls == [(b"246810", b"246810")]


def test_the_configured_pin_comes_from_the_environment_or_the_secrets_file(monkeypatch: pytest.MonkeyPatch,
                                                                           tmp_path: Path) -> None:
    monkeypatch.setenv(access.PIN_SETTING, " 8642 ")
    assert access.current_pin() == Pin("8642", "configured")
    monkeypatch.delenv(access.PIN_SETTING)
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text(f'{access.PIN_SETTING} = "97531"\n', encoding="utf-8")
    monkeypatch.setattr("workbook.settings.secrets_files", lambda: (secrets_file,))
    assert access.current_pin() == Pin("97531", "configured")


def test_unset_a_random_pin_is_made_once_and_written_to_the_log_only(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="workbook.access"):
        first = access.current_pin()
        second = access.current_pin()
    assert first.source == "random" and first == second
    assert len(first.value) == access.RANDOM_PIN_DIGITS and first.value.isdigit()
    logged = [record.getMessage() for record in caplog.records]
    assert len(logged) == 1 and first.value in logged[0] and access.PIN_SETTING in logged[0]
    assert first.value not in repr(first)  # never in a traceback or a log line by accident


def test_only_a_local_connection_may_name_the_client_in_a_header() -> None:
    # from the LAN: the connection's address, whatever header the client sends
    assert access.client_address("192.168.1.23", {"X-Forwarded-For": "1.2.3.4"}) == "192.168.1.23"
    # through a reverse proxy on this machine: the proxy names the client
    assert access.client_address("127.0.0.1", {"X-Forwarded-For": "192.168.1.23, 10.0.0.1"}) == "192.168.1.23"
    assert access.client_address(None, {"x-real-ip": "192.168.1.24"}) == "192.168.1.24"
    assert access.client_address(None, {}) == "local"


def test_the_per_client_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access, "MAX_CLIENTS", 10)
    clock = FakeClock()
    throttle = Throttle(clock)
    for n in range(25):
        clock.now += 1
        _try("000000", Attempts(), throttle, client=f"10.0.0.{n}")
    assert len(throttle._by_client) <= 10
    assert throttle.attempts("10.0.0.24").failures == 1  # the newest are kept
