"""`starcheck check PATH...` (the default command): check filings and report every rule's outcome.

No ``from __future__ import annotations`` here: typer reads the command's annotations on every run, and
evaluating them from strings took 15 ms of every run."""

import os
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer

from checker.cli.common import EXAMPLES, FailOn, Fmt, Lang, _die, _version
from checker.errors import StarcheckError
from checker.gate import Gate
from checker.io import OutputError

check_app = typer.Typer(add_completion=False, rich_markup_mode=None, help="Check STAR Market filings.")


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
    fail_on: Annotated[Optional[FailOn], typer.Option("--fail-on", help="Lowest severity of an unresolved finding (fail, or needs_review) that makes the exit code 1 (default error).")] = None,
    no_fail_on_review: Annotated[bool, typer.Option("--no-fail-on-review", help="needs_review findings do not fail the run (config: fail_on_review = false).")] = False,
    exclude: Annotated[Optional[list[str]], typer.Option("--exclude", help="Skip files matching this glob in folder scans (repeatable; also config exclude).")] = None,
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="Date (YYYY-MM-DD) whose rules apply; default: each filing's own date (else today).")] = None,
    blacklist: Annotated[Optional[list[Path]], typer.Option("--blacklist", help="Blacklist file (CSV, YAML or JSON); repeatable.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the extraction cache.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Processes at work at once (default: number of CPUs); a core no filing needs helps the filing at hand.")] = 0,
    executor: Annotated[str, typer.Option("--executor", help="local (process pool) or dask (a dask.distributed cluster).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option("--scheduler", help="dask scheduler address, e.g. tcp://10.0.0.5:8786 (with --executor dask).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds allowed per filing.")] = 300.0,
    max_pages: Annotated[int, typer.Option("--max-pages", help="Largest page count checked per filing.")] = 3000,
    max_bytes: Annotated[int, typer.Option("--max-bytes", help="Largest file size (bytes) checked per filing.")] = 500_000_000,
    max_memory: Annotated[int, typer.Option("--max-memory", help="Memory (MB of address space) each worker process (and each of its helpers) may use; 0: no limit.")] = 4096,
    engine: Annotated[str, typer.Option("--engine", help="durable (default) or reference (pure-Python evaluator).", hidden=True)] = "durable",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also list passing and not-applicable rules.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No terminal summary (exit code only); machine formats still print.")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """Check STAR Market filings against the STAR rules and report every rule's outcome."""
    from checker.batch import default_jobs, run_batch
    from checker.config import apply_selection, find_config, load_settings, rule_params
    from checker.engine.pack import load_pack
    from checker.pipeline import CheckOptions, collect_inputs, new_report
    from checker.ruleset.loader import load_rules, ruleset_hash
    from checker.waivers import (
        apply_baseline,
        apply_waivers,
        baseline_fingerprints,
        check_waiver_rules,
        load_waivers,
    )

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
        as_of_date = _as_of(as_of) if as_of else settings.as_of
        lang_v = lang.value if lang else (settings.lang or "zh")
        fail_on_v = fail_on.value if fail_on else (settings.fail_on or "error")
        review_gates = False if no_fail_on_review else (settings.fail_on_review if settings.fail_on_review is not None else True)
        excludes = list(settings.exclude) + list(exclude or [])
        lists = list(blacklist or []) or settings.blacklists
        for bl in lists:
            if not bl.is_file():
                raise StarcheckError(f"blacklist {bl}: no such file")
        if lists:
            from checker.blacklist.integrate import index_for

            index_for(lists)  # validate and index once, before the batch (workers inherit it)
        specs = apply_selection(load_pack(params=rule_params(settings)), settings,
                                cli_select=list(select or []), cli_ignore=list(ignore or []))
        if not specs:
            _die("no rule selected: --select / --ignore (or the config's select / ignore) leave nothing to check")
        waiver_path = waivers or settings.waivers
        if waiver_path is None and Path("starcheck-waivers.yaml").is_file():
            waiver_path = Path("starcheck-waivers.yaml")
        waiver_list = load_waivers(waiver_path) if waiver_path else []
        if waiver_list:  # the whole pack's ids (a waiver may name a rule --select leaves out)
            check_waiver_rules(waiver_list, [s.id for s in load_rules()], waiver_path)
        known = baseline_fingerprints(baseline) if baseline else None
    except StarcheckError as e:
        _die(e.message)
    if executor not in ("local", "dask"):
        _die(f"--executor {executor!r}: use local or dask")
    if executor == "dask" and not scheduler:
        _die("--executor dask needs --scheduler ADDRESS")
    options = CheckOptions(as_of=as_of_date, engine=engine, blacklists=lists,
                           use_cache=not no_cache, ruleset_sha=ruleset_hash(specs),
                           max_pages=max_pages, max_bytes=max_bytes, timeout=timeout,
                           max_memory=max(0, max_memory) << 20)
    files, problems = collect_inputs(paths, exclude=excludes)
    for p in problems:
        typer.secho(f"starcheck: {_printable(p)}", err=True, fg=typer.colors.RED)
    if not files:
        _die("nothing to check")
    report = new_report(specs, options)
    gate = Gate(fail_on_v, review_gates)
    report.gate = gate.as_dict()
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
        report.baseline = {"path": str(baseline)}
        apply_baseline(report, known)
    formats = [f.value for f in (fmt or [Fmt.text])]
    rules_by_id = {s.id: s for s in specs}
    try:
        _emit(report, formats, output, output_dir, lang_v, rules_by_id, verbose, quiet)
    except OutputError as e:
        _die(e.message)  # the checks ran, the report could not be written: exit 2, never a traceback
    code = gate.exit_code(report)
    if problems and code == 0:
        code = 2
    raise typer.Exit(code)


def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _die(f"--as-of {text!r} is not a date of the form YYYY-MM-DD")


def _emit(report, formats, output, output_dir, lang_v, rules_by_id, verbose, quiet) -> None:  # type: ignore[no-untyped-def]
    """Write the report: every format into --output-dir, or the first to -o / stdout."""
    from checker.io import write_atomic
    from checker.report import render

    if output_dir is not None:
        from checker.outputs import write_outputs

        for path in write_outputs(report, formats, output_dir, lang=lang_v, rules=rules_by_id):
            if not quiet:
                typer.echo(f"wrote {_printable(str(path))}", err=True)
    else:
        kwargs: dict = {"lang": lang_v}
        if formats[0] == "text":
            kwargs["verbose"] = verbose
            kwargs["color"] = output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        if formats[0] in ("html", "sarif"):
            kwargs["rules"] = rules_by_id
        if formats[0] == "csv" and output is not None:
            kwargs["bom"] = True  # a file: Excel / WPS on Chinese Windows read UTF-8 only with a BOM
        if formats[0] == "html":
            kwargs["pdf_paths"] = {d.path: Path(d.path) for d in report.documents}
            kwargs["link_base"] = output.parent if output else None
        text = render(formats[0], report, **kwargs)
        if output:
            write_atomic(output, text)
        elif kwargs.get("color") and not quiet:
            from rich.console import Console

            Console(highlight=False, soft_wrap=True).print(text, end="")
        elif not quiet or formats[0] != "text":
            sys.stdout.write(text)


def _printable(s: str) -> str:
    """A path or message safe for a terminal: control characters (ESC, CR, …) removed."""
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f]", "", s)


