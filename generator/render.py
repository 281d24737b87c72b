"""The renderer: the only code that writes pages. Jinja2 templates → Markdown + data files.

Everything from the data is escaped: templates autoescape HTML, and text placed
in Markdown context goes through the `md` filter. Links from data are https only
(the validator guarantees it; `safe_url` checks again). Files are written only
when their content changes, so `mkdocs serve` does not loop and builds are
byte-for-byte reproducible.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import analysis, maps
from . import cache as _cache
from .export import to_csv, to_json
from .model import COVERED, STATUS_LABELS, STATUSES, Dataset, Jurisdiction

OUT = "atlas"  # generated pages live in docs/atlas/ (gitignored), never beside hand-written pages

STATUS_ICONS = {"explicit": "✔", "general": "◆", "partial": "◐", "none": "✘", "unknown": "?"}
VERIFICATION_LABELS = {"primary": "Official text", "secondary": "Secondary source", "unverified": "Unverified"}
_UNSAFE_IN_URL = re.compile(r'[\s"<>`]')
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>])")


def md(value: Any) -> Markup:
    """Escape text for Markdown context: HTML-escape, then backslash Markdown syntax; one line."""
    text = " ".join(str(value).split())
    return Markup(_MD_SPECIAL.sub(r"\\\1", str(escape(text))))


def title(value: Any) -> str:
    """A page title for front matter. Themes print page.meta.title unescaped, so escape it here
    and write it as a JSON string (which is valid YAML)."""
    return Markup(json.dumps(str(escape(" ".join(str(value).split()))), ensure_ascii=False))


def text(value: Any) -> str:
    """Collapse whitespace so no blank line can end a raw HTML block early."""
    return " ".join(str(value).split()) if value is not None else ""


def safe_url(value: str | None) -> str:
    """Only https links leave the data; anything else becomes an inert fragment."""
    if value and value.startswith("https://") and not _UNSAFE_IN_URL.search(value):
        return value
    return "#invalid-link"


def years(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        n = int(value)
        return f"{n} year" + ("s" if n != 1 else "")
    months = round(value * 12)
    return f"{months} months"


def penalty_text(p: Any) -> Markup:
    """'up to 2 years prison (min. 6 months); fine: ...' from a Penalty, escaped."""
    if not p:
        return Markup("")
    parts = []
    if p.prison_max is not None:
        part = f"up to {years(p.prison_max)} prison"
        if p.prison_min:
            part += f" (min. {years(p.prison_min)})"
        parts.append(part)
    if p.fine:
        parts.append(f"fine: {text(p.fine)}")
    return escape("; ".join(parts))


def assessed_count(j: Jurisdiction) -> int:
    return sum(1 for a in j.coverage.values() if a.status != "unknown")


def page_url(path: str) -> str:
    """Directory-style URL of a docs-relative Markdown path (as MkDocs and Zensical publish it)."""
    if path.endswith("index.md"):
        return path[: -len("index.md")]
    return path[: -len(".md")] + "/"


@lru_cache(maxsize=None)
def _rel_dir(base: str, target: str) -> str:
    """Relative path between two directory-style URLs ('a/b/' to 'a/c/d/' is '../c/d/'); both relative to the root."""
    b = [p for p in base.split("/") if p]
    t = [p for p in target.split("/") if p]
    common = 0
    while common < len(b) and common < len(t) and b[common] == t[common]:
        common += 1
    parts = [".."] * (len(b) - common) + t[common:]
    return "/".join(parts)


def rel(from_page: str, to: str, anchor: str | None = None) -> str:
    """Relative link from one generated page to another page or file, for raw HTML."""
    base = page_url(from_page)
    if to.endswith(".md"):
        link = _rel_dir(base, page_url(to))
        link = link + "/" if link else "./"
    else:
        folder, _, name = to.rpartition("/")
        up = _rel_dir(base, folder + "/" if folder else "")
        link = f"{up}/{name}" if up else name
    return link + (f"#{anchor}" if anchor else "")


STATUS_BADGES = {
    status: Markup(f'<span class="atlas-status atlas-status--{status}"><span class="atlas-icon" aria-hidden="true">'
                   f"{STATUS_ICONS[status]}</span> {STATUS_LABELS[status]}</span>")
    for status in STATUS_LABELS
}


def status_badge(status: str, inherited: Any = None, devolved: bool = False) -> Markup:
    """Icon and text for a status (never colour alone). Called thousands of times: plain Python, not a macro."""
    out = STATUS_BADGES[status]
    if inherited:
        out += Markup(f' <span class="atlas-inherited">(via {escape(inherited.id)})</span>')
    if devolved:
        out += Markup(' <span class="atlas-inherited">(devolved: weakest of its legal systems)</span>')
    return out


def _env(root: Path | None = None) -> Environment:
    """The template environment; compiled templates go to the on-disk cache (see cache.py),
    which Jinja checks against each template's source before use."""
    folder = _cache.cache_dir(root) if root is not None else None
    bytecode = None
    if folder is not None:
        try:
            (folder / "templates").mkdir(exist_ok=True)
            bytecode = FileSystemBytecodeCache(str(folder / "templates"))
        except OSError:
            pass
    env = Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md, text=text, url=safe_url, years=years, title=title)
    env.globals.update(STATUS_LABELS=STATUS_LABELS, STATUS_ICONS=STATUS_ICONS, status_badge=status_badge, penalty_text=penalty_text, assessed_count=assessed_count,
                       VERIFICATION_LABELS=VERIFICATION_LABELS, COVERED=COVERED)
    return env


