"""/analyse, its modal and the "Analyse with Byline" menu, called through their callbacks with spec'd
interactions, a real Store (temporary SQLite file), the real AnalysisService queue and the real Fetcher
against a local page server."""

from __future__ import annotations

import asyncio
import codecs
from unittest import mock

import discord
import pytest

from bot.analysis import Engine
from bot.config import AnalysisSettings
from bot.interaction_errors import handle_interaction_error
from bot.store import STAFF
from cogs.analyse import MODAL_INPUT_ID, AnalyseCog, PasteModal
from tests.botkit import ARTICLE, GatedJob, running_bot
from tests.helpers import (
    bot_sees,
    expired_interaction_error,
    http_error,
    make_attachment,
    make_channel,
    make_forward,
    make_guild,
    make_interaction,
    make_member,
    make_message,
)
from tests.pageserver import PAGES, serve


async def invoke(coro_fn, inter, *args, **kwargs) -> None:
    """Run a callback the way the command tree does: errors go to the one handler."""
    try:
        await coro_fn(inter, *args, **kwargs)
    except Exception as exc:
        await handle_interaction_error(inter, exc)


def analyse(cog: AnalyseCog):
    return lambda inter, **opts: cog.analyse.callback(cog, inter, **opts)


def only_message(inter) -> str:
    """The single ephemeral text the member saw (response or follow-up)."""
    calls = [(c.args, c.kwargs) for c in inter.response.send_message.await_args_list]
    calls += [(c.args, c.kwargs) for c in inter.followup.send.await_args_list]
    assert len(calls) == 1, calls
    args, kwargs = calls[0]
    assert kwargs["ephemeral"] is True
    assert kwargs["allowed_mentions"].everyone is False
    return args[0]


def result_embed(inter):
    kwargs = inter.followup.send.await_args.kwargs
    (embed,) = kwargs["embeds"]
    return embed, kwargs


def analysis_id(embed) -> str:
    return embed.footer.text.split()[1]


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as bot:
        yield bot


@pytest.fixture
def cog(bot):
    return AnalyseCog(bot)


@pytest.fixture
async def pages():
    async with serve() as state:
        yield state


async def test_text_is_deferred_analysed_stored_and_announced(bot, cog):
    """/analyse text: defer first (thinking), one public follow-up with the embed, stored, review event fired."""
    seen: list = []
    announced = asyncio.Event()

    async def on_stored(stored):
        seen.append(stored)
        announced.set()

    bot.add_listener(on_stored, "on_byline_analysis_stored")
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, text=ARTICLE)
    inter.response.defer.assert_awaited_once_with(ephemeral=False, thinking=True)
    embed, kwargs = result_embed(inter)
    assert kwargs["ephemeral"] is False and kwargs["allowed_mentions"].everyone is False
    assert "• " in embed.description and any("Anonymous source" in f.name for f in embed.fields)
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed))
    assert stored is not None and stored.author_id == inter.user.id and stored.channel_id == inter.channel_id
    await asyncio.wait_for(announced.wait(), 5)
    assert seen[0].id == stored.id and len(seen[0].flag_ids) == 3


async def test_ephemeral_option_and_cache_on_repeat(bot, cog):
    """ephemeral=True hides the result and stores it privately: the same member's repeat comes from the store
    with no second event, while another member's ephemeral request never reuses (and so sees) it."""
    events: list = []

    async def on_stored(stored):
        events.append(stored)

    bot.add_listener(on_stored, "on_byline_analysis_stored")
    guild = make_guild()
    first = make_interaction(client=bot, guild=guild)
    second = make_interaction(client=bot, guild=guild, user=first.user)
    other = make_interaction(client=bot, guild=guild)
    await invoke(analyse(cog), first, text=ARTICLE, ephemeral=True)
    await invoke(analyse(cog), second, text=ARTICLE, ephemeral=True)
    first.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    e1, k1 = result_embed(first)
    e2, _ = result_embed(second)
    assert k1["ephemeral"] is True
    assert analysis_id(e1) == analysis_id(e2) and "from cache" in e2.footer.text
    assert await bot.store.get_analysis(guild.id, analysis_id(e1)) is None  # hidden from a caller who names nobody
    stored = await bot.store.get_analysis(guild.id, analysis_id(e1), viewer_id=first.user.id)
    assert stored.private and stored.author_id == first.user.id
    await invoke(analyse(cog), other, text=ARTICLE, ephemeral=True)
    e3, _ = result_embed(other)
    assert analysis_id(e3) != analysis_id(e1) and "from cache" not in (e3.footer.text or "")
    await asyncio.sleep(0)
    assert len(events) == 2


