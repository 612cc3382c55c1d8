"""The pipeline as a funnel picture (hand-written SVG, like render.chart's Pareto chart).

One centred bar per open stage, widest at the top: its width is the stage's amount
(the deal count when no deal has an amount), the darker inner bar its weighted amount.
Beside each bar: the stage, its key node (seed 002), the count, amount and weighted
amount; under the funnel, won and lost. Card text is escaped; the result is a string.
"""

from __future__ import annotations

from decimal import Decimal

from kacard.analysis.pipeline import NODE_OF, STAGES, PipelineReport, node_label, stage_label
from kacard.i18n import _
from kacard.render.output import fmt_cell
from kacard.render.safe import xml_text as escape

WIDTH, LEFT, BAR_W, ROW_H, TOP = 1040, 210, 420, 54, 70
COLOURS = ("#dbe8f5", "#c3d9ef", "#a9c8e8", "#8db5df", "#6f9fd4", "#4f86c6")
WEIGHTED = "#2f5f96"


def funnel_svg(report: PipelineReport, title: str = "") -> str:
    """An SVG document of the open stages of `report` as a funnel."""
    rows = list(report.open_rows)
    use_amount = any(r.amount > 0 for r in rows)
    largest = max((r.amount if use_amount else Decimal(r.count) for r in rows), default=Decimal(0))
    height = TOP + ROW_H * len(rows) + 70
    heading = title or _("Pipeline")
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
         f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">'),
        f"<title>{escape(heading)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="white"/>',
        f'<text x="20" y="30" font-size="16" font-weight="bold">{escape(heading)}</text>',
        f'<text x="20" y="50" fill="#555">{escape(_("bar: amount; dark bar: weighted amount (amount × stage probability)") if use_amount else _("bar: number of deals"))}</text>',
    ]
    centre = LEFT + BAR_W / 2
    for i, row in enumerate(rows):
        y = TOP + i * ROW_H
        size = row.amount if use_amount else Decimal(row.count)
        w = float(size / largest) * BAR_W if largest > 0 else 0.0
        w = max(w, 2.0) if row.count else 0.0
        inner = float(row.weighted / largest) * BAR_W if use_amount and largest > 0 else 0.0
        out.append(f'<rect x="{centre - w / 2:.1f}" y="{y}" width="{w:.1f}" height="{ROW_H - 10}" '
                   f'fill="{COLOURS[i % len(COLOURS)]}" stroke="#4f86c6"/>')
        if inner > 0:
            out.append(f'<rect x="{centre - inner / 2:.1f}" y="{y + 14}" width="{inner:.1f}" height="{ROW_H - 38}" '
                       f'fill="{WEIGHTED}"/>')
        out.append(f'<text x="{LEFT - 12}" y="{y + 18}" text-anchor="end" font-weight="bold">'
                   f'{escape(f"{i + 1}. {stage_label(row.stage)}")}</text>')
        out.append(f'<text x="{LEFT - 12}" y="{y + 34}" text-anchor="end" fill="#555" font-size="10">'
                   f'{escape(node_label(NODE_OF[row.stage]))}</text>')
        figures = _("{count} deals · {amount} · weighted {weighted} ({chance})").format(
            count=row.count, amount=fmt_cell(row.amount), weighted=fmt_cell(row.weighted),
            chance=f"{row.probability:.0%}")
        out.append(f'<text x="{LEFT + BAR_W + 14}" y="{y + 18}">{escape(figures)}</text>')
        if row.stalled or row.oldest is not None:
            bits = []
            if row.stalled:
                bits.append(_("{n} stalled").format(n=row.stalled))
            if row.oldest is not None:
                bits.append(_("longest: {account} {days} days").format(
                    account=row.oldest.account, days=row.oldest.days_in_stage))
            out.append(f'<text x="{LEFT + BAR_W + 14}" y="{y + 34}" fill="#a33" font-size="10">'
                       f'{escape(" · ".join(bits))}</text>')
    totals = report.totals()
    won, lost = report.stages[len(STAGES)], report.stages[len(STAGES) + 1]
    foot = _("open: {count} deals · {amount} · weighted {weighted} · won: {won} ({won_amount}) · lost: {lost} ({lost_amount})").format(
        count=totals["count"], amount=fmt_cell(totals["amount"]), weighted=fmt_cell(totals["weighted"]),
        won=won.count, won_amount=fmt_cell(won.amount), lost=lost.count, lost_amount=fmt_cell(lost.amount))
    out.append(f'<text x="20" y="{TOP + ROW_H * len(rows) + 30}">{escape(foot)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