def report_url(config: dict[str, Any], j: Jurisdiction, offence: str | None = None) -> str:
    """The "Report an error" issue form, with jurisdiction (and offence) pre-filled through the URL."""
    params = {"template": "report-error.yml", "jurisdiction": j.id}
    if offence:
        params["offence"] = offence
    params["title"] = f"Error in {j.id}" + (f" / {offence}" if offence else "")
    return f"{config['repository']}/issues/new?{urlencode(params, quote_via=quote)}"


def edit_url(config: dict[str, Any], j: Jurisdiction) -> str:
    return f"{config['repository']}/edit/{config['branch']}/laws/{j.slug}.yaml"


def family(j: Jurisdiction) -> list[Jurisdiction]:
    """The jurisdiction's whole tree (its top ancestor and every descendant), sorted by id.

    A jurisdiction page reads its own record, its parent chain (inherited coverage) and its
    children (devolved coverage, the list of sub-national systems); the tree holds all of these.
    """
    top = j
    while top.parent is not None:
        top = top.parent
    members, stack = [], [top]
    while stack:
        member = stack.pop()
        members.append(member)
        stack.extend(member.children)
    return sorted(members, key=lambda m: m.id)


def offence_groups(cells: list[analysis.Cell], offence_id: str,
                   link: Callable[..., str]) -> list[tuple[str, list[Markup]]]:
    """An offence page's jurisdiction lists, one per effective status in STATUSES order,
    each row already escaped HTML. Plain Python rather than a Jinja loop: with every
    jurisdiction on every offence page these rows are most of those pages' cost."""
    groups: dict[str, list[Markup]] = {status: [] for status in STATUSES}
    for c in cells:
        j = c.jurisdiction
        a = j.assessment(offence_id)
        row = f'<li><a href="{escape(link(f"atlas/jurisdictions/{j.slug}.md", offence_id))}">{escape(text(j.name))}</a>'
        if c.inherited_from:
            row += f" (via {escape(c.inherited_from.id)})"
        if a.current_provisions:
            row += ": " + "; ".join(f"{escape(text(p.law.title))}, {escape(text(p.section))}"
                                    for p in a.current_provisions)
        if c.effective == "partial" and a.notes:
            row += f' <span class="atlas-notes">— {escape(text(a.notes))}</span>'
        groups[c.effective].append(Markup(row + "</li>"))
    return list(groups.items())