async def test_no_cross_guild_cache(bot, cog):
    """The same text in another server is a new analysis there; ids don't leak across guilds."""
    a, b = make_interaction(client=bot), make_interaction(client=bot)
    await invoke(analyse(cog), a, text=ARTICLE)
    await invoke(analyse(cog), b, text=ARTICLE)
    ea, eb = result_embed(a)[0], result_embed(b)[0]
    assert analysis_id(ea) != analysis_id(eb) and "from cache" not in eb.footer.text
    assert await bot.store.get_analysis(b.guild_id, analysis_id(ea)) is None


async def test_mentions_in_article_never_ping(bot, cog):
    """@everyone and user mentions in the text are shown as plain text (a zero-width space breaks each, see
    bot.render.limits.break_mentions) and every send disables mentions."""
    text = "@everyone <@123> Sources familiar with the talks said the deal is off. Critics say it was doomed."
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, text=text)
    embed, kwargs = result_embed(inter)
    mentions = kwargs["allowed_mentions"]
    assert not (mentions.everyone or mentions.users or mentions.roles or mentions.replied_user)
    assert "@everyone <@123>" in embed.description.replace("\u200b", "")
    assert "@everyone" not in embed.description and "<@123>" not in embed.description


@pytest.mark.parametrize(("opts", "expected"), [
    ({"text": "   \n "}, "no text"),
    ({"text": "x" * 6001}, "attach it as a .txt"),
    ({"text": "a", "url": "https://example.com/"}, "only one of"),
])
async def test_bad_text_is_refused_privately_before_deferring(bot, cog, opts, expected):
    """Empty, oversized or ambiguous input: an ephemeral message, no deferral, nothing stored."""
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, **opts)
    assert expected in only_message(inter)
    inter.response.defer.assert_not_awaited()
    assert await bot.store.recent(inter.guild_id) == []


async def test_no_option_opens_the_modal_and_its_submit_is_analysed(bot, cog):
    """With no option a paste modal opens (paragraph, max 4000); submitting it (as Discord sends it, to the cog's
    on_interaction listener) analyses the text."""
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, ephemeral=True)
    (modal,) = inter.response.send_modal.await_args.args
    assert isinstance(modal, PasteModal) and modal.article.max_length == 4000
    assert modal.article.style.name == "paragraph"
    submit = paste_submission(bot, inter, modal.to_dict()["custom_id"], ARTICLE)
    await submit_to(cog, submit)
    submit.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    embed, _ = result_embed(submit)
    assert await bot.store.get_analysis(submit.guild_id, analysis_id(embed), viewer_id=STAFF) is not None


async def submit_to(cog: AnalyseCog, interaction) -> None:
    """Hand ``interaction`` to the cog's on_interaction listeners, as discord.py's dispatch does for every one."""
    for name, listener in cog.get_listeners():
        if name == "on_interaction":
            await listener(interaction)


def paste_submission(bot, opener, custom_id: str, text: str):
    """A paste box submitted to a process that never saw it open (a restart, or long after it opened)."""
    submit = make_interaction(client=bot, guild=opener.guild, user=opener.user, channel=opener.channel)
    submit.type = discord.InteractionType.modal_submit
    submit.data = {"custom_id": custom_id,
                   "components": [{"type": 18, "component": {"type": 4, "custom_id": MODAL_INPUT_ID, "value": text}}]}
    return submit


async def test_the_paste_box_is_named_for_its_answer_and_not_kept_in_memory(bot, cog):
    """The box's custom_id says whether its answer is private; discord.py does not hold it (nor time it out)."""
    for ephemeral, visibility in ((True, "private"), (False, "public")):
        opener = make_interaction(client=bot)
        await invoke(analyse(cog), opener, ephemeral=ephemeral)
        (modal,) = opener.response.send_modal.await_args.args
        assert modal.to_dict()["custom_id"] == f"byline:paste:{visibility}:{opener.id}"
        assert modal.timeout is None and modal.is_finished()  # submissions are answered from the custom_id alone
    assert not bot._connection._view_store._modals


async def test_paste_boxes_submitted_after_a_restart_are_answered_as_each_asked(bot):
    """Two members' boxes, one private and one public, opened by one process and submitted to the next: each paste
    is analysed, under its member, and the private one stays private."""
    before = AnalyseCog(bot)
    openers = [make_interaction(client=bot), make_interaction(client=bot)]
    await invoke(analyse(before), openers[0], ephemeral=True)
    await invoke(analyse(before), openers[1], ephemeral=False)
    ids = [o.response.send_modal.await_args.args[0].to_dict()["custom_id"] for o in openers]
    after = AnalyseCog(bot)  # the restarted bot: no modal object, only what Discord sends back
    texts = [ARTICLE, ARTICLE + "\nA second paragraph that makes this paste different."]
    submits = [paste_submission(bot, o, i, t) for o, i, t in zip(openers, ids, texts, strict=True)]
    for submit in submits:
        await submit_to(after, submit)
    for submit, private in zip(submits, (True, False), strict=True):
        submit.response.defer.assert_awaited_once_with(ephemeral=private, thinking=True)
        embed, kwargs = result_embed(submit)
        assert kwargs["ephemeral"] is private
        stored = await bot.store.get_analysis(submit.guild_id, analysis_id(embed), viewer_id=STAFF)
        assert stored is not None and stored.author_id == submit.user.id and stored.private is private


