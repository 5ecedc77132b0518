"""The library cog: /lookup, /search paging, /recent, /stats, /forget, /optout and /optin, with a real Store."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.cards import CARDS_STALE_EVENT
from bot.errors import NotFoundError
from bot.views import ConfirmView, Paginator
from cogs.library import Library
from tests.helpers import flagged_result, make_guild, make_interaction, make_member, make_store_bot

ARTICLE = (
    "The harbour authority said the pier will close for repairs. Sources inside the port said costs doubled. "
    "Critics say the closure will hurt fishermen. Mayor Ana Ruiz said the town would help."
)
FLAGS = [("anonymous_source", "high", "Sources inside the port"), ("vague_source", "medium", "Critics")]


async def _save(store, guild_id, text=ARTICLE, *, title="Pier closure", url="https://port.example/pier",
                author_id=None):
    return await store.save_analysis(guild_id, text, flagged_result(text, FLAGS, title=title),
                                     engine_version="test-1", title=title, url=url, author_id=author_id)


def _inter(store, guild, user=None):
    return make_interaction(client=make_store_bot(store), guild=guild, user=user or make_member(guild=guild))


# --- /lookup ------------------------------------------------------------------------------------------------


async def test_lookup_shows_the_analysis_embed(store):
    """The stored analysis comes back as the analysis embed, its id in the footer, pings disabled."""
    guild = make_guild()
    stored = await _save(store, guild.id)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.lookup.callback(cog, inter, f" #{stored.id.upper()} ")
    inter.response.defer.assert_awaited_once()
    sent = inter.followup.send.await_args.kwargs
    embed = sent["embeds"][0]
    assert stored.id in embed.footer.text and embed.title == "Pier closure"
    assert sent["allowed_mentions"].everyone is False


async def test_lookup_never_crosses_guilds(store):
    """An id from another server is 'not found' here, exactly like an unknown id."""
    guild, other = make_guild(), make_guild()
    stored = await _save(store, other.id)
    cog = Library(make_store_bot(store))
    for query in (stored.id, "zzzzzz", "not an id"):
        inter = _inter(store, guild)
        with pytest.raises(NotFoundError):
            await cog.lookup.callback(cog, inter, query)
        inter.followup.send.assert_not_awaited()


# --- /search ------------------------------------------------------------------------------------------------


async def test_search_pages_with_buttons(store):
    """Seven matches give two pages of five and two; Next shows the second page; other guilds don't count."""
    guild, other = make_guild(), make_guild()
    for i in range(7):
        await _save(store, guild.id, f"{ARTICLE} Lighthouse report number {i}.", title=f"Pier {i}")
    await _save(store, other.id, f"{ARTICLE} Lighthouse elsewhere.", title="Other server")
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.search.callback(cog, inter, "lighthouse")
    sent = inter.followup.send.await_args.kwargs
    view = sent["view"]
    assert isinstance(view, Paginator) and view.pages == 2 and view.author_id == inter.user.id
    assert len(sent["embed"].fields) == 5 and sent["embed"].footer.text.startswith("7 result(s)")
    turn = make_interaction(user=inter.user)
    await view.next_page.callback(turn)
    page2 = turn.edit_original_response.await_args.kwargs["embed"]
    assert len(page2.fields) == 2
    titles = {f.name for f in sent["embed"].fields} | {f.name for f in page2.fields}
    assert len(titles) == 7 and not any("Other server" in t for t in titles)


async def test_search_single_page_has_no_buttons_and_no_match_says_so(store):
    """One page needs no paginator; a miss says nothing matched."""
    guild = make_guild()
    await _save(store, guild.id)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.search.callback(cog, inter, "harbour")
    sent = inter.followup.send.await_args.kwargs
    assert "view" not in sent and len(sent["embed"].fields) == 1
    miss = _inter(store, guild)
    await cog.search.callback(cog, miss, "submarine")
    assert miss.followup.send.await_args.kwargs["embed"].description.startswith("No stored analysis")


