"""Registry of known fact paths: rule files may only reference paths that match one of these.

design.md section 5 lists the contract paths; the rest are extensions documented here.
"""

from __future__ import annotations

import re

_YEAR = r"\d{4}"
_METRICS = (
    "revenue|net_profit_parent|net_profit_parent_deducted|rd_ratio_percent|"
    "operating_cash_flow|rd_investment"
)

PATTERNS: dict[str, str] = {
    r"document\.(kind|stage|board|language|title)": "document identity",
    r"issuer\.(name|unprofitable_latest_year|industry)": "issuer",
    r"listing_standard\.(claimed|expected_market_cap_min|claimed_met|claimed_numeric|claimed_financial_met)": "listing standard",
    r"listing_standard\.meets\.(1a|1b|1|2|3|4|5)": "LR 2.1.2 item met by the figures (derived)",
    rf"financials\.({_METRICS})\.{_YEAR}": "per fiscal year figures",
    rf"financials\.latest\.({_METRICS}|net_profit_lower)": "latest full fiscal year (derived)",
    r"financials\.(latest_year|partial_period)": "reporting period",
    rf"financials\.partial\.({_METRICS})": "partial-period figures",
    r"disclosure\.[a-z_]+": "presence of a disclosure (bool, evidence = where found / where searched)",
    r"sections\.[a-z_]+": "chapter or heading found",
    r"intermediaries\.(sponsor|sponsor_representatives|law_firm|lawyers|auditor|accountants|appraiser)": "intermediaries",
    r"(controlling_shareholder|actual_controller|directors|supervisors|senior_management|"
    r"core_technical_staff|shareholders_5pct)": "parties",
    r"screening\.blacklist\.(lists_supplied|subjects_screened|hits|near_misses|hit_subjects|near_miss_subjects)": "blacklist screening",
    r"consistency\.[a-z_]+": "cross-section consistency (derived)",
    r"document\.(layout|date)": "prospectus layout (std57 | std41) and prospectus date (ISO) (disclosures.py)",
    r"issuer\.(has_wvr|is_red_chip|has_vie|wvr_votes_per_share)": "special voting rights, red chip, VIE (disclosures.py)",
    r"issuer\.main_business": "one-sentence main business statement (build.py)",
    r"financials\.accumulated_uncovered_losses(_date)?": "累计未弥补亏损 amount (yuan) and its date (ISO) (build.py)",
    r"kc\.(rd_staff_count|rd_staff_ratio_percent|invention_patents|invention_patents_main_business|"
    r"invention_patents_main_business_min|answer_(rd_investment|rd_staff|patents|revenue)|exception_claimed|"
    r"exceptions|software_company|transition_old_rules|version_stated)": "科创属性 facts (kc.py)",
    r"kc\.(rd_ratio_3y_percent|rd_cumulative_3y|revenue_cagr_3y_percent|applicable_version)": "科创属性 derived (derive_kc.py)",
    r"kc\.meets\.(v2020|v2021|v2022|v2024)": "科创属性 regular indicators met per guideline version (derive_kc.py)",
    r"industry\.(main_business|restricted_signal|prohibited_signal|prohibited_main_business|supported_field)": "industry positioning (kc.py)",
    r"lockup\.(controllers|dso|core_tech)_(unprofitable|36m|12m)": "lock-up commitments per party (kc.py)",
    r"risk_factors\.(items|with_mitigation|unquantified|unquantified_percent)": "risk-factor quality (kc.py)",
    r"std5\.(state_approval|phased_results|phase2|pharma|market_space)": "standard (五) conditions evidence (kc.py)",
}

_COMPILED = [re.compile(p + r"\Z") for p in PATTERNS]


def is_known(path: str) -> bool:
    """True when path matches a registered fact path pattern."""
    return any(c.match(path) for c in _COMPILED)