async def test_a_paste_box_opened_before_its_id_named_the_visibility_is_answered_privately(bot, cog):
    """A box opened by the previous version (``byline:paste:<interaction id>``) is not lost; not knowing whether the
    member wanted a private answer, Byline gives one."""
    opener = make_interaction(client=bot)
    submit = paste_submission(bot, opener, f"byline:paste:{opener.id}", ARTICLE)
    await submit_to(cog, submit)
    submit.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    assert result_embed(submit)[1]["ephemeral"] is True


async def test_a_paste_box_submitted_after_a_restart_gets_its_errors_privately(bot, cog):
    opener = make_interaction(client=bot)
    submit = paste_submission(bot, opener, f"byline:paste:public:{opener.id}", "   ")
    await submit_to(cog, submit)
    assert "no text" in only_message(submit)
    submit.response.defer.assert_not_awaited()


async def test_other_modal_submissions_are_left_to_their_own_handlers(bot, cog):
    opener = make_interaction(client=bot)
    for custom_id in ("byline:note:12", MODAL_INPUT_ID, "byline:paste:public:", "other:paste:public:1"):
        submit = paste_submission(bot, opener, custom_id, ARTICLE)
        assert await cog.handle_paste_submit(submit) is False
        submit.response.send_message.assert_not_awaited()
        submit.response.defer.assert_not_awaited()
    assert await bot.store.recent(opener.guild_id, viewer_id=STAFF) == []


async def test_modal_errors_reach_the_handler(bot, cog):
    """A whitespace-only paste in a box meant for a public answer gets a private error, not a failed interaction."""
    opener = make_interaction(client=bot)
    await invoke(analyse(cog), opener, ephemeral=False)
    (modal,) = opener.response.send_modal.await_args.args
    submit = paste_submission(bot, opener, modal.to_dict()["custom_id"], "  ")
    await submit_to(cog, submit)
    assert "no text" in only_message(submit)
    submit.response.defer.assert_not_awaited()


# --- files ----------------------------------------------------------------------------------------


async def test_text_file_is_read_and_analysed(bot, cog):
    """A .md attachment is downloaded, decoded and analysed."""
    inter = make_interaction(client=bot)
    att = make_attachment(filename="story.MD", data=ARTICLE.encode())
    await invoke(analyse(cog), inter, file=att)
    att.read.assert_awaited_once()
    embed, _ = result_embed(inter)
    assert "The city council approved" in embed.description


async def test_html_file_is_extracted_off_loop(bot, cog):
    """An .html upload goes through article extraction (title from the page) before analysis."""
    inter = make_interaction(client=bot)
    att = make_attachment(filename="page.html", data=(PAGES / "article.html").read_bytes())
    await invoke(analyse(cog), inter, file=att)
    embed, _ = result_embed(inter)
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed))
    assert stored.title and stored.title in embed.title


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("filename", ["article.txt", "page.html"])
async def test_a_file_with_a_byte_order_mark_is_read_in_its_encoding(bot, cog, codec, filename):
    """Notepad's and Word's "Unicode" is UTF-16 with a byte-order mark: full of NUL bytes, yet text."""
    inter = make_interaction(client=bot)
    text = ARTICLE if filename.endswith(".txt") else (PAGES / "article.html").read_text("utf-8")
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    await invoke(analyse(cog), inter, file=make_attachment(filename=filename, data=data))
    embed, _ = result_embed(inter)
    stored = await bot.store.get_text(inter.guild_id, analysis_id(embed))
    if filename.endswith(".txt"):
        assert stored == ARTICLE  # the mark is not part of the text
    else:
        assert "\ufeff" not in stored and "\x00" not in stored and "harbour council" in stored


@pytest.mark.parametrize(("filename", "data", "size", "expected", "downloaded"), [
    ("scan.pdf", b"%PDF-1.7", None, "not .pdf", False),
    ("big.txt", b"", 10**9, "limit", False),
    ("bin.txt", b"abc\x00\x01\x02def", None, "binary", True),
    ("marked.txt", codecs.BOM_UTF16_LE + "ab\x00cd".encode("utf-16-le"), None, "binary", True),
    ("broken.txt", codecs.BOM_UTF16_LE + b"\x00\xd8\x41\x00", None, "isn't valid UTF-16", True),
    ("latin.txt", "Caf\u00e9 cr\u00e8me".encode("latin-1"), None, "not valid UTF-8", True),
    ("empty.txt", b"  \n", None, "empty", True),
])
async def test_bad_files_get_a_private_error(bot, cog, filename, data, size, expected, downloaded):
    """Unsupported, oversized, binary, undecodable or empty files: one ephemeral message, nothing stored."""
    inter = make_interaction(client=bot)
    att = make_attachment(filename=filename, data=data, size=size)
    await invoke(analyse(cog), inter, file=att)
    message = only_message(inter)
    assert expected in message
    assert att.read.await_count == (1 if downloaded else 0)
    if downloaded:  # the public "thinking" placeholder was removed so the error could be private
        inter.delete_original_response.assert_awaited_once()
    assert await bot.store.recent(inter.guild_id) == []


