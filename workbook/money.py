"""Money as people read it — the team's one display rule for amounts, used by every page and by the domain's own
messages (so it lives here, where ``ui`` and ``workbook`` can both reach it; it imports nothing of either).

In running text and in metrics, the way a banker writes it (:func:`money_text`): no space, no needless decimal —
800万元 · 36.5万元 · 1,235万元 · 1.25亿元 · 2,500元 in Chinese; CNY 8m · CNY 365k · CNY 36.5k · CNY 2.5k · CNY 420 in
English. From 1万元 (CNY 1k) up an amount keeps at most three significant figures below 100 of its unit and whole
units from there (1,235万元; English millions and billions keep two decimals: CNY 12.35m). A figure that rounds up
into the next unit is written in that unit: 999,999 元 is 100万元 and CNY 1m, never "CNY 1,000k"; 99,999,999 元 is
1亿元, never "10,000万元".

In a table, one unit per column, stated in the header: :func:`wan_cell` for a column in 万元 (CNY 10k) — whole
from 100 up, one decimal from 1, two below (12,345 · 36.5 · 0.35) — and :func:`yuan_cell` for small per-customer
amounts in 元 (1,234); :func:`wan_input` echoes an amount the trainee typed in 万元 at the 0.1 万元 it was typed
to. A missing amount (None or NaN) is "—" everywhere; a value that rounds to zero never shows a minus sign.

Threshold labels of a tier ladder (5万 · 600万, exact, never rounded) are a different thing and stay with the
ladders (``peers.amount_text``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

WAN = 10_000.0  # 元 in one 万元

# (size in 元, suffix) from the smallest unit up; the decimals each unit shows are decided by _decimals_*.
_ZH_UNITS: tuple[tuple[float, str], ...] = ((1.0, "元"), (1e4, "万元"), (1e8, "亿元"))
_EN_UNITS: tuple[tuple[float, str], ...] = ((1.0, ""), (1e3, "k"), (1e6, "m"), (1e9, "bn"))


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _trimmed(number: float, decimals: int) -> str:
    """``number`` with separators and ``decimals`` decimals, trailing zeros dropped (800, 36.5, 1.25)."""
    text = f"{number:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _signed(negative: bool, text: str) -> str:
    """A minus sign only where the shown figure is not zero ("-0" would read as a loss that is not there)."""
    return "-" + text if negative and any(ch in "123456789" for ch in text) else text


def _decimals_zh(unit: int, number: float) -> int:
    return (0, 1 if number < 100 else 0, 2)[unit]


def _decimals_en(unit: int, number: float) -> int:
    return (0, 1 if number < 100 else 0, 2, 2)[unit]


def _in_unit(amount: float, units: tuple[tuple[float, str], ...],
             decimals: Callable[[int, float], int]) -> tuple[str, str]:
    """(figure, suffix) of a non-negative ``amount``: the largest unit it reaches, moved up one unit while the
    rounded figure would reach the next (99.996万 → "100" 万元 is fine; 9,999.99万 would be 1亿)."""
    unit = max((i for i, (size, _suffix) in enumerate(units) if amount >= size), default=0)
    while True:
        size, suffix = units[unit]
        number = amount / size
        places = decimals(unit, number)
        text = f"{number:.{places}f}"
        if unit + 1 < len(units) and float(text) * size >= units[unit + 1][0]:
            unit += 1
            continue
        return _trimmed(number, places), suffix


def money_text(value: float | None, lang: str) -> str:
    """An amount in 元 for a sentence or a metric: 800万元 · 36.5万元 · 1.25亿元 · 2,500元 / CNY 8m · CNY 365k ·
    CNY 2.5k (see the module docstring); "—" when unknown. Any ``lang`` but "zh" is English."""
    if _missing(value):
        return "—"
    assert value is not None
    amount = abs(float(value))
    if lang == "zh":
        figure, suffix = _in_unit(amount, _ZH_UNITS, _decimals_zh)
        return _signed(value < 0, f"{figure}{suffix}")
    figure, suffix = _in_unit(amount, _EN_UNITS, _decimals_en)
    return _signed(value < 0, f"CNY {figure}{suffix}")


def wan_cell(value: float | None) -> str:
    """An amount in 元 for a table column headed in 万元 (CNY 10k): 12,345 · 36.5 · 0.35; "—" when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    wan = float(value) / WAN
    size = abs(wan)
    return _signed(wan < 0, _trimmed(size, 0 if size >= 100 else (1 if size >= 1 else 2)))


def wan_input(value: float) -> str:
    """An amount the trainee typed in 万元, echoed at the 0.1 万元 it is typed to (145.7, 12.5, 800): a worksheet of
    typed amounts (2.1's four accounts) and a message comparing them must not round them together or apart, as
    :func:`wan_cell` would from 100 up (100.3 and 100.2 both "100")."""
    return _signed(value < 0, _trimmed(abs(float(value)) / WAN, 1))


def yuan_cell(value: float | None) -> str:
    """A small amount (per customer) for a table column headed in 元: 1,234; "—" when unknown."""
    if _missing(value):
        return "—"
    assert value is not None
    return _signed(float(value) < 0, f"{abs(float(value)):,.0f}")


def money_texts(values: Sequence[float | None], lang: str) -> tuple[list[str], str]:
    """Amounts that sit side by side in one chart, all in the unit the largest of them takes, and that unit's name
    for the axis title ("万元" / "CNY k"): a waterfall labelled "2.4万元" and "+3,551元" reads as two scales.
    Below 1 of the unit two decimals (0.36万元), below 100 one (2.4万元), whole from there; "—" when unknown."""
    zh = lang == "zh"
    units, decimals = (_ZH_UNITS, _decimals_zh) if zh else (_EN_UNITS, _decimals_en)
    amounts = [abs(float(v)) for v in values if not _missing(v)]  # type: ignore[arg-type]
    _figure, suffix = _in_unit(max(amounts, default=0.0), units, decimals)
    unit = next(i for i, (_size, name) in enumerate(units) if name == suffix)
    size = units[unit][0]
    texts: list[str] = []
    for value in values:
        if _missing(value):
            texts.append("—")
            continue
        assert value is not None
        number = abs(float(value)) / size
        places = 0 if unit == 0 or number >= 100 else (1 if number >= 1 else 2)
        figure = _trimmed(number, places)
        texts.append(_signed(float(value) < 0, f"{figure}{suffix}" if zh else f"CNY {figure}{suffix}"))
    return texts, (suffix if zh else f"CNY {suffix}".strip())
