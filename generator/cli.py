"""The `tfgbv` command line: validate, export, new, build, serve.

Exit codes: 0 clean, 1 problems in the data, 2 usage errors.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .problems import FORMATTERS
from .reference import ReferenceError, find_root, load_reference


def _reference():
    try:
        return load_reference(find_root())
    except ReferenceError as err:
        click.echo(f"error: a reference table is broken: {err}", err=True)
        sys.exit(1)


def _record_paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    return [find_root() / "laws"]


def load_dataset_or_exit(paths: tuple[Path, ...] = ()):
    """Validate, then build the model; on problems print them (text) and exit 1."""
    from .model import build_dataset
    from .validate import validate_files

    ref = _reference()
    result = validate_files(_record_paths(paths), ref)
    if not result.ok:
        click.echo(FORMATTERS["text"](result.problems, len(result.files)), err=True, nl=False)
        sys.exit(1)
    return build_dataset(result.files, ref)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tfgbv-law-atlas")
def main() -> None:
    """TF-GBV Law Atlas: check and publish the records in laws/.

    \b
    Typical use:
      tfgbv validate                   check every record in laws/
      tfgbv new LU                     start laws/lu.yaml
      tfgbv export --format csv > coverage.csv
      tfgbv build                      validate, generate and build the site into site/
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATTERS)), default="text", show_default=True,
              help="text for people, github for workflow annotations, json for tools.")
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Check records against the schema and the atlas rules.

    PATHS are record files or folders (default: laws/). Every problem is printed
    as file:line:col with a code and what to do. Exit 0 when clean, 1 otherwise.

    \b
    Example:
      tfgbv validate laws/mx.yaml
      laws/mx.yaml:42:13: error [invalid-value] `status` is 'maybe', ...
    """
    from .validate import validate_files

    ref = _reference()
    result = validate_files(_record_paths(paths), ref)
    click.echo(FORMATTERS[fmt](result.problems, len(result.files)), nl=False)
    sys.exit(0 if result.ok else 1)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True)
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def export(fmt: str, paths: tuple[Path, ...]) -> None:
    """Write the dataset to stdout: the coverage table (csv) or the resolved records (json).

    The CSV has one row per jurisdiction and taxonomy entry, starting with the
    columns jurisdiction, offence, status, effective_status, provisions, year,
    max_prison_years, verification, last_reviewed.
    """
    from .export import to_csv, to_json

    ds = load_dataset_or_exit(paths)
    click.echo(to_csv(ds) if fmt == "csv" else to_json(ds), nl=False)


@main.command()
@click.argument("code")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def new(code: str, force: bool) -> None:
    """Start a record for CODE (ISO 3166-1 alpha-2 or ISO 3166-2), every entry `unknown`.

    \b
    Example:
      tfgbv new LU        writes laws/lu.yaml
      tfgbv new US-CA     writes laws/us-ca.yaml with parent US
    """
    from .model import display_name
    from .rules import is_known_code
    from .scaffold import scaffold_record

    ref = _reference()
    code = code.strip().upper()
    if not is_known_code(code, ref):
        raise click.UsageError(f"{code} is not an ISO 3166-1 alpha-2 or ISO 3166-2 code "
                               "(nor listed in schema/jurisdictions-extra.yaml).")
    target = find_root() / "laws" / f"{code.lower()}.yaml"
    if target.exists() and not force:
        raise click.UsageError(f"{target} already exists (use --force to overwrite).")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold_record(code, display_name(code, ref), ref, dt.date.today()), encoding="utf-8")
    click.echo(f"wrote {target.relative_to(find_root()) if target.is_relative_to(find_root()) else target}: "
               "fill in the summary, laws and coverage, then run `tfgbv validate`.")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; exit 1 if a file would be reformatted (for CI).")
def fmt(paths: tuple[Path, ...], check: bool) -> None:
    """Fix what is mechanical in records, keeping comments and never changing a value.

    Orders keys as the schema does, quotes values that YAML 1.1 would change
    (NO, 1.10, unquoted dates, numeric section numbers), adds the $schema line,
    strips trailing whitespace.

    \b
    Example:
      tfgbv fmt laws/lu.yaml
      tfgbv fmt --check          # in CI: exit 1 if any record needs formatting
    """
    from .fmt import format_file
    from .problems import display_path
    from .loader import record_files

    failed = False
    for path in record_files(_record_paths(paths)):
        result = format_file(path, write=not check)
        if result.error:
            click.echo(f"{display_path(path)}: {result.error}", err=True)
            failed = True
        elif result.changed:
            click.echo(f"{display_path(path)}: {'would reformat' if check else 'reformatted'}")
            failed = failed or check
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("base", default="origin/main")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text", show_default=True,
              help="markdown is for the pull-request comment.")
def diff(base: str, fmt: str) -> None:
    """Coverage change between BASE (a git revision) and the working tree.

    Per jurisdiction and offence: status changes (own and effective), laws and
    provisions added or removed, new jurisdictions, and the gap against EU
    Directive 2024/1385 before and after.

    \b
    Example:
      tfgbv diff main
      tfgbv diff origin/main --format markdown > comment.md
    """
    from .diff import DiffError, coverage_diff, to_markdown, to_text

    try:
        result = coverage_diff(find_root(), base, _reference())
    except DiffError as err:
        raise click.UsageError(str(err)) from None
    click.echo(to_markdown(result) if fmt == "markdown" else to_text(result), nl=False)


@main.command()
def generate() -> None:
    """Validate laws/ and write the generated pages and data files into docs/atlas/ (no site build)."""
    from .site import SiteBuildError, generate_site

    try:
        written = generate_site(find_root())
    except SiteBuildError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"docs/atlas/: {len(written)} file(s) changed.")


@main.command()
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs", show_default=True,
              help="MkDocs + Material (strict), or Zensical, Material's successor.")
@click.option("--site-dir", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: site/ for mkdocs, site-zensical/ for zensical).")
def build(engine: str, site_dir: Path | None) -> None:
    """Validate, generate the pages, and build the static site.

    Stops with the validator's messages when a record has problems.
    """
    from .site import SiteBuildError, build_site

    try:
        target = build_site(find_root(), engine, site_dir)
    except SiteBuildError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    click.echo(f"built the site with {engine} into {target}")


@main.command()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(dev_addr: str) -> None:
    """Preview the site with live reload: editing a record in laws/ rebuilds and reloads the page."""
    import os
    import subprocess

    from .site import SiteBuildError, _env, _tool, generate_site

    root = find_root()
    try:
        generate_site(root)  # fail early with readable problems
    except SiteBuildError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    # The MkDocs hook regenerates docs/atlas/ on each change; unchanged files are not rewritten.
    os.chdir(root)
    sys.exit(subprocess.call([_tool("mkdocs"), "serve", "--dev-addr", dev_addr], env=_env()))


if __name__ == "__main__":  # pragma: no cover
    main()