# --- links ----------------------------------------------------------------------------------------


async def test_url_is_fetched_once_then_served_from_the_link_cache(bot, cog, pages):
    """A link is fetched and stored with its URL; the same link again skips the fetcher entirely."""
    guild = make_guild()
    url = pages.url("/article?utm_source=newsletter")
    with mock.patch.object(bot.fetcher, "fetch", autospec=True, side_effect=bot.fetcher.fetch) as fetch:
        first = make_interaction(client=bot, guild=guild)
        await invoke(analyse(cog), first, url=url)
        second = make_interaction(client=bot, guild=guild)
        await invoke(analyse(cog), second, url=pages.url("/article"))
    assert fetch.await_count == 1
    e1, e2 = result_embed(first)[0], result_embed(second)[0]
    assert analysis_id(e1) == analysis_id(e2) and "from cache" in e2.footer.text
    stored = await bot.store.get_analysis(guild.id, analysis_id(e1))
    assert stored.url == pages.url("/article") and e1.url == stored.url


@pytest.mark.parametrize("typed", ["{url}", "  <{url}>\n", "{url}."])
async def test_a_link_typed_as_the_text_is_fetched_like_the_url_option(bot, cog, pages, typed):
    """/analyse text:<a link> means the article behind it: fetched and stored with its URL, not the URL as prose."""
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, text=typed.format(url=pages.url("/article")))
    embed, _ = result_embed(inter)
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed), viewer_id=STAFF)
    assert pages.hits["/article"] == 1 and stored.url == embed.url == pages.url("/article")


async def test_a_link_pasted_in_the_modal_is_fetched(bot, cog, pages):
    opener = make_interaction(client=bot)
    await invoke(analyse(cog), opener, ephemeral=True)
    (modal,) = opener.response.send_modal.await_args.args
    submit = paste_submission(bot, opener, modal.to_dict()["custom_id"], f"\n{pages.url('/article')}\n")
    await submit_to(cog, submit)
    embed, kwargs = result_embed(submit)
    assert kwargs["ephemeral"] is True and embed.url == pages.url("/article") and pages.hits["/article"] == 1


async def test_text_around_a_link_is_still_text(bot, cog, pages):
    """Only a lone link is fetched: an article that cites its source is analysed as written."""
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, text=f"{ARTICLE}\nSource: {pages.url('/article')}")
    embed, _ = result_embed(inter)
    assert pages.hits["/article"] == 0 and "The city council approved" in embed.description


@pytest.mark.parametrize(("path", "expected"), [("/status/404", "404"), ("/pdf", ""), ("/paywall", "too little")])
async def test_fetch_errors_are_private_and_readable(bot, cog, pages, path, expected):
    """HTTP errors, wrong content types and paywalls become the fetcher's own sentence, ephemerally."""
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, url=pages.url(path))
    message = only_message(inter)
    assert expected in message and "went wrong" not in message


async def test_bad_url_is_refused(bot, cog):
    inter = make_interaction(client=bot)
    await invoke(analyse(cog), inter, url="ftp://example.com/file")
    assert "http" in only_message(inter)


# --- busy, rate limits, opt-out, expiry ------------------------------------------------------------


async def test_busy_queue_answers_busy_without_deferring(tmp_path):
    """With the only worker busy and no queue, the next request is told to retry, privately and at once."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job, queue_size=0) as bot:
        cog = AnalyseCog(bot)
        first = make_interaction(client=bot)
        running = asyncio.create_task(invoke(analyse(cog), first, text=ARTICLE))
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        second = make_interaction(client=bot)
        await invoke(analyse(cog), second, text=ARTICLE + " Another.")
        assert "busy" in only_message(second).lower()
        second.response.defer.assert_not_awaited()
        job.release.set()
        await running
        assert result_embed(first)[0].footer.text


async def test_the_defer_is_sent_while_the_analysis_has_not_finished(tmp_path):
    """Discord's 3 s deadline, proved by order rather than by a clock: the member is answered "thinking" while the
    worker still holds the text, and nothing else is sent until the analysis ends."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        cog = AnalyseCog(bot)
        inter = make_interaction(client=bot)
        running = asyncio.create_task(invoke(analyse(cog), inter, text=ARTICLE))
        try:
            assert await asyncio.to_thread(job.started.acquire, True, 10)
            inter.response.defer.assert_awaited_once_with(ephemeral=False, thinking=True)
            inter.followup.send.assert_not_awaited()
        finally:
            job.release.set()
        await running
        assert result_embed(inter)[0].footer.text


