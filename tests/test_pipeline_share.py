"""One server's share of the workers (README: "a busy server never shuts the others out").

A link's page extraction and an uploaded page's extraction take worker places just like analyses do, so they count
against their server's share from the moment the request starts until it ends, and are refused before the fetch or
the download once the server holds its share. Requests sharing work (several members, one link) share one place.
"""
from __future__ import annotations

import asyncio
import threading
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web

import bot.workers as workers
from bot.errors import BusyError, FetchError, InputError
from bot.pipeline import analyse_and_store, analyse_url, guild_share
from cogs._inputs import MessageInput, analyse_input
from tests.botkit import ARTICLE, GatedJob, running_bot
from tests.helpers import make_attachment

GUILD_A, GUILD_B = 111, 222
SHARE_REFUSAL = "one server may use only part"


def page(name: str) -> str:
    body = (ARTICLE.replace("river bridge", f"{name} bridge") + "\n") * 3
    return f"<html><head><title>{name}</title></head><body><article><p>{body}</p></article></body></html>"


class Gate:
    """Holds every wrapped job in its worker until opened: fills the worker places without timing."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.started = threading.Semaphore(0)

    def wrap(self, job: Callable[..., Any]) -> Callable[..., Any]:
        def gated(*args: Any) -> Any:
            self.started.release()
            self.opened.wait(30)
            return job(*args)

        return gated


@asynccontextmanager
async def stories() -> AsyncIterator[tuple[Callable[[str], str], Counter[str]]]:
    """A page server on 127.0.0.1: /story/<name> is a distinct article, anything else a 404."""
    hits: Counter[str] = Counter()

    async def story(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(text=page(request.match_info["name"]), content_type="text/html")

    async def missing(request: web.Request) -> web.Response:
        hits[request.path] += 1
        return web.Response(status=404, text="gone")

    app = web.Application()
    app.router.add_get("/story/{name}", story)
    app.router.add_get("/missing", missing)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        yield (lambda path: f"http://127.0.0.1:{port}{path}"), hits
    finally:
        await runner.cleanup()


async def until(condition: Callable[[], bool]) -> None:
    """Let the loop run until ``condition`` holds (bounded: a broken test fails instead of hanging)."""
    for _ in range(3000):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


async def refused_or_queued(bot: Any, task: asyncio.Task[Any], places: int) -> None:
    """Wait until ``task`` was refused, or got a worker place (the analyzer holds ``places`` jobs)."""
    await until(lambda: task.done() or bot.analyzer.in_flight >= places)


def held(bot: Any, guild_id: int) -> int:
    from bot.pipeline import guild_load

    return guild_load(bot).held(guild_id)


async def test_page_extractions_count_against_their_servers_share(tmp_path, monkeypatch):
    """Server A's links, their pages still being extracted, hold A's whole share: A's next link is refused before
    it is fetched, and server B still gets a place."""
    gate = Gate()
    monkeypatch.setattr(workers, "extract_page_job", gate.wrap(workers.extract_page_job))
    async with stories() as (url, hits), running_bot(tmp_path, queue_size=4) as bot:
        share = guild_share(bot.analyzer.capacity)
        assert share == bot.analyzer.capacity - 1
        crowd = [asyncio.create_task(analyse_url(bot, GUILD_A, url(f"/story/s{n}"), author_id=n))
                 for n in range(share)]
        await until(lambda: bot.analyzer.in_flight == share)  # every one of them extracting or queued to
        late = asyncio.create_task(analyse_url(bot, GUILD_A, url("/story/late"), author_id=99))
        await refused_or_queued(bot, late, share + 1)
        assert late.done(), "server A took a place beyond its share"
        with pytest.raises(BusyError, match=SHARE_REFUSAL):
            late.result()
        assert hits["/story/late"] == 0  # refused before the fetch
        outsider = asyncio.create_task(analyse_and_store(bot, GUILD_B, f"{ARTICLE} Elsewhere.", author_id=7))
        await refused_or_queued(bot, outsider, share + 1)
        assert not outsider.done(), f"server B was refused: {outsider.exception()!r}"
        gate.opened.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd, outsider), 60)
        assert [s.guild_id for s in stored] == [GUILD_A] * share + [GUILD_B]
        assert held(bot, GUILD_A) == held(bot, GUILD_B) == 0


async def test_uploaded_page_extractions_count_against_their_servers_share(tmp_path):
    """The same for .html uploads, extracted in the workers too: refused before the file is even downloaded."""
    gate = Gate()
    async with running_bot(tmp_path, queue_size=4) as bot:
        bot.analyzer._extract_job = gate.wrap(workers.extract_html_job)
        share = guild_share(bot.analyzer.capacity)
        files = [make_attachment(filename=f"s{n}.html", data=page(f"s{n}").encode()) for n in range(share)]
        crowd = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=f), author_id=n))
                 for n, f in enumerate(files)]
        await until(lambda: bot.analyzer.in_flight == share)
        late_file = make_attachment(filename="late.html", data=page("late").encode())
        late = asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=late_file), author_id=99))
        await refused_or_queued(bot, late, share + 1)
        assert late.done(), "server A took a place beyond its share"
        with pytest.raises(BusyError, match=SHARE_REFUSAL):
            late.result()
        late_file.read.assert_not_awaited()
        outsider = asyncio.create_task(analyse_input(bot, GUILD_B, MessageInput(text=f"{ARTICLE} Elsewhere."),
                                                     author_id=7))
        await refused_or_queued(bot, outsider, share + 1)
        assert not outsider.done(), f"server B was refused: {outsider.exception()!r}"
        gate.opened.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd, outsider), 60)
        assert [s.title for s in stored[:share]] == [f"s{n}" for n in range(share)]
        assert held(bot, GUILD_A) == held(bot, GUILD_B) == 0


async def test_members_sharing_a_link_share_one_place_from_fetch_to_analysis(tmp_path, monkeypatch):
    """Six members asking for one link take one place, not six; each link keeps its place into its analysis
    (one place, not two), so the server's share still ends exactly where its distinct work does."""
    gate = Gate()
    monkeypatch.setattr(workers, "extract_page_job", gate.wrap(workers.extract_page_job))
    job = GatedJob()
    async with stories() as (url, hits), running_bot(tmp_path, job=job, queue_size=4) as bot:
        share = guild_share(bot.analyzer.capacity)
        same = [asyncio.create_task(analyse_url(bot, GUILD_A, url("/story/shared"), author_id=n)) for n in range(6)]
        others = [asyncio.create_task(analyse_url(bot, GUILD_A, url(f"/story/o{n}"), author_id=10 + n))
                  for n in range(share - 1)]
        await until(lambda: bot.analyzer.in_flight == share)
        assert not any(t.done() for t in same + others), [t.exception() for t in same + others if t.done()]
        late = asyncio.create_task(analyse_url(bot, GUILD_A, url("/story/late"), author_id=99))
        await refused_or_queued(bot, late, share + 1)
        assert late.done() and isinstance(late.exception(), BusyError)
        assert held(bot, GUILD_A) == share
        gate.opened.set()  # the pages are extracted; their analyses now wait in the workers
        await until(lambda: len(bot.analyses_in_flight) == share and bot.analyzer.in_flight == share)
        assert held(bot, GUILD_A) == share
        with pytest.raises(BusyError, match=SHARE_REFUSAL):
            await analyse_and_store(bot, GUILD_A, f"{ARTICLE} One too many.", author_id=98)
        job.release.set()
        stored = await asyncio.wait_for(asyncio.gather(*same, *others), 60)
        assert len({s.id for s in stored[:6]}) == 1 and hits["/story/shared"] == 1
        assert held(bot, GUILD_A) == 0


