"""Lock-up commitments per party: controllers, directors/supervisors/officers, core technical staff;
the unprofitable-issuer lock-up (3 complete fiscal years 不减持) and the 36/12-month lock-ups.

A clause without a party ("自上市之日起3个完整会计年度内，不减持…") belongs to the party named in
the nearest sentence before it on the same page.
"""

from __future__ import annotations

import re

from checker.facts.context import Ctx, rx
from checker.facts.registry import FactSpec

NAME = "lockups"
READS = ("parties",)  # extractors whose facts this one reads (checker/facts/run.py)
_WANTED = [("controllers", "unprofitable"), ("dso", "unprofitable"), ("core_tech", "unprofitable"),
           ("controllers", "36m"), ("core_tech", "12m")]
_WHO = {"controllers": "controlling shareholder / actual controller", "dso": "directors, supervisors, officers",
        "core_tech": "core technical staff"}
_WHAT = {"unprofitable": "no reduction for 3 complete fiscal years while unprofitable", "36m": "36-month lock-up",
         "12m": "12-month lock-up"}
PRODUCES = [FactSpec(f"lockup.{p}_{k}", "bool", f"{_WHO[p]}: {_WHAT[k]} commitment") for p, k in _WANTED]


def extract(ctx: Ctx) -> None:
    lex = ctx.lex
    action, fy3 = rx(lex["action"]), rx(lex["three_fiscal_years"])
    m36, m12 = rx(lex["m36"]), rx(lex["m12"])
    parties = {k: rx(v) for k, v in lex["parties"].items()}
    context = rx(lex["context"])
    excluded = rx(lex["excluded"])
    found: dict[str, tuple] = {}
    # Names of each role (parties extractor): a commitment by a named person counts for every role
    # that person holds (a core technical staff member who is also a director commits as a director).
    rosters = {"dso": _names(ctx, "directors", "senior_management", "supervisors"),
               "core_tech": _names(ctx, "core_technical_staff")}
    committed: dict[str, dict[str, tuple]] = {}  # kind -> name -> where
    ctx_page = None
    for p in ctx.m.body_pages:
        sp = ctx.m.page_span(p)
        if not sp.holds(action):
            continue
        if ctx_page is None and sp.holds(context):
            ctx_page = p
        # parties are read over the page's joined text, an excepted party ("除实际控制人…外，其余…")
        # blanked out: a sentence names every party whose word overlaps it, so a heading wrapped
        # inside a word ("…及核心技" / "术人员的相关承诺") names it on both sides of the break
        text = _blank(sp.text, excluded)
        mentions = [(mt.start(), mt.end(), k) for k, r in parties.items() for mt in r.finditer(text)]
        last: set[str] = set()
        for a, b in sp.sentences():
            s = sp.text[a:b]
            named = {k for ms, me, k in mentions if ms < b and me > a}
            if any(ms < a < me for ms, me, _ in mentions):
                named |= last  # the sentence goes on a word the one before began
            who = named or last
            if named:
                last = named
            if not action.search(s):
                continue
            if not who:
                # the party a commitment is made by heads its section ("（一）实际控制人钱永学…承诺")
                for h in ctx.m.headings_at(sp.line_at(a).idx):
                    who = {k for k, r in parties.items() if r.search(_blank(h.title, excluded))}
                    if who:
                        break
            if not who:
                head = text[max(0, a - 200) : a]
                who = {k for k, r in parties.items() if r.search(head)}
            kinds = []
            if fy3.search(s):
                kinds.append("unprofitable")
            if m36.search(s):
                kinds.append("36m")
            if m12.search(s) or m36.search(s):
                kinds.append("12m")  # NOTE: a 36-month lock-up also meets the 12-month floor of LR 2.4.5
            for k in kinds:
                for party in who:
                    found.setdefault(f"{party}_{k}", (sp, a, b))
            if kinds and any(rosters.values()):
                # who commits: the sentence itself, the enclosing headings, or the nearest lead-in
                # before it ("发行人实际控制人钱永学及其一致行动人孟浩、欧阳毅作出如下承诺：")
                leads = list(re.finditer(r"[^。;；:：]{0,80}(?:作出|做出|出具)?(?:了)?(?:如下|以下)?承诺(?:如下)?[:：]", sp.text[max(0, a - 800) : a]))
                scope = s + "".join(h.title for h in ctx.m.headings_at(sp.line_at(a).idx)[:3]) + (leads[-1].group(0) if leads else "")
                for name in set().union(*rosters.values()):
                    if name in scope:
                        for k in kinds:
                            committed.setdefault(k, {}).setdefault(name, (sp, a, b))
    m = ctx.m
    for party, k in _WANTED:
        names = rosters.get(party) or []
        by_name = committed.get(k, {})
        if f"{party}_{k}" not in found and names and all(n in by_name for n in names):
            found[f"{party}_{k}"] = by_name[names[0]]
    for party, k in _WANTED:
        path = f"lockup.{party}_{k}"
        if f"{party}_{k}" in found:
            sp, a, b = found[f"{party}_{k}"]
            ctx.add(path, True, [ctx.ev(sp.line_at(a), quote=sp.text[a:b])], confidence=0.8)
        elif ctx_page is not None:
            ev = ctx.searched([m.chapter(c) for c in ("investor_protection", "issuer_basic", "other_matters", "appendices")],
                              f"no {_WHAT[k]} commitment of the {_WHO[party]}")
            ctx.add(path, False, ev or ctx.searched_pages([ctx_page], "commitments"), confidence=0.7)
        else:
            ctx.missing(path, "no lock-up commitments (股份锁定 / 限售安排) found")


def _names(ctx: Ctx, *paths: str) -> list[str]:
    out: list[str] = []
    for p in paths:
        v = ctx.value(p)
        for n in v if isinstance(v, list) else ([v] if isinstance(v, str) else []):
            if isinstance(n, str) and len(n) >= 2 and n not in out:
                out.append(n)
    return out


def _blank(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with each match of ``pattern`` replaced by spaces (positions kept)."""
    return pattern.sub(lambda mt: " " * len(mt.group(0)), text)