async def test_user_rate_limit(tmp_path):
    """The third request in a minute from one member is refused with a retry time; others are unaffected."""
    async with running_bot(tmp_path, user_rate_per_minute=2) as bot:
        cog = AnalyseCog(bot)
        guild = make_guild()
        member = make_member(guild=guild)
        for i in range(2):
            ok = make_interaction(client=bot, guild=guild, user=member)
            await invoke(analyse(cog), ok, text=f"{ARTICLE} Version {i}.")
            assert result_embed(ok)[0]
        limited = make_interaction(client=bot, guild=guild, user=member)
        await invoke(analyse(cog), limited, text=ARTICLE)
        assert "going a bit fast" in only_message(limited)
        limited.response.defer.assert_not_awaited()
        modal = make_interaction(client=bot, guild=guild, user=member)
        await invoke(analyse(cog), modal)
        assert "going a bit fast" in only_message(modal)  # no modal to fill in just to be refused
        other = make_interaction(client=bot, guild=guild)
        await invoke(analyse(cog), other, text=ARTICLE)
        assert result_embed(other)[0]


async def test_opted_out_member_is_refused(bot, cog):
    inter = make_interaction(client=bot)
    await bot.store.set_opt_out(inter.guild_id, inter.user.id, True)
    await invoke(analyse(cog), inter, text=ARTICLE)
    assert "opted out" in only_message(inter)
    assert await bot.store.recent(inter.guild_id) == []


async def test_expired_interaction_is_survived_and_the_next_one_works(bot, cog):
    """defer() raising 404/10062 stops the request quietly; the bot answers the next interaction normally."""
    expired = make_interaction(client=bot)
    expired.response.defer.side_effect = expired_interaction_error()
    await invoke(analyse(cog), expired, text=ARTICLE)
    expired.response.send_message.assert_not_awaited()
    expired.followup.send.assert_not_awaited()
    assert await bot.store.recent(expired.guild_id) == []
    fresh = make_interaction(client=bot)
    await invoke(analyse(cog), fresh, text=ARTICLE)
    assert result_embed(fresh)[0]


async def test_outside_a_guild_is_refused(bot, cog):
    inter = make_interaction(client=bot, in_guild=False)
    await invoke(analyse(cog), inter, text=ARTICLE)
    assert "inside a server" in only_message(inter)


# --- the message context menu ---------------------------------------------------------------------


async def test_context_menu_on_text_message_stores_author_and_link(bot, cog):
    """Text in a message is analysed; the stored analysis belongs to the message's author, with its link."""
    inter = make_interaction(client=bot)
    message = make_message(content=ARTICLE, guild=inter.guild)
    await invoke(cog.context_menu.callback, inter, message)
    embed, _ = result_embed(inter)
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed))
    assert stored.author_id == message.author.id and stored.message_link == message.jump_url


async def test_context_menu_on_link_message_fetches(bot, cog, pages):
    inter = make_interaction(client=bot)
    message = make_message(content=f"Worth a read: <{pages.url('/article')}>", guild=inter.guild)
    await invoke(cog.context_menu.callback, inter, message)
    embed, _ = result_embed(inter)
    assert embed.url == pages.url("/article")


async def test_context_menu_on_attachment_message(bot, cog):
    inter = make_interaction(client=bot)
    att = make_attachment(filename="a.txt", data=ARTICLE.encode())
    message = make_message(content="", guild=inter.guild, attachments=[att])
    await invoke(cog.context_menu.callback, inter, message)
    assert result_embed(inter)[0]


async def test_context_menu_reads_the_file_not_the_comment_beside_it(bot, cog):
    """A comment typed beside an uploaded article ("Thoughts on this?") does not hide the article."""
    inter = make_interaction(client=bot)
    att = make_attachment(filename="message.txt", data=ARTICLE.encode())
    message = make_message(content="Thoughts on this?", guild=inter.guild, attachments=[att])
    await invoke(cog.context_menu.callback, inter, message)
    att.read.assert_awaited_once()
    embed, _ = result_embed(inter)
    assert "The city council approved" in embed.description


def forward_in(bot, guild, content: str):
    """A forward in ``guild`` of a member's message in another channel, which Byline can fetch."""
    origin = make_channel(guild=guild, name="origin")
    original = make_message(content=content, channel=origin)
    origin.fetch_message.return_value = original
    return make_forward(bot._connection, make_message(guild=guild), content, original), original


