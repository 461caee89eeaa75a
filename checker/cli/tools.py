"""The maintainer and reviewer subcommands: rules, facts, diff, accuracy, benchmark."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from checker.cli.common import Lang, _die
from checker.errors import StarcheckError

rules_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="The STAR rules.")


class OutFmt(str, Enum):
    """Output of the listing commands: text for people, json for scripts."""

    text = "text"
    json = "json"


def _wants_json(fmt: OutFmt, as_json: bool) -> bool:
    return as_json or fmt == OutFmt.json


@rules_app.command("list")
def rules_list(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    fmt: Annotated[OutFmt, typer.Option("--format", "-f", help="text or json")] = OutFmt.text,
    as_json: Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")] = False,
) -> None:
    """List every rule: id, severity, title, citation."""
    from checker.ruleset.loader import load_rules

    specs = load_rules()
    if _wants_json(fmt, as_json):
        typer.echo(json.dumps([{"id": s.id, "name": s.name, "severity": s.severity.value,
                                "title": s.title.model_dump(), "unconfirmed": s.unconfirmed} for s in specs],
                              ensure_ascii=False, indent=2))
        return
    for s in specs:
        flag = " [U]" if s.unconfirmed else ""
        typer.echo(f"{s.id:<14} {s.severity.value:<8} {s.title.get(lang.value)}{flag}")
        c = s.citations[0]
        typer.echo(f"{'':<24}{c.source} {c.article} ({c.version})")


@rules_app.command("show")
def rules_show(rule_id: str, lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh) -> None:
    """Show one rule's documentation."""
    from checker.ruleset.loader import load_rules

    specs = {s.id: s for s in load_rules()}
    spec = specs.get(rule_id.upper())
    if spec is None:
        _die(f"no rule {rule_id}; see `starcheck rules list`")
    l = lang.value
    typer.echo(f"{spec.id}  {spec.title.get(l)}  [{spec.severity.value}]")
    typer.echo("")
    typer.echo(spec.description.get(l))
    if spec.rationale:
        typer.echo("")
        typer.echo(spec.rationale.get(l))
    typer.echo("")
    for c in spec.citations:
        typer.echo(f"- {c.source} {c.article} ({c.version}){'' if c.confirmed else ' [unconfirmed]'}")


@rules_app.command("docs")
def rules_docs(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the rule pages (required: nothing is written unasked).")],
    readme: Annotated[Optional[Path], typer.Option("--readme", help="A README whose rule table (between the BEGIN/END rules-table markers) is regenerated.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Only report stale files (exit 1), write nothing.")] = False,
) -> None:
    """Maintainers: generate one documentation page per rule (and a README's rule table) from the rule
    metadata. In starcheck's own repository: `starcheck rules docs --out docs/rules --readme README.md`."""
    from checker.docs import update_readme_table, write_rule_docs
    from checker.ruleset.loader import load_rules

    specs = load_rules()
    stale = write_rule_docs(specs, out_dir, check=check)
    if readme is not None and not readme.is_file():
        _die(f"--readme {readme}: no such file")
    table_stale = update_readme_table(readme, specs, check=check) if readme is not None else False
    if check:
        for p in stale:
            typer.echo(f"stale: {p}")
        if table_stale:
            typer.echo(f"stale: rule table in {readme}")
        raise typer.Exit(1 if stale or table_stale else 0)
    typer.echo(f"wrote {len(stale)} rule page(s) to {out_dir}; rule table in {readme} {'updated' if table_stale else 'unchanged'}")


def facts(
    path: Annotated[Optional[Path], typer.Argument(help="The filing (omit with --registry).")] = None,
    fmt: Annotated[OutFmt, typer.Option("--format", "-f", help="text or json")] = OutFmt.text,
    registry: Annotated[bool, typer.Option("--registry", help="Print the fact registry (every fact path, its type, unit, producer) instead.")] = False,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the labels in text output.")] = Lang.zh,
    blacklist: Annotated[Optional[list[Path]], typer.Option("--blacklist", help="Screen the parties against this list too.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the extraction cache.")] = False,
) -> None:
    """The facts of one filing with their evidence: the same stages `starcheck check` evaluates."""
    if registry:
        from checker.facts.registry import registry as fact_registry

        rows = [s.as_dict() for s in fact_registry()]
        if fmt == OutFmt.json:
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            for r in rows:
                typer.echo(f"{r['path']:<52} {r['type']:<8} {r['unit'] or '':<10} {r['producer']}")
                typer.echo(f"{'':<52} {r['description']}")
        return
    if path is None:
        _die("facts needs a FILE (or --registry)")
    from checker.pipeline import CheckOptions, establish_facts, file_sha256
    from checker.ruleset.loader import load_rules, ruleset_hash

    specs = load_rules()
    opts = CheckOptions(blacklists=list(blacklist or []), use_cache=not no_cache, ruleset_sha=ruleset_hash(specs))
    try:
        fs, pages, _, _, _ = establish_facts(path, file_sha256(path), opts)
    except StarcheckError as e:
        _die(f"{path}: {e.message}")
    if fmt == OutFmt.json:
        typer.echo(json.dumps({"path": str(path), "pages": pages,
                               "facts": [f.model_dump(mode="json") for f in fs.as_list()],
                               "missing": fs.missing}, ensure_ascii=False, indent=2))
        return
    from checker.facts.registry import registry as fact_registry
    from checker.report.html import format_value
    from checker.report.labels import fact_label

    order = {s.path: i for i, s in enumerate(fact_registry())}

    def rank(p: str) -> tuple[int, str]:
        import re

        return (order.get(re.sub(r"\.\d{4}$", ".{year}", p), len(order)), p)

    lang_v = lang.value
    for f in sorted(fs.as_list(), key=lambda f: rank(f.path)):
        where = ", ".join(f"p.{e.page}" for e in f.evidence[:3])
        typer.echo(f"{fact_label(f.path, lang_v):<36} {format_value(f.value, f.unit, lang_v):<32} {where}")
        if f.evidence:
            typer.echo(f"{'':<38}{f.evidence[0].quote[:100]}")
    unknown = "未确定" if lang_v == "zh" else "not established"
    for p, why in sorted(fs.missing.items(), key=lambda kv: rank(kv[0])):
        typer.echo(f"{fact_label(p, lang_v):<36} ({unknown}: {why})")


