"""The stage utilisation in percent points, as the 1.3 table shows it."""

from __future__ import annotations

import pytest

from tests.workbook.test_bottleneck import FUNNEL
from workbook import bottleneck as neck


def test_utilisation_in_percent_points() -> None:
    results = neck.analyse(FUNNEL).results
    # prospect 1.2 ÷ 3.0 deals a week = 0.4 → 40; invite 1.2 ÷ 1.8 = 0.667 → 66.7; the constraint 1.2 ÷ 1.2 → 100
    assert [r.utilisation_pct for r in results[:4]] == pytest.approx([40.0, 66.667, 66.667, 100.0], rel=1e-4)