async def test_context_menu_on_a_forwarded_link_fetches_it(bot, cog, pages):
    """A forward's content is empty; the link it carries (in its snapshot) is fetched like any other, and the
    analysis belongs to the member who wrote the original."""
    inter = make_interaction(client=bot)
    message, original = forward_in(bot, inter.guild, f"Worth a read: {pages.url('/article')}")
    with bot_sees(bot, message.channel, original.channel):
        await invoke(cog.context_menu.callback, inter, message)
    embed, _ = result_embed(inter)
    assert embed.url == pages.url("/article") and pages.hits["/article"] == 1
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed), viewer_id=STAFF)
    assert stored.author_id == original.author.id


async def test_context_menu_refuses_a_forward_of_an_opted_out_members_message(bot, cog):
    inter = make_interaction(client=bot)
    message, original = forward_in(bot, inter.guild, ARTICLE)
    await bot.store.set_opt_out(inter.guild_id, original.author.id, True)
    with bot_sees(bot, message.channel, original.channel):
        await invoke(cog.context_menu.callback, inter, message)
    assert "opted out" in only_message(inter)
    assert await bot.store.recent(inter.guild_id, viewer_id=STAFF) == []


async def test_context_menu_refuses_a_forward_whose_original_it_cannot_see(bot, cog):
    """A forward with no reference to follow, or whose original Byline may not read: refused, never guessed."""
    inter = make_interaction(client=bot)
    orphan = make_forward(bot._connection, make_message(guild=inter.guild), ARTICLE)
    locked, original = forward_in(bot, inter.guild, ARTICLE)
    original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
    for message in (orphan, locked):
        asked = make_interaction(client=bot, guild=inter.guild)
        with bot_sees(bot, message.channel, original.channel):
            await invoke(cog.context_menu.callback, asked, message)
        assert "forwarded" in only_message(asked)
    assert await bot.store.recent(inter.guild_id, viewer_id=STAFF) == []


async def test_the_menu_spends_the_members_allowance_before_looking_a_forward_up(tmp_path):
    """Each forward's original is a REST look-up, and Discord counts refused ones against the whole bot: past the
    member's limit, a forward is refused without one."""
    async with running_bot(tmp_path, user_rate_per_minute=2) as bot:
        cog = AnalyseCog(bot)
        first = make_interaction(client=bot)
        forwards = [forward_in(bot, first.guild, ARTICLE) for _ in range(5)]
        for _message, original in forwards:
            original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
        answers = []
        for message, original in forwards:
            asked = make_interaction(client=bot, guild=first.guild, user=first.user)
            with bot_sees(bot, message.channel, original.channel):
                await invoke(cog.context_menu.callback, asked, message)
            answers.append(only_message(asked))
        assert sum(original.channel.fetch_message.await_count for _m, original in forwards) == 2
        assert ["forwarded" in a for a in answers] == [True, True, False, False, False]
        assert all("going a bit fast" in a for a in answers[2:])


async def test_the_menu_does_not_look_up_again_a_forward_it_just_could_not_see(tmp_path):
    """A forward whose original was just refused (403) is refused again without another look-up, for every member."""
    async with running_bot(tmp_path, user_rate_per_minute=100) as bot:
        cog = AnalyseCog(bot)
        first = make_interaction(client=bot)
        message, original = forward_in(bot, first.guild, ARTICLE)
        original.channel.fetch_message.side_effect = http_error(discord.Forbidden, 403, 50001, "Missing Access")
        for _ in range(10):
            asked = make_interaction(client=bot, guild=first.guild)
            with bot_sees(bot, message.channel, original.channel):
                await invoke(cog.context_menu.callback, asked, message)
            assert "forwarded" in only_message(asked)
        original.channel.fetch_message.assert_awaited_once_with(original.id)


def spoilered_message(kind: str, pages, guild):
    """A message whose link, text or file its poster hid behind a spoiler."""
    if kind == "link":
        return make_message(content=f"no spoilers please: ||{pages.url('/article')}||", guild=guild)
    if kind == "text":
        return make_message(content=f"||{ARTICLE}||", guild=guild)
    hidden = make_attachment(filename="SPOILER_recap.txt", data=ARTICLE.encode())
    return make_message(content="", guild=guild, attachments=[hidden])


@pytest.mark.parametrize("kind", ["link", "text", "file"])
async def test_context_menu_on_a_spoiler_answers_only_the_member_who_asked(bot, cog, pages, kind):
    """The poster hid the story: the menu must not reveal it to the channel, so it answers privately and says why."""
    inter = make_interaction(client=bot)
    await invoke(cog.context_menu.callback, inter, spoilered_message(kind, pages, inter.guild))
    inter.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    embed, kwargs = result_embed(inter)
    assert kwargs["ephemeral"] is True
    note = kwargs["content"]
    assert "spoiler" in note and "\n" not in note
    stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed), viewer_id=STAFF)
    assert stored.private  # kept out of /recent and /search for everyone else, like any private answer
    assert await bot.store.recent(inter.guild_id) == []


