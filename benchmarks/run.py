"""Benchmarks (on demand, never part of CI's pass/fail). Prints a Markdown table.

    .venv/bin/python benchmarks/run.py            # everything (several minutes)
    .venv/bin/python benchmarks/run.py --quick    # fewer repeats, no 2,000-record site build

Every figure is the median of several runs; ratios are computed from figures
measured in the same run, on the same machine:
- `tfgbv validate` for 100 / 500 / 2,000 synthetic records and the growth ratio;
- the baseline `check-jsonschema --schemafile schema/jurisdiction.schema.json` (schema only);
- the floor: a bare YAML parse of the same files (PyYAML with libyaml);
- peak memory of `tfgbv validate` at 2,000 records;
- generate vs MkDocs build vs Zensical build, for the real data and for 500 records;
- matrix page weight (raw, gzip) at 250 jurisdictions, and the time a filter takes
  to apply in Chromium (Playwright).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def timed(cmd: list[str], repeats: int, cwd: Path = ROOT, env: dict | None = None,
          before=None) -> tuple[float, int]:
    """Median wall time of a command, and its largest peak RSS (KiB) over the runs (os.wait4: this child only).
    `before(i)`, if given, runs untimed before run i."""
    times = []
    peak = 0
    for i in range(repeats):
        if before is not None:
            before(i)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        times.append(time.perf_counter() - start)
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
        proc.stderr.close()
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak


PARSE = ("import glob, sys, yaml\n"
         "for f in sorted(glob.glob(sys.argv[1] + '/*.yaml')):\n"
         "    yaml.load(open(f, encoding='utf-8').read(), Loader=yaml.CSafeLoader)\n")


def validation(sizes: list[int], repeats: int, tmp: Path) -> list[str]:
    rows = ["| records | tfgbv validate | check-jsonschema (schema only) | bare YAML parse | validate / check-jsonschema | validate / parse |",
            "|---:|---:|---:|---:|---:|---:|"]
    first = None
    peak_2000 = None
    for n in sizes:
        folder = synth.write(n, tmp / f"synth-{n}")
        ours, peak = timed([str(BIN / "tfgbv"), "validate", str(folder)], repeats)
        baseline, _ = timed([str(BIN / "check-jsonschema"), "--schemafile", str(ROOT / "schema" / "jurisdiction.schema.json"),
                             *sorted(map(str, folder.glob("*.yaml")))], 1 if n >= 2000 else repeats)
        floor, _ = timed([sys.executable, "-c", PARSE, str(folder)], repeats)
        rows.append(f"| {n:,} | {ours:.2f} s | {baseline:.2f} s | {floor:.2f} s | {ours / baseline:.2f}× | {ours / floor:.2f}× |")
        if first is None:
            first = (n, ours)
        if n == max(sizes):
            peak_2000 = peak
            growth = (ours / first[1]) / (n / first[0])
            rows.append("")
            rows.append(f"Growth {first[0]:,} → {n:,} records: time ×{ours / first[1]:.1f} for ×{n / first[0]:.0f} records "
                        f"(per-record cost ratio {growth:.2f}; 1.00 is linear).")
            rows.append(f"Peak memory of `tfgbv validate` at {n:,} records: {peak / 1024:.0f} MiB (max RSS).")
    return rows


def builds(tmp: Path, repeats: int, synthetic: int | None) -> list[str]:
    from tests.sitekit import make_root  # noqa: E402  (reuses the test helper that copies the project)

    rows = ["| data | generate: cold | one record edited | nothing changed | MkDocs build | Zensical build "
            "| generate / MkDocs: cold | edited | unchanged |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    datasets = [("real laws/", ROOT / "laws")]
    if synthetic:
        datasets.append((f"{synthetic} synthetic", synth.write(synthetic, tmp / f"site-synth-{synthetic}")))
    for label, laws in datasets:
        root = make_root(Path(tempfile.mkdtemp(dir=tmp)), laws)
        env = {**ENV, "TFGBV_ROOT": str(root)}
        generate = [str(BIN / "tfgbv"), "generate"]
        cold, _ = timed(generate, repeats, cwd=root, env={**env, "TFGBV_CACHE_DIR": "off"})
        subprocess.run(generate, cwd=root, env=env, check=True, capture_output=True)
        record = sorted((root / "laws").glob("*.yaml"))[0]

        def edit(i: int, record: Path = record) -> None:  # a contributor's loop: one record changed
            with record.open("a", encoding="utf-8") as fh:
                fh.write(f"# benchmark edit {i}\n")

        edited, _ = timed(generate, repeats, cwd=root, env=env, before=edit)
        unchanged, _ = timed(generate, repeats, cwd=root, env=env)
        mk, _ = timed([str(BIN / "mkdocs"), "build", "--strict", "--quiet"], repeats, cwd=root, env=env)
        zs, _ = timed([str(BIN / "zensical"), "build", "--clean"], repeats, cwd=root, env=env)
        rows.append(f"| {label} | {cold:.2f} s | {edited:.2f} s | {unchanged:.2f} s | {mk:.2f} s | {zs:.2f} s "
                    f"| {100 * cold / mk:.0f} % | {100 * edited / mk:.0f} % | {100 * unchanged / mk:.0f} % |")
    rows.append("")
    rows.append("`generate` is `tfgbv generate` (validate + model + all pages and data files), timed as a process. "
                "Cold: `TFGBV_CACHE_DIR=off`, nothing reused. One record edited: the on-disk cache filled by an "
                "earlier run and one record changed before each run (unchanged records are not re-parsed, and the "
                "jurisdiction pages and data-file parts of records outside the edited one's family are kept; "
                "every other page is rendered again). Nothing changed: generation is skipped after checking that "
                "no input and no generated file changed. The MkDocs figure includes its hook's generate pass, which finds "
                "nothing changed.")
    return rows


def matrix(tmp: Path) -> list[str]:
    from tests.sitekit import make_root, serve  # noqa: E402
    from generator.site import build_site  # noqa: E402

    laws = synth.write(250, tmp / "synth-250-matrix")
    root = make_root(Path(tempfile.mkdtemp(dir=tmp)), laws)
    site = build_site(root, "mkdocs")
    page = (site / "atlas" / "matrix" / "index.html").read_bytes()
    rows = [f"Matrix page at 250 jurisdictions: {len(page) / 1024:.0f} KB raw, {len(gzip.compress(page, 9)) / 1024:.0f} KB gzip."]
    chromium = shutil.which("chromium")
    if not chromium:
        return rows + ["(chromium not installed: filter timing skipped; run scripts/setup.sh --browser)"]
    from playwright.sync_api import sync_playwright

    base, server = serve(site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu",
                                        "--disable-background-networking", "--disable-component-update", "--disable-sync"])
            pg = browser.new_page()
            pg.goto(base + "/atlas/matrix/")
            samples = pg.evaluate("""() => {
                const f = document.querySelector('.atlas-filters');
                const out = [];
                const values = [['region', 'Europe'], ['status', 'explicit'], ['offence', 'ncii'], ['region', ''], ['status', ''], ['offence', '']];
                for (let round = 0; round < 5; round++) {
                  for (const [name, value] of values) {
                    const t0 = performance.now();
                    f[name].value = value;
                    f.dispatchEvent(new Event('change', {bubbles: true}));
                    document.body.offsetHeight;  // force layout, as a user would wait for it
                    out.push(performance.now() - t0);
                  }
                }
                return out;
            }""")
            browser.close()
    finally:
        server.shutdown()
    rows.append(f"Filter applied in Chromium (median of {len(samples)}): {statistics.median(samples):.1f} ms "
                f"(max {max(samples):.1f} ms), layout included.")
    return rows


def bounds(tmp: Path) -> list[str]:
    """Resource bounds (issue: hostile sizes): a 10 MB record and 10,000 records."""
    rows = []
    big = tmp / "big"
    big.mkdir()
    (big / "lu.yaml").write_text("id: LU\nsummary: >-\n" + ("  " + "x" * 98 + "\n") * 105_000)
    t, peak = timed([str(BIN / "tfgbv"), "validate", str(big)], 3)
    rows.append(f"10 MB record: refused ({'file-too-large'}) in {t:.2f} s, peak {peak / 1024:.0f} MiB.")
    a = synth.write(5000, tmp / "bounds-a", seed=1)
    b = synth.write(5000, tmp / "bounds-b", seed=2)
    t, peak = timed([str(BIN / "tfgbv"), "validate", str(a), str(b)], 1)
    rows.append(f"10,000 records (two folders of 5,000): validated in {t:.1f} s, peak {peak / 1024:.0f} MiB.")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeats = 1 if args.quick else 3
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        print("## Validation\n")
        print("\n".join(validation([100, 500, 2000], repeats, tmp)))
        print("\n## Site build\n")
        print("\n".join(builds(tmp, repeats, None if args.quick else 500)))
        print("\n## Matrix page\n")
        print("\n".join(matrix(tmp)))
        print("\n## Resource bounds\n")
        print("\n".join(bounds(tmp)))


if __name__ == "__main__":
    main()
