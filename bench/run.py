"""``python -m bench``: royal-tui's benchmark suite. Every figure is a ratio against a reference
measured in the same run. Prints a table (and ``--markdown`` prints it as Markdown too).

Nothing here asserts on time: the targets are reported, never enforced.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
STARTUP_RUNS = 7
FRAME_MS = 1000 / 60


def _run_json(module: str, *args: str) -> dict:
    done = subprocess.run([PY, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"{module} {args} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def startup() -> dict:
    times: dict[str, list[float]] = {"demo": [], "bare": []}
    script = str(ROOT / "bench" / "startup_app.py")
    # Both apps start from bytecode, as an installed package does (pip compiles on install).
    # Without this, with PYTHONDONTWRITEBYTECODE=1 (set here) and an editable install, every demo
    # start compiled royal_tui's ~60 modules from source (about 40 ms) while Textual, the bare
    # app's only code, came from its installed .pyc files. One untimed run of each warms the
    # OS file cache alike.
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "royal_tui")], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)
    for kind in ("bare", "demo"):
        subprocess.run([PY, script, kind], cwd=ROOT, check=True, capture_output=True, timeout=60)
    for _ in range(STARTUP_RUNS):
        for kind in ("bare", "demo"):  # interleaved, so drift hits both alike
            t0 = time.perf_counter()
            subprocess.run([PY, script, kind], cwd=ROOT, check=True, capture_output=True, timeout=60)
            times[kind].append(time.perf_counter() - t0)
    return {k: statistics.median(v) for k, v in times.items()} | {"samples": times}


def import_offenders(top: int = 8) -> list[tuple[str, float]]:
    """Top cumulative import times (ms) of the demo startup, first-level modules outside Textual."""
    done = subprocess.run([PY, "-X", "importtime", str(ROOT / "bench" / "startup_app.py"), "demo"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self_us, cum_us, name = line.removeprefix("import time:").split("|")
        cum_us = cum_us.strip()
        depth = (len(name) - len(name.lstrip())) // 2
        rows.append((name.strip(), int(cum_us) / 1000, depth))
    shallow = [(n, ms) for n, ms, d in rows if d <= 1]
    return sorted(shallow, key=lambda r: -r[1])[:top]


def fmt_ratio(x: float) -> str:
    return f"{x:.2f}x"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    started = time.perf_counter()
    rows: list[tuple[str, str, str, str, str]] = []  # metric, measured, reference, ratio, target/verdict
    notes: list[str] = []

    print("startup …", file=sys.stderr)
    s = startup()
    ratio = s["demo"] / s["bare"]
    rows.append(("1 startup → first orders page → exit (median of 7)", f"{s['demo']*1000:.0f} ms",
                 f"bare DataTable app {s['bare']*1000:.0f} ms", fmt_ratio(ratio),
                 f"≤ 1.50x: {'OK' if ratio <= 1.5 else 'MISSED'}"))
    if ratio > 1.5:
        offenders = import_offenders()
        notes.append("Import-time top offenders (cumulative ms, `python -X importtime`, demo startup): "
                     + ", ".join(f"{n} {ms:.0f}" for n, ms in offenders))

    print("quote …", file=sys.stderr)
    q = _run_json("bench.inproc", "quote")
    lat = statistics.median(q["latency_s"])
    deb = q["debounce_s"]
    req_ok = all(c == 1 for c in q["requests"])
    rows.append(("2 quote requests for typing \"1500\" at 60 ms/key", f"{q['requests']}", "1 per typed quantity",
                 "-", f"exactly 1: {'OK' if req_ok else 'MISSED'}"))
    rows.append(("2 last key → quote painted (median of 3)", f"{lat*1000:.0f} ms", f"debounce {deb*1000:.0f} ms",
                 fmt_ratio(lat / deb), f"≤ {(deb+0.05)/deb:.3f}x: {'OK' if lat <= deb + 0.05 else 'MISSED'}"))

    print("scale …", file=sys.stderr)
    sc = _run_json("bench.inproc", "scale")
    page = statistics.median(sc["page_ms"])
    bare = statistics.median(sc["bare_request_ms"])
    idle = statistics.median(sc["idle_key_ms"])
    extra = page - bare - idle
    painted = sorted(sc["response_to_painted_ms"])
    paint = statistics.median(painted)
    p90 = painted[int(0.9 * (len(painted) - 1))]
    rows.append(("3 page change `]` (10k orders, 100/page): response → page painted, median of 20",
                 f"{paint:.0f} ms (90th percentile {p90:.0f} ms)", f"one frame {FRAME_MS:.1f} ms",
                 f"{paint/FRAME_MS:.1f} frames", f"< 2 frames: {'OK' if paint < 2 * FRAME_MS else 'MISSED'}"))
    rows.append(("3 same, key → painted through the Pilot (its idle waits included)", f"{page:.0f} ms",
                 f"bare client.orders {bare:.0f} ms + idle key/pause {idle:.0f} ms", fmt_ratio(page / (bare + idle)),
                 f"extra {extra:.0f} ms = {extra/FRAME_MS:.1f} frames"))
    rows.append(("3 ids filter → order 12346 (1,000 proxies) detail painted", f"{sc['detail_ms']:.0f} ms",
                 f"bare request {sc['detail_bare_request_ms']:.0f} ms + idle {idle:.0f} ms",
                 fmt_ratio(sc["detail_ms"] / (sc["detail_bare_request_ms"] + idle)),
                 f"extra {(sc['detail_ms']-sc['detail_bare_request_ms']-idle)/FRAME_MS:.1f} frames"))
    redraw = statistics.median(sc["detail_redraw_ms"])
    rows.append(("3 re-show that detail (no request), median of 3", f"{redraw:.0f} ms", f"idle pause {sc['pause_ms']:.0f} ms",
                 fmt_ratio(redraw / sc["pause_ms"]), f"{(redraw - sc['pause_ms'])/FRAME_MS:.1f} frames of work"))
    growth = sc["rss_after_20_pages_kb"] / sc["rss_start_kb"]
    rows.append(("3 RSS after 20 pages (peak in parentheses)",
                 f"{sc['rss_after_20_pages_kb']/1024:.1f} MiB ({sc['maxrss_kb']/1024:.1f})",
                 f"after startup {sc['rss_start_kb']/1024:.1f} MiB", fmt_ratio(growth),
                 f"growth < 20%: {'OK' if growth < 1.2 else 'MISSED'} ({(growth-1)*100:+.0f}%)"))

    print("terminal bytes …", file=sys.stderr)
    pb = _run_json("bench.pty_bytes")
    pinned, free = pb["pinned"], pb["resizable"]
    down = statistics.median(pinned["down_bytes"])
    r1 = down / pinned["initial_bytes"]
    rows.append(("4 bytes for one `down` (median of 3) vs initial paint", f"{down:.0f} B",
                 f"initial paint {pinned['initial_bytes']} B", f"{r1*100:.1f}%",
                 f"< 10%: {'OK' if r1 < 0.10 else 'MISSED'}"))
    if free.get("resize_repaint_bytes"):
        down2 = statistics.median(free["down_bytes"])
        r2 = down2 / free["resize_repaint_bytes"]
        rows.append(("4 same vs one full repaint (resize round-trip)", f"{down2:.0f} B",
                     f"full repaint {free['resize_repaint_bytes']} B", f"{r2*100:.1f}%",
                     f"< 10%: {'OK' if r2 < 0.10 else 'MISSED'}"))
    notes.append(f"Raw terminal bytes: {json.dumps(pb)}")

    elapsed = time.perf_counter() - started
    header = ("metric", "measured", "reference (same run)", "ratio", "target")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(5)]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths))  # noqa: E731
    print(line(header))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line(r))
    machine = (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · nproc {os.cpu_count()} · {platform.machine()} · "
               f"Python {platform.python_version()} · textual {__import__('textual').__version__} · run took {elapsed:.0f} s")
    print()
    print(machine)
    for n in notes:
        print("- " + n)
    if "--markdown" in argv:
        print("\n| " + " | ".join(header) + " |")
        print("|" + "---|" * 5)
        for r in rows:
            print("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
