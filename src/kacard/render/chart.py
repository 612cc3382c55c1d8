"""The Pareto chart as hand-written SVG: one bar per account (its share of the metric,
coloured by ABC class), the cumulative share curve, and the a (80 %) and b cut-off lines.
Card text is escaped; the result is a string (the CLI writes the file)."""

from __future__ import annotations

from decimal import Decimal

from kacard.analysis.scoring.report import AccountScore, ScoreReport
from kacard.i18n import _
from kacard.render.safe import xml_attr as quoteattr
from kacard.render.safe import xml_text as escape

COLOURS = {"A": "#2f6fb0", "B": "#7fb3e0", "C": "#c9d3dd"}
LEFT, RIGHT, TOP, BOTTOM = 96, 56, 64, 130
LABEL_CHARS = 14  # account names (CJK characters count as one here; SVG has room)
HEIGHT = 300  # plot area
MAX_BARS = 60  # beyond this many accounts the rest become one "others" bar


def _num(value: float) -> str:
    return f"{value:.1f}"


def _bars(accounts: list[AccountScore]) -> list[tuple[str, Decimal | None, str, str]]:
    """(label, metric or None when unranked, class, tooltip) per bar: one per account, the
    accounts after the first MAX_BARS - 1 summed into one "others" bar."""
    bars: list[tuple[str, Decimal | None, str, str]] = []
    for s in accounts[: MAX_BARS - 1] if len(accounts) > MAX_BARS else accounts:
        p = s.pareto
        name = s.card.name if len(s.card.name) <= LABEL_CHARS else s.card.name[: LABEL_CHARS - 1] + "…"
        tip = f"{s.id} {s.card.name}: {p.metric:,.0f} ({float(p.share) * 100:.1f}%), class {p.klass}"
        bars.append((name, p.metric if p.rank is not None else None, p.klass, tip))
    if len(accounts) > MAX_BARS:
        rest = accounts[MAX_BARS - 1:]
        summed = sum((s.pareto.metric for s in rest if s.pareto.rank is not None), start=Decimal(0))
        label = f"others ({len(rest)})"
        bars.append((label, summed, "C", f"{label}: {summed:,.0f}"))
    return bars


def pareto_svg(report: ScoreReport, accounts: list[AccountScore], title: str = "") -> str:
    """An SVG document of the Pareto chart of `accounts` (in the report's order): bars named
    by account name, the metric's scale on the left axis, at most MAX_BARS bars wide."""
    bars = _bars(accounts)
    count = len(bars)
    step = 22 if count <= 40 else max(12, 880 // max(count, 1))
    plot_w = max(360, step * count)
    width, height = LEFT + plot_w + RIGHT, TOP + HEIGHT + BOTTOM
    total = sum((m for _, m, _, _ in bars if m is not None), start=Decimal(0))
    largest = max((m for _, m, _, _ in bars if m is not None), default=Decimal(0))

    def y_share(fraction: float) -> float:  # 0..1 of the cumulative axis
        return TOP + HEIGHT * (1 - fraction)

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">'
        ),
        f"<title>{escape(title or _('Pareto chart'))}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="white"/>',
        f'<text x="{LEFT}" y="24" font-size="14" font-weight="bold">{escape(title or _("Pareto chart"))}</text>',
    ]
    # axes and grid
    out.append(
        f'<line x1="{LEFT}" y1="{TOP + HEIGHT}" x2="{LEFT + plot_w}" y2="{TOP + HEIGHT}" stroke="#333"/>'
    )
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + HEIGHT}" stroke="#333"/>')
    out.append(
        f'<line x1="{LEFT + plot_w}" y1="{TOP}" x2="{LEFT + plot_w}" y2="{TOP + HEIGHT}" stroke="#333"/>'
    )
    for tick in range(0, 101, 20):
        y = _num(y_share(tick / 100))
        out.append(
            f'<text x="{LEFT + plot_w + 6}" y="{y}" dominant-baseline="middle">{tick}%</text>'
        )
        out.append(f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}" stroke="#eee"/>')
    for tick in range(0, 5):  # the metric's scale: 0, 1/4 ... of the largest bar
        value = largest * tick / 4
        out.append(
            f'<text x="{LEFT - 6}" y="{_num(TOP + HEIGHT * (1 - tick / 4))}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(f"{value:,.0f}")}</text>'
        )
    out.append(
        f'<text x="12" y="{TOP + HEIGHT / 2}" transform="rotate(-90 12 {TOP + HEIGHT / 2})" '
        f'text-anchor="middle">{escape(report.metric)} per account</text>'
    )
    # bars and labels
    points = [f"{LEFT},{_num(y_share(0))}"]
    running = Decimal(0)
    for i, (label, metric, klass, tip) in enumerate(bars):
        x = LEFT + i * step
        if largest > 0 and metric is not None:
            h = HEIGHT * float(metric / largest)
            out.append(
                f'<rect x="{_num(x + 2)}" y="{_num(TOP + HEIGHT - h)}" width="{max(1, step - 4)}" '
                f'height="{_num(h)}" fill="{COLOURS[klass]}"><title>{escape(tip)}</title></rect>'
            )
        if metric is not None:
            running += metric
        cumulative = float(running / total) if total > 0 else 0.0  # of the accounts charted
        points.append(f"{_num(x + step)},{_num(y_share(cumulative))}")
        lx, ly = x + step / 2 + 3, TOP + HEIGHT + 10
        out.append(
            f'<text x="{_num(lx)}" y="{ly}" transform="rotate(-50 {_num(lx)} {ly})" '
            f'text-anchor="end" font-size="10">{escape(label)}</text>'
        )
    if total > 0:
        out.append(
            f'<polyline points="{" ".join(points)}" fill="none" stroke="#d9480f" stroke-width="2"/>'
        )
    for cut, dash, label in ((report.a, "6 3", "a"), (report.b, "2 3", "b")):
        y = _num(y_share(cut))
        out.append(
            f'<line x1="{LEFT}" y1="{y}" x2="{LEFT + plot_w}" y2="{y}" stroke="#d9480f" '
            f'stroke-dasharray="{dash}"/>'
        )
        out.append(
            f'<text x="{LEFT + plot_w - 4}" y="{float(y) - 4:.1f}" text-anchor="end" fill="#d9480f">'
            f"{escape(f'{label} = {cut * 100:g}%')}</text>"
        )
    # legend, under the title
    lx = LEFT
    for klass, colour in COLOURS.items():
        out.append(
            f'<rect x="{lx}" y="{TOP - 24}" width="10" height="10" fill={quoteattr(colour)}/>'
        )
        out.append(f'<text x="{lx + 14}" y="{TOP - 15}">{escape(_("class {klass}").format(klass=klass))}</text>')
        lx += 70
    out.append(
        f'<line x1="{lx}" y1="{TOP - 19}" x2="{lx + 16}" y2="{TOP - 19}" stroke="#d9480f" stroke-width="2"/>'
    )
    out.append(f'<text x="{lx + 20}" y="{TOP - 15}">{escape(_("cumulative share (right axis)"))}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
