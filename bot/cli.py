"""The ``byline`` command: ``analyze`` (report, --json, --jsonl), ``run`` (the bot) and ``db`` (the store).

Every user-facing failure is a ``BylineError``: it becomes one line on stderr and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import logging
import math
import sys
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import IO, Any

from bot import __version__, config
from bot import log as logsetup
from bot.errors import BylineError, InputError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
JSONL_CHUNK = 32


CONFIG_HELP = "TOML config file (default: $BYLINE_CONFIG)"


def config_option() -> argparse.ArgumentParser:
    """A parent parser that lets every subcommand take ``--config`` after its name too.

    Its default is SUPPRESS: a subcommand that was not given ``--config`` then leaves the top-level value alone
    (argparse copies every default of a subparser over the namespace, which would reset it to None).
    """
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--config", default=argparse.SUPPRESS, help=CONFIG_HELP)
    return parent


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser; subcommands register themselves here."""
    parser = argparse.ArgumentParser(prog="byline", description="Summarise news and flag weakly sourced claims.")
    parser.add_argument("--version", action="version", version=f"byline {__version__}")
    parser.add_argument("--config", help=CONFIG_HELP)
    sub = parser.add_subparsers(dest="command", required=True)
    parents = [config_option()]

    an = sub.add_parser("analyze", aliases=["analyse"], parents=parents,
                        help="analyse an article (file, stdin or URL)")
    an.add_argument("input", nargs="?", help="plain-text article, or - for stdin")
    mode = an.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON result (the contract)")
    mode.add_argument("--jsonl", action="store_true", help='batch: {"id","text"} lines in, one result per line out')
    an.add_argument("--sentences", type=int, metavar="N", help="summary length (default: from article length)")
    an.add_argument("--method", help="summary method (default: analysis.summary_method)")
    an.add_argument("--url", help="fetch and analyse this link instead of a file")
    an.add_argument("--save", action="store_true", help="store the result in the database and print its id")
    an.add_argument("--db", help="database path (default: store.path)")
    an.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour the report")
    an.set_defaults(handler=cmd_analyze)

    run = sub.add_parser("run", parents=parents, help="start the Discord bot (needs a token)")
    run.set_defaults(handler=cmd_run)

    _add_db_commands(sub, parents)
    return parser


