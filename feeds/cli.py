"""The `feeds` command: parses arguments, calls the library, prints reports, picks exit codes.

Exit codes: 0 everything published; 1 an article was skipped, a feed not published or (with
--strict) any problem; 2 usage or configuration error; 3 another build holds the lock.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import click

from feeds.build import BuildError, BuildRequest, run_build
from feeds.buildlock import LockHeld
from feeds.config import Config, ConfigError, load_config
from feeds.dates import DateError, parse_date
from feeds.findingformats import as_json, as_sarif, as_text, default_rules_url
from feeds.findings import Finding, Severity, has_errors
from feeds.layout import feed_files_in
from feeds.ownership import AdoptError, adopt_paths
from feeds.pinghub import ping_hub
from feeds.publish import PublishError
from feeds.reporttext import count_of, print_report, progress_bar, report_json
from feeds.resident import Resident
from feeds.version import __version__

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def _parse_now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = parse_date(value, UTC)  # type: ignore[arg-type]
    except DateError as error:
        raise click.BadParameter(f"{value!r} {error}") from None
    return parsed.instant


def _load(config_path: Path, content: Path | None = None, output: Path | None = None) -> Config:
    try:
        return load_config(config_path, content_dir=content, output_dir=output)
    except ConfigError as error:
        click.echo(f"feeds: config error in {config_path}: {error}", err=True)
        raise SystemExit(EXIT_USAGE) from None


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default="config.yaml",
    show_default=True,
    help="The site's configuration file; relative paths in it are relative to its folder.",
)
now_option = click.option(
    "--now",
    callback=_parse_now,
    metavar="ISO-INSTANT",
    help="Build as if it were this instant (default: the real clock), e.g. 2026-01-01T08:00Z. "
    "Articles dated later are scheduled, not published.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="feeds")
def cli() -> None:
    """Publish per-category RSS 2.0, Atom 1.0 (and JSON Feed) files from the articles in a
    content folder: Markdown with YAML front matter, scraped plain-text news articles, and
    YAML/JSON/JSONL records.

    Start with `feeds build` in the folder holding config.yaml.
    """


@cli.command()
@config_option
@click.option(
    "--content",
    type=click.Path(path_type=Path, file_okay=False),
    help="Read articles from this folder instead of the config's content_dir.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    help="Publish into this folder instead of the config's output_dir.",
)
@now_option
@click.option(
    "--strict",
    is_flag=True,
    help="Treat every problem and warning as a failure: publish nothing, exit 1.",
)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--no-validate", is_flag=True, help="Emergency only: publish feeds without checking them first."
)
@click.option(
    "--wait",
    is_flag=True,
    help="Wait for a running build to finish instead of exiting with code 3.",
)
@click.option(
    "--watch", is_flag=True, help="Keep running: rebuild whenever content or config.yaml changes."
)
@click.option(
    "--adopt",
    "adopt",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Let the build replace or remove this file (or every file in this folder) of the "
    "output folder although it did not write it; repeatable.",
)
@click.option(
    "--accept-new-ids",
    is_flag=True,
    help="Publish although articles already published get new ids (readers show them again).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Name the articles added, changed, removed, and files written.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json prints the whole report (every name) as one object on stdout, for scripts.",
)
def build(
    config_path: Path,
    content: Path | None,
    output: Path | None,
    now: datetime | None,
    strict: bool,
    dry_run: bool,
    no_validate: bool,
    wait: bool,
    watch: bool,
    adopt: tuple[Path, ...],
    accept_new_ids: bool,
    quiet: bool,
    verbose: bool,
    output_format: str,
) -> None:
    """Build and publish every feed of the site.

    Articles with bad input are reported (file, field, value) and skipped; the rest of the site
    is still published. Exit code 0 when everything published, 1 when an article was skipped
    or a feed not published, 2 for a usage or config error, 3 when another build holds the lock.
    """

    resident = Resident() if watch else None  # the site kept between builds (issue 14)

    def once() -> int:
        config = _load(config_path, content, output)
        return _run_build(
            config,
            now=now,
            strict=strict,
            dry_run=dry_run,
            validate=not no_validate,
            wait=wait,
            quiet=quiet,
            adopt=adopt,
            accept_new_ids=accept_new_ids,
            verbose=verbose,
            as_json=output_format == "json",
            resident=resident,
            exiting=_ends_with_command() and not watch,
        )

    if not watch:
        sys.exit(once())
    from feeds.watch import run_guarded, watch_and_rebuild

    run_guarded(once, click.echo)  # a broken config is reported; the watching starts anyway
    watch_and_rebuild(
        _watched(config_path, content, output), once, echo=click.echo, resident=resident
    )


def _watched(
    config_path: Path, content: Path | None = None, output: Path | None = None
) -> Callable[[], list[Path]]:
    """What `--watch` watches: the config file and the content folder it names (the last
    one a config read gave, while the config does not read)."""
    last: list[Path] = []

    def paths() -> list[Path]:
        try:
            config = load_config(config_path, content_dir=content, output_dir=output)
        except ConfigError:  # the build reports it
            return [*last, config_path.resolve()]
        last[:] = [config.content_dir]
        return [config.content_dir, config_path.resolve()]

    return paths


def _run_build(
    config: Config,
    *,
    now: datetime | None = None,
    strict: bool = False,
    dry_run: bool = False,
    validate: bool = True,
    wait: bool = False,
    quiet: bool = False,
    adopt: tuple[Path, ...] = (),
    accept_new_ids: bool = False,
    verbose: bool = False,
    as_json: bool = False,
    resident: Resident | None = None,
    exiting: bool = False,
) -> int:
    """One build as the command line runs it (the clock read here when `now` is None); its
    exit code. `exiting`: the process ends after it (`BuildRequest.exiting`)."""
    moment = now or datetime.now(UTC)
    if not validate:
        click.echo(
            "feeds: WARNING: --no-validate: feeds are published without checking them", err=True
        )
    try:
        adopted = adopt_paths(config.output_dir, adopt, config.base_dir)
    except AdoptError as error:
        click.echo(f"feeds: {error}", err=True)
        return EXIT_USAGE
    try:
        with progress_bar(quiet or as_json) as progress:
            request = BuildRequest(
                now=moment,
                strict=strict,
                dry_run=dry_run,
                validate=validate,
                wait_for_lock=wait,
                progress=progress,
                adopt=adopted,
                accept_new_ids=accept_new_ids,
                exiting=exiting,
            )
            report = run_build(config, request, resident)
    except LockHeld:
        click.echo(
            f"feeds: another build is running (lock in {config.cache_dir}); "
            "try again when it ends, or pass --wait",
            err=True,
        )
        return EXIT_LOCKED
    except ConfigError as error:
        click.echo(f"feeds: config error: {error}", err=True)
        return EXIT_USAGE
    except (BuildError, PublishError) as error:
        click.echo(f"feeds: {error}", err=True)
        return EXIT_PROBLEMS
    if as_json:
        click.echo(json.dumps(report_json(report, config), indent=2, ensure_ascii=False))
    else:
        print_report(report, config, quiet, verbose)
    if config.websub_hub and not (dry_run or report.strict_blocked):
        ping_hub(config, config.websub_hub, report.publish.written, quiet or as_json)
    if report.strict_blocked:
        return EXIT_PROBLEMS
    return EXIT_OK if report.complete else EXIT_PROBLEMS


def _files_or_urls(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> tuple[Path | str, ...]:
    """Existing paths, and http(s) URLs as they are (`feeds validate URL`)."""
    exists = click.Path(path_type=Path, exists=True)
    return tuple(
        value
        if value.lower().startswith(("http://", "https://"))
        else exists.convert(value, param, ctx)
        for value in values
    )


@cli.command()
@config_option
@click.argument("files", nargs=-1, metavar="[FILE|URL]...", callback=_files_or_urls)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "sarif"]),
    default="text",
    show_default=True,
    help="json prints a list of finding objects for CI; sarif a SARIF 2.1.0 log for code hosts.",
)
@click.option(
    "--rules-url",
    metavar="URL",
    help="Where docs/rules.md is published; findings link to its sections "
    "(default: this checkout's docs/rules.md).",
)
@click.option(
    "--timeout", type=click.FloatRange(0.1, 120), default=10.0, show_default=True,
    help="URL mode: seconds per request.",
)  # fmt: skip
@click.option(
    "--max-bytes", type=click.IntRange(1024), default=10_000_000, show_default=True,
    help="URL mode: the largest body read (compressed and decompressed).",
)  # fmt: skip
@now_option
def validate(
    config_path: Path,
    files: tuple[Path | str, ...],
    output_format: str,
    rules_url: str | None,
    timeout: float,
    max_bytes: int,
    now: datetime | None,
) -> None:
    """Check feeds, in one of four modes.

    File mode (FILES are files): lint each RSS 2.0, RSS 1.0/0.90, Atom 1.0, JSON Feed 1.1 or
    OPML file, wherever it came from. Folder mode (a FILE is a folder, e.g. public/): lint
    every feed file below it (*.rss.xml, *.atom.xml, *.json, *.opml; pages and hidden files
    are skipped). URL mode (a FILE is an http(s) URL): fetch it as a polite poller does and
    report redirects, status, Content-Type and charset, ETag/Last-Modified and the 304 answer
    to a conditional re-request, gzip, Cache-Control, size, rel=self and WebSub hubs, then
    lint the body. Site mode (no FILES): check the published output folder against the
    content it was built from, as `feeds build` would.

    Exit code 1 when any error is found (warnings alone exit 0), 2 for a usage error.
    """
    from feeds.build import validate_site
    from feeds.fetch import PollOptions, validate_url
    from feeds.pollcheck import summary
    from feeds.validate import lint_files

    paths = [f for f in files if isinstance(f, Path)]
    named = [p for f in paths for p in (feed_files_in(f) if f.is_dir() else [f])]
    pages = [p for p in named if p.suffix.lower() in (".html", ".htm")]
    if pages:  # `feeds validate public/feeds/*` names the feed pages too
        shown = ", ".join(map(str, pages[:5])) + (" ..." if len(pages) > 5 else "")
        click.echo(f"feeds: skipped {count_of(len(pages), 'HTML page')}: {shown}", err=True)
    findings = lint_files(p for p in named if p not in pages)
    for url in (f for f in files if isinstance(f, str)):
        poll, found = validate_url(url, PollOptions(timeout=timeout, max_bytes=max_bytes))
        if output_format == "text":
            click.echo("\n".join(summary(poll)))
        findings.extend(found)
    if not files:
        config = _load(config_path)
        try:
            findings = validate_site(config, now=now or datetime.now(UTC))
        except (BuildError, ConfigError) as error:
            click.echo(f"feeds: {error}", err=True)
            sys.exit(EXIT_USAGE)
    _print_findings(findings, output_format, rules_url or default_rules_url())
    sys.exit(EXIT_PROBLEMS if has_errors(findings) else EXIT_OK)


def _print_findings(findings: list[Finding], output_format: str, rules_url: str) -> None:
    if output_format == "json":
        click.echo(as_json(findings))
        return
    if output_format == "sarif":
        click.echo(json.dumps(as_sarif(findings, rules_url), indent=2, ensure_ascii=False))
        return
    for finding in findings:
        click.echo(as_text(finding, rules_url))
    errors = sum(f.level is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    click.echo(f"feeds: {count_of(errors, 'error')}, {count_of(warnings, 'warning')}", err=True)


@cli.command()
@config_option
@click.option("--host", help="Address to bind (default: serve.host, 127.0.0.1).")
@click.option("--port", type=int, help="Port (default: serve.port, 8000).")
@click.option("--watch", is_flag=True, help="Rebuild on changes while serving.")
def serve(config_path: Path, host: str | None, port: int | None, watch: bool) -> None:
    """Preview the output folder over HTTP, with the headers a good production server sends
    (content types, ETag, Last-Modified, 304, gzip, Cache-Control)."""
    import threading

    from feeds.serve import make_server

    config = _load(config_path)
    if not watch and not config.output_dir.is_dir():
        click.echo(
            f"feeds: {config.display_path(config.output_dir)}/ does not exist yet; "
            "run `feeds build` first (or `feeds serve --watch`)",
            err=True,
        )
        sys.exit(EXIT_USAGE)
    server = make_server(
        config.output_dir,
        host=host or config.serve.host,
        port=config.serve.port if port is None else port,
        max_age=config.serve.max_age,
    )
    bound_host, bound_port = server.server_address[:2]
    click.echo(
        f"feeds: serving {config.display_path(config.output_dir)}/ at "
        f"http://{bound_host!s}:{bound_port}/ (Ctrl-C stops)"
    )
    if watch:
        from feeds.watch import run_guarded, watch_and_rebuild

        resident = Resident()

        def once() -> int:
            return _run_build(_load(config_path), wait=True, resident=resident)

        run_guarded(once, click.echo)
        threading.Thread(
            target=watch_and_rebuild,
            args=(_watched(config_path), once),
            kwargs={"echo": click.echo, "resident": resident},
            daemon=True,
        ).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


# What `main`, the process's entry point, hands its commands (never click's test runner): the
# process ends when the command does, so a one-shot build leaves its state for the exit.
_PROCESS_ENDS = "process ends"


def _ends_with_command() -> bool:
    context = click.get_current_context(silent=True)
    return context is not None and context.find_root().obj == _PROCESS_ENDS


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `feeds` command and of `python -m feeds`. The process ends as soon
    as the command has: its output flushed, nothing else freed or run (`_exit_now`)."""
    try:
        cli.main(args=argv, prog_name="feeds", obj=_PROCESS_ENDS)
    except PublishError as error:
        click.echo(f"feeds: {error}", err=True)
        _exit_now(EXIT_PROBLEMS)
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            _exit_now(done.code or 0)
        raise


def _exit_now(code: int) -> None:
    """End the process with `code` once stdout and stderr are flushed, without the
    interpreter's teardown, which freed a whole build's objects one by one (issue 14). Every
    file the command wrote is closed by then; it starts no threads it leaves running."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`feeds build | head`)
            code = code or EXIT_PROBLEMS
    os._exit(code)