async def test_places_are_given_back_on_every_path(tmp_path, monkeypatch):
    """A failed fetch, a failed extraction and a request that gives up all give their place back: the last only
    once the extraction it started (which others may share) really ends."""
    gate = Gate()
    monkeypatch.setattr(workers, "extract_page_job", gate.wrap(workers.extract_page_job))
    async with stories() as (url, _hits), running_bot(tmp_path, queue_size=4) as bot:
        with pytest.raises(FetchError):
            await analyse_url(bot, GUILD_A, url("/missing"), author_id=1)
        assert held(bot, GUILD_A) == 0

        thin = make_attachment(filename="thin.html", data=b"<html><body><p>Too short.</p></body></html>")
        with pytest.raises(InputError, match="too little article text"):  # refused by the worker
            await analyse_input(bot, GUILD_A, MessageInput(attachment=thin), author_id=1)
        assert held(bot, GUILD_A) == 0

        leaving = asyncio.create_task(analyse_url(bot, GUILD_A, url("/story/left"), author_id=2))
        assert await asyncio.to_thread(gate.started.acquire, True, 30)
        leaving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await leaving
        assert held(bot, GUILD_A) == 1  # its page is still being extracted in a worker
        gate.opened.set()
        await until(lambda: held(bot, GUILD_A) == 0)
        assert bot.analyzer.in_flight == 0


def claims_on(bot: Any, guild_id: int, slot: Any) -> int:
    """How many claims (requests, and the work they started) hold one of the server's places."""
    from bot.pipeline import guild_load

    return guild_load(bot)._claims.get(guild_id, Counter())[slot]