class PageMemo:
    """Texts made from one record family in the last run (jurisdiction pages, and each
    jurisdiction's part of atlas.json and coverage.csv), reused while their inputs are unchanged.

    A text's key hashes `base` (the caller's digest of everything except the records: code,
    templates, schema/ and reference data, site config, library versions, date) and the text's
    name with the text of every record in its jurisdiction's family, as the model was built from
    it. Jurisdiction pages are rendered without the dataset in their context, and the data-file
    parts read only the jurisdiction (its own and inherited coverage), so none can reach a
    record outside the family: the key covers all their inputs by construction.

    Each text is one file named by its key in the cache's `pages/` folder (see cache.py), written
    atomically; after a run, files this run did not use are removed, so the folder holds only the
    current texts. Without a cache folder nothing is kept and every text is made again.
    """

    def __init__(self, root: Path, base: str) -> None:
        folder = _cache.cache_dir(root)
        self.folder = folder / "pages" if folder is not None else None
        self.base = base
        self.used: set[str] = set()

    def key(self, path: str, j: Jurisdiction) -> str | None:
        """None (render, do not keep) when a family member's record text is not known."""
        h = hashlib.sha256(f"{self.base}|{path}".encode())
        for member in family(j):
            if member.source_digest is None:
                return None
            h.update(f"|{member.id}={member.source_digest}".encode())
        return h.hexdigest()

    def get(self, key: str | None) -> str | None:
        if key is None or self.folder is None:
            return None
        try:
            content = (self.folder / f"{key}.md").read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.used.add(key)
        return content

    def put(self, key: str | None, content: str) -> None:
        if key is None or self.folder is None:
            return
        try:
            self.folder.mkdir(exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.folder, suffix=".tmp",
                                             delete=False) as fh:
                fh.write(content)
            os.replace(fh.name, self.folder / f"{key}.md")
            self.used.add(key)
        except OSError:
            pass

    def prune(self) -> None:
        """Remove what this run did not use: pages of changed or deleted records, stray temporaries."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            if entry.stem not in self.used:
                try:
                    entry.unlink()
                except OSError:
                    pass


def build_pages(ds: Dataset, config: dict[str, Any], memo: PageMemo | None = None) -> dict[str, str]:
    """All generated files as {docs-relative path: content}. Pure: writes nothing (but `memo`)."""
    env = _env(ds.ref.root)
    ref = ds.ref
    tax = ref.taxonomy_by_id
    pages: dict[str, str] = {}

    def kept(j: Jurisdiction, name: str, make: Callable[[], str]) -> str:
        """make(), or its text from an earlier run: what `make` produces must depend on j's family only."""
        if memo is None:
            return make()
        key = memo.key(name, j)
        content = memo.get(key)
        if content is None:
            content = make()
            memo.put(key, content)
        return content

    def render(path: str, template: str, *, whole_dataset: bool = True, **ctx: Any) -> str:
        link = lambda to, anchor=None: rel(path, to, anchor)  # noqa: E731

        # Links to a jurisdiction or offence page: called thousands of times, so plain Python
        # rather than Jinja macros, and escape() with an f-string rather than Markup.format
        # (both several times faster).
        def jlink(j: Jurisdiction) -> Markup:
            return Markup(f'<a href="{escape(rel(path, f"atlas/jurisdictions/{j.slug}.md"))}">{escape(text(j.name))}</a>')

        def olink(offence_id: str) -> Markup:
            return Markup(f'<a href="{escape(rel(path, f"atlas/offences/{offence_id}.md"))}">{escape(tax[offence_id].name)}</a>')

        if whole_dataset:
            ctx.update(ds=ds, analysis=analysis, region_of=lambda j: analysis.region_of(j, ref))
        pages[path] = env.get_template(template).render(
            ref=ref, tax=tax, config=config, link=link, jlink=jlink, olink=olink, this=path, **ctx)
        return pages[path]

    js_sorted = ds.sorted()
    regions = sorted({analysis.region_of(j, ref).region for j in js_sorted})
    for kind, path in (("offence", f"{OUT}/matrix.md"), ("measure", f"{OUT}/matrix-measures.md")):
        entries = [t for t in ref.taxonomy if t.kind == kind]
        render(path, "matrix.md.j2", kind=kind, entries=entries, rows=analysis.coverage_matrix(ds, kind),
               regions=regions)
    for j in js_sorted:
        # Made from the record's family only (no `ds` in the context): see PageMemo.
        path = f"{OUT}/jurisdictions/{j.slug}.md"
        pages[path] = kept(j, path, lambda j=j, path=path: render(
            path, "jurisdiction.md.j2", whole_dataset=False, j=j,
            edit=edit_url(config, j), report=report_url(config, j),
            report_for=lambda o: report_url(config, j, o),
            timeline=analysis.timeline(j), region=analysis.region_of(j, ref)))
    render(f"{OUT}/jurisdictions/index.md", "jurisdictions.md.j2", js=js_sorted)
    for t in ref.taxonomy:
        path = f"{OUT}/offences/{t.id}.md"
        link = lambda to, anchor=None, path=path: rel(path, to, anchor)  # noqa: E731
        penalties = analysis.penalty_comparison(ds, t.id)
        adoption = analysis.adoption_timeline(ds, t.id)
        render(path, "offence.md.j2", t=t,
               groups=offence_groups([analysis.cell(j, t.id) for j in js_sorted], t.id, link),
               penalties=penalties, adoption=adoption,
               models=analysis.model_provisions(ds, t.id),
               world_map=maps.offence_map(ds, t.id, link, t.name),
               penalty_chart=maps.bar_chart(maps.penalty_rows(penalties, link, t.id),
                                            f"Maximum prison term: {t.name}", "years"),
               adoption_chart=maps.adoption_chart([(y, total) for y, total, _ in adoption],
                                                  f"Jurisdictions with an explicit provision, by year: {t.name}"))
    render(f"{OUT}/offences/index.md", "offences.md.j2")
    standards = []
    for s in ref.standards:
        js = analysis.applicable(ds, s)
        standards.append(s)
        render(f"{OUT}/gaps/{s.id}.md", "gaps.md.j2", s=s, js=js, gaps=analysis.gaps(ds, s, js),
               by_offence=analysis.gaps_by_offence(ds, s, js), by_region=analysis.coverage_by_region(ds, s, js))
    render(f"{OUT}/gaps/index.md", "gaps-index.md.j2", standards=standards,
           summaries={s.id: analysis.gaps(ds, s, analysis.applicable(ds, s)) for s in standards})
    render(f"{OUT}/compare.md", "compare.md.j2", js=js_sorted)
    render(f"{OUT}/downloads.md", "downloads.md.j2", h=analysis.headline(ds))
    eu = ref.standard("eu-2024-1385")
    render(f"{OUT}/_home.md", "home.md.j2", h=analysis.headline(ds),
           world_map=maps.standard_map(ds, eu.offences, lambda to, anchor=None: rel("index.md", to, anchor), eu.name))
    # Each jurisdiction's part of the data files is kept like its page (made from its family only).
    data_part = lambda j, name, make: kept(j, f"{OUT}/data/{name}#{j.id}", make)  # noqa: E731
    pages[f"{OUT}/data/atlas.json"] = to_json(ds, indent=None, kept=data_part)  # compact: a download for programs
    pages[f"{OUT}/data/coverage.csv"] = to_csv(ds, kept=data_part)
    pages[f"{OUT}/data/jurisdiction.schema.json"] = json.dumps(ref.schema, indent=2, ensure_ascii=False) + "\n"
    return pages


def write_pages(pages: dict[str, str], docs_dir: Path) -> list[Path]:
    """Write files whose content changed; remove stale generated files. Returns what was written."""
    out = docs_dir / OUT
    written = []
    for rel_path, content in sorted(pages.items()):
        target = docs_dir / rel_path
        data = content.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    if out.is_dir():
        keep = {(docs_dir / p).resolve() for p in pages}
        for existing in sorted(out.rglob("*"), reverse=True):
            if existing.is_file() and existing.resolve() not in keep:
                existing.unlink()
            elif existing.is_dir() and not any(existing.iterdir()):
                existing.rmdir()
    return written


def generate(ds: Dataset, docs_dir: Path, config: dict[str, Any], memo: PageMemo | None = None) -> list[Path]:
    written = write_pages(build_pages(ds, config, memo), docs_dir)
    if memo is not None:
        memo.prune()
    return written
