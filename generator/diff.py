"""`tfgbv diff BASE`: the coverage change between a git revision and the working tree.

Used for the pull-request comment: per jurisdiction and offence, status changes
(own and effective), laws added or removed, provisions added or removed, new and
removed jurisdictions, and the before/after gap against eu-2024-1385.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import analysis
from .model import STATUS_LABELS, Dataset, build_dataset
from .reference import Reference
from .validate import validate_files


class DiffError(Exception):
    pass


def dataset_at(root: Path, revision: str, ref: Reference) -> tuple[Dataset, list[str]]:
    """The dataset as it was at `revision` (records that do not validate there are skipped and named)."""
    try:
        listing = subprocess.run(["git", "ls-tree", "--name-only", f"{revision}:laws"], cwd=root,
                                 capture_output=True, text=True, check=True).stdout.split()
    except subprocess.CalledProcessError as err:
        raise DiffError(f"cannot read laws/ at {revision!r}: {err.stderr.strip() or err}") from None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "laws"
        folder.mkdir()
        for name in listing:
            if name.endswith(".yaml"):
                blob = subprocess.run(["git", "show", f"{revision}:laws/{name}"], cwd=root, capture_output=True, check=True)
                (folder / name).write_bytes(blob.stdout)
        return _valid_dataset(folder, ref)


def _valid_dataset(folder: Path, ref: Reference) -> tuple[Dataset, list[str]]:
    result = validate_files([folder], ref)
    bad = {p.file for p in result.problems if p.severity == "error"}
    good = [f for f in result.files if f.display not in bad and f.data is not None and f.ok]
    skipped = sorted(Path(b).name for b in bad)
    return build_dataset(good, ref), skipped


@dataclass
class JurisdictionChange:
    id: str
    name: str
    added: bool = False
    removed: bool = False
    statuses: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # offence, own before/after, eff before/after
    laws_added: list[str] = field(default_factory=list)
    laws_removed: list[str] = field(default_factory=list)
    provisions_added: list[tuple[str, str]] = field(default_factory=list)  # offence, citation
    provisions_removed: list[tuple[str, str]] = field(default_factory=list)
    eu_before: tuple[int, int, int] | None = None  # meets, gaps, unknown
    eu_after: tuple[int, int, int] | None = None

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.statuses or self.laws_added or self.laws_removed
                    or self.provisions_added or self.provisions_removed)


@dataclass
class CoverageDiff:
    base: str
    changes: list[JurisdictionChange]
    skipped_base: list[str]
    skipped_head: list[str]


def _eu(ds: Dataset, jid: str) -> tuple[int, int, int] | None:
    std = ds.ref.standard("eu-2024-1385")
    j = ds.jurisdictions.get(jid)
    if j is None or j.level == "supranational":
        return None
    [g] = analysis.gaps(ds, std, [j])
    return len(g.meets), len(g.missing), len(g.unknown)


def compare(before: Dataset, after: Dataset, base: str, skipped=((), ())) -> CoverageDiff:
    ids = sorted(set(before.jurisdictions) | set(after.jurisdictions))
    changes = []
    for jid in ids:
        b, a = before.jurisdictions.get(jid), after.jurisdictions.get(jid)
        ch = JurisdictionChange(jid, (a or b).name, added=b is None, removed=a is None)
        for entry in after.ref.taxonomy:
            ob = b.assessment(entry.id).status if b else "unknown"
            oa = a.assessment(entry.id).status if a else "unknown"
            eb = b.effective_status(entry.id) if b else "unknown"
            ea = a.effective_status(entry.id) if a else "unknown"
            if (ob, eb) != (oa, ea) and not ch.removed:
                ch.statuses.append((entry.id, ob, oa, eb, ea))
            cb = {p.citation for p in b.assessment(entry.id).current_provisions} if b else set()
            ca = {p.citation for p in a.assessment(entry.id).current_provisions} if a else set()
            ch.provisions_added += [(entry.id, c) for c in sorted(ca - cb)]
            ch.provisions_removed += [(entry.id, c) for c in sorted(cb - ca)]
        lb = {law.id: law.title for law in b.laws.values()} if b else {}
        la = {law.id: law.title for law in a.laws.values()} if a else {}
        ch.laws_added = [la[k] for k in sorted(set(la) - set(lb))]
        ch.laws_removed = [lb[k] for k in sorted(set(lb) - set(la))]
        ch.eu_before, ch.eu_after = _eu(before, jid), _eu(after, jid)
        if not ch.empty:
            changes.append(ch)
    return CoverageDiff(base, changes, list(skipped[0]), list(skipped[1]))


def coverage_diff(root: Path, base: str, ref: Reference, head_dir: Path | None = None) -> CoverageDiff:
    before, skipped_before = dataset_at(root, base, ref)
    after, skipped_after = _valid_dataset(head_dir or root / "laws", ref)
    return compare(before, after, base, (skipped_before, skipped_after))


def _eu_text(t: tuple[int, int, int] | None) -> str:
    if t is None:
        return "—"
    return f"{t[0]}/8 met, {t[1]} gap(s), {t[2]} not yet researched"


def to_text(d: CoverageDiff) -> str:
    if not d.changes:
        return f"No coverage change since {d.base}.\n"
    out = [f"Coverage change since {d.base}: {len(d.changes)} jurisdiction(s)", ""]
    for ch in d.changes:
        tag = " (new)" if ch.added else " (removed)" if ch.removed else ""
        out.append(f"{ch.id} {ch.name}{tag}")
        for offence, ob, oa, eb, ea in ch.statuses:
            line = f"  {offence}: {ob} → {oa}"
            if (eb, ea) != (ob, oa):
                line += f" (effective {eb} → {ea})"
            out.append(line)
        out += [f"  + law: {t}" for t in ch.laws_added] + [f"  - law: {t}" for t in ch.laws_removed]
        out += [f"  + {o}: {c}" for o, c in ch.provisions_added] + [f"  - {o}: {c}" for o, c in ch.provisions_removed]
        if ch.eu_before != ch.eu_after:
            out.append(f"  EU Directive 2024/1385: {_eu_text(ch.eu_before)} → {_eu_text(ch.eu_after)}")
        out.append("")
    for name in d.skipped_head:
        out.append(f"note: {name} does not validate in the working tree and was left out (run tfgbv validate).")
    return "\n".join(out).rstrip() + "\n"


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+-.!|" else c for c in text)


def to_markdown(d: CoverageDiff) -> str:
    out = ["<!-- tfgbv-coverage-diff -->", "### Coverage change", ""]
    if not d.changes:
        out.append(f"No coverage change against `{_md(d.base)}`.")
        return "\n".join(out) + "\n"
    out += [f"Against `{_md(d.base)}`: {len(d.changes)} jurisdiction(s) changed.", ""]
    for ch in d.changes:
        tag = " (new)" if ch.added else " (removed)" if ch.removed else ""
        out.append(f"#### {_md(ch.id)} {_md(ch.name)}{tag}")
        out.append("")
        if ch.statuses:
            out += ["| Offence | Status | Effective |", "|---|---|---|"]
            for offence, ob, oa, eb, ea in ch.statuses:
                out.append(f"| `{offence}` | {STATUS_LABELS[ob]} → **{STATUS_LABELS[oa]}** | "
                           f"{STATUS_LABELS[eb]} → **{STATUS_LABELS[ea]}** |")
            out.append("")
        for label, items in (("Laws added", ch.laws_added), ("Laws removed", ch.laws_removed)):
            if items:
                out.append(f"{label}: " + "; ".join(_md(t) for t in items))
        for label, items in (("Provisions added", ch.provisions_added), ("Provisions removed", ch.provisions_removed)):
            if items:
                out.append(f"{label}: " + "; ".join(f"`{o}` {_md(c)}" for o, c in items))
        if ch.eu_before != ch.eu_after:
            out.append(f"EU Directive 2024/1385: {_eu_text(ch.eu_before)} → **{_eu_text(ch.eu_after)}**")
        out.append("")
    for name in d.skipped_head:
        out.append(f"> {_md(name)} does not validate and was left out.")
    return "\n".join(out).rstrip() + "\n"