class CountingGate(Gate):
    """A Gate that also counts the jobs it held."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self._lock = threading.Lock()

    def wrap(self, job: Callable[..., Any]) -> Callable[..., Any]:
        gated = super().wrap(job)

        def counted(*args: Any) -> Any:
            with self._lock:
                self.calls += 1
            return gated(*args)

        return counted


async def test_members_asking_for_one_uploaded_page_share_one_download_and_extraction(tmp_path):
    """The message menu on one message's .html file, asked for by as many members as there are worker places: one
    place in the server's share, so one download and one extraction in the workers, not one per member (which
    filled every worker while the server held one place, and other servers were told Byline is busy)."""
    gate = CountingGate()
    async with running_bot(tmp_path, queue_size=4) as bot:
        bot.analyzer._extract_job = gate.wrap(workers.extract_html_job)
        crowd_size = bot.analyzer.capacity
        shared = make_attachment(filename="story.html", data=page("story").encode())
        crowd = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=shared), author_id=n))
                 for n in range(crowd_size)]
        await until(lambda: claims_on(bot, GUILD_A, ("upload", shared.id, None)) >= crowd_size)
        assert await asyncio.to_thread(gate.started.acquire, True, 30)
        assert held(bot, GUILD_A) == 1 and bot.analyzer.in_flight == 1, "one place, but more worker jobs"
        outsider = asyncio.create_task(analyse_input(bot, GUILD_B, MessageInput(text=f"{ARTICLE} Elsewhere."),
                                                     author_id=7))
        await until(lambda: outsider.done() or bot.analyzer.in_flight == 2)  # B's analysis queued behind A's
        assert not outsider.done(), f"server B was refused: {outsider.exception()!r}"
        gate.opened.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd), 60)
        assert (await asyncio.wait_for(outsider, 60)).guild_id == GUILD_B
        assert len({s.id for s in stored}) == 1 and stored[0].title == "story"
        assert gate.calls == 1, f"{gate.calls} extractions of one uploaded page"
        assert shared.read.await_count == 1
        assert held(bot, GUILD_A) == held(bot, GUILD_B) == 0


async def test_a_shared_upload_outlives_the_requests_that_give_up_and_fails_for_all(tmp_path):
    """The request that started the download giving up cancels it for no one: the others get the page, and the
    place is held until the extraction ends. A page the worker refuses is refused to every request, extracted once."""
    gate = CountingGate()
    async with running_bot(tmp_path, queue_size=4) as bot:
        bot.analyzer._extract_job = gate.wrap(workers.extract_html_job)
        shared = make_attachment(filename="story.html", data=page("story").encode())
        first, second, third = (asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=shared),
                                                                  author_id=n)) for n in range(3))
        assert await asyncio.to_thread(gate.started.acquire, True, 30)
        await until(lambda: claims_on(bot, GUILD_A, ("upload", shared.id, None)) >= 3)
        first.cancel()
        second.cancel()
        with pytest.raises(asyncio.CancelledError):
            await first
        with pytest.raises(asyncio.CancelledError):
            await second
        assert held(bot, GUILD_A) == 1 and not third.done()
        gate.opened.set()
        stored = await asyncio.wait_for(third, 60)
        assert stored.title == "story" and gate.calls == 1
        await until(lambda: held(bot, GUILD_A) == 0)

        thin = make_attachment(filename="thin.html", data=b"<html><body><p>Too short.</p></body></html>")
        refused = await asyncio.gather(*(analyse_input(bot, GUILD_A, MessageInput(attachment=thin), author_id=n)
                                         for n in range(3)), return_exceptions=True)
        assert all(isinstance(r, InputError) and "too little article text" in str(r) for r in refused), refused
        assert gate.calls == 2 and thin.read.await_count == 1
        assert held(bot, GUILD_A) == 0


# --- plain-text uploads: no worker job to read them, yet the same place, the same sharing ----------------------


def held_read(opened: asyncio.Event, data: bytes) -> Callable[[], Awaitable[bytes]]:
    """An upload's ``read`` side effect that hands the bytes over only once opened (a slow Discord CDN)."""

    async def read() -> bytes:
        await opened.wait()
        return data

    return read


def text_upload(name: str, opened: asyncio.Event | None = None, data: bytes | None = None) -> Any:
    """A .txt upload holding a distinct article; with ``opened``, its download waits for that event."""
    body = data if data is not None else f"{ARTICLE.replace('river bridge', f'{name} bridge')}\n".encode()
    upload = make_attachment(filename=f"{name}.txt", data=body)
    if opened is not None:
        upload.read.side_effect = held_read(opened, body)
    return upload


