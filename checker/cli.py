"""The `starcheck` command line.

    starcheck PATH...            check filings (files, or folders searched for filings)
    starcheck rules list|show    the rules
    starcheck facts FILE         the facts extracted from one filing, with evidence

Exit codes (design.md section 6): 0 nothing at or above --fail-on, 1 failing findings,
2 usage error or a file that could not be checked (the others are still checked and reported).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from checker import __version__
from checker.errors import StarcheckError
from checker.findings import SEVERITY_RANK, CheckReport, Severity, Status

EXAMPLES = """Examples:

\b
  starcheck filing.pdf                          terminal summary of one filing
  starcheck filings/ -f json -o report.json     JSON report of a folder
  starcheck filing.pdf -f html -o report.html --lang en
  starcheck filings/ -f html -f sarif -f junit --output-dir out/
  starcheck filings/ --fail-on warning          fail CI on warnings too
  starcheck filing.pdf --blacklist banned.csv   screen every named party
  starcheck facts filing.pdf                    extracted facts with evidence
  starcheck rules list | show ID | docs
  starcheck diff 申报稿.pdf 注册稿.pdf            what changed between drafts
"""


class Fmt(str, Enum):
    text = "text"
    json = "json"
    html = "html"
    sarif = "sarif"
    junit = "junit"
    markdown = "markdown"
    csv = "csv"


class Lang(str, Enum):
    zh = "zh"
    en = "en"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"starcheck {__version__}")
        raise typer.Exit(0)


def _die(msg: str) -> None:
    typer.secho(f"starcheck: {msg}", err=True, fg=typer.colors.RED)
    raise typer.Exit(2)


def exit_code(report: CheckReport, fail_on: str) -> int:
    """0, 1 or 2 from a finished report (design.md section 6)."""
    if any(d.status == "error" for d in report.documents):
        return 2
    if fail_on == "never":
        return 0
    floor = SEVERITY_RANK[Severity(fail_on)]
    for d in report.documents:
        for f in d.findings:
            if f.status == Status.FAIL and not f.baselined and SEVERITY_RANK[f.severity] >= floor:
                return 1
    return 0


check_app = typer.Typer(add_completion=True, rich_markup_mode=None, help="Check STAR Market filings.")


def _progress(total: int, quiet: bool):  # type: ignore[no-untyped-def]
    """A rich progress bar on an interactive terminal for batches; None when silent (CI, pipes)."""
    import os

    if quiet or total < 2 or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(TextColumn("[bold]starcheck"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    TextColumn("{task.description}"), transient=True, console=None)


@check_app.command(epilog=EXAMPLES)
def check(
    paths: Annotated[list[Path], typer.Argument(help="Filings (PDF, form-feed text, Bosera JSON lines, Markdown) or folders.")],
    fmt: Annotated[Optional[list[Fmt]], typer.Option("--format", "-f", help="Output format; repeatable with --output-dir.")] = None,
    output_dir: Annotated[Optional[Path], typer.Option("--output-dir", help="Write every --format here (HTML: a report per filing plus index.html).")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="starcheck.toml or pyproject.toml with [tool.starcheck] (default: found from the current folder up).")] = None,
    select: Annotated[Optional[list[str]], typer.Option("--select", help="Only these rule ids or families (repeatable).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option("--ignore", help="Skip these rule ids or families (repeatable).")] = None,
    waivers: Annotated[Optional[Path], typer.Option("--waivers", help="Waiver ledger (default: starcheck-waivers.yaml if present).")] = None,
    baseline: Annotated[Optional[Path], typer.Option("--baseline", help="Previous JSON report: only new failing findings count.")] = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file instead of stdout.")] = None,
    lang: Annotated[Optional[Lang], typer.Option("--lang", help="Language of messages and reports (default zh).")] = None,
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Lowest severity of a failing finding that makes the exit code 1 (default error).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date (YYYY-MM-DD) whose rules apply; default: each filing's own date (else today).")] = None,
    blacklist: Annotated[Optional[list[Path]], typer.Option("--blacklist", help="Blacklist file (CSV, YAML or JSON); repeatable.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the extraction cache.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Parallel worker processes (default: number of CPUs).")] = 0,
    executor: Annotated[str, typer.Option("--executor", help="local (process pool) or dask (a dask.distributed cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per filing.")] = 300.0,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Largest page count checked per filing.")] = 3000,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest file size (bytes) checked per filing.")] = 500_000_000,
    engine: Annotated[str, typer.Option("--engine", help="durable (default) or reference (pure-Python evaluator).", hidden=True)] = "durable",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list passing and not-applicable rules.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No terminal summary (exit code only); machine formats still print.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Check STAR Market filings against the STAR rules and report every rule's outcome."""
    from checker.io import write_atomic
    from checker.batch import default_jobs, run_batch
    from checker.pipeline import CheckOptions, collect_inputs, new_report
    from checker.report import render
    from checker.config import apply_selection, find_config, load_settings, rule_params
    from checker.ruleset.loader import load_rules, ruleset_hash
    from checker.waivers import apply_baseline, apply_waivers, baseline_fingerprints, load_waivers

    if fmt and len(fmt) > 1 and output_dir is None:
        _die("several --format values need --output-dir")
    if output and output_dir:
        _die("use either -o/--output or --output-dir")
    try:
        settings = load_settings(config if config else find_config(Path.cwd()))
        if select:
            settings.select = list(select)
        if ignore:
            settings.ignore = settings.ignore + list(ignore)
        as_of_date = date.fromisoformat(as_of) if as_of else settings.as_of
        lang_v = lang.value if lang else (settings.lang or "zh")
        fail_on_v = fail_on.value if fail_on else (settings.fail_on or "error")
        lists = list(blacklist or []) or settings.blacklists
        for bl in lists:
            if not bl.is_file():
                raise StarcheckError(f"blacklist {bl}: no such file")
        if lists:
            from checker.blacklist.integrate import index_for

            index_for(lists)  # validate and index once, before the batch (workers inherit it)
        specs = apply_selection(load_rules(params=rule_params(settings)), settings)
        waiver_path = waivers or settings.waivers
        if waiver_path is None and Path("starcheck-waivers.yaml").is_file():
            waiver_path = Path("starcheck-waivers.yaml")
        waiver_list = load_waivers(waiver_path) if waiver_path else []
        known = baseline_fingerprints(baseline) if baseline else None
    except ValueError:
        _die(f"--as-of {as_of!r} is not a date of the form YYYY-MM-DD")
    except StarcheckError as e:
        _die(e.message)
    if executor not in ("local", "dask"):
        _die(f"--executor {executor!r}: use local or dask")
    if executor == "dask" and not scheduler:
        _die("--executor dask needs --scheduler ADDRESS")
    options = CheckOptions(as_of=as_of_date, engine=engine, blacklists=lists,
                           use_cache=not no_cache, ruleset_sha=ruleset_hash(specs),
                           max_pages=max_pages, max_bytes=max_bytes, timeout=timeout)
    files, problems = collect_inputs(paths)
    for p in problems:
        typer.secho(f"starcheck: {p}", err=True, fg=typer.colors.RED)
    if not files:
        _die("nothing to check")
    report = new_report(specs, options)
    bar = _progress(len(files), quiet)
    try:
        if bar is None:
            results = run_batch(files, specs, options, jobs or default_jobs(), executor=executor,
                                scheduler=scheduler)
        else:
            with bar:
                task = bar.add_task("", total=len(files))

                def done(r):  # type: ignore[no-untyped-def]
                    bar.update(task, advance=1, description=Path(r.path).name[:40])

                results = run_batch(files, specs, options, jobs or default_jobs(), on_done=done,
                                    executor=executor, scheduler=scheduler)
    except StarcheckError as e:  # the batch could not run at all (e.g. dask scheduler unreachable)
        _die(e.message)
    report.documents.extend(results)
    if waiver_list:
        report.waivers = apply_waivers(report, waiver_list, {s.id: s for s in specs}, as_of_date or date.today())
        for kind in ("unused", "expired"):
            for w in report.waivers[kind]:
                typer.secho(f"starcheck: {kind} waiver for {w['rule']} ({waiver_path}:{w['line']})", err=True,
                            fg=typer.colors.YELLOW)
    if known is not None:
        report.baseline = {"path": str(baseline), "known_failures": apply_baseline(report, known)}
    formats = [f.value for f in (fmt or [Fmt.text])]
    rules_by_id = {s.id: s for s in specs}
    if output_dir is not None:
        from checker.outputs import write_outputs

        for path in write_outputs(report, formats, output_dir, lang=lang_v, rules=rules_by_id):
            if not quiet:
                typer.echo(f"wrote {path}", err=True)
    else:
        kwargs: dict = {"lang": lang_v}
        if formats[0] == "text":
            kwargs["verbose"] = verbose
        if formats[0] in ("html", "sarif"):
            kwargs["rules"] = rules_by_id
        if formats[0] == "html":
            kwargs["pdf_paths"] = {d.path: Path(d.path) for d in report.documents}
            kwargs["link_base"] = output.parent if output else None
        text = render(formats[0], report, **kwargs)
        if output:
            write_atomic(output, text)
        elif not quiet or formats[0] != "text":
            sys.stdout.write(text)
    code = exit_code(report, fail_on_v)
    if problems and code == 0:
        code = 2
    raise typer.Exit(code)