async def test_search_refuses_short_prefixes_and_too_many_words_before_reading_anything(store):
    """The member is told why; nothing is acknowledged publicly, searched or counted against their allowance."""
    from bot.errors import InputError

    guild = make_guild()
    await _save(store, guild.id)
    cog = Library(make_store_bot(store))
    for query, words in (("a* b* c* d* e*", "at least 3 letters"), ("harbour ha*", r"`ha\*`"),
                         (" ".join(f"pier{i}" for i in range(12)), "at most 8 words")):
        inter = _inter(store, guild)
        with pytest.raises(InputError, match=words):
            await cog.search.callback(cog, inter, query)
        inter.response.defer.assert_not_awaited()
        assert cog.search_limiter.retry_after(inter.user.id) == 0
    inter = _inter(store, guild)
    await cog.search.callback(cog, inter, "harbour harbour harb*")  # repeats count once; 4 letters will do
    assert len(inter.followup.send.await_args.kwargs["embed"].fields) == 1


async def test_search_and_its_page_turns_share_a_per_member_limit(store):
    """Each search and each page turn counts; over the limit the member is told to wait, and others are not."""
    from bot import config
    from bot.errors import RateLimited

    guild = make_guild()
    for i in range(7):
        await _save(store, guild.id, f"{ARTICLE} Lighthouse report number {i}.", title=f"Pier {i}")
    settings = config.load(None, {"BYLINE_DISCORD_SEARCH_RATE_PER_MINUTE": "3"})
    cog = Library(make_store_bot(store, settings))
    member = make_member(guild=guild)
    inter = _inter(store, guild, user=member)
    await cog.search.callback(cog, inter, "lighthouse")  # 1
    view = inter.followup.send.await_args.kwargs["view"]
    await view.next_page.callback(make_interaction(user=member))  # 2
    await view.previous_page.callback(make_interaction(user=member))  # 3
    refused = make_interaction(user=member)
    with pytest.raises(RateLimited):
        await view.next_page.callback(refused)
    refused.edit_original_response.assert_not_awaited()
    assert view.page == 0 and view.next_page.disabled is False  # the view still matches the message it sits on
    again = _inter(store, guild, user=member)
    with pytest.raises(RateLimited):
        await cog.search.callback(cog, again, "harbour")
    again.response.defer.assert_not_awaited()
    other = _inter(store, guild)
    await cog.search.callback(cog, other, "lighthouse")  # someone else's allowance is their own
    assert other.followup.send.await_args.kwargs["embed"].fields


# --- /recent and /stats -------------------------------------------------------------------------------------


async def test_recent_lists_this_guild_newest_first(store):
    """Only this server's analyses, newest first."""
    guild, other = make_guild(), make_guild()
    first = await _save(store, guild.id, title="First")
    second = await _save(store, guild.id, ARTICLE + " More.", title="Second")
    await _save(store, other.id, title="Elsewhere")
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.recent.callback(cog, inter)
    names = [f.name for f in inter.followup.send.await_args.kwargs["embed"].fields]
    assert names == [f"Second · {second.id}", f"First · {first.id}"]


async def test_recent_decodes_no_stored_result(store, monkeypatch):
    """Each line's flag count comes from the store's listing: no result is decoded for /recent."""
    from bot.analysis.result import Result

    guild = make_guild()
    stored = await _save(store, guild.id)
    calls = []
    monkeypatch.setattr(Result, "from_dict", classmethod(lambda cls, data: calls.append(data)))
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.recent.callback(cog, inter)
    (field,) = inter.followup.send.await_args.kwargs["embed"].fields
    assert field.name == f"Pier closure · {stored.id}"
    assert "⚠️ 2 flags: 1 anonymous source, 1 vague source" in field.value
    assert "<https://port.example/pier>" in field.value
    assert calls == []


async def test_lookup_decodes_and_renders_off_the_event_loop(store, monkeypatch):
    """A long article's result is over a megabyte of JSON: /lookup decodes and renders it on a worker thread."""
    import threading

    from bot import render
    from bot.analysis.result import Result

    guild = make_guild()
    stored = await _save(store, guild.id)
    threads = []
    real_decode, real_render = Result.from_dict.__func__, render.render_analysis

    def decode(cls, data):
        threads.append(("decode", threading.get_ident()))
        return real_decode(cls, data)

    def draw(*args, **kwargs):
        threads.append(("render", threading.get_ident()))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(Result, "from_dict", classmethod(decode))
    monkeypatch.setattr(render, "render_analysis", draw)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.lookup.callback(cog, inter, stored.id)
    assert stored.id in inter.followup.send.await_args.kwargs["embeds"][0].footer.text
    assert [what for what, _ in threads] == ["decode", "render"]
    assert threading.get_ident() not in {thread for _, thread in threads}