async def test_context_menu_answers_in_public_when_nothing_is_behind_a_spoiler(bot, cog, pages):
    """A spoiler elsewhere in the message does not hide the plain link the menu analyses."""
    inter = make_interaction(client=bot)
    message = make_message(content=f"||my take: overrated|| {pages.url('/article')}", guild=inter.guild)
    await invoke(cog.context_menu.callback, inter, message)
    inter.response.defer.assert_awaited_once_with(ephemeral=False, thinking=True)
    embed, kwargs = result_embed(inter)
    assert kwargs["ephemeral"] is False and "content" not in kwargs
    assert embed.url == pages.url("/article")


async def test_context_menu_refuses_empty_and_opted_out(bot, cog):
    """Nothing to analyse, or an author who opted out: a private refusal and nothing stored."""
    inter = make_interaction(client=bot)
    await invoke(cog.context_menu.callback, inter, make_message(content="", guild=inter.guild))
    assert "no text, link" in only_message(inter)
    inter2 = make_interaction(client=bot, guild=inter.guild)
    message = make_message(content=ARTICLE, guild=inter.guild)
    await bot.store.set_opt_out(inter.guild_id, message.author.id, True)
    await invoke(cog.context_menu.callback, inter2, message)
    assert "opted out" in only_message(inter2)
    assert await bot.store.recent(inter.guild_id) == []


# --- one real engine, for the whole path ----------------------------------------------------------


@pytest.fixture(scope="session")
def real_engine() -> Engine:
    engine = Engine(AnalysisSettings())
    _ = engine.nlp
    return engine


async def test_real_engine_through_the_cog(tmp_path, real_engine):
    """The same path with the real Engine (in the pool's thread): a summary of real sentences from the text."""
    def job(text, sentences):
        return real_engine.analyze(text, sentences=sentences).to_dict()

    async with running_bot(tmp_path, job=job) as bot:
        cog = AnalyseCog(bot)
        inter = make_interaction(client=bot)
        await invoke(analyse(cog), inter, text=ARTICLE)
        embed, _ = result_embed(inter)
        stored = await bot.store.get_analysis(inter.guild_id, analysis_id(embed))
        assert stored.result.engine == real_engine.version
        for sentence in stored.result.summary:
            assert ARTICLE[sentence.start:sentence.end] == sentence.text
        assert len(embed) <= 6000


async def test_a_public_result_is_recorded_so_its_authors_forget_me_takes_it_down(bot, cog):
    """The public follow-up is remembered by message id; an ephemeral one (nobody else sees it) is not."""
    inter = make_interaction(client=bot)
    inter.followup.send.return_value = make_message(channel=inter.channel, message_id=7001)
    await invoke(analyse(cog), inter, text=ARTICLE)
    assert inter.followup.send.await_args.kwargs["wait"] is True
    private = make_interaction(client=bot, guild=inter.guild, user=inter.user)
    private.followup.send.return_value = make_message(channel=inter.channel, message_id=7002)
    await invoke(analyse(cog), private, text=ARTICLE + " Another paragraph.", ephemeral=True)
    report = await bot.store.forget_user(inter.guild_id, inter.user.id)
    assert report.documents == 2
    assert [(r.channel_id, r.message_id) for r in report.replies] == [(inter.channel.id, 7001)]


async def test_a_reply_whose_analysis_was_forgotten_meanwhile_is_taken_down(bot):
    """If the author's forget-me lands while the reply is on its way, the reply is deleted at once."""
    from bot.analysis.result import Result
    from bot.cards import remember_reply
    from tests.botkit import rule_job

    stored = await bot.store.save_analysis(5, ARTICLE, Result.from_dict(rule_job(ARTICLE, None)),
                                           engine_version="t", author_id=42)
    kept = await bot.store.save_analysis(5, ARTICLE + " More.", Result.from_dict(rule_job(ARTICLE, None)),
                                         engine_version="t", author_id=43)
    await bot.store.forget_user(5, 42)
    reply = make_message(message_id=7003)
    await remember_reply(bot.store, stored, reply)
    reply.delete.assert_awaited_once()
    # Control: the reply to an analysis that is still there is kept (and recorded, so a later forget-me finds it).
    other = make_message(message_id=7005)
    await remember_reply(bot.store, kept, other)
    other.delete.assert_not_awaited()
    report = await bot.store.forget_user(5, 43)
    assert [(r.channel_id, r.message_id) for r in report.replies] == [(other.channel.id, 7005)]