rules_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="The STAR rules.")


@rules_app.command("list")
def rules_list(
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable list.")] = False,
) -> None:
    """List every rule: id, severity, title, citation."""
    from checker.ruleset.loader import load_rules

    specs = load_rules()
    if as_json:
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
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the rule pages.")] = Path("docs/rules"),
    readme: Annotated[Path, typer.Option("--readme", help="README whose rule table is regenerated.")] = Path("README.md"),
    check: Annotated[bool, typer.Option("--check", help="Only report stale files (exit 1), write nothing.")] = False,
) -> None:
    """Generate one documentation page per rule and the README rule table from the rule metadata."""
    from checker.docs import update_readme_table, write_rule_docs
    from checker.ruleset.loader import load_rules

    specs = load_rules()
    stale = write_rule_docs(specs, out_dir, check=check)
    table_stale = update_readme_table(readme, specs, check=check) if readme.exists() else False
    if check:
        for p in stale:
            typer.echo(f"stale: {p}")
        if table_stale:
            typer.echo(f"stale: rule table in {readme}")
        raise typer.Exit(1 if stale or table_stale else 0)
    typer.echo(f"wrote {len(stale)} rule page(s) to {out_dir}; rule table in {readme} {'updated' if table_stale else 'unchanged'}")


facts_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="Facts extracted from a filing.")