async def test_lookup_recent_and_stats_share_a_per_member_limit(store):
    """Each counts against ``library_rate_per_minute``; over it the member is told to wait before anything is
    read or acknowledged; other members and the member's searches keep their own allowances."""
    from bot import config
    from bot.errors import RateLimited

    guild = make_guild()
    stored = await _save(store, guild.id)
    settings = config.load(None, {"BYLINE_DISCORD_LIBRARY_RATE_PER_MINUTE": "3"})
    cog = Library(make_store_bot(store, settings))
    member = make_member(guild=guild)
    await cog.recent.callback(cog, _inter(store, guild, user=member))
    await cog.lookup.callback(cog, _inter(store, guild, user=member), stored.id)
    await cog.stats.callback(cog, _inter(store, guild, user=member))
    for run in (lambda i: cog.recent.callback(cog, i), lambda i: cog.lookup.callback(cog, i, stored.id),
                lambda i: cog.stats.callback(cog, i)):
        refused = _inter(store, guild, user=member)
        with pytest.raises(RateLimited):
            await run(refused)
        refused.response.defer.assert_not_awaited()
        refused.followup.send.assert_not_awaited()
    other = _inter(store, guild)
    await cog.recent.callback(cog, other)
    assert other.followup.send.await_args.kwargs["embed"].fields
    searched = _inter(store, guild, user=member)
    await cog.search.callback(cog, searched, "harbour")
    assert searched.followup.send.await_args.kwargs["embed"].fields


async def test_stats_reports_unnamed_share_by_site(store):
    """The scorecard names the site and the flag counts of this server."""
    guild = make_guild()
    await _save(store, guild.id)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.stats.callback(cog, inter)
    embed = inter.followup.send.await_args.kwargs["embed"]
    fields = {f.name: f.value for f in embed.fields}
    assert "port.example" in fields["Unnamed share by site"]
    assert "Anonymous source: 1" in fields["Flags by category"]
    assert "**1** articles" in embed.description


# --- privacy ------------------------------------------------------------------------------------------------


async def test_forget_asks_then_deletes_only_the_callers_data(store):
    """Nothing is deleted until the caller confirms; then their documents go, others' stay."""
    guild = make_guild()
    me, someone = make_member(guild=guild, name="me"), make_member(guild=guild, name="someone")
    mine = await _save(store, guild.id, author_id=me.id)
    theirs = await _save(store, guild.id, ARTICLE + " Extra.", author_id=someone.id)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild, user=me)
    await cog.forget.callback(cog, inter)
    prompt = inter.response.send_message.await_args.kwargs
    assert prompt["ephemeral"] is True
    view = prompt["view"]
    assert isinstance(view, ConfirmView)
    assert await store.get_analysis(guild.id, mine.id) is not None

    assert await view.interaction_check(make_interaction(guild=guild, user=someone)) is False
    click = make_interaction(guild=guild, user=me)
    await view.confirm.callback(click)
    assert await store.get_analysis(guild.id, mine.id) is None
    assert await store.get_analysis(guild.id, theirs.id) is not None
    done = click.edit_original_response.await_args.kwargs["content"]
    assert done.startswith("Done. Deleted 1 article(s)")
    assert "no longer records your name" in done
    cog.bot.dispatch.assert_called_once_with(CARDS_STALE_EVENT)  # the review cog then cleans the listed cards
    assert "removes your name" in inter.response.send_message.await_args.args[0]


async def test_forget_cancel_keeps_everything(store):
    """Cancel deletes nothing."""
    guild = make_guild()
    me = make_member(guild=guild)
    mine = await _save(store, guild.id, author_id=me.id)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild, user=me)
    await cog.forget.callback(cog, inter)
    view = inter.response.send_message.await_args.kwargs["view"]
    click = make_interaction(guild=guild, user=me)
    await view.cancel.callback(click)
    assert await store.get_analysis(guild.id, mine.id) is not None
    answer = click.response.edit_message.await_args.kwargs
    assert answer["content"] == "Cancelled. Nothing was deleted." and answer["view"] is view
    assert view.is_finished() and all(b.disabled for b in view.children)  # no later Confirm on the same prompt
    cog.bot.dispatch.assert_not_called()