def _report_json(path: Path, no_cache: bool, config: Path | None = None, as_of: str | None = None,
                 blacklist: list[Path] | None = None) -> dict:
    """A JSON report: read as is, or produced by checking the filing with the same settings as
    `starcheck check` (config file, --as-of, --blacklist)."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if "documents" in data:
                return data
        except (OSError, ValueError):
            pass
    from datetime import date

    from checker.config import apply_selection, find_config, load_settings, rule_params
    from checker.pipeline import CheckOptions, check_file
    from checker.ruleset.loader import load_rules, ruleset_hash

    try:
        settings = load_settings(config if config else find_config(Path.cwd()))
        specs = apply_selection(load_rules(params=rule_params(settings)), settings)
        day = date.fromisoformat(as_of) if as_of else settings.as_of
    except ValueError:
        _die(f"--as-of {as_of!r} is not a date of the form YYYY-MM-DD")
    except StarcheckError as e:
        _die(e.message)
    lists = list(blacklist or []) or settings.blacklists
    doc = check_file(path, specs, CheckOptions(as_of=day, blacklists=lists, use_cache=not no_cache,
                                               ruleset_sha=ruleset_hash(specs)))
    return {"documents": [doc.model_dump(mode="json")]}


def diff(
    old: Annotated[Path, typer.Argument(help="Older version: a JSON report or a filing.")],
    new: Annotated[Path, typer.Argument(help="Newer version: a JSON report or a filing.")],
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    fmt: Annotated[OutFmt, typer.Option("--format", "-f", help="text or json")] = OutFmt.text,
    as_json: Annotated[bool, typer.Option("--json", hidden=True, help="Same as --format json.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
    config: Annotated[Optional[Path], typer.Option("--config", help="starcheck.toml or pyproject.toml (default: found from the current folder up).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date (YYYY-MM-DD) whose rules apply.")] = None,
    blacklist: Annotated[Optional[list[Path]], typer.Option("--blacklist", help="Blacklist file; repeatable.")] = None,
) -> None:
    """List findings fixed, new, changed and unchanged between two versions (exit 1 when any is new)."""
    from checker.diff import diff_findings

    for p in (old, new):
        if not p.is_file():
            _die(f"{p}: no such file")
    a, b = (_report_json(p, no_cache, config, as_of, blacklist) for p in (old, new))
    for name, r in (("old", a), ("new", b)):
        if len(r["documents"]) != 1 or r["documents"][0]["status"] != "checked":
            _die(f"the {name} side must be one checked filing")
    result = diff_findings(a["documents"][0]["findings"], b["documents"][0]["findings"])
    if _wants_json(fmt, as_json):
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        heads = {"zh": {"fixed": "已解决", "new": "新增", "changed": "状态变化", "unchanged": "未变"},
                 "en": {"fixed": "fixed", "new": "new", "changed": "changed", "unchanged": "unchanged"}}
        for kind in ("new", "changed", "fixed", "unchanged"):
            typer.echo(f"{heads[lang.value][kind]} ({len(result[kind])})")
            for row in result[kind]:
                typer.echo(f"  {row['rule_id']:<14} {row['old']} -> {row['new']}  {row['message'][lang.value]}")
    raise typer.Exit(1 if result["new"] else 0)


def accuracy(
    labels: Annotated[Optional[Path], typer.Argument(help="Folder of ground-truth YAML files (default: tests/groundtruth).")] = None,
) -> None:
    """Per-fact extraction accuracy against hand-labelled documents, listing every miss."""
    from checker.accuracy import DEFAULT_LABELS
    from checker.accuracy import main as accuracy_main

    folder = labels or DEFAULT_LABELS
    if not folder.is_dir():
        _die(f"{folder}: no such folder of ground-truth labels")
    raise typer.Exit(accuracy_main([str(folder)]))


def benchmark(
    out: Annotated[Optional[Path], typer.Option("--out", help="Report to write (default docs/real-filings.md).")] = None,
) -> None:
    """Check every labelled real filing and regenerate docs/real-filings.md (maintainers; needs ../shared/realdata)."""
    from checker import realbench

    if not realbench.EXPECTED.is_dir() or not realbench.REALDATA.is_dir():
        _die(f"the real-filing labels ({realbench.EXPECTED}) or documents ({realbench.REALDATA}) are not here")
    raise typer.Exit(realbench.main([str(out)] if out else []))


def schema() -> None:
    """Print the JSON Schema of the JSON report (design.md section 6), as shipped in this version."""
    from checker.report.schema import render_schema

    typer.echo(render_schema(), nl=False)
