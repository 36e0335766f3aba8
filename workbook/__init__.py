"""workbook — the domain package of 客户分层经营训练手册 (pure Python + pandas; never imports streamlit).

The stable facade below is what tests, benchmarks and outside tools use. Names resolve lazily from their
domain module so that importing ``workbook`` stays cheap for a page that needs only one of them.
"""

from __future__ import annotations

import importlib
from typing import Any

# public name -> module (one domain noun per module)
_FACADE: dict[str, str] = {
    "sample_book": "samples",
    "money_text": "money",
    "money_texts": "money",
    "read_book": "intake",
    "BookLoad": "intake",
    "BookError": "intake",
    "preview_source": "intake",
    "IntakeChoices": "intake",
    "SourcePreview": "intake",
    "IntakeReport": "intake",
    "IntakeIssue": "intake",
    "mask_frame": "privacy",
    "mask_value": "privacy",
    "detect_pii": "privacy",
    "profitability": "profit",
    "whale_curve": "profit",
    "whale_summary": "profit",
    "ProfitParams": "profit",
    "ProfitParamError": "profit",
    "service_review": "profit",
    "CostAssumptions": "profit",
    "assumed_inputs": "profit",
    "new_customers": "profit",
    "new_customer_flags": "profit",
    "SCHEMES": "segmentation",
    "segment": "segmentation",
    "segment_detail": "segmentation",
    "Segmentation": "segmentation",
    "SegmentWarning": "segmentation",
    "SchemeParamError": "segmentation",
    "INSUFFICIENT": "segmentation",
    "tier_summary": "segmentation",
    "crosstab": "segmentation",
    "migration": "segmentation",
    "DIMENSIONS": "segmentation",
    "profile_table": "profiles",
    "persona_cards": "personas",
    "degree_plan": "degrees",
    "tier_actuals": "services",
    "plan_vs_today": "services",
    "course_blend": "peers",
    "four_degrees": "degrees",
    "compound_uplift": "performance",
    "balanced_uplift": "performance",
    "derive_from_book": "performance",
    "subordinate": "bottleneck",
    "day_agenda": "agenda",
    "PEER_BANKS": "peers",
    "aum_preset": "peers",
    "simulate_hysteresis": "gradient",
    "star_result": "gradient",
    "plan_costs": "services",
    "check_exercise1": "exercises",
    "exercise1_submission": "exercises",
    "WorkspaceError": "workspace",
    "LADDER": "ladder",
    "engagement_figures": "ladder",
    "suggest_level": "ladder",
    "next_levels": "ladder",
    "throughput_by_tier": "throughput",
    "throughput_totals": "throughput",
    "allocate_hours": "throughput",
    "AllocationError": "throughput",
    "HoursInfeasibleError": "throughput",
    "strategies": "strategy",
    "check_exercise2": "exercises",
    "exercise2_submission": "exercises",
    "segment_evidence": "exercises",
    "latent_needs": "kyc",
    "life_stage": "kyc",
    "book_needs": "kyc",
    "need_groups": "kyc",
    "NEED_RULES": "kyc",
    "four_account_plan": "households",
    "HouseholdError": "households",
    "mask_text": "privacy",
    "leverage_table": "leverage",
    "suggest_events": "leverage",
    "event_calendar": "leverage",
    "LeverageError": "leverage",
    "export_xlsx": "export",
    "export_filename": "export",
    "ModuleSheet": "export",
    "ExportContext": "export",
    "resume_from_xlsx": "resume",
    "Resumed": "resume",
    "ResumeFileError": "resume",
    "class_workbook": "class_export",
    "roster": "classroom",
    "scheme_choices": "classroom",
    "compare_exercise1": "classroom",
    "timer_activities": "classroom",
    "poll_payload": "poll",
    "PollResult": "poll",
    "page_times": "teaching",
    "try_pin": "access",
}

__all__ = sorted(_FACADE)


def __getattr__(name: str) -> Any:
    module_name = _FACADE.get(name)
    if module_name is None:
        raise AttributeError(f"module 'workbook' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"workbook.{module_name}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