async def test_optout_and_optin_toggle_for_this_guild_only(store):
    """/optout records the wish in this server only; /optin lifts it; both answer privately."""
    guild, other = make_guild(), make_guild()
    me = make_member(guild=guild)
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild, user=me)
    await cog.optout.callback(cog, inter)
    assert await store.is_opted_out(guild.id, me.id)
    assert not await store.is_opted_out(other.id, me.id)
    inter.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    assert inter.followup.send.await_args.kwargs["ephemeral"] is True
    back = _inter(store, guild, user=me)
    await cog.optin.callback(cog, back)
    assert not await store.is_opted_out(guild.id, me.id)


async def test_lookup_miss_is_answered_privately_with_no_public_placeholder(store):
    """The look-up runs before the acknowledgement, so a miss never shows a public "thinking…" to the channel."""
    from bot.interaction_errors import handle_interaction_error

    guild = make_guild()
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    with pytest.raises(NotFoundError) as caught:
        await cog.lookup.callback(cog, inter, "zzzzzz")
    inter.response.defer.assert_not_awaited()
    await handle_interaction_error(inter, caught.value)
    sent = inter.response.send_message.await_args
    assert sent.kwargs["ephemeral"] is True and "No analysis `zzzzzz` in this server." in str(sent)


LIGHTHOUSE = "The council approved the lighthouse repairs on Monday. Officials said work starts in May."


async def _public_lighthouse_search(store, guild, member, n):
    from tests.store_factory import ENGINE, make_result

    for i in range(n):
        text = f"{LIGHTHOUSE} Report number {i}."
        await store.save_analysis(guild.id, text, make_result(text, title=f"Pier {i}"), engine_version=ENGINE,
                                  author_id=999)
    lib = Library(make_store_bot(store))
    inter = make_interaction(client=lib.bot, guild=guild, user=member)
    await lib.search.callback(lib, inter, "lighthouse")
    assert inter.followup.send.await_args.kwargs["ephemeral"] is False
    return lib, inter.followup.send.await_args.kwargs["view"]


async def test_public_search_pages_never_show_a_private_analysis_stored_while_the_buttons_live(store):
    """The pages are rendered again on each click; a public message must keep the public view it began with."""
    from bot.store import STAFF
    from tests.store_factory import ENGINE, make_result

    guild = make_guild()
    member = make_member(guild=guild)
    lib, view = await _public_lighthouse_search(store, guild, member, 7)  # two pages
    secret = "Lighthouse keeper disciplinary note. The board met privately."
    hidden = await store.save_analysis(guild.id, secret, make_result(secret, title="Staff-only memo"),
                                       engine_version=ENGINE, author_id=member.id, private=True)
    assert (await store.get_analysis(guild.id, hidden.id, viewer_id=STAFF)).private
    for press in (view.next_page, view.previous_page):
        click = make_interaction(client=lib.bot, guild=guild, user=member)
        await press.callback(click)
        page = str(click.edit_original_response.await_args.kwargs["embed"].to_dict())
        assert "Staff-only memo" not in page and hidden.id not in page
        assert "Pier" in page


async def test_search_offers_no_page_past_the_ranked_candidates(store, monkeypatch):
    """The store ranks only the newest SEARCH_CANDIDATES matches; a page past them would say nothing matches."""
    import bot.store_search

    monkeypatch.setattr(bot.store_search, "SEARCH_CANDIDATES", 7)
    # the globals of the module Library came from: other tests reload cogs.library through the extension loader
    monkeypatch.setitem(Library.search.callback.__globals__, "SEARCH_CANDIDATES", 7)
    guild = make_guild()
    member = make_member(guild=guild)
    lib, view = await _public_lighthouse_search(store, guild, member, 12)
    assert view.pages == 2  # 7 ranked hits, 5 a page
    for _ in range(view.pages - 1):
        click = make_interaction(client=lib.bot, guild=guild, user=member)
        await view.next_page.callback(click)
        assert click.edit_original_response.await_args.kwargs["embed"].fields


# --- public library replies can be taken down by /forget -----------------------------------------------------


def _posting(store, guild, user=None):
    """An interaction whose follow-up returns a posted message, as ``followup.send(wait=True)`` does."""
    from tests.helpers import make_message

    inter = _inter(store, guild, user)
    inter.followup.send.return_value = make_message(channel=inter.channel)
    return inter, inter.followup.send.return_value


