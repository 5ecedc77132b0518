"""A link to an article in another language gets no public verdict from an engine that only reads English.

The engine (an English spaCy model and English cue lists) reads a French article's « quote », a déclaré la maire
Ana Ruiz as a quotation nobody said, and misses « selon des sources proches du dossier » altogether. Nothing checks
the page's language, so a link auto-reply posts that verdict in the channel, stores it, and sends the false flag
to the moderators' review queue. The page says what it is (``<html lang="fr">``); the auto-reply, a courtesy that
fails quietly, should pass it over.
"""

from __future__ import annotations

from contextlib import asynccontextmanager

from aiohttp import web

from cogs.links import LinksCog
from tests.botkit import running_bot
from tests.helpers import make_channel, make_guild, make_message
from tests.pageserver import serve_app

FRENCH = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Le conseil approuve le pont</title></head>
<body><article><h1>Le conseil approuve le pont</h1>
<p>Le conseil municipal a approuvé lundi le nouveau pont sur la rivière après un long débat.</p>
<p>Selon des sources proches du dossier, le coût a doublé depuis le printemps.</p>
<p>Les critiques affirment que la conception est dangereuse pour les cyclistes. Le pont ouvrirait l'année prochaine.
« Ce projet créera deux cents emplois », a déclaré la maire Ana Ruiz. Un responsable qui a requis l'anonymat a indiqué
que les travaux commenceraient en juin.</p>
</article></body></html>"""


@asynccontextmanager
async def french_site():
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=FRENCH, content_type="text/html", charset="utf-8")

    app = web.Application()
    app.router.add_get("/pont", page)
    async with serve_app(app) as port:
        yield f"http://127.0.0.1:{port}/pont"


async def test_an_auto_reply_passes_over_an_article_in_a_language_the_engine_cannot_read(tmp_path, engine):
    def job(text, sentences):
        return engine.analyze(text, sentences=sentences).to_dict()

    async with french_site() as link, running_bot(tmp_path, job=job) as bot:
        guild = make_guild()
        channel = make_channel(guild=guild)
        await bot.store.update_settings(guild.id, autoreply_channel_ids=[channel.id])
        message = make_message(content=link, channel=channel)
        await LinksCog(bot).on_message(message)
        stored = await bot.store.recent(guild.id)
        flags = []
        if stored:
            full = await bot.store.get_analysis(guild.id, stored[0].id)
            flags = [(f.category, f.evidence.text) for f in full.result.flags]
        assert not message.reply.await_count and not stored, (
            f"a French page was answered and stored with the English engine's flags: {flags}")


def test_the_declared_language_is_read_from_the_html_element():
    from bot.extract import declared_language

    assert declared_language('<!doctype html><html lang="fr-CA"><head>') == "fr"
    assert declared_language("<html class='x' lang=en><body>") == "en"
    assert declared_language("<html><body><p lang='de'>Hallo</p>") is None
    assert declared_language("<p>no html element</p>") is None
