"""The trainee's 1.4 settings, for every page that prices customers (1.4, 2.2, 3.2, 3.3, 3.4, 4.x, the exercises).

One source: the workspace's module "s1_4" (hourly cost, spreads, potential tests, the edited cost-to-serve
assumptions per tier) and 3.4's ``aum`` plan (the service standard), turned into ``ProfitParams`` by
``workbook.asset_review.trainee_params`` — the function page 1.4 itself uses. A page never builds ProfitParams from
its own reading of the workspace, so an edit on 1.4 shows the same figures on every page.
"""

from __future__ import annotations

from typing import Any

from ui.state import module_values
from workbook import asset_review, services
from workbook.profit import ProfitParams

S1_4 = "s1_4"
S3_4 = "s3_4"


def profit_params() -> tuple[ProfitParams, bool]:
    """The trainee's ProfitParams, and whether the hourly cost comes from their 1.4 entries (else the defaults)."""
    return services.profit_params_from(module_values(S1_4), module_values(S3_4, {"overrides": {}}))


def kind_settings() -> dict[str, Any]:
    """The 1.4 entries the trainee changed (``asset_review.settings_from``), as the asset/liability dimension's
    parameters; empty when they kept the defaults."""
    return asset_review.settings_from(module_values(S1_4))