async def test_a_public_lookup_is_deleted_by_its_authors_forget_and_a_private_one_is_never_recorded(store):
    from bot.store_cards import CardRef

    guild = make_guild()
    author, reader = make_member(guild=guild), make_member(guild=guild)
    shared = await _save(store, guild.id, author_id=author.id)
    cog = Library(make_store_bot(store))
    inter, posted = _posting(store, guild, reader)
    await cog.lookup.callback(cog, inter, shared.id)
    assert inter.followup.send.await_args.kwargs["ephemeral"] is False
    secret = "Lighthouse keeper disciplinary note. The board met privately."
    mine = await store.save_analysis(guild.id, secret, flagged_result(secret, []), engine_version="test-1",
                                     author_id=author.id, private=True)
    own, _ = _posting(store, guild, author)
    await cog.lookup.callback(cog, own, mine.id)
    assert own.followup.send.await_args.kwargs["ephemeral"] is True
    report = await store.forget_user(guild.id, author.id)
    assert report.replies == (CardRef(posted.channel.id, posted.id),)  # the private answer was never recorded


async def test_recent_is_deleted_by_the_forget_of_any_member_it_lists(store):
    from bot.store_cards import CardRef

    guild = make_guild()
    one, two = make_member(guild=guild), make_member(guild=guild)
    await _save(store, guild.id, author_id=one.id, title="First")
    await _save(store, guild.id, ARTICLE + " More.", author_id=two.id, title="Second")
    cog = Library(make_store_bot(store))
    inter, posted = _posting(store, guild)
    await cog.recent.callback(cog, inter)
    assert len(inter.followup.send.await_args.kwargs["embed"].fields) == 2
    assert (await store.forget_user(guild.id, two.id)).replies == (CardRef(posted.channel.id, posted.id),)


async def test_each_search_page_shown_is_recorded_against_the_message(store):
    """Page one's articles when it is posted, page two's when the member turns to it: the same message either way."""
    from bot.store_cards import CardRef

    guild = make_guild()
    early, late = make_member(guild=guild), make_member(guild=guild)
    for i in range(7):  # newest first ranks equal scores, so the two oldest land on page two
        await _save(store, guild.id, f"{ARTICLE} Lighthouse report number {i}.", title=f"Pier {i}",
                    author_id=early.id if i < 2 else late.id)
    searcher = make_member(guild=guild)
    cog = Library(make_store_bot(store))
    inter, posted = _posting(store, guild, searcher)
    await cog.search.callback(cog, inter, "lighthouse")
    view = inter.followup.send.await_args.kwargs["view"]
    other = make_member(guild=guild)
    unturned, _ = _posting(store, guild, other)
    await cog.search.callback(cog, unturned, "lighthouse")  # nobody turns this one to page two
    await view.next_page.callback(make_interaction(user=searcher))
    assert (await store.forget_user(guild.id, early.id)).replies == (CardRef(posted.channel.id, posted.id),)


async def test_search_finds_a_japanese_word_and_refuses_a_lone_character(store):
    """/search reaches words inside unspaced CJK sentences; one character alone is refused with the reason."""
    from bot.errors import InputError

    guild = make_guild()
    text = "東京で大きな地震が発生した。被害は軽微だと当局は述べた。"
    stored = await store.save_analysis(guild.id, text, flagged_result(text, []), engine_version="test-1",
                                       title="地震のニュース")
    cog = Library(make_store_bot(store))
    inter = _inter(store, guild)
    await cog.search.callback(cog, inter, "地震")
    (field,) = inter.followup.send.await_args.kwargs["embed"].fields
    assert stored.id in field.name and "**地震**" in field.value
    with pytest.raises(InputError, match="at least two"):
        await cog.search.callback(cog, _inter(store, guild), "震")


# --- Discord's 3 s deadline: acknowledged before the search ----------------------------------------------------


def _log_store(store, monkeypatch, order):
    """Note in ``order`` each look-up, search and record the library makes (then let the real store do it)."""
    for name in ("has_private_analyses", "count_search", "search", "record_shown"):
        real = getattr(store, name)

        async def spy(*args, _real=real, _name=name, **kwargs):
            order.append(_name)
            return await _real(*args, **kwargs)

        monkeypatch.setattr(store, name, spy)


def _log_answers(inter, order):
    """Note in ``order`` the interaction's acknowledgement and the edit of its message."""
    mark = inter.response.defer.side_effect
    inter.response.defer.side_effect = lambda *a, **k: (order.append("defer"), mark(*a, **k))[1]
    inter.edit_original_response.side_effect = lambda **k: order.append("edit")


