"""Collect the parties a filing names (issuer, shareholders, officers, intermediaries) from its facts."""

from __future__ import annotations

import re

from checker.facts.model import Evidence, Fact, FactSet

from .model import Subject
from .normalize import fold, guess_type, name_key, squash

# fact path -> role id (role labels, zh/en, are in labels.yaml)
ROLE_PATHS: dict[str, str] = {
    "issuer.name": "issuer",
    "controlling_shareholder": "controlling_shareholder",
    "actual_controller": "actual_controller",
    "shareholders_5pct": "shareholder_5pct",
    "directors": "director",
    "supervisors": "supervisor",
    "senior_management": "senior_management",
    "core_technical_staff": "core_technical_staff",
    "intermediaries.sponsor": "sponsor",
    "intermediaries.sponsor_representatives": "sponsor_representative",
    "intermediaries.law_firm": "law_firm",
    "intermediaries.lawyers": "lawyer",
    "intermediaries.auditor": "auditor",
    "intermediaries.accountants": "accountant",
    "intermediaries.appraiser": "appraiser",
}
# optional facts holding a unified social credit code for the subject at the same path
CREDIT_CODE_PATHS: dict[str, str] = {
    "issuer.name": "issuer.credit_code",
}

# values that say "there is none" (无控股股东, 无实际控制人, 不适用 ...)
_NONE_RE = re.compile(
    r"^(无|没有|不适用|暂无|n/?a|none|nil|null|-+|—+)$|^无(控股股东|实际控制人)|不存在(控股股东|实际控制人)",
    re.IGNORECASE,
)
# separators inside one string value listing several names (never the ASCII comma: "X Co., Ltd.")
_SPLIT_RE = re.compile(r"[、；;，\n]+")
# a field label left in front of a name by the extractor ("名称北京某某有限公司", "姓名：张三")
_LABEL_RE = re.compile(r"^(?:名称|姓名|全称)\s*[:：]?\s*")


def _names(value: object) -> list[str]:
    if value is None or isinstance(value, bool):
        return []
    items = value if isinstance(value, list) else [value]
    out: list[str] = []
    for item in items:
        if not isinstance(item, str):
            continue
        for part in _SPLIT_RE.split(item):
            part = _LABEL_RE.sub("", part.strip()).strip("。.")
            folded = fold(part)
            if squash(folded) and not _NONE_RE.search(folded.replace(" ", "")):
                out.append(part)
    return out


def _evidence_for(name: str, fact: Fact) -> list[Evidence]:
    """The fact's evidence items whose quote contains the name; all of them if none does."""
    target = squash(fold(name))
    picked = [e for e in fact.evidence if target and target in squash(fold(e.quote))]
    return picked or list(fact.evidence)


def subjects_from_facts(facts: FactSet) -> list[Subject]:
    """One subject per distinct (type, normalised name); a person in several roles is one subject."""
    by_key: dict[tuple[str, str], Subject] = {}
    order: list[tuple[str, str]] = []
    for path, role in ROLE_PATHS.items():
        fact = facts.get(path)
        if fact is None:
            continue
        for name in _names(fact.value):
            type_ = guess_type(name)
            key = (type_, name_key(name, type_))
            if not key[1]:
                continue
            subj = by_key.get(key)
            if subj is None:
                subj = Subject(name=name, type=type_)
                by_key[key] = subj
                order.append(key)
            if role not in subj.roles:
                subj.roles.append(role)
            for ev in _evidence_for(name, fact):
                if ev not in subj.evidence:
                    subj.evidence.append(ev)
            code_path = CREDIT_CODE_PATHS.get(path)
            if code_path and subj.credit_code is None:
                code = facts.value(code_path)
                if isinstance(code, str) and code.strip():
                    subj.credit_code = code.strip()
    return [by_key[k] for k in order]


def roles_missing(facts: FactSet) -> dict[str, str]:
    """Role paths with no fact (and why, where the extractor said), for needs_review reporting."""
    out: dict[str, str] = {}
    for path in ROLE_PATHS:
        if facts.get(path) is None:
            out[path] = facts.missing.get(path, "not extracted")
    return out
