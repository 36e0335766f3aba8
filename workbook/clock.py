"""The classroom's clock: moments are kept in UTC and shown in the classroom's local time.

The store stamps every save and submission in UTC (one server may serve a class anywhere); a trainee reads a
receipt in the room's time zone, Asia/Shanghai unless the instructor sets ``WORKBOOK_TIMEZONE`` (an IANA name
such as ``Asia/Hong_Kong``) in the environment or the secrets file.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workbook.settings import setting

TIMEZONE_SETTING = "WORKBOOK_TIMEZONE"
DEFAULT_TIMEZONE = "Asia/Shanghai"
# How a receipt names the zone; any other zone is named by its IANA key.
ZONE_NAMES: dict[str, dict[str, str]] = {
    "Asia/Shanghai": {"zh": "北京时间", "en": "Beijing time"},
    "Asia/Hong_Kong": {"zh": "香港时间", "en": "Hong Kong time"},
    "Asia/Macau": {"zh": "澳门时间", "en": "Macau time"},
    "Asia/Taipei": {"zh": "台北时间", "en": "Taipei time"},
    "Asia/Singapore": {"zh": "新加坡时间", "en": "Singapore time"},
}
LOG = logging.getLogger(__name__)


def classroom_zone() -> ZoneInfo:
    """The configured zone; an unknown name falls back to Asia/Shanghai (and says so in the server log)."""
    name = setting(TIMEZONE_SETTING) or DEFAULT_TIMEZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        LOG.warning("%s=%r is not a known time zone; using %s", TIMEZONE_SETTING, name, DEFAULT_TIMEZONE)
        return ZoneInfo(DEFAULT_TIMEZONE)


def now() -> datetime:
    """The current moment, in UTC (what the store keeps)."""
    return datetime.now(UTC)


def local_time_text(moment: datetime | str, lang: str = "zh") -> str:
    """A stored moment as the room reads it: ``2026-12-05 14:34（北京时间）`` / ``2026-12-05 14:34 (Beijing time)``.

    Accepts an aware datetime or its ISO text (as kept in a workspace); a naive value is taken as UTC. Text that
    is not a moment comes back unchanged, so a hand-edited workspace never breaks a page.
    """
    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return str(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    zone = classroom_zone()
    local = moment.astimezone(zone)
    names = ZONE_NAMES.get(zone.key, {"zh": zone.key, "en": zone.key})
    stamp = local.strftime("%Y-%m-%d %H:%M")
    return f"{stamp} ({names['en']})" if lang == "en" else f"{stamp}（{names['zh']}）"
