"""Write the benchmark table into BENCHMARKS.md, between its markers, from the files in bench/out/.

Only the block between ``<!-- bench:start -->`` and ``<!-- bench:end -->`` is ours; the other sections
of BENCHMARKS.md (summaries, attribution, store) belong to other parts and are left untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import common, external

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
DOC = common.ROOT / "BENCHMARKS.md"
HEADER = "# Benchmarks\n\nMeasured figures for Byline, each with the command that produced it.\n"
LATENCY_TARGETS = {1_000: 1.3, 20_000: 3.0}


def _f(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"


def _failed(data: dict[str, Any] | None, what: str) -> list[str] | None:
    if data is None:
        return [f"_Not measured yet: run `python -m bench` ({what})._", ""]
    if "failed" in data:
        return [f"_Failed in the last run: `{data['failed']}`_", ""]
    return None


def _run_note(data: dict[str, Any]) -> str:
    return " (quick run)" if data.get("quick") else ""


def machine_section() -> list[str]:
    """The machine and the run, so others can compare."""
    m = common.load("machine")
    if m is None:
        return ["_No run recorded yet._", ""]
    return [
        f"Run {m['date']} at commit `{m['git']}`{' (quick run)' if m.get('quick') else ''}: {m['nproc']} CPUs "
        f"({m['cpu']}), {m['ram_gib']} GiB RAM, Python {m['python']}, spaCy {m['spacy']}, "
        f"OPENBLAS_NUM_THREADS={m.get('openblas_threads', '?')} (the engine's policy, for baseline and engine "
        f"alike), 1-minute load average {m['load_avg_1m']} at the start (the machine was shared, so every "
        "timing below is a ratio against a baseline measured in the same run, interleaved; medians).",
        "",
    ]


def latency_section() -> list[str]:
    """Engine ÷ bare parse per size, with ms/word and the stage breakdown."""
    data = common.load("engine_latency")
    lines = ["### Engine latency ÷ bare spaCy parse", "",
             "Command: `python -m bench.engine_latency`" + _run_note(data or {}) + ". Baseline: "
             "`spacy.load(model)` as shipped, every default component, no Byline component; the engine's "
             "line-break/quote boundary component, input checks, segmentation, summary, attribution, flags "
             "and result objects all count against the engine. Ratio = median of per-pair ratios "
             "(subject and baseline timed back to back, order flipped each repeat); CPU ratio uses process "
             "CPU time, which other processes on the machine disturb less.", ""]
    failed = _failed(data, "engine latency")
    if failed or data is None:
        return lines + (failed or [])
    for source, series in data["series"].items():
        if series.get("missing"):
            lines += [f"Texts `{source}`: not available on this machine.", ""]
            continue
        lines += _latency_table(source, series)
    return lines


def _latency_table(source: str, series: dict[str, Any]) -> list[str]:
    what = ("our own articles in `bench/articles/`, joined (and repeated) to size" if source == "own"
            else "CNN/DM dev articles joined to size (read in place from ../shared/data)")
    lines = [f"Texts: {what}.", "",
             "| words | engine ms | bare ms | ratio | CPU ratio | pairs min–max | engine µs/word | bare µs/word "
             "| target |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in series["rows"]:
        target = _target(r["words"], r["ratio_pairs"])
        lines.append(f"| {r['words']:,} | {r['subject_ms']:.0f} | {r['base_ms']:.0f} | **{_f(r['ratio_pairs'])}** "
                     f"| {_f(r['ratio_cpu'])} | {_f(r['ratio_pairs_min'])}–{_f(r['ratio_pairs_max'])} "
                     f"| {r['ms_per_word'] * 1000:.0f} | {r['base_ms_per_word'] * 1000:.0f} | {target} |")
    for sk in series.get("skipped", []):
        lines.append(f"| {sk['words']:,} | skipped: projected {sk['projected_s']} s per analysis | | | | | | | |")
    g = series["growth"]
    lines += ["", f"Growth: words ×{g['size_ratio']:.0f} → engine µs/word ×{_f(g['engine_ms_per_word_ratio'])}, "
              f"bare µs/word ×{_f(g['bare_ms_per_word_ratio'])} (1.00 = perfectly linear).", ""]
    return lines + _stage_table(series["rows"])


def _target(words: int, ratio: float) -> str:
    for size, limit in LATENCY_TARGETS.items():
        if abs(words - size) <= size * 0.1:
            return f"≤ {limit} {'met' if ratio <= limit else '**not met**'}"
    return ""


def _stage_table(rows: list[dict[str, Any]]) -> list[str]:
    stages = ["parse+rest", "validate", "segment", "summary", "attribution", "flags"]
    comps = list(rows[0]["components_ms"])
    lines = ["Where the time goes (ms, median of 3 instrumented runs; `parse+rest` is the engine's own parse "
             "plus anything not in a named stage), and the engine pipeline's components, summed over the pieces "
             "the engine parses (texts over 5,000 words are cut at line breaks, and inside stretches of over "
             "2,000 words, into pieces of at least 1,000 words):", "",
             "| words | " + " | ".join(stages) + " | | " + " | ".join(comps) + " |",
             "|---:|" + "---:|" * len(stages) + "---|" + "---:|" * len(comps)]
    for r in rows:
        s = r["stages_ms"]
        c = r["components_ms"]
        lines.append(f"| {r['words']:,} | " + " | ".join(f"{s.get(k, 0):.0f}" for k in stages) + " | | "
                     + " | ".join(f"{c.get(k, 0):.0f}" for k in comps) + " |")
    return [*lines, ""]


def summariser_section() -> list[str]:
    """Default summary method vs sumy LexRank on the same parsed texts."""
    data = common.load("summariser")
    lines = ["### Summariser alone", ""]
    failed = _failed(data, "summariser")
    if failed or data is None:
        return lines + (failed or [])
    lines += [f"Command: `python -m bench.summariser`{_run_note(data)}. `{data['method']}` (the default) against "
              f"`{data['baseline']}` (sumy LexRank with our tokenizer), {data['sentences']} sentences, same "
              "parsed docs, interleaved; the parse is not timed.", "",
              "| texts | words | default ms | LexRank ms | default ÷ LexRank |", "|---|---:|---:|---:|---:|"]
    for r in data["rows"]:
        lines.append(f"| {r['case']} ({r['texts']}) | {r['words']:,} | {r['subject_ms']:.1f} | {r['base_ms']:.1f} "
                     f"| **{_f(r['ratio_pairs'], 3)}** |")
    lines += ["", "The default alone as texts grow: " + ", ".join(
        f"{g['words']:,} words ({g['sentences']} sentences) {g['ms']:.0f} ms = {g['us_per_word']:.1f} µs/word"
        for g in data["growth"]) + ".", ""]
    return lines


def batch_section() -> list[str]:
    """Articles per second, batched vs one at a time."""
    data = common.load("batch")
    lines = ["### Batch throughput", ""]
    failed = _failed(data, "batch")
    if failed or data is None:
        return lines + (failed or [])
    cli = data["cli"]
    lines += [f"Command: `python -m bench.batch`{_run_note(data)}. {data['articles']} articles "
              f"({data['words']:,} words), in one process, interleaved.", "",
              "| path | articles/s |", "|---|---:|",
              f"| `Engine.analyze_many` (nlp.pipe, the `--jsonl` path) | {data['batched_per_s']:.2f} |",
              f"| `Engine.analyze` one at a time (baseline) | {data['single_per_s']:.2f} |",
              f"| `python -m bot analyze --jsonl -` in a fresh process, start-up included | {cli['per_s']:.2f} |",
              "", f"Batched ÷ one at a time: **×{_f(data['speedup'])}** throughput. CLI run: exit code {cli['rc']}, "
              f"{cli['results']} results, {cli['errors']} error lines, {cli['wall_s']:.1f} s.", ""]
    return lines


def cold_start_section() -> list[str]:
    """Time to the first result in a fresh process."""
    data = common.load("cold_start")
    lines = ["### Cold start", ""]
    failed = _failed(data, "cold start")
    if failed or data is None:
        return lines + (failed or [])
    e, b = data["engine"], data["bare"]
    lines += [f"Command: `python -m bench.cold_start`{_run_note(data)}. Fresh `python -c` process to the first "
              f"result on a {data['words']:,}-word article, median of {data['repeats']}, interleaved with a "
              "fresh process that loads the bare model and parses the same text.", "",
              "| process | to first result | import | model load | first analysis/parse | load share |",
              "|---|---:|---:|---:|---:|---:|",
              f"| engine | {e['wall']:.2f} s | {e['import']:.2f} s | {e['load']:.2f} s | {e['first']:.2f} s "
              f"| {e['load_share']:.0%} |",
              f"| bare spaCy | {b['wall']:.2f} s | {b['import']:.2f} s | {b['load']:.2f} s | {b['first']:.2f} s "
              f"| {b['load_share']:.0%} |",
              "", f"Engine ÷ bare: **{_f(data['ratio'])}**. The rest of the wall time is interpreter start-up.", ""]
    return lines


def memory_section() -> list[str]:
    """Peak RSS (and PSS) of the bot process tree under load, and one worker's peak per text length."""
    data = common.load("memory")
    lines = ["### Memory", ""]
    failed = _failed(data, "memory")
    if failed or data is None:
        return lines + (failed or [])
    at = f" at commit `{data['git']}`" if data.get("git") else ""
    lines += [f"Command: `python -m bench.memory`{_run_note(data)}{at}. A fresh process imports the bot, starts "
              f"`AnalysisService` with its worker processes and pushes {data['analyses']} analyses through it "
              "(single articles and four 20k-word texts); RSS of it and all its descendants is read from /proc "
              "every 50 ms, and PSS from `smaps_rollup` (RSS counts a page shared by several processes once in "
              "each; PSS splits it between them, so its sum is what the tree really uses). \"Idle\" is what "
              "the tree holds once the load is over.", "",
              "| workers | processes | peak sum of RSS | sum of per-process peaks (VmHWM) | peak sum of PSS "
              "| idle RSS / PSS | analyses ok | target (RSS) |",
              "|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in data["rows"]:
        peak = max(r["peak_sum_rss_mb"], r["sum_vmhwm_mb"])
        ok = "met" if peak <= data["target_mb"] else "**not met**"
        pss = f"{r['peak_sum_pss_mb']:.0f} MB" if "peak_sum_pss_mb" in r else "–"
        idle = (f"{r['settled_sum_rss_mb']:.0f} / {r['settled_sum_pss_mb']:.0f} MB"
                if "settled_sum_rss_mb" in r else "–")
        lines.append(f"| {r['workers']} | {r['processes']} | {r['peak_sum_rss_mb']:.0f} MB "
                     f"| {r['sum_vmhwm_mb']:.0f} MB | {pss} | {idle} | {r.get('done', 0)}/{data['analyses']} "
                     f"| ≤ {data['target_mb']} MB {ok} |")
    lines += ["", f"For scale, a process that only loads the model and parses one article peaks at "
              f"{data['bare_model_mb']:.0f} MB.", ""]
    return lines + _worst_text_lines(data)


def _worst_text_lines(data: dict[str, Any]) -> list[str]:
    """The load has no text just under the whole-parse limit; say what one costs and what two at once would."""
    by_words = {k: v for k, v in data.get("worker_peak_by_words", {}).items() if isinstance(v, dict)}
    if not by_words:
        return []
    worst_words, worst = max(by_words.items(), key=lambda kv: kv[1]["peak_mb"])
    others = {r["workers"]: r for r in data["rows"]}
    line = ("One warmed-up engine's peak RSS by text length: "
            + ", ".join(f"{int(k):,} words {v['peak_mb']:.0f} MB" for k, v in by_words.items()) + ".")
    two = others.get(2)
    if two is not None and "per_process_vmhwm_mb" in two:
        rest = sum(sorted(two["per_process_vmhwm_mb"], reverse=True)[2:])  # the bot and the resource tracker
        both = rest + 2 * worst["peak_mb"]
        verdict = "over" if both > data["target_mb"] else "within"
        line += (f" Texts up to {data.get('whole_up_to', 5000):,} words are parsed whole, so the worst single text "
                 f"is one of about {int(worst_words):,} words; two workers parsing such texts at the same moment "
                 f"would hold about {both:.0f} MB RSS, {verdict} the {data['target_mb']} MB target (the load "
                 "above never does that).")
    return [line, ""]


def store_section() -> list[str]:
    """Point at the store's own figures."""
    data = common.load("store")
    lines = ["### Store", ""]
    failed = _failed(data, "store")
    if failed or data is None:
        return lines + (failed or [])
    if data.get("missing"):
        return [*lines, f"_{data['note']}._", ""]
    lines += [f"Command: `{data['command']}` (exit code {data.get('rc')}); its figures are in the Store section "
              "of this file. Last lines it printed:", "", "```", *data.get("stdout_tail", [])[-12:], "```", ""]
    return lines


def loop_lag_section() -> list[str]:
    """Event-loop lag from the end-to-end harness."""
    data = common.load("loop_lag")
    lines = ["### Bot event-loop lag", ""]
    failed = _failed(data, "loop lag")
    if failed or data is None:
        return lines + (failed or [])
    if data.get("missing"):
        return [*lines, f"_{data['note']}._", ""]
    p99 = external.find_p99(data["data"])
    verdict = "" if p99 is None else (f"p99 **{p99:.1f} ms** (target < {external.LOOP_LAG_TARGET_MS:.0f} ms: "
                                       f"{'met' if p99 < external.LOOP_LAG_TARGET_MS else 'not met'}). ")
    cmd = data["data"].get("command", "the end-to-end harness") if isinstance(data["data"], dict) else "e2e"
    lines += [f"{verdict}From `bench/out/e2e_loop_lag.json` written by {cmd} at {data['written']}:", "", "```",
              *_flat(data["data"])[:20], "```", ""]
    return lines


def _flat(data: Any, prefix: str = "") -> list[str]:
    if isinstance(data, dict):
        out: list[str] = []
        for key, value in data.items():
            out += _flat(value, f"{prefix}{key}.")
        return out
    return [f"{prefix.rstrip('.')} = {data}"]


SECTIONS: list[Callable[[], list[str]]] = [machine_section, latency_section, summariser_section, batch_section,
                                           cold_start_section, memory_section, store_section, loop_lag_section]


def render() -> str:
    """The whole generated block, markers included."""
    lines = [START, "## Performance", "", "Generated by `python -m bench` (`bench/`); do not edit by hand.", ""]
    for section in SECTIONS:
        lines += section()
    return "\n".join([*lines, END])


def write(path: Path = DOC) -> Path:
    """Replace our block in BENCHMARKS.md (append it, or create the file, if missing)."""
    block = render()
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _old, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")
    return path