async def test_members_asking_for_one_text_upload_share_one_download_and_place(tmp_path):
    """The message menu on one message.txt, asked for by as many members as there are worker places: one place in
    the server's share and one download, not one per member (each downloaded it again, up to the size limit)."""
    opened = asyncio.Event()
    async with running_bot(tmp_path, queue_size=4) as bot:
        crowd_size = bot.analyzer.capacity
        shared = text_upload("story", opened)
        crowd = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=shared), author_id=n))
                 for n in range(crowd_size)]
        await until(lambda: claims_on(bot, GUILD_A, ("upload", shared.id, None)) >= crowd_size
                    or shared.read.await_count > 1)
        assert shared.read.await_count == 1, f"{shared.read.await_count} downloads of one upload"
        assert held(bot, GUILD_A) == 1
        opened.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd), 60)
        assert len({s.id for s in stored}) == 1 and shared.read.await_count == 1
        assert held(bot, GUILD_A) == 0


async def test_text_uploads_count_against_their_servers_share(tmp_path):
    """Server A's members downloading distinct .txt files hold A's whole share: A's next file is refused before it
    is downloaded, and server B's file is still read and analysed."""
    opened = asyncio.Event()
    async with running_bot(tmp_path, queue_size=4) as bot:
        share = guild_share(bot.analyzer.capacity)
        files = [text_upload(f"s{n}", opened) for n in range(share)]
        crowd = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=f), author_id=n))
                 for n, f in enumerate(files)]
        await until(lambda: all(f.read.await_count == 1 for f in files))
        assert held(bot, GUILD_A) == share, "downloads under way took no place in the server's share"
        late_file = text_upload("late")
        with pytest.raises(BusyError, match=SHARE_REFUSAL):
            await analyse_input(bot, GUILD_A, MessageInput(attachment=late_file), author_id=99)
        late_file.read.assert_not_awaited()
        outsider = await asyncio.wait_for(
            analyse_input(bot, GUILD_B, MessageInput(attachment=text_upload("elsewhere")), author_id=7), 60)
        assert outsider.guild_id == GUILD_B
        opened.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd), 60)
        assert len({s.id for s in stored}) == share
        assert held(bot, GUILD_A) == held(bot, GUILD_B) == 0


@pytest.mark.parametrize(("data", "expected"), [
    (b"  \n", "empty"),
    (b"abc\x00\x01\x02def", "binary"),
    ("Caf\u00e9 cr\u00e8me".encode("latin-1"), "not valid UTF-8"),
], ids=["empty", "binary", "latin-1"])
async def test_a_bad_text_upload_is_downloaded_once_and_refused_to_every_request(tmp_path, data, expected):
    """Members asking at once for one unreadable .txt all get its clear error, from one download, and the place
    is given back."""
    opened = asyncio.Event()
    async with running_bot(tmp_path, queue_size=4) as bot:
        bad = text_upload("bad", opened, data)
        asking = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=bad), author_id=n))
                  for n in range(3)]
        await until(lambda: claims_on(bot, GUILD_A, ("upload", bad.id, None)) >= 3 or bad.read.await_count > 1)
        opened.set()
        refused = await asyncio.gather(*asking, return_exceptions=True)
        assert all(isinstance(r, InputError) and expected in r.user_message for r in refused), refused
        assert bad.read.await_count == 1
        assert held(bot, GUILD_A) == 0


async def test_an_oversized_or_unsupported_upload_is_refused_as_such_even_when_the_server_is_busy(tmp_path):
    """What Discord says of a file (its name, its size) is checked before the request takes a place: a member is
    told the file is too big or not readable, not that Byline is busy, and it is never downloaded."""
    opened = asyncio.Event()
    async with running_bot(tmp_path, queue_size=4) as bot:
        share = guild_share(bot.analyzer.capacity)
        files = [text_upload(f"s{n}", opened) for n in range(share)]
        crowd = [asyncio.create_task(analyse_input(bot, GUILD_A, MessageInput(attachment=f), author_id=n))
                 for n, f in enumerate(files)]
        await until(lambda: held(bot, GUILD_A) == share)
        huge = make_attachment(filename="huge.md", size=10**9)
        scan = make_attachment(filename="scan.pdf", data=b"%PDF-1.7")
        with pytest.raises(InputError, match="limit"):
            await analyse_input(bot, GUILD_A, MessageInput(attachment=huge), author_id=98)
        with pytest.raises(InputError, match=r"not \.pdf"):
            await analyse_input(bot, GUILD_A, MessageInput(attachment=scan), author_id=99)
        huge.read.assert_not_awaited()
        scan.read.assert_not_awaited()
        opened.set()
        await asyncio.wait_for(asyncio.gather(*crowd), 60)
        assert held(bot, GUILD_A) == 0
