"""The instructor's PIN: where it comes from, how a typed PIN is checked, and how guessing is slowed down.

* **The PIN.** ``WORKBOOK_INSTRUCTOR_PIN`` from the environment or the secrets file (:func:`workbook.settings.setting`).
  When it is set nowhere, the process makes up a random six-digit PIN the first time it is asked and writes it to the
  server log once — the instructor reads it in the terminal that started the server; no page ever shows it.
* **Checking.** The typed PIN is normalised as people type it (full-width digits from a Chinese input method become
  plain, spaces are dropped) and compared with :func:`hmac.compare_digest`, so the time taken does not depend on how
  many leading characters were right.
* **Throttling.** Five wrong PINs in a row lock the guesser out for a minute (:data:`MAX_FAILURES`,
  :data:`LOCKOUT_SECONDS`). The page keeps one :class:`Attempts` per browser session and one per client address in
  the process-wide :class:`Throttle`, so opening a new tab does not buy five more guesses. While locked, no PIN is
  checked at all, not even the right one.

The random PIN and the per-address throttle are process-wide on purpose: they belong to the classroom server, not
to any trainee (no trainee data is kept here). This module never imports streamlit.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, replace

from workbook.settings import setting

LOG = logging.getLogger(__name__)

PIN_SETTING = "WORKBOOK_INSTRUCTOR_PIN"
RANDOM_PIN_DIGITS = 6
MAX_FAILURES = 5  # wrong PINs in a row before the wait
LOCKOUT_SECONDS = 60.0
MAX_CLIENTS = 4096  # addresses remembered at most (a flood of made-up addresses cannot grow memory without end)
FORGET_AFTER_SECONDS = 3600.0  # an address with no wrong PIN for an hour starts afresh


# ---- the PIN ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pin:
    """The PIN in force and where it came from: ``configured`` (environment or secrets) or ``random``."""

    value: str = ""
    source: str = "configured"

    def __repr__(self) -> str:  # never in a log or a traceback by accident
        return f"Pin(source={self.source!r})"

    @property
    def fingerprint(self) -> str:
        """A digest that identifies the PIN without revealing it (a session's role is tied to it)."""
        return hashlib.sha256(("workbook-instructor:" + self.value).encode("utf-8")).hexdigest()


# Process-wide holder of the random PIN. Not per-user data: one PIN for the classroom server, made once per process.
_random_pin: str | None = None
_random_lock = threading.Lock()


def normalise(text: object) -> str:
    """A PIN as typed ("１２３ ４５６", " 123456 ") in its one comparable form ("123456")."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def current_pin() -> Pin:
    """The configured PIN, else this process's random PIN (made and logged on the first call)."""
    global _random_pin
    configured = normalise(setting(PIN_SETTING))
    if configured:
        return Pin(configured, "configured")
    with _random_lock:
        if _random_pin is None:
            _random_pin = "".join(secrets.choice("0123456789") for _ in range(RANDOM_PIN_DIGITS))
            # The only place the random PIN appears: the terminal / log of the server the instructor started.
            LOG.warning("%s is not set: the instructor PIN for this server run is %s", PIN_SETTING, _random_pin)
        return Pin(_random_pin, "random")


def forget_random_pin() -> None:
    """Drop the random PIN (tests; a restarted process makes a new one anyway)."""
    global _random_pin
    with _random_lock:
        _random_pin = None


def pin_matches(typed: object, pin: Pin) -> bool:
    """Whether ``typed`` is the PIN, compared in constant time. An empty PIN never matches."""
    given = normalise(typed).encode("utf-8")
    expected = pin.value.encode("utf-8")
    if not expected:
        return False
    return hmac.compare_digest(given, expected)


# ---- throttling ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempts:
    """Wrong PINs in a row and, after too many, the moment (``time.monotonic`` seconds) the wait ends."""

    failures: int = 0
    locked_until: float = 0.0
    last_failure: float = 0.0

    def wait(self, now: float) -> float:
        """Seconds left to wait before a PIN is checked again (0 when not locked)."""
        return max(0.0, self.locked_until - now)

    def failed(self, now: float) -> Attempts:
        """After one more wrong PIN: the ``MAX_FAILURES``-th in a row starts the wait and the count again."""
        failures = self.failures + 1
        if failures >= MAX_FAILURES:
            return Attempts(0, now + LOCKOUT_SECONDS, now)
        return replace(self, failures=failures, last_failure=now)


@dataclass(frozen=True)
class Verdict:
    """The outcome of one try: ``granted``; else ``wait`` seconds (locked, the PIN was not checked) or wrong
    (``left`` tries before the wait)."""

    granted: bool
    wait: float = 0.0
    left: int = MAX_FAILURES


class Throttle:
    """Wrong PINs per client address, shared by every session of the process (thread-safe)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._by_client: dict[str, Attempts] = {}

    def now(self) -> float:
        return self._clock()

    def attempts(self, client: str) -> Attempts:
        with self._lock:
            return self._by_client.get(client, Attempts())

    def record(self, client: str, attempts: Attempts) -> None:
        with self._lock:
            if attempts == Attempts():
                self._by_client.pop(client, None)
                return
            self._by_client[client] = attempts
            if len(self._by_client) > MAX_CLIENTS:
                self._prune()

    def _prune(self) -> None:
        now = self._clock()
        stale = [c for c, a in self._by_client.items()
                 if a.wait(now) == 0 and now - a.last_failure > FORGET_AFTER_SECONDS]
        for client in stale:
            del self._by_client[client]
        while len(self._by_client) > MAX_CLIENTS:  # still full: forget the oldest unlocked entries first
            oldest = min(self._by_client, key=lambda c: (self._by_client[c].wait(now) > 0,
                                                         self._by_client[c].last_failure))
            del self._by_client[oldest]


def try_pin(
    typed: object,
    pin: Pin,
    session: Attempts,
    client: str,
    throttle: Throttle,
) -> tuple[Verdict, Attempts]:
    """Check ``typed`` against ``pin`` for a session (its ``session`` attempts) from ``client``.

    Returns the verdict and the session's attempts afterwards (the caller keeps them in the session); the client's
    attempts are updated in ``throttle``. While either the session or the client waits, nothing is checked."""
    now = throttle.now()
    by_client = throttle.attempts(client)
    wait = max(session.wait(now), by_client.wait(now))
    if wait > 0:
        return Verdict(False, wait=wait, left=0), session
    if pin_matches(typed, pin):
        throttle.record(client, Attempts())
        return Verdict(True), Attempts()
    session, by_client = session.failed(now), by_client.failed(now)
    throttle.record(client, by_client)
    wait = max(session.wait(now), by_client.wait(now))
    left = 0 if wait > 0 else MAX_FAILURES - max(session.failures, by_client.failures)
    return Verdict(False, wait=wait, left=left), session


def client_address(remote_ip: str | None, headers: dict[str, str] | None = None) -> str:
    """Who is typing, for the per-client count: the connection's address. Only a connection from this machine (a
    local reverse proxy, or the instructor's own browser) may name the real client in ``X-Forwarded-For`` /
    ``X-Real-IP``: from anywhere else such a header is the client's own word and is ignored."""
    remote = (remote_ip or "").strip()
    if remote and remote not in {"127.0.0.1", "::1", "localhost"}:
        return remote
    lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
    forwarded = lowered.get("x-forwarded-for", "").split(",")[0].strip() or lowered.get("x-real-ip", "").strip()
    return forwarded or "local"
