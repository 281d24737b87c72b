"""MkDocs hook: regenerate docs/atlas/ from laws/ before every build (and every `mkdocs serve` reload).

Zensical ignores hooks; `tfgbv build --engine zensical` calls the generator first.
Only changed files are rewritten, so the live-reload watcher does not loop.
"""

from __future__ import annotations

from pathlib import Path

from generator.site import SiteBuildError, generate_site


def on_pre_build(config, **kwargs):  # noqa: ANN001 - MkDocs hook signature
    from mkdocs.exceptions import PluginError

    try:
        generate_site(Path(config["config_file_path"]).parent)
    except SiteBuildError as err:
        raise PluginError(str(err)) from None
