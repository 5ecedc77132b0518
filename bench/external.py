"""Figures produced by other parts' harnesses: the store benchmark and the bot's loop-lag run.

The store benchmark (``bench/store_bench.py``) belongs to the store and is run here as its own
process when present; the end-to-end harness writes ``bench/out/e2e_loop_lag.json``, which is only
read. Either may be missing, and the report then says so instead of inventing a figure.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

from bench import common

STORE_SCRIPT = common.BENCH / "store_bench.py"
# The store benchmark has no quick mode of its own; fewer rows keep ``--quick`` short.
QUICK_STORE_ARGS = ["--rows", "20000", "--lookups", "500", "--searches", "200"]
LOOP_LAG = "e2e_loop_lag"
LOOP_LAG_TARGET_MS = 100.0


def run_store(quick: bool = False) -> dict[str, Any]:
    """Run the store benchmark (with fewer rows when quick) and keep the tail of what it printed."""
    if not STORE_SCRIPT.is_file():
        return {"missing": True, "note": "bench/store_bench.py is not present"}
    cmd = [sys.executable, "-m", "bench.store_bench", *(QUICK_STORE_ARGS if quick else [])]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=common.ROOT, capture_output=True, text=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        return {"command": " ".join(cmd[1:]), "error": "timed out after 600 s"}
    out = {"command": "python " + " ".join(cmd[1:]), "rc": proc.returncode, "seconds": time.perf_counter() - t0,
           "stdout_tail": proc.stdout.strip().splitlines()[-25:], "stderr_tail": proc.stderr.strip()[-500:]}
    print(f"  store: rc={proc.returncode} in {out['seconds']:.0f} s")
    return out


def read_loop_lag() -> dict[str, Any]:
    """The end-to-end harness's loop-lag figures, if it has written them."""
    data = common.load(LOOP_LAG)
    if data is None:
        return {"missing": True, "note": f"bench/out/{LOOP_LAG}.json not found (run the end-to-end harness)"}
    path = common.OUT / f"{LOOP_LAG}.json"
    return {"data": data, "written": time.strftime("%Y-%m-%d %H:%M", time.gmtime(path.stat().st_mtime)) + " UTC"}


def find_p99(data: Any) -> float | None:
    """Best-effort: the first number under a key that mentions p99, searched depth-first."""
    if isinstance(data, dict):
        for key, value in data.items():
            if "p99" in str(key).lower() and isinstance(value, int | float):
                return float(value)
        for value in data.values():
            found = find_p99(value)
            if found is not None:
                return found
    return None
