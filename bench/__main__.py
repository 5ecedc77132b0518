"""Run every benchmark and write the table into BENCHMARKS.md.

    python -m bench            # full run (about 10 minutes on 2 cores)
    python -m bench --quick    # fewer sizes and repeats (about 2 minutes)
    python -m bench --only latency summariser
    python -m bench --report   # rewrite BENCHMARKS.md from the last results in bench/out/

A benchmark that fails is recorded as failed (with its error) and the others still run.
"""

from __future__ import annotations

import argparse
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench import batch, cold_start, common, engine_latency, external, memory, report, summariser

BENCHES: dict[str, Callable[[bool], dict[str, Any]]] = {
    "latency": engine_latency.run,
    "summariser": summariser.run,
    "batch": batch.run,
    "cold_start": cold_start.run,
    "memory": memory.run,
    "store": external.run_store,
    "loop_lag": lambda _quick: external.read_loop_lag(),
}
FILES = {"latency": "engine_latency"}


def main() -> None:
    """Run the chosen benchmarks, save each result, then write the report."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer sizes and repeats")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHES), help="run only these")
    parser.add_argument("--report", action="store_true", help="only rewrite BENCHMARKS.md from bench/out")
    args = parser.parse_args()
    if not args.report:
        common.save("machine", {**common.machine(), "quick": args.quick})
        for name in args.only or BENCHES:
            print(f"[{name}]", flush=True)
            t0 = time.perf_counter()
            try:
                result = BENCHES[name](args.quick)
            except Exception as exc:
                traceback.print_exc()
                result = {"failed": f"{type(exc).__name__}: {exc}"[:300]}
            result["bench_seconds"] = round(time.perf_counter() - t0, 1)
            result["quick"] = args.quick
            common.save(FILES.get(name, name), result)
    print(report.write())


if __name__ == "__main__":
    main()
