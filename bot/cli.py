"""The ``byline`` command: ``analyze`` (report, --json, --jsonl), ``run`` (the bot) and ``db`` (the store).

Every user-facing failure is a ``BylineError``: it becomes one line on stderr and a non-zero exit,
never a traceback.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import dataclasses
import io
import json
import logging
import math
import sys
from collections.abc import Iterable, Iterator, Sequence
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
MAX_SENTENCES = 100  # the longest summary asked for explicitly, by --sentences or a JSONL line's "sentences"
# Output goes out in pieces of at most this many characters: Python 3.11 cuts a single write of over 2 GiB short
# below the text layer without raising, which would leave invalid JSON behind an exit status of 0.
WRITE_CHUNK = 1 << 20


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
    an.add_argument("--sentences", type=_sentence_count, metavar="N",
                    help=f"summary length, 0 to {MAX_SENTENCES} (default: from article length)")
    an.add_argument("--method", choices=config.SUMMARY_METHODS,
                    help="summary method (default: analysis.summary_method)")
    an.add_argument("--url", help="fetch and analyse this link instead of a file")
    an.add_argument("--save", action="store_true", help="store the result in the database and print its id")
    an.add_argument("--db", help="database path (default: store.path)")
    an.add_argument("--color", choices=["auto", "always", "never"], default="auto", help="colour the report")
    an.set_defaults(handler=cmd_analyze)

    run = sub.add_parser("run", parents=parents, help="start the Discord bot (needs a token)")
    run.set_defaults(handler=cmd_run)

    _add_db_commands(sub, parents)
    return parser


def _sentence_count(raw: str) -> int:
    """``--sentences N``, checked by the parser: out of range, it would fail only after a long input was analysed
    (and, with --jsonl, after some results were printed)."""
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 0 <= value <= MAX_SENTENCES:
        raise argparse.ArgumentTypeError(f"must be a whole number from 0 to {MAX_SENTENCES} (got {raw!r})")
    return value


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
        print(f"byline: {exc.detail}", file=sys.stderr)  # the operator's own machine: the database's path too
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

    out = _stdout()  # a closed stdout or stdin is refused before the model takes seconds to load
    if args.input == "-" or (args.jsonl and args.input is None):
        _check_stdin()
    engine = Engine(settings.analysis)
    if args.jsonl:
        return _analyze_jsonl(engine, args, out)
    text, meta = _read_input(args, settings)
    result = engine.analyze(text, sentences=args.sentences, method=args.method)
    if meta.get("title"):  # a fetched page's <title>, as --save and the bot's link replies store it
        result = dataclasses.replace(result, title=meta["title"])
    if args.save:
        from bot.cli_db import save_result

        analysis_id = save_result(args, settings, text, result, meta)
        print(analysis_id, file=out)
    elif args.json:
        _write_json(out, result.to_dict())
    else:
        from bot.report import render_report, use_color

        _write_text(out, render_report(text, result, color=use_color(args.color, out)))
    out.flush()  # here, so a full disk is reported by main() rather than lost at interpreter exit
    return EXIT_OK


def _stdout() -> IO[str]:
    """Standard output; Python sets ``sys.stdout`` to None when the process starts with it closed (``>&-``)."""
    if sys.stdout is None:
        raise BylineError("Standard output is closed, so there is nowhere to write the result.")
    return sys.stdout


def _check_stdin() -> None:
    """Python sets ``sys.stdin`` to None when the process starts with it closed (``<&-``)."""
    if sys.stdin is None:
        raise InputError("Standard input is closed: name an input file, or pipe the input in.")


def _stdin_bytes() -> IO[bytes]:
    """Standard input as bytes, to be decoded by the same rules as a file."""
    _check_stdin()
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:  # already text (embedding): the bytes it stands for
        return io.BytesIO(sys.stdin.read().encode("utf-8", "surrogateescape"))
    return raw


def _open_input(path: str) -> IO[bytes]:
    """Open a named input, turning the usual reasons it cannot be read into one line each."""
    try:
        return open(path, "rb")  # the callers close it
    except FileNotFoundError:
        raise InputError(f"No such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory, not a file.") from None
    except OSError as exc:
        raise InputError(f"Cannot read {path}: {exc.strerror or exc}") from None


def _read_at_most(stream: IO[bytes], limit: int, name: str) -> bytes:
    """Read up to ``limit`` bytes; a read that fails (EIO, a stdin opened write-only) is reported as the input's
    problem, not as main()'s "cannot write the output"."""
    try:
        return stream.read(limit)
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror or exc}") from None


def _read_input(args: argparse.Namespace, settings: config.Settings) -> tuple[str, dict[str, Any]]:
    """Return the article text and what is known about it (title, url) from a file, stdin or a URL."""
    from bot.analysis.validate import decode

    if args.url:
        from bot.fetcher import fetch_article_sync

        article = fetch_article_sync(args.url, settings.fetch)
        return article.text, {"title": article.title, "url": article.url}
    if not args.input:
        raise InputError("Give a file, - for stdin, or --url URL.")
    limit = settings.analysis.max_chars * 4 + 1
    if args.input == "-":
        data = _read_at_most(_stdin_bytes(), limit, "standard input")
    else:
        with _open_input(args.input) as fh:
            data = _read_at_most(fh, limit, args.input)
    if len(data) > settings.analysis.max_chars * 4:
        raise InputError(f"Input is too long (the limit is {settings.analysis.max_chars:,} characters).")
    return decode(data), {}


def _analyze_jsonl(engine: Any, args: argparse.Namespace, out: IO[str]) -> int:
    """Stream ``{"id","text"}`` lines through the batch API; a bad line yields an error line and the run goes on."""
    from bot.analysis import Failure

    from_stdin = args.input in (None, "-")
    name = "standard input" if from_stdin else args.input
    source: contextlib.AbstractContextManager[IO[bytes]] = (
        contextlib.nullcontext(_stdin_bytes()) if from_stdin else _open_input(args.input))
    with source as stream:
        for chunk in _chunks(_parse_lines(_byte_lines(stream, name)), JSONL_CHUNK):
            todo = [item for item in chunk if "error" not in item]
            lengths = [item.get("sentences", args.sentences) for item in todo]
            results = iter(engine.analyze_many([i["text"] for i in todo], sentences=lengths, method=args.method))
            for item in chunk:
                if "error" in item:
                    row: dict[str, Any] = {"id": item.get("id"), "error": item["error"]}
                else:
                    res = next(results)
                    row = {"id": item["id"], "error": res.error} if isinstance(res, Failure) else {
                        "id": item["id"], **res.to_dict()}
                _write_json(out, row)
            out.flush()
    return EXIT_OK


def _byte_lines(stream: IO[bytes], name: str) -> Iterator[bytes]:
    """The input's lines as bytes, split on b"\\n" alone, the same for a file and for stdin.

    A CR is JSON whitespace, so it may stand inside a line; and decoding each line on its own lets a bad byte cost
    that line only.
    """
    try:
        yield from stream
    except OSError as exc:
        raise InputError(f"Cannot read {name}: {exc.strerror or exc}") from None


def _parse_lines(lines: Iterable[bytes]) -> Iterator[dict[str, Any]]:
    for number, raw in enumerate(lines, 1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):  # an editor's byte-order mark; JSON cannot start with one
            raw = raw[len(codecs.BOM_UTF8) :]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:  # refused, as a file would be, rather than analysed with U+FFFD in it
            yield {"id": _id_of_undecodable(raw),
                   "error": f"line {number} is not valid UTF-8 (bad byte at position {exc.start})"}
            continue
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
        elif n is not None and (isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_SENTENCES):
            yield {"id": item_id,
                   "error": f"line {number}: \"sentences\" must be a whole number from 0 to {MAX_SENTENCES}"}
        else:
            yield {"id": item_id, "text": text, "sentences": n} if n is not None else {"id": item_id, "text": text}


def _id_of_undecodable(raw: bytes) -> Any:
    """The id of a line that is not UTF-8, so its error line can still be matched to it; None when the id cannot be
    read, or holds a bad byte itself (what it decodes to is not the caller's id)."""
    try:
        obj = json.loads(raw.decode("utf-8", "surrogateescape"), parse_constant=_no_constant,
                         parse_float=_finite_float)
        item_id = obj.get("id") if isinstance(obj, dict) else None
        json.dumps(item_id, ensure_ascii=False, allow_nan=False).encode("utf-8")  # a smuggled-in bad byte fails here
    except (ValueError, RecursionError):  # not JSON, or UnicodeEncodeError from the check
        return None
    return item_id


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


def _chunks(items: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _write_json(stream: IO[str], obj: dict[str, Any]) -> None:
    _write_text(stream, json.dumps(obj, allow_nan=False) + "\n")  # ASCII escapes survive lone surrogates in the input


def _write_text(stream: IO[str], text: str) -> None:
    """Write ``text`` in pieces of at most ``WRITE_CHUNK`` characters, each checked: output cut short must be an
    error (one line, exit 1), never a truncated result behind a success status."""
    for start in range(0, len(text), WRITE_CHUNK):
        piece = text[start : start + WRITE_CHUNK]
        written = stream.write(piece)
        if isinstance(written, int) and written != len(piece):
            raise BylineError(f"Cannot write the output: the stream took {written} of {len(piece)} characters.")


def cmd_run(args: argparse.Namespace, settings: config.Settings) -> int:
    """Start the Discord bot; a missing or invalid token is a one-line error."""
    from bot.client import run_bot

    return run_bot(settings)


if __name__ == "__main__":
    raise SystemExit(main())
