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
    r"listing_standard\.(claimed|expected_market_cap_min|claimed_met|claimed_numeric)": "listing standard",
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
}

_COMPILED = [re.compile(p + r"\Z") for p in PATTERNS]


def is_known(path: str) -> bool:
    """True when path matches a registered fact path pattern."""
    return any(c.match(path) for c in _COMPILED)