@facts_app.command()
def facts(
    path: Path,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json")] = "text",
) -> None:
    """Print the facts extracted from one filing, with their evidence."""
    from checker.facts.derive import derive
    from checker.pipeline import extract_facts

    try:
        fs, pages, _ = extract_facts(path)
        derive(fs)
    except StarcheckError as e:
        _die(f"{path}: {e.message}")
    if fmt == "json":
        typer.echo(json.dumps({"path": str(path), "pages": pages,
                               "facts": [f.model_dump(mode="json") for f in fs.as_list()],
                               "missing": fs.missing}, ensure_ascii=False, indent=2))
        return
    for f in fs.as_list():
        where = ", ".join(f"p.{e.page}" for e in f.evidence[:3])
        typer.echo(f"{f.path:<48} {f.value!s:<30} {where}")
        if f.evidence:
            typer.echo(f"{'':<50}{f.evidence[0].quote[:100]}")
    for p, why in sorted(fs.missing.items()):
        typer.echo(f"{p:<48} (missing: {why})")


diff_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="Compare two versions of a filing.")


def _report_json(path: Path, no_cache: bool) -> dict:
    """A JSON report: read as is, or produced by checking the filing."""
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if "documents" in data:
                return data
        except (OSError, ValueError):
            pass
    from checker.pipeline import CheckOptions, check_file
    from checker.ruleset.loader import load_rules, ruleset_hash

    specs = load_rules()
    doc = check_file(path, specs, CheckOptions(use_cache=not no_cache, ruleset_sha=ruleset_hash(specs)))
    return {"documents": [doc.model_dump(mode="json")]}


@diff_app.command()
def diff(
    old: Annotated[Path, typer.Argument(help="Older version: a JSON report or a filing.")],
    new: Annotated[Path, typer.Argument(help="Newer version: a JSON report or a filing.")],
    lang: Annotated[Lang, typer.Option("--lang")] = Lang.zh,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache")] = False,
) -> None:
    """List findings fixed, new, changed and unchanged between two versions (exit 1 when any is new)."""
    from checker.diff import diff_findings

    for p in (old, new):
        if not p.is_file():
            _die(f"{p}: no such file")
    a, b = _report_json(old, no_cache), _report_json(new, no_cache)
    for name, r in (("old", a), ("new", b)):
        if len(r["documents"]) != 1 or r["documents"][0]["status"] != "checked":
            _die(f"the {name} side must be one checked filing")
    result = diff_findings(a["documents"][0]["findings"], b["documents"][0]["findings"])
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        heads = {"zh": {"fixed": "已解决", "new": "新增", "changed": "状态变化", "unchanged": "未变"},
                 "en": {"fixed": "fixed", "new": "new", "changed": "changed", "unchanged": "unchanged"}}
        for kind in ("new", "changed", "fixed", "unchanged"):
            typer.echo(f"{heads[lang.value][kind]} ({len(result[kind])})")
            for row in result[kind]:
                typer.echo(f"  {row['rule_id']:<14} {row['old']} -> {row['new']}  {row['message'][lang.value]}")
    raise typer.Exit(1 if result["new"] else 0)


accuracy_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="Extraction accuracy.")


@accuracy_app.command()
def accuracy(
    labels: Annotated[Optional[Path], typer.Argument(help="Folder of ground-truth YAML files (default: tests/groundtruth).")] = None,
) -> None:
    """Per-fact extraction accuracy against hand-labelled documents, listing every miss."""
    from checker.accuracy import DEFAULT_LABELS, main as accuracy_main

    folder = labels or DEFAULT_LABELS
    if not folder.is_dir():
        _die(f"{folder}: no such folder of ground-truth labels")
    raise typer.Exit(accuracy_main([str(folder)]))


SUBCOMMANDS = {"rules": rules_app, "facts": facts_app, "diff": diff_app, "accuracy": accuracy_app}


def main() -> None:
    """Entry point: `starcheck rules ...`, `starcheck facts ...`, else `starcheck PATH...`."""
    argv = sys.argv[1:]
    if argv and argv[0] in SUBCOMMANDS:
        SUBCOMMANDS[argv[0]](args=argv[1:], prog_name=f"starcheck {argv[0]}")
    else:
        check_app(args=argv, prog_name="starcheck")


if __name__ == "__main__":
    main()
