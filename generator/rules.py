"""Semantic rules: what JSON Schema cannot say.

One small function per concern, each registered with the stable problem codes it
may emit (docs/methodology.md lists them). A rule runs only on records that
passed the schema, so it can trust the shape of the data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import unquote_plus, urlsplit, urlunsplit


from . import iso
from .loader import LoadedFile
from .problems import Problem
from .reference import Reference

COVERED = ("explicit", "general", "partial")
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/jurisdiction.schema.json"


@dataclass
class Context:
    ref: Reference
    known_ids: set[str]  # ids of every record in the set being validated and beside it
    parents: set[str]  # ids named as `parent` by some record in the set
    today: dt.date


Rule = Callable[[LoadedFile, Context], Iterable[Problem]]


@dataclass(frozen=True)
class RuleInfo:
    func: Rule
    codes: tuple[str, ...]
    doc: str


RULES: list[RuleInfo] = []


def rule(*codes: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        RULES.append(RuleInfo(func, codes, (func.__doc__ or "").strip()))
        return func
    return register


def _coverage(data: dict) -> Iterator[tuple[str, dict]]:
    yield from (data.get("coverage") or {}).items()


def _provisions(data: dict) -> Iterator[tuple[tuple, dict]]:
    for offence, cell in _coverage(data):
        for i, prov in enumerate(cell.get("provisions") or []):
            yield ("coverage", offence, "provisions", i), prov


# --- identity -----------------------------------------------------------------

@rule("schema-comment")
def schema_comment_first(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """The first line points editors at the JSON Schema, so they complete and check fields while typing."""
    first = rec.text.splitlines()[0].strip() if rec.text else ""
    if first != SCHEMA_LINE:
        yield Problem(rec.display, 1, 1, "schema-comment",
                      f"the first line must be `{SCHEMA_LINE}` so editors can check the record; add it "
                      "(`tfgbv fmt` does it for you).")


@rule("file-name")
def file_name_matches_id(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """The file is named after its id, lower-cased: laws/gb-sct.yaml holds GB-SCT."""
    expected = f"{rec.data['id'].lower()}.yaml"
    if rec.path.name != expected:
        yield rec.problem(("id",), "file-name",
                          f"id {rec.data['id']} belongs in a file named {expected} (this one is {rec.path.name}); "
                          "rename the file or fix the id.")


def is_known_code(code: str, ref: Reference) -> bool:
    if code in ref.extra_jurisdictions:
        return True
    if "-" in code:
        return iso.subdivision_name(code) is not None
    return iso.is_country(code)


@rule("unknown-code")
def code_is_real(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Ids are real ISO 3166-1 alpha-2 / ISO 3166-2 codes, or listed in schema/jurisdictions-extra.yaml."""
    code = rec.data["id"]
    if not is_known_code(code, ctx.ref):
        kind = "ISO 3166-2 subdivision" if "-" in code else "ISO 3166-1 alpha-2 country"
        yield rec.problem(("id",), "unknown-code",
                          f"{code} is not an {kind} code. Check the code (e.g. on the ISO Online Browsing "
                          "Platform); a legal system without its own code must first be added to "
                          "schema/jurisdictions-extra.yaml.")