def _add_db_commands(sub: Any, parents: list[argparse.ArgumentParser]) -> None:
    try:
        from bot.cli_db import add_parser
    except ImportError:  # the store CLI is optional until it exists
        return
    add_parser(sub, parents)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``byline`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    problem = _ignored_option(args)
    if problem is not None:
        print(f"byline: {problem}", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings = config.load(args.config)
        logsetup.setup(settings.logging)
        return int(args.handler(args, settings) or EXIT_OK)
    except BylineError as exc:
        print(f"byline: {exc.user_message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("byline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # the output itself failed: a full disk, a closed terminal
        print(f"byline: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR


def _ignored_option(args: argparse.Namespace) -> str | None:
    """Name an ``analyze`` option that the others given would make it ignore, rather than ignore it silently."""
    if getattr(args, "handler", None) is not cmd_analyze:
        return None
    if args.jsonl and args.url:
        return "--url cannot be combined with --jsonl (a batch reads {\"id\", \"text\"} lines, not links)."
    if args.jsonl and args.save:
        return "--save cannot be combined with --jsonl (save one article at a time)."
    if args.json and args.save:  # --save prints the id alone, the one line a script reads
        return ("--json cannot be combined with --save (which prints the id; `byline db show ID --json` then prints "
                "the stored result as JSON).")
    if args.color != "auto" and (args.json or args.jsonl or args.save):
        shown = "--json" if args.json else "--jsonl" if args.jsonl else "--save"
        return f"--color {args.color} is only used by the report, not with {shown}."
    if args.url and args.input:
        return f"give either --url or a file, not both (got --url and {args.input})."
    if args.db and not args.save:
        return "--db is only used with --save."
    return None


def cmd_analyze(args: argparse.Namespace, settings: config.Settings) -> int:
    """Analyse one input and print a report or JSON; or stream a JSONL batch."""
    from bot.analysis import Engine

    if args.sentences is not None and not 0 <= args.sentences <= 100:
        raise BylineError("--sentences must be between 0 and 100.")
    engine = Engine(settings.analysis)
    if args.jsonl:
        return _analyze_jsonl(engine, args)
    text, meta = _read_input(args, settings)
    result = engine.analyze(text, sentences=args.sentences, method=args.method)
    if meta.get("title"):  # a fetched page's <title>, as --save and the bot's link replies store it
        result = dataclasses.replace(result, title=meta["title"])
    if args.save:
        from bot.cli_db import save_result

        analysis_id = save_result(args, settings, text, result, meta)
        print(analysis_id)
        return EXIT_OK
    if args.json:
        _write_json(sys.stdout, result.to_dict())
    else:
        from bot.report import render_report, use_color

        sys.stdout.write(render_report(text, result, color=use_color(args.color, sys.stdout)))
    return EXIT_OK


def _read_input(args: argparse.Namespace, settings: config.Settings) -> tuple[str, dict[str, Any]]:
    """Return the article text and what is known about it (title, url) from a file, stdin or a URL."""
    from bot.analysis.validate import decode

    if args.url:
        from bot.fetcher import fetch_article_sync

        article = fetch_article_sync(args.url, settings.fetch)
        return article.text, {"title": article.title, "url": article.url}
    if not args.input:
        raise InputError("Give a file, - for stdin, or --url URL.")
    if args.input == "-":
        data = sys.stdin.buffer.read(settings.analysis.max_chars * 4 + 1)
    else:
        try:
            with open(args.input, "rb") as fh:
                data = fh.read(settings.analysis.max_chars * 4 + 1)
        except FileNotFoundError:
            raise InputError(f"No such file: {args.input}") from None
        except IsADirectoryError:
            raise InputError(f"{args.input} is a directory, not a file.") from None
        except OSError as exc:
            raise InputError(f"Cannot read {args.input}: {exc.strerror}") from None
    if len(data) > settings.analysis.max_chars * 4:
        raise InputError(f"Input is too long (the limit is {settings.analysis.max_chars:,} characters).")
    return decode(data), {}


def _analyze_jsonl(engine: Any, args: argparse.Namespace) -> int:
    """Stream ``{"id","text"}`` lines through the batch API; a bad line yields an error line and the run goes on."""
    from bot.analysis import Failure

    source: IO[str]
    if args.input in (None, "-"):
        source = _stdin_text()
    else:
        try:
            source = open(args.input, encoding="utf-8-sig", errors="replace")  # noqa: SIM115
        except OSError as exc:
            raise InputError(f"Cannot read {args.input}: {exc.strerror or exc}") from None
    with source:
        for chunk in _chunks(_parse_lines(source), JSONL_CHUNK):
            todo = [item for item in chunk if "error" not in item]
            lengths = [item.get("sentences", args.sentences) for item in todo]
            results = iter(engine.analyze_many([i["text"] for i in todo], sentences=lengths, method=args.method))
            for item in chunk:
                if "error" in item:
                    out: dict[str, Any] = {"id": item.get("id"), "error": item["error"]}
                else:
                    res = next(results)
                    out = {"id": item["id"], "error": res.error} if isinstance(res, Failure) else {
                        "id": item["id"], **res.to_dict()}
                _write_json(sys.stdout, out)
            sys.stdout.flush()
    return EXIT_OK


def _parse_lines(source: IO[str]) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_constant=_no_constant, parse_float=_finite_float)
        except json.JSONDecodeError as exc:
            yield {"id": None, "error": f"line {number} is not JSON: {_json_problem(exc)}"}
            continue
        except (ValueError, RecursionError):  # NaN or 1e400, a number too long to convert, or nesting too deep
            yield {"id": None, "error": f"line {number} is not JSON that Byline can read"}
            continue
        if not isinstance(obj, dict):
            yield {"id": None, "error": f"line {number} is not a JSON object"}
            continue
        item_id, text, n = obj.get("id"), obj.get("text"), obj.get("sentences")
        if not isinstance(text, str):
            yield {"id": item_id, "error": f"line {number} has no \"text\" string"}
        elif n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 100):
            yield {"id": item_id, "error": f"line {number}: \"sentences\" must be a whole number from 0 to 100"}
        else:
            yield {"id": item_id, "text": text, "sentences": n} if n is not None else {"id": item_id, "text": text}


def _json_problem(exc: json.JSONDecodeError) -> str:
    """The reader's complaint as a whole phrase: its messages ("Invalid control character at") stop before the place."""
    where = f"column {exc.colno}" if exc.lineno == 1 else f"line {exc.lineno} column {exc.colno}"
    return f"{exc.msg} {where}" if exc.msg.endswith(" at") else f"{exc.msg} at {where}"


def _no_constant(name: str) -> Any:
    """NaN and Infinity are not JSON: echoing one back as an id would make the output line invalid too."""
    raise ValueError(f"{name} is not a JSON value")


def _finite_float(text: str) -> float:
    """A JSON number, refused when it overflows to infinity (1e400), for the same reason."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large")
    return value


def _stdin_text() -> IO[str]:
    """Standard input as UTF-8 whatever the locale says, a byte-order mark dropped, bad bytes replaced.

    The same rules as for a file, so one broken byte costs one line's text, not the whole run.
    """
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # already text (tests, embedding)
        return sys.stdin
    return io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace")


def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _write_json(stream: IO[str], obj: dict[str, Any]) -> None:
    stream.write(json.dumps(obj, allow_nan=False) + "\n")  # ASCII escapes survive lone surrogates in the input


def cmd_run(args: argparse.Namespace, settings: config.Settings) -> int:
    """Start the Discord bot; a missing or invalid token is a one-line error."""
    from bot.client import run_bot

    return run_bot(settings)


if __name__ == "__main__":
    raise SystemExit(main())
