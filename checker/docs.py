"""Rule documentation generated from rule metadata (``starcheck rules docs``).

One Markdown page per rule (``templates/rule.md.j2``, fixed sections in the manner of ruff), an
index page, and the rule table in the README between ``<!-- BEGIN rules-table -->`` and
``<!-- END rules-table -->``. Every writer has a check mode for CI that reports stale files
without writing them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
import yaml

from checker.facts.registry import spec_for
from checker.resources import templates_dir
from checker.ruleset.loader import load_cases
from checker.ruleset.spec import Condition, RuleSpec

BEGIN = "<!-- BEGIN rules-table -->"
END = "<!-- END rules-table -->"
INDEX = "README.md"
_OPS = {
    "eq": "is",
    "ne": "is not",
    "lt": "<",
    "lte": "≤",
    "gt": ">",
    "gte": "≥",
    "in": "is one of",
    "not_in": "is none of",
    "exists": "is known",
    "missing": "is not known",
}


def fmt_value(v: Any) -> str:
    """A condition value as a reader expects it (big numbers grouped, booleans lower-case)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, Decimal)) or (isinstance(v, float) and v.is_integer()):
        n = int(v)
        return f"{n:,}" if abs(n) >= 10_000 else str(n)
    if isinstance(v, list):
        return ", ".join(fmt_value(x) for x in v)
    return str(v)


def render_condition(cond: Condition | None, indent: int = 0) -> list[str]:
    """A condition tree as nested Markdown bullet lines."""
    if cond is None:
        return []
    pad = "  " * indent
    if cond.all is not None or cond.any is not None:
        kids = cond.all if cond.all is not None else cond.any
        if len(kids) == 1:  # type: ignore[arg-type]
            return render_condition(kids[0], indent)  # type: ignore[index]
        head = "all of:" if cond.all is not None else "any of:"
        out = [f"{pad}- {head}"]
        for c in kids:  # type: ignore[union-attr]
            out += render_condition(c, indent + 1)
        return out
    if cond.not_ is not None:
        return [f"{pad}- not:"] + render_condition(cond.not_, indent + 1)
    op = _OPS[cond.op]  # type: ignore[index]
    if cond.op in ("exists", "missing"):
        return [f"{pad}- `{cond.fact}` {op}"]
    return [f"{pad}- `{cond.fact}` {op} `{fmt_value(cond.value)}`"]


def fact_description(path: str) -> str:
    """What a fact path holds, from the fact registry (checker/facts/registry.py)."""
    spec = spec_for(path)
    return spec.description if spec else ""


def fact_producer(path: str) -> str:
    """The extractor module that sets a fact path."""
    spec = spec_for(path)
    return spec.producer if spec else ""


def _families(specs: Iterable[RuleSpec]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for s in specs:
        if s.family in out:
            continue
        f = Path(s.source_file).with_name("_family.yaml")
        out[s.family] = yaml.safe_load(f.read_text(encoding="utf-8")) if f.exists() else {}
    return out


def _examples(spec: RuleSpec) -> list[dict[str, Any]]:
    out = []
    for name, case in load_cases(spec).items():
        facts = [_cell(f"`{p}` = `{fmt_value(v)}`") for p, v in case.facts.items()]
        params = [_cell(f"`{k}` = `{fmt_value(v)}`") for k, v in case.params.items()]
        expect = case.expect["status"] + (
            f" ({case.expect['severity']})" if "severity" in case.expect else ""
        )
        out.append(
            {"name": name, "note": _cell(case.note or ""), "facts": facts, "params": params, "expect": expect}
        )
    return out


def _citation_lines(spec: RuleSpec) -> list[str]:
    out = []
    for c in spec.citations:
        line = f"- {c.source}, {c.article} ({c.version})"
        if not c.confirmed:
            line += " — **unconfirmed**: verify against the official text on sse.com.cn / csrc.gov.cn"
        out.append(line)
        if c.quote:
            out.append(f"  > {c.quote}")
    return out


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        autoescape=False,  # NOTE: Markdown output, not HTML
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def render_rule(spec: RuleSpec, family: dict[str, Any] | None = None) -> str:
    """The Markdown page of one rule."""
    tpl = _env().get_template("rule.md.j2")
    return tpl.render(
        spec=spec,
        family=family or {},
        applies=render_condition(spec.applies_when),
        check=render_condition(spec.check),
        review=render_condition(spec.review_when),
        severity_when=[(render_condition(sw.when), sw.severity.value) for sw in spec.severity_when],
        cites=_citation_lines(spec),
        facts=[(p, fact_description(p), fact_producer(p)) for p in spec.referenced_facts()],
        examples=_examples(spec),
        fmt=fmt_value,
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table(specs: Iterable[RuleSpec], link_prefix: str = "docs/rules/") -> str:
    """Markdown table of all rules (ID, title zh/en, severity, status), in ID order."""
    rows = [
        "| ID | Title | 标题 | Severity | Status |",
        "|---|---|---|---|---|",
    ]
    for s in sorted(specs, key=lambda s: s.id):
        status = s.status + (" · unconfirmed" if s.unconfirmed else "")
        rows.append(
            f"| [{s.id}]({link_prefix}{s.id}.md) | {_cell(s.title.en)} | {_cell(s.title.zh)} "
            f"| {s.severity.value} | {status} |"
        )
    return "\n".join(rows) + "\n"


def _index(specs: list[RuleSpec]) -> str:
    fams = _families(specs)
    out = [
        "# starcheck rules",
        "",
        "Generated by `starcheck rules docs` from the rule files; do not edit.",
        "",
    ]
    for fam in sorted(fams):
        info = fams[fam]
        title = info.get("title") or {}
        out += [f"## {fam} · {title.get('en', '')} / {title.get('zh', '')}".rstrip(" /·"), ""]
        out.append(rules_table([s for s in specs if s.family == fam], link_prefix=""))
    return "\n".join(out)


def expected_docs(specs: Iterable[RuleSpec]) -> dict[str, str]:
    """File name -> content of every generated page (rule pages plus the index)."""
    specs = sorted(specs, key=lambda s: s.id)
    fams = _families(specs)
    pages = {f"{s.id}.md": render_rule(s, fams.get(s.family)) for s in specs}
    pages[INDEX] = _index(specs)
    return pages


def write_rule_docs(specs: Iterable[RuleSpec], out_dir: Path, check: bool = False) -> list[Path]:
    """Write the rule pages into out_dir; return the files written (or, with check, the stale ones).

    A page is stale when it is missing, differs from what the rules generate, or belongs to a rule
    that no longer exists (such orphan pages are removed when writing).
    """
    out_dir = Path(out_dir)
    want = expected_docs(specs)
    changed: list[Path] = []
    for name, text in want.items():
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(path)
            if not check:
                out_dir.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if out_dir.is_dir():
        for path in sorted(out_dir.glob("STAR-*.md")):
            if path.name not in want:
                changed.append(path)
                if not check:
                    path.unlink()
    return changed


def update_readme_table(readme: Path, specs: Iterable[RuleSpec], check: bool = False) -> bool:
    """Rewrite the rule table between the README markers; True when it changed (or would change).

    Raises:
        ValueError: the README lacks the markers.
    """
    readme = Path(readme)
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{readme}: no '{BEGIN}' ... '{END}' block to update")
    new = text[: start + len(BEGIN)] + "\n" + rules_table(specs) + text[end:]
    if new == text:
        return False
    if not check:
        readme.write_text(new, encoding="utf-8")
    return True