async def test_search_and_its_page_turns_are_acknowledged_before_anything_is_searched(store, monkeypatch):
    """Proved by order rather than by a clock: the searches share one connection, and recording a page waits for the
    write lock, so both may outlast Discord's 3 s. Only the look-up that chooses the answer's visibility (one probe
    of a small index) comes before the acknowledgement; a page turn acknowledges first of all."""
    guild = make_guild()
    for i in range(7):
        await _save(store, guild.id, f"{ARTICLE} Lighthouse report number {i}.", title=f"Pier {i}")
    cog = Library(make_store_bot(store))
    inter, _ = _posting(store, guild)
    order: list[str] = []
    _log_store(store, monkeypatch, order)
    _log_answers(inter, order)
    await cog.search.callback(cog, inter, "lighthouse")
    assert order == ["has_private_analyses", "defer", "count_search", "search", "record_shown"]
    inter.response.defer.assert_awaited_once_with(thinking=True)  # public, as this member has nothing private here
    view = inter.followup.send.await_args.kwargs["view"]
    turn = make_interaction(user=inter.user)
    _log_answers(turn, order)
    order.clear()
    await view.next_page.callback(turn)
    assert order == ["defer", "search", "record_shown", "edit"]
    turn.response.defer.assert_awaited_once_with()  # a deferred update: the message stays until it is edited


async def test_search_answers_privately_whoever_has_a_private_analysis_here(store):
    """Visibility is chosen before searching: a member with any private analysis in this server is answered
    privately (their private hits listed too), even when none matches; everyone else publicly, public hits only."""
    guild = make_guild()
    me, other = make_member(guild=guild), make_member(guild=guild)
    await _save(store, guild.id, title="Public pier")
    secret = "Harbour lighthouse keeper's private memo. The board met privately."
    await store.save_analysis(guild.id, secret, flagged_result(secret, []), engine_version="test-1",
                              title="My memo", author_id=me.id, private=True)
    cog = Library(make_store_bot(store))
    for user, query, private, titles in ((me, "harbour", True, {"Public pier", "My memo"}),
                                         (me, "closure", True, {"Public pier"}),
                                         (other, "harbour", False, {"Public pier"})):
        inter = _inter(store, guild, user=user)
        await cog.search.callback(cog, inter, query)
        if private:
            inter.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
        else:
            inter.response.defer.assert_awaited_once_with(thinking=True)
        sent = inter.followup.send.await_args.kwargs
        assert sent["ephemeral"] is private
        assert {f.name.split(" · ")[0] for f in sent["embed"].fields} == titles, (user, query)
    assert await store.has_private_analyses(guild.id, me.id)
    assert not await store.has_private_analyses(guild.id, other.id)
    assert not await store.has_private_analyses(make_guild().id, me.id)  # another server's are not counted here


async def test_a_page_turn_whose_message_a_forget_took_down_ends_quietly(store, monkeypatch):
    """The turn records the page it shows; when an article on it was forgotten meanwhile, recording deletes the whole
    message (the forget-me must reach it), so the edit that follows meets 10008: the pager ends, no error is shown."""
    from tests.helpers import http_error

    guild = make_guild()
    early = make_member(guild=guild)
    for i in range(7):  # newest first ranks equal scores, so the two oldest land on page two
        await _save(store, guild.id, f"{ARTICLE} Lighthouse report number {i}.", title=f"Pier {i}",
                    author_id=early.id if i < 2 else None)
    cog = Library(make_store_bot(store))
    inter, posted = _posting(store, guild)
    await cog.search.callback(cog, inter, "lighthouse")
    view = inter.followup.send.await_args.kwargs["view"]
    real_search = store.search

    async def search_then_forget(*args, **kwargs):
        hits = await real_search(*args, **kwargs)
        await store.forget_user(guild.id, early.id)  # lands between the search and the record of its page
        return hits

    monkeypatch.setattr(store, "search", search_then_forget)
    turn = make_interaction(user=inter.user)
    gone = http_error(discord.NotFound, 404, 10008, "Unknown Message")
    turn.edit_original_response.side_effect = gone
    turn.response.edit_message.side_effect = gone  # what Discord answers either way once the message is gone
    await asyncio.create_task(view._scheduled_task(view.next_page, turn))  # as discord.py runs a click
    posted.delete.assert_awaited_once()
    assert not [c for c in turn.response.send_message.await_args_list + turn.followup.send.await_args_list]
    assert view.is_finished()
