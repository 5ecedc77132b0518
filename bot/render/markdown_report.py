"""The full report as a Markdown file: everything an embed had to leave out, with no Discord limits but size."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.analysis.result import Result
from bot.render.labels import category_label, ordered_flags, scorecard
from bot.render.limits import ATTACHMENT_LIMIT_BYTES, clip, one_line
from bot.render.message import Attachment

if TYPE_CHECKING:
    from bot.store import StoredAnalysis


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
    out = [f"# {one_line(result.title or stored.title or 'Article analysis')}", ""]
    if stored.url:
        out += [f"Source: <{stored.url}>", ""]
    out += [f"Analysis `{stored.id}` · {stored.engine_version} · {stored.created_at:%Y-%m-%d %H:%M} UTC", ""]
    out += [f"## Summary ({len(result.summary)} of {result.sentences} sentences)", ""]
    out += [f"- {one_line(s.text)}" for s in result.summary] or ["_Too short to summarise._"]
    out += ["", f"## Flags ({len(result.flags)})", ""]
    for flag in ordered_flags(result.flags):
        label = category_label(flag.category)
        out.append(f"- **{label}** ({flag.severity}): “{one_line(flag.evidence.text)}” — {one_line(flag.reason)}")
    if not result.flags:
        out.append("No anonymous, vague or missing sources found.")
    out += ["", "## Who said what", ""]
    out += _attribution_rows(result)
    out += ["", "## Sourcing scorecard", "", scorecard(result).replace("`", ""), ""]
    return "\n".join(out)


def _attribution_rows(result: Result) -> list[str]:
    """Who said what as a Markdown table; pipes in article text are escaped so a row can't split."""
    if not result.speech:
        return ["No reported claims found."]
    rows = ["| Source | Kind | Cue | Claim |", "|---|---|---|---|"]
    for a in result.speech:
        who = a.source.text if a.source else "—"
        if a.speaker and a.speaker != who:
            who = f"{a.speaker} ({who})"
        claim = a.claim
        cells = [one_line(who), a.source_kind, one_line(a.cue.text), clip(one_line(claim), 300)]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows
