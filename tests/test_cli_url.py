"""``byline analyze --url`` run as a real subprocess against the local page server."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.pageserver import PAGES, serve

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
async def server():
    async with serve() as state:
        yield state


async def run_cli(tmp_path: Path, *args: str, **env_overrides: str) -> tuple[int, str, str]:
    """Run ``python -m bot`` with a clean environment: no BYLINE_* settings but the ones given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BYLINE_")}
    env.update(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(REPO), **env_overrides)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=120)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("byline: ") and "Traceback" not in stderr
    return lines[0]


async def test_local_address_refused_by_default(server, tmp_path):
    code, out, err = await run_cli(tmp_path, "analyze", "--url", server.url("/article"))
    assert code == 1 and out == ""
    assert "loopback" in one_line(err)
    assert sum(server.hits.values()) == 0


async def test_allowing_the_port_alone_does_not_open_private_addresses(server, tmp_path):
    code, _, err = await run_cli(tmp_path, "analyze", "--url", server.url("/article"),
                                 BYLINE_FETCH_ALLOWED_PORTS=str(server.port))
    assert code == 1 and "loopback" in one_line(err)
    assert sum(server.hits.values()) == 0


async def test_allowing_private_addresses_alone_keeps_the_port_rule(server, tmp_path):
    code, _, err = await run_cli(tmp_path, "analyze", "--url", server.url("/article"),
                                 BYLINE_FETCH_ALLOW_PRIVATE_ADDRESSES="true")
    assert code == 1 and f"not port {server.port}" in one_line(err)


async def test_works_when_config_allows_private_addresses(server, tmp_path):
    code, out, err = await run_cli(
        tmp_path, "analyze", "--json", "--url", server.url("/article?utm_source=chat"),
        BYLINE_FETCH_ALLOW_PRIVATE_ADDRESSES="true", BYLINE_FETCH_ALLOWED_PORTS=f"80,443,{server.port}",
    )
    assert code == 0, err
    result = json.loads(out)
    page = " ".join((PAGES / "article.html").read_text().split())
    assert result["summary"], result
    for sentence in result["summary"]:  # every summary sentence comes from the fetched article's text
        assert " ".join(sentence["text"].split()) in page
    assert any("harbour council" in s["text"].lower() for s in result["summary"])
    assert server.hits["/article"] == 1


async def test_http_error_is_one_clear_line(server, tmp_path):
    code, _, err = await run_cli(
        tmp_path, "analyze", "--url", server.url("/status/404"),
        BYLINE_FETCH_ALLOW_PRIVATE_ADDRESSES="true", BYLINE_FETCH_ALLOWED_PORTS=str(server.port),
    )
    assert code == 1 and "doesn't exist (HTTP 404)" in one_line(err)


async def test_bad_url_is_one_clear_line(tmp_path):
    code, _, err = await run_cli(tmp_path, "analyze", "--url", "file:///etc/passwd")
    assert code == 1 and "http:// and https://" in one_line(err)


async def test_the_page_title_is_the_result_title_in_every_output(server, tmp_path):
    """--json, the report and --save all carry the page's <title>: the article text itself has no headline line."""
    allow = {"BYLINE_FETCH_ALLOW_PRIVATE_ADDRESSES": "true", "BYLINE_FETCH_ALLOWED_PORTS": str(server.port)}
    db = str(tmp_path / "url.db")
    code, out, err = await run_cli(tmp_path, "analyze", "--save", "--db", db, "--url", server.url("/article"), **allow)
    assert code == 0, err
    code, shown, err = await run_cli(tmp_path, "db", "show", out.strip(), "--json", "--db", db)
    assert code == 0, err
    stored = json.loads(shown)
    title = stored["title"]
    assert title and "Harbour council approves new ferry timetable" in title
    assert stored["result"]["title"] == title
    code, out, err = await run_cli(tmp_path, "analyze", "--json", "--url", server.url("/article"), **allow)
    assert code == 0, err
    assert json.loads(out)["title"] == title
    code, out, err = await run_cli(tmp_path, "analyze", "--color", "never", "--url", server.url("/article"), **allow)
    assert code == 0, err
    assert out.splitlines()[:2] == [title, ""]
