"""Synthetic records for benchmarks: N valid records shaped like the real ones.

Real ISO 3166 codes (countries first, then ISO 3166-2 subdivisions whose country
is present, so every parent exists), 4-10 laws per record, every taxonomy entry
assessed with realistic provisions, sources and notes. Never written to laws/.

    python benchmarks/synth.py 2000 /tmp/synth-2000
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.reference import load_reference  # noqa: E402
from generator.rules import SCHEMA_LINE  # noqa: E402

STATUSES = ["explicit", "general", "partial", "none", "unknown"]
WEIGHTS = [30, 20, 15, 10, 25]


def codes(n: int) -> list[tuple[str, str | None]]:
    countries = sorted(c.alpha_2 for c in pycountry.countries)
    out: list[tuple[str, str | None]] = [(c, None) for c in countries[: min(n, len(countries))]]
    present = {c for c, _ in out}
    # Top-level subdivisions first (states, provinces), then lower levels if more records are asked for.
    subs = sorted(s.code for s in pycountry.subdivisions if s.country_code in present and s.parent_code is None)
    subs += sorted(s.code for s in pycountry.subdivisions if s.country_code in present and s.parent_code is not None)
    for code in subs:
        if len(out) >= n:
            break
        out.append((code, code.split("-")[0]))
    return out[:n]


def record(code: str, parent: str | None, taxonomy: list[str], rng: random.Random) -> str:
    lines = [SCHEMA_LINE, f'id: "{code}"', f"level: {'subnational' if parent else 'national'}"]
    if parent:
        lines.append(f'parent: "{parent}"')
    lines += ["summary: >-",
              "  Synthetic record for benchmarks. It has a criminal code, a special law on violence",
              "  against women, a cybercrime act and an online-safety law with a regulator.",
              f'last_reviewed: "2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"', "laws:"]
    n_laws = rng.randint(4, 10)
    for i in range(n_laws):
        lines += [f"  - id: law-{i}", f"    title: Synthetic Act {1990 + i} on offence group {i}",
                  f"    title_en: Synthetic Act {1990 + i}", "    kind: statute", "    status: in_force",
                  f"    url: https://legislation.example.org/{code.lower()}/act/{1990 + i}", "    language: en",
                  f'    adopted: "{1990 + i}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"']
    lines.append("coverage:")
    for offence in taxonomy:
        status = rng.choices(STATUSES, WEIGHTS)[0]
        lines += [f"  {offence}:", f"    status: {status}"]
        if status in ("explicit", "general", "partial"):
            lines.append("    provisions:")
            for _ in range(rng.randint(1, 3)):
                year = rng.randint(1995, 2025)
                lines += [f"      - law: law-{rng.randrange(n_laws)}", f'        section: "s {rng.randint(1, 400)}{rng.choice("ABC ")}"'.replace(' "', ' "').rstrip(),
                          f"        year: {year}",
                          "        summary: Punishes the conduct described, paraphrased for the benchmark.",
                          f"        penalty: {{prison_years: {{max: {rng.choice([0.5, 1, 2, 3, 5, 7])}}}}}"]
            lines += ["    sources:", f"      - url: https://legislation.example.org/{code.lower()}/{offence}",
                      "        title: Synthetic official text", '        accessed: "2026-11-01"',
                      f"    verification: {rng.choice(['primary', 'secondary'])}"]
            if status == "partial":
                lines.append("    notes: Requires intent to cause distress.")
        elif status == "none":
            lines.append("    notes: Reviewed; no provision covers this conduct.")
    return "\n".join(lines) + "\n"


def write(n: int, folder: Path, seed: int = 1385) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    rng = random.Random(seed)
    taxonomy = [t.id for t in load_reference(ROOT).taxonomy]
    for code, parent in codes(n):
        (folder / f"{code.lower()}.yaml").write_text(record(code, parent, taxonomy, rng), encoding="utf-8")
    return folder


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/tfgbv-synth-{count}")
    write(count, target)
    print(f"{count} records in {target}")
