"""The full report as a Markdown file: everything an embed had to leave out, with no Discord limits but size."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.analysis.result import Result
from bot.render.labels import category_label, ordered_flags, scorecard
from bot.render.limits import ATTACHMENT_LIMIT_BYTES, clip, one_line
from bot.render.message import Attachment
from bot.render.summary_gloss import glossed

if TYPE_CHECKING:
    from bot.store import StoredAnalysis

# Marks that make Markdown act on text: links and images ("[..](..)", "![..](..)"), raw HTML and autolinks ("<..>"),
# character references ("&#x202E;" would bring back a direction control ``one_line`` removed), emphasis, code,
# strike-through, table cells, headings, and the backslash itself. Article text gets each one escaped, so a Markdown
# viewer shows what the article says and never fetches an image or draws a link the article planted.
_ACTIVE = re.compile(r"([\\`*_\[\]<>!~|&#])")
# What starts a block at the head of a line: "- item", "+ item", "= underline", "1. item", "1) item".
_BLOCK_START = re.compile(r"^([-+=]|\d+(?=[.)]))")


def md_text(text: str) -> str:
    """Untrusted text on one line, every Markdown mark escaped (CommonMark's backslash escapes)."""
    escaped = _ACTIVE.sub(r"\\\1", one_line(text))
    return _BLOCK_START.sub(lambda m: "\\" + m.group() if not m.group().isdigit() else m.group() + "\\", escaped)


def report_attachment(stored: StoredAnalysis) -> Attachment:
    """The full report as ``byline-<id>.md``, capped below every guild's upload limit."""
    data = report_markdown(stored).encode("utf-8")
    if len(data) > ATTACHMENT_LIMIT_BYTES:
        note = b"\n\n_(Report cut at the attachment size limit.)_\n"
        data = data[: ATTACHMENT_LIMIT_BYTES - len(note)].decode("utf-8", "ignore").encode("utf-8") + note
    return Attachment(filename=f"byline-{stored.id}.md", data=data)


def report_markdown(stored: StoredAnalysis) -> str:
    """Everything in the result, as Markdown: summary, every flag, who said what, the scorecard."""
    result = stored.result
    out = [f"# {md_text(result.title or stored.title or 'Article analysis')}", ""]
    if stored.url:
        out += [f"Source: <{stored.url}>", ""]
    out += [f"Analysis `{stored.id}` · {stored.engine_version} · {stored.created_at:%Y-%m-%d %H:%M} UTC", ""]
    out += [f"## Summary ({len(result.summary)} of {result.sentences} sentences)", ""]
    out += [f"- {md_text(glossed(result, s))}" for s in result.summary] or ["_Too short to summarise._"]
    out += ["", f"## Flags ({len(result.flags)})", ""]
    for flag in ordered_flags(result.flags):
        label = category_label(flag.category)
        out.append(f"- **{label}** ({flag.severity}): “{md_text(flag.evidence.text)}” — {md_text(flag.reason)}")
    if not result.flags:
        out.append("No anonymous, vague or missing sources found.")
    out += ["", "## Who said what", ""]
    out += _attribution_rows(result)
    out += ["", "## Sourcing scorecard", "", scorecard(result).replace("`", ""), ""]
    return "\n".join(out)


def _attribution_rows(result: Result) -> list[str]:
    """Who said what as a Markdown table; article text is escaped (``md_text``), pipes included, so a row can't
    split."""
    if not result.speech:
        return ["No reported claims found."]
    rows = ["| Source | Kind | Cue | Claim |", "|---|---|---|---|"]
    for a in result.speech:
        who = a.source.text if a.source else "—"
        if a.speaker and a.speaker != who:
            who = f"{a.speaker} ({who})"
        claim = a.claim
        cells = [md_text(who), a.source_kind, md_text(a.cue.text), md_text(clip(one_line(claim), 300))]
        rows.append("| " + " | ".join(cells) + " |")
    return rows
