"""A click on a short-lived view this bot no longer holds is answered ("expired"); a live one is left to its view."""

from __future__ import annotations

import discord

from bot.views import SHORT_VIEW_PREFIX, STALE_VIEW_TEXT, ConfirmView, answer_stale_view
from tests.helpers import make_interaction


class _Bot:
    """Stands for a bot: PerBot keys its state weakly by the bot object."""


async def _noop(_: discord.Interaction) -> str:
    return "done"


def _click(client, custom_id: str):
    inter = make_interaction(client=client)
    inter.type = discord.InteractionType.component
    inter.data = {"custom_id": custom_id, "component_type": 2}
    return inter


async def test_a_live_views_click_is_left_to_it_and_a_gone_ones_is_answered():
    bot, other_bot = _Bot(), _Bot()
    view = ConfirmView(author_id=1, on_confirm=_noop, client=bot)
    ids = [item.custom_id for item in view.children if isinstance(item, discord.ui.Button)]
    assert ids and all(i.startswith(SHORT_VIEW_PREFIX) for i in ids)

    live = _click(bot, ids[0])
    assert await answer_stale_view(live) is False
    live.response.send_message.assert_not_awaited()

    restarted = _click(other_bot, ids[0])  # the same button, reaching a bot that never made the view
    assert await answer_stale_view(restarted) is True
    assert STALE_VIEW_TEXT in restarted.response.send_message.await_args.args[0]

    view.stop()  # timed out or answered: its buttons are gone too
    finished = _click(bot, ids[0])
    assert await answer_stale_view(finished) is True


async def test_other_components_are_never_answered_as_stale():
    view = ConfirmView(author_id=1, on_confirm=_noop)  # made without a bot: keeps discord.py's own ids
    assert not any(str(item.custom_id).startswith(SHORT_VIEW_PREFIX) for item in view.children
                   if isinstance(item, discord.ui.Button))
    for custom_id in ("byline:review:confirm:12", "report:99", str(view.children[0].custom_id)):
        click = _click(_Bot(), custom_id)
        assert await answer_stale_view(click) is False
        click.response.send_message.assert_not_awaited()