@rule("level-parent")
def level_matches_parent(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Sub-national records name their parent state; national and supranational ones do not."""
    data = rec.data
    level, parent, code = data["level"], data.get("parent"), data["id"]
    if level == "subnational" and not parent:
        yield rec.problem(("level",), "level-parent",
                          f"a sub-national record needs `parent:` (the state whose law also applies, e.g. {code.split('-')[0]}).")
    if level != "subnational" and parent:
        yield rec.problem(("parent",), "level-parent",
                          f"only sub-national records have a parent; remove `parent:` or set `level: subnational`.")
    if level != "subnational" and "-" in code:
        yield rec.problem(("level",), "level-parent",
                          f"{code} is a subdivision code, so `level` must be subnational.")
    extra = ctx.ref.extra_jurisdictions.get(code)
    if extra and extra.get("level") and extra["level"] != level:
        yield rec.problem(("level",), "level-parent", f"{code} is listed as {extra['level']} in schema/jurisdictions-extra.yaml.")


@rule("unknown-parent")
def parent_exists(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """`parent` names a record that exists (laws/<parent>.yaml)."""
    parent = rec.data.get("parent")
    if parent and parent not in ctx.known_ids:
        yield rec.problem(("parent",), "unknown-parent",
                          f"parent {parent} has no record; add laws/{parent.lower()}.yaml (`tfgbv new {parent}`) "
                          "or fix the code.")
    elif parent and "-" in rec.data["id"] and rec.data["id"] not in ctx.ref.extra_jurisdictions \
            and not rec.data["id"].startswith(parent + "-"):
        yield rec.problem(("parent",), "unknown-parent",
                          f"{rec.data['id']} is a subdivision of {rec.data['id'].split('-')[0]}, not of {parent}.")


# --- laws and references ------------------------------------------------------

@rule("duplicate-law-id")
def law_ids_unique(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Each law id is used once in a file."""
    seen: dict[str, int] = {}
    for i, law in enumerate(rec.data["laws"]):
        if law["id"] in seen:
            yield rec.problem(("laws", i, "id"), "duplicate-law-id",
                              f"law id {law['id']!r} is already used by laws[{seen[law['id']]}]; give each law its own id.")
        else:
            seen[law["id"]] = i


@rule("unknown-law")
def law_references_resolve(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """`law`, `added_by` and `amends` name laws listed under `laws:` in the same file."""
    ids = [law["id"] for law in rec.data["laws"]]
    known = ", ".join(ids) or "(none yet)"
    for i, law in enumerate(rec.data["laws"]):
        for j, target in enumerate(law.get("amends") or []):
            if target not in ids:
                yield rec.problem(("laws", i, "amends", j), "unknown-law",
                                  f"`amends` names {target!r}, which is not a law id in this file. Known ids: {known}.")
    for path, prov in _provisions(rec.data):
        for key in ("law", "added_by"):
            if key in prov and prov[key] not in ids:
                yield rec.problem(path + (key,), "unknown-law",
                                  f"`{key}` names {prov[key]!r}, which is not a law id in this file; add the law "
                                  f"under `laws:` or use one of: {known}.")


@rule("bill-as-coverage")
def bills_are_not_coverage(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """A pending bill (or a repealed law) never supports a covered status: at least one current provision must be law."""
    status = {law["id"]: law["status"] for law in rec.data["laws"]}
    for offence, cell in _coverage(rec.data):
        if cell["status"] not in COVERED or not cell.get("provisions"):
            continue
        current = [p for p in cell["provisions"] if "until" not in p]
        if current and all(status.get(p["law"]) in ("bill", "repealed") for p in current):
            yield rec.problem(("coverage", offence, "status"), "bill-as-coverage",
                              f"{offence} is {cell['status']} but every current provision is in a bill or repealed law. "
                              "A bill is not coverage: set the status from the law in force (often `none`) and "
                              "mention the bill in notes.")


# --- assessments --------------------------------------------------------------

@rule("missing-provision", "missing-source", "missing-verification")
def covered_cells_are_cited(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """explicit / general / partial cells cite at least one provision and one source, and say how they were verified."""
    for offence, cell in _coverage(rec.data):
        if cell["status"] not in COVERED:
            continue
        where = ("coverage", offence, "status")
        if not cell.get("provisions"):
            yield rec.problem(where, "missing-provision",
                              f"{offence} is {cell['status']}: add `provisions:` with the law and section that cover it "
                              "(or set status: unknown if you cannot pinpoint it).")
        if not cell.get("sources"):
            yield rec.problem(where, "missing-source",
                              f"{offence} is {cell['status']}: add `sources:` with the url and title of the page you read.")
        if "verification" not in cell:
            yield rec.problem(where, "missing-verification",
                              f"{offence} is {cell['status']}: add `verification:` primary (official text read) or secondary.")


@rule("partial-without-note")
def partial_says_what_is_missing(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """A partial cell says in `notes` what the law leaves out."""
    for offence, cell in _coverage(rec.data):
        if cell["status"] == "partial" and not (cell.get("notes") or "").strip():
            yield rec.problem(("coverage", offence, "status"), "partial-without-note",
                              f"{offence} is partial: add `notes:` saying what is missing (e.g. requires intent to "
                              "cause distress; only covers covert images; only minors).")


@rule("none-without-evidence")
def none_has_evidence(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """`none` means "reviewed, no law": it carries a note or a source, otherwise it is `unknown`."""
    for offence, cell in _coverage(rec.data):
        if cell["status"] == "none" and not (cell.get("notes") or "").strip() and not cell.get("sources"):
            yield rec.problem(("coverage", offence, "status"), "none-without-evidence",
                              f"{offence} is none: add `notes:` or `sources:` showing it was reviewed, or use "
                              "`unknown` if it was not researched.")


@rule("devolved")
def devolved_cells_have_children(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """`devolved: true` sits on a national record with sub-national records, with status none."""
    for offence, cell in _coverage(rec.data):
        if not cell.get("devolved"):
            continue
        if rec.data["level"] != "national":
            yield rec.problem(("coverage", offence, "devolved"), "devolved",
                              "only a national record can mark a matter as devolved to its sub-national systems.")
        elif rec.data["id"] not in ctx.parents:
            yield rec.problem(("coverage", offence, "devolved"), "devolved",
                              f"{offence} is marked devolved but no record names {rec.data['id']} as its parent; "
                              "add the sub-national records or remove `devolved`.")
        if cell["status"] != "none":
            yield rec.problem(("coverage", offence, "status"), "devolved",
                              f"a devolved cell records that there is no country-wide law: set `status: none` "
                              f"(the country's effective status comes from its sub-national records).")


# --- links --------------------------------------------------------------------

TRACKING_KEYS = {"fbclid", "gclid", "igshid", "mc_cid", "mc_eid"}


def _urls(data: dict) -> Iterator[tuple[tuple, str]]:
    for i, law in enumerate(data["laws"]):
        if "url" in law:
            yield ("laws", i, "url"), law["url"]
    for offence, cell in _coverage(data):
        for i, src in enumerate(cell.get("sources") or []):
            yield ("coverage", offence, "sources", i, "url"), src["url"]


def without_tracking(url: str) -> tuple[str, list[str]]:
    """The address without campaign-tracking parameters (utm_*, fbclid...), and the names removed."""
    if "?" not in url:  # most addresses: nothing to split
        return url, []
    parts = urlsplit(url)
    kept, dropped = [], []
    for field in filter(None, parts.query.split("&")):
        name = unquote_plus(field.partition("=")[0])
        if name.lower().startswith("utm_") or name.lower() in TRACKING_KEYS:
            dropped.append(name)
        else:
            kept.append(field)  # as written, so the page cited stays the same
    if not dropped:
        return url, []
    return urlunsplit(parts._replace(query="&".join(kept))), dropped


@rule("tracking-url")
def urls_carry_no_tracking(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Cited addresses carry no campaign-tracking parameters (a warning: the page is the same without them)."""
    for path, url in _urls(rec.data):
        clean, dropped = without_tracking(url)
        if dropped:
            yield rec.problem(path, "tracking-url",
                              f"the address carries tracking parameters ({', '.join(dropped)}); cite the same page "
                              f"without them: {clean}", severity="warning")


# --- wording ------------------------------------------------------------------

# Words whose time is the writer's, not the reader's. Case matters: "Egypt Today" is a
# newspaper, "today" is a moment nobody can date once the record is published; capitalised
# forms ("Last year ...") count only where a sentence starts.
_RELATIVE = ("today", "yesterday", "tomorrow", "same session",
             *(f"this {x}" for x in ("session", "round", "review", "pull request", "PR")),
             *(f"{w} {x}" for w in ("last", "next", "this") for x in ("week", "month", "year")))
_SENTENCE_START = tuple(p[0].upper() + p[1:] for p in _RELATIVE)  # "Last year ..." but not "Egypt Today"
RELATIVE_PHRASES = _RELATIVE + _SENTENCE_START
RELATIVE_TIME = re.compile(r"(?<![./])\b(?:" + "|".join(map(re.escape, _RELATIVE)) + r")\b(?![./]\w)"  # not in addresses
                           + r"|(?:^|(?<=[.!?;]\s))(?:" + "|".join(map(re.escape, _SENTENCE_START)) + r")\b(?![./]\w)",
                           re.MULTILINE)


def _prose(data: dict) -> Iterator[tuple[tuple, str]]:
    """Free text written by contributors (not source titles, which may quote a headline)."""
    yield ("summary",), data["summary"]
    for i, law in enumerate(data["laws"]):
        if "notes" in law:
            yield ("laws", i, "notes"), law["notes"]
    for offence, cell in _coverage(data):
        if "notes" in cell:
            yield ("coverage", offence, "notes"), cell["notes"]
    for path, prov in _provisions(data):
        if "summary" in prov:
            yield path + ("summary",), prov["summary"]
        if "note" in (prov.get("penalty") or {}):
            yield path + ("penalty", "note"), prov["penalty"]["note"]


def _matches(texts: list[tuple[Any, str]], words: Iterable[str],
             pattern: re.Pattern[str]) -> Iterator[tuple[Any, re.Match[str]]]:
    """(key, first match) for each text the pattern matches. Fixed words that every match
    contains are looked for in all the texts joined first: a plain substring test is far
    cheaper than the expression, and most records contain none of them."""
    whole = "\n".join(text for _, text in texts)
    if not any(word in whole for word in words):
        return
    for key, text in texts:
        found = pattern.search(text)
        if found:
            yield key, found


@rule("relative-time")
def prose_is_dated(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Notes say when, not "today" or "this session" (a warning: the words lose their meaning once published)."""
    for path, found in _matches(list(_prose(rec.data)), RELATIVE_PHRASES, RELATIVE_TIME):
        yield rec.problem(path, "relative-time",
                          f"\"{found.group(0)}\" will mean nothing to a reader later; give the date instead "
                          f"(e.g. \"on {ctx.today.isoformat()}\", or \"as of {ctx.today.year}\") or leave it out",
                          severity="warning")


# Notes describe a rating as it stands; how it changed belongs on the methodology page.
# Verbs of change followed by a status ("Changed from unknown to partial", "Upgraded to
# primary"), a status set on a date, or a dated correction. A penalty "raised from 3 months"
# or a cell "not set to none" is not history of the record. Matched on lower-cased text
# (about twice as fast as a case-insensitive expression).
_STATUS_WORDS = "explicit|general|partial|none|unknown|primary|secondary"
_ON_DATE = r"(?:\d{4}-\d{2}-\d{2}|\d{1,2} [a-z]+ \d{4})"
RATING_HISTORY = re.compile(
    rf"\b(?:changed|moved|raised|lowered|downgraded|upgraded|re-?rated)\s+(?:off|from|to)\s+(?:{_STATUS_WORDS})\b"
    rf"|\bset\s+to\s+(?:{_STATUS_WORDS})\s+on\s+{_ON_DATE}"
    rf"|\bcorrect(?:ed|ion)\s*(?:\(|on\s+){_ON_DATE}")
# Fixed words every match contains, tested first on a record's joined notes: most have none.
_HISTORY_WORDS = ("changed", "moved", "raised", "lowered", "graded", "re-rated", "rerated", "set to", "correct")


@rule("rating-history")
def notes_carry_no_rating_history(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Cell notes say why a cell has its rating, not how it changed (a warning)."""
    notes = [(offence, cell["notes"].lower()) for offence, cell in _coverage(rec.data) if "notes" in cell]
    for offence, found in _matches(notes, _HISTORY_WORDS, RATING_HISTORY):
        yield rec.problem(("coverage", offence, "notes"), "rating-history",
                          f"\"{found.group(0)}\" is history of the record; say why the cell "
                          "has its rating as it stands (changes are listed in docs/methodology.md)",
                          severity="warning")


# --- dates --------------------------------------------------------------------

def _dates(data: dict) -> Iterator[tuple[tuple, str, bool]]:
    """(path, value, may_be_future) for every date field."""
    yield ("last_reviewed",), data["last_reviewed"], False
    for i, law in enumerate(data["laws"]):
        pending = law["status"] in ("not_yet_in_force", "partially_in_force", "bill")
        for key in ("adopted", "published", "in_force", "repealed"):
            if key in law:
                yield ("laws", i, key), law[key], pending and key == "in_force"
    for offence, cell in _coverage(data):
        for i, src in enumerate(cell.get("sources") or []):
            if "accessed" in src:
                yield ("coverage", offence, "sources", i, "accessed"), src["accessed"], False
        for i, prov in enumerate(cell.get("provisions") or []):
            if "until" in prov:
                yield ("coverage", offence, "provisions", i, "until"), prov["until"], False


def parse_partial_date(value: str) -> dt.date:
    """'2021', '2021-06' or '2021-06-01' → the first day it can mean; ValueError if not a real date."""
    parts = [int(p) for p in value.split("-")]
    while len(parts) < 3:
        parts.append(1)
    return dt.date(*parts)


@rule("invalid-date", "future-date")
def dates_are_real(rec: LoadedFile, ctx: Context) -> Iterable[Problem]:
    """Dates exist on the calendar and, except a pending law's entry into force, are not in the future."""
    for path, value, may_be_future in _dates(rec.data):
        try:
            day = parse_partial_date(value)
        except ValueError:
            yield rec.problem(path, "invalid-date", f"{value} is not a real date; write \"YYYY-MM-DD\".")
            continue
        if day > ctx.today and not may_be_future:
            yield rec.problem(path, "future-date",
                              f"{value} is in the future; check the year (only the entry into force of a law "
                              "that is not yet in force may be in the future).")
    for path, prov in _provisions(rec.data):
        if prov.get("year") and prov["year"] > ctx.today.year:
            yield rec.problem(path + ("year",), "future-date", f"year {prov['year']} is in the future.")
        if prov.get("year") and "until" in prov:
            try:
                if parse_partial_date(prov["until"]).year < prov["year"]:
                    yield rec.problem(path + ("until",), "invalid-date",
                                      f"`until` ({prov['until']}) is before the provision's year ({prov['year']}).")
            except ValueError:
                pass


def run_rules(files: list[LoadedFile], ref: Reference, today: dt.date | None = None) -> list[Problem]:
    known: set[str] = set()
    folders = {f.path.parent for f in files}
    for f in files:
        if isinstance(f.data, dict) and isinstance(f.data.get("id"), str):
            known.add(f.data["id"])
    for folder in folders:  # records beside one being validated count: one file still resolves its parent
        known.update(p.stem.upper() for p in folder.glob("*.yaml"))
    parents = {f.data.get("parent") for f in files if isinstance(f.data, dict)} - {None}
    for folder in folders:  # a parent validated alone still sees its children beside it
        for p in folder.glob("*-*.yaml"):
            parents.add(p.stem.split("-")[0].upper())
    ctx = Context(ref=ref, known_ids=known, parents=parents, today=today or dt.date.today())
    problems: list[Problem] = []
    for f in files:
        if f.data is None or not f.ok:
            continue
        for info in RULES:
            problems.extend(info.func(f, ctx))
    return problems