async def test_recording_a_reply_never_turns_a_delivered_answer_into_an_error(bot, caplog):
    """The member already has the answer: a store failure, or nothing to record, is logged and swallowed."""
    from bot.analysis.result import Result
    from bot.cards import remember_reply
    from bot.errors import StoreError
    from tests.botkit import rule_job

    stored = await bot.store.save_analysis(6, ARTICLE, Result.from_dict(rule_job(ARTICLE, None)),
                                           engine_version="t", author_id=43)
    reply = make_message(message_id=7004)
    locked = StoreError("database is locked")
    with mock.patch.object(bot.store, "record_reply", autospec=True, side_effect=locked) as record:
        await remember_reply(bot.store, stored, reply)
        await remember_reply(bot.store, stored, None)
    assert record.await_count == 1
    reply.delete.assert_not_awaited()
    assert "could not record the reply" in caplog.text


async def test_a_forget_me_during_the_analysis_means_nothing_is_stored_or_shown(tmp_path):
    """/forget lands while the member's text is in a worker: the result is dropped, and the member is told why."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        cog = AnalyseCog(bot)
        inter = make_interaction(client=bot)
        running = asyncio.create_task(invoke(analyse(cog), inter, text=ARTICLE))
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        await bot.store.forget_user(inter.guild_id, inter.user.id)
        job.release.set()
        await running
        assert "forget their data while it was being analysed" in only_message(inter)
        assert await bot.store.recent(inter.guild_id, viewer_id=STAFF) == []
        again = make_interaction(client=bot, guild=inter.guild, user=inter.user)  # a new request is fine again
        await invoke(analyse(cog), again, text=ARTICLE)
        assert result_embed(again)[0].footer.text


async def test_an_optout_during_the_analysis_means_nothing_is_stored_or_shown(tmp_path):
    """/optout lands while the member's text is in a worker: the result is dropped, and the member is told why."""
    job = GatedJob()
    async with running_bot(tmp_path, job=job) as bot:
        cog = AnalyseCog(bot)
        inter = make_interaction(client=bot)
        running = asyncio.create_task(invoke(analyse(cog), inter, text=ARTICLE))
        assert await asyncio.to_thread(job.started.acquire, True, 10)
        await bot.store.set_opt_out(inter.guild_id, inter.user.id, True)
        job.release.set()
        await running
        assert "asked Byline to stop reading their messages while it was being analysed" in only_message(inter)
        assert await bot.store.recent(inter.guild_id, viewer_id=STAFF) == []
        await bot.store.set_opt_out(inter.guild_id, inter.user.id, False)  # after /optin it is stored again
        again = make_interaction(client=bot, guild=inter.guild, user=inter.user)
        await invoke(analyse(cog), again, text=ARTICLE)
        assert result_embed(again)[0].footer.text


async def test_ten_members_asking_for_one_link_at_once_share_one_fetch_and_one_analysis(tmp_path):
    """Nobody is told 'busy' for an article already being analysed for someone else."""
    from tests.test_cog_links import CountingJob

    job = CountingJob()
    async with serve() as pages, running_bot(tmp_path, job=job, queue_size=4) as bot:
        cog = AnalyseCog(bot)
        guild = make_guild()
        inters = [make_interaction(client=bot, guild=guild) for _ in range(10)]
        await asyncio.gather(*(invoke(analyse(cog), i, url=pages.url("/article")) for i in inters))
        answered = [i for i in inters if i.followup.send.await_count and "embeds" in i.followup.send.await_args.kwargs]
        assert len(answered) == 10
        assert pages.hits["/article"] == 1 and job.calls == 1
        assert not bot.analyses_in_flight  # nothing left behind


async def test_one_busy_server_cannot_take_every_place_in_the_queue(tmp_path):
    """A server's analyses under way are capped below the whole capacity, so another server still gets in."""
    from bot.errors import BusyError
    from bot.pipeline import analyse_and_store, guild_share

    job = GatedJob()
    async with running_bot(tmp_path, job=job, queue_size=8) as bot:
        share = guild_share(bot.analyzer.capacity)
        assert 1 <= share < bot.analyzer.capacity
        crowd = [asyncio.create_task(analyse_and_store(bot, 1, f"{ARTICLE} Edition {n}.")) for n in range(share)]
        for _ in range(1000):  # the tasks register before their first wait
            if len(bot.analyses_in_flight) >= share:
                break
            await asyncio.sleep(0.01)
        with pytest.raises(BusyError, match="one server may use only part"):
            await analyse_and_store(bot, 1, f"{ARTICLE} One too many.")
        outsider = asyncio.create_task(analyse_and_store(bot, 2, f"{ARTICLE} Elsewhere."))
        for _ in range(1000):
            if len(bot.analyses_in_flight) > share:
                break
            await asyncio.sleep(0.01)
        assert len(bot.analyses_in_flight) == share + 1
        job.release.set()
        stored = await asyncio.wait_for(asyncio.gather(*crowd, outsider), 30)
        assert stored[-1].guild_id == 2
