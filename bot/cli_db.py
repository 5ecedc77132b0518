"""``byline db ...`` and ``byline analyze --save``: the store from the command line.

The CLI has its own guild, 0, unless ``--guild`` says otherwise; every command is a thin wrapper around
one ``Store`` call, run with ``asyncio.run``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from bot.analysis.result import Result
from bot.config import MAX_RETENTION_DAYS, Settings
from bot.errors import InputError, NotFoundError
from bot.search_query import query_problem
from bot.shares import percent
from bot.store import PruneReport, Store
from bot.store_types import BELOW_THRESHOLD, CARRIED, STAFF, STATS_LABELS, STATUSES, StoredAnalysis

T = TypeVar("T")
CLI_GUILD = 0


def add_parser(sub: Any, parents: Sequence[argparse.ArgumentParser] = ()) -> None:
    """Register ``byline db`` and its subcommands; ``parents`` (the ``--config`` option) go on each level."""
    db = sub.add_parser("db", parents=list(parents), help="look at, search, export and prune the stored analyses")
    cmds = db.add_subparsers(dest="db_command", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return _common(cmds.add_parser(name, parents=list(parents), help=help_text))

    show = command("show", "show one stored analysis")
    show.add_argument("id", help="the short id printed by analyze --save")
    show.add_argument("--json", action="store_true", help="print the stored record as JSON")
    show.set_defaults(handler=cmd_show)

    search = command("search", "full-text search of titles, summaries and texts")
    search.add_argument("query", nargs="+", help="words to look for (all must match; word* for a prefix)")
    search.add_argument("--limit", type=int, default=10, help="how many hits (default 10, at most 50)")
    search.set_defaults(handler=cmd_search)

    stats = command("stats", "counts, sourcing and review figures")
    stats.set_defaults(handler=cmd_stats)

    export = command("export", "export flags as CSV or JSON Lines")
    export.add_argument("--format", dest="fmt", choices=["csv", "jsonl"], required=True)
    export.add_argument("--status", choices=list(STATUSES))
    export.add_argument("--category", help="anonymous_source, vague_source, no_source or unattributed_quote")
    export.add_argument("--since", type=_date, help="flags created on or after (YYYY-MM-DD or ISO time, UTC)")
    export.add_argument("--until", type=_date, help="flags created before (YYYY-MM-DD or ISO time, UTC)")
    export.add_argument("--output", "-o", help="write to FILE (atomically) instead of stdout")
    export.set_defaults(handler=cmd_export)

    prune = command("prune", "delete analyses older than each server's retention (an article goes with its last)")
    prune.add_argument("--retention-days", type=int, metavar="N",
                       help=f"first set this guild's retention to N days (1 to {MAX_RETENTION_DAYS})")
    prune.set_defaults(handler=cmd_prune)


def _common(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("--db", help="database path (default: store.path)")
    parser.add_argument("--guild", type=int, default=CLI_GUILD, help="server id (default 0, the CLI's own)")
    return parser


def _date(raw: str) -> datetime:
    """Parse a date or ISO time; a time without zone is read as UTC. Returned in UTC, so a time whose UTC date is
    past the year 9999 (or before 1) is refused here, as a bad argument, rather than failing later."""
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {raw!r} (use YYYY-MM-DD)") from None
    try:
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"out of range: {raw!r} is not within the years 1 to 9999 in UTC") from None


def _run(args: argparse.Namespace, settings: Settings, work: Callable[[Store], Awaitable[T]], *,
         create: bool = False) -> T:
    """Open the store named by ``--db`` (or the config), run one coroutine, close it.

    Only ``analyze --save`` creates a database: a mistyped ``--db`` for show, search, stats, export or prune
    must say so, not answer from a new empty file it just made. Those commands also refuse an empty file or
    another program's SQLite file and leave it as it was (an older Byline database is still upgraded).
    """
    path = getattr(args, "db", None) or settings.store.path
    if not create and path != ":memory:" and not Path(path).expanduser().exists():
        raise InputError(f"No database at {path} (check --db or store.path).")

    async def go() -> T:
        async with Store.open(path, busy_timeout_ms=settings.store.busy_timeout_ms,
                              existing_only=not create) as store:
            return await work(store)

    return asyncio.run(go())


def save_result(args: argparse.Namespace, settings: Settings, text: str, result: Result, meta: dict[str, Any]) -> str:
    """Store an ``analyze --save`` result in the CLI's guild and return its short id."""
    guild = getattr(args, "guild", CLI_GUILD) or CLI_GUILD
    stored = _run(args, settings, lambda s: s.save_analysis(
        guild, text, result, engine_version=result.engine or "unknown", title=meta.get("title"), url=meta.get("url")),
        create=True)
    return stored.id


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """Print a stored analysis as a report (or JSON)."""
    async def work(store: Store) -> tuple[StoredAnalysis | None, str | None]:
        return (await store.get_analysis(args.guild, args.id, viewer_id=STAFF),
                await store.get_text(args.guild, args.id))

    stored, text = _run(args, settings, work)
    if stored is None or text is None:
        raise NotFoundError(f"No analysis {args.id!r} in this database (guild {args.guild}).")
    if args.json:
        record = {"id": stored.id, "guild_id": stored.guild_id, "title": stored.title, "url": stored.url,
                  "engine_version": stored.engine_version, "created_at": stored.created_at.isoformat(),
                  "flag_ids": list(stored.flag_ids), "result": stored.result.to_dict()}
        sys.stdout.write(json.dumps(record) + "\n")
        return 0
    from bot.report import one_line, render_report, use_color

    sys.stdout.write(f"{stored.id}  {stored.created_at:%Y-%m-%d %H:%M} UTC  {one_line(stored.url or '')}\n\n")
    sys.stdout.write(render_report(text, stored.result, color=use_color("auto", sys.stdout)))
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Print the best hits, one block each."""
    query = " ".join(args.query)
    if not 1 <= args.limit <= 50:
        raise InputError("--limit must be between 1 and 50.")
    problem = query_problem(query)  # the store would drop those words; say so rather than answer another search
    if problem is not None:
        raise InputError(problem)
    hits, total = _run(args, settings, lambda s: _search(s, args.guild, query, args.limit))
    if not hits:
        sys.stdout.write("No matches.\n")
        return 0
    from bot.report import one_line  # titles and snippets are members' text: no escape sequence reaches the terminal

    for hit in hits:
        title = one_line(hit.title or hit.url or "(untitled)")
        snippet = one_line(hit.snippet)
        sys.stdout.write(f"{hit.analysis_id}  {hit.created_at:%Y-%m-%d}  {title}\n    {snippet}\n")
    sys.stdout.write(f"{len(hits)} of {total} matches\n")
    return 0


async def _search(store: Store, guild: int, query: str, limit: int) -> tuple[list[Any], int]:
    return (await store.search(guild, query, limit=limit, viewer_id=STAFF),
            await store.count_search(guild, query, viewer_id=STAFF))


def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print the guild's counts, its sourcing scorecard and the review queue."""
    stats = _run(args, settings, lambda s: s.guild_stats(args.guild))
    out = [f"Documents: {stats.documents}   Analyses: {stats.analyses}",
           f"Attributions: {stats.total_attributions} "
           f"({', '.join(f'{k} {v}' for k, v in stats.attributions.items())})",
           f"Unnamed share: {_pct(stats.unnamed_share)}",
           "Flags: " + ", ".join(f"{STATS_LABELS.get(k, k)} {v}" for k, v in stats.flags_by_status.items())
           + f", {STATS_LABELS[BELOW_THRESHOLD]} {stats.flags_below_threshold}"
           + f", {STATS_LABELS[CARRIED]} {stats.flags_carried}"]
    if stats.flags_by_category:
        out.append("By category: " + ", ".join(f"{k} {v}" for k, v in stats.flags_by_category.items()))
    for site in stats.sites:
        out.append(f"  {site.site}: {site.analyses} analyses, unnamed {_pct(site.unnamed_share)}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _pct(share: float | None) -> str:
    return "n/a" if share is None else percent(share)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    """Stream the flags to stdout, or to a file that appears only once it is complete."""
    def work(out: IO[str]) -> Callable[[Store], Awaitable[int]]:
        return lambda s: s.export_flags(args.guild, out, fmt=args.fmt, status=args.status, category=args.category,
                                        since=args.since, until=args.until)

    if not args.output or args.output == "-":
        count = _run(args, settings, work(sys.stdout))
    else:
        with _atomic_file(args.output) as out:
            count = _run(args, settings, work(out))
    sys.stderr.write(f"exported {count} flags\n")
    return 0


@contextlib.contextmanager
def _atomic_file(path: str) -> Iterator[IO[str]]:
    """Write next to ``path`` and rename at the end, so a failed export never leaves half a file.

    A symlink is followed (its target is what gets replaced), an existing file keeps its permissions, and a
    device or pipe (``/dev/stdout``) is written to as it is: renaming over it would replace the device.
    """
    target = Path(os.path.realpath(path))
    if target.is_dir():
        raise InputError(f"Cannot write {path}: it is a folder.")
    if target.exists() and not target.is_file():
        with _plain_file(path) as out:
            yield out
        return
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
    except OSError as exc:
        raise InputError(f"Cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            yield out
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise InputError(f"Cannot write {path}: {exc.strerror}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def _plain_file(path: str) -> Iterator[IO[str]]:
    try:
        with open(path, "w", encoding="utf-8", newline="") as out:
            yield out
    except OSError as exc:
        raise InputError(f"Cannot write {path}: {exc.strerror}") from None


def _default_mode() -> int:
    """The mode a new file gets from the umask (``mkstemp`` would make it 0600)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def cmd_prune(args: argparse.Namespace, settings: Settings) -> int:
    """Apply every guild's retention (optionally setting this guild's first)."""
    if args.retention_days is not None and not 1 <= args.retention_days <= MAX_RETENTION_DAYS:
        raise InputError(f"--retention-days must be between 1 and {MAX_RETENTION_DAYS}.")

    async def work(store: Store) -> PruneReport:
        if args.retention_days is not None:
            await store.update_settings(args.guild, retention_days=args.retention_days)
        return await store.prune()

    report = _run(args, settings, work)
    sys.stdout.write(f"pruned {report.analyses} analyses and {report.documents} documents\n")
    return 0
