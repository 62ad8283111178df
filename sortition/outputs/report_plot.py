"""The probability plot of `report.html`: inline SVG, no script, so the report opens offline."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from sortition.i18n import Translator


def probability_plot(values: Sequence[float], fair: float, t: Translator) -> str:
    """Inline SVG: the probabilities sorted from lowest to highest, with the fair share k/n."""
    width, height = 720, 280
    left, right, top, bottom = 62, 16, 14, 44
    inner_w, inner_h = width - left - right, height - top - bottom
    top_value = max([*values, fair, 1e-9]) * 1.08
    n = len(values)

    def x(i: float) -> float:
        return left + (inner_w * i / max(n, 1))

    def y(v: float) -> float:
        return top + inner_h * (1 - v / top_value)

    points = []
    for i, value in enumerate(values):
        points.append(f"{x(i):.1f},{y(value):.1f}")
        points.append(f"{x(i + 1):.1f},{y(value):.1f}")
    ticks = []
    for step in range(5):
        value = top_value * step / 4
        ticks.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y(value):.1f}" y2="{y(value):.1f}" '
            f'stroke="#e4e8ef"/><text x="{left - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end" font-size="11">{escape(t.number(value, 3))}</text>'
        )
    label = escape(t("report.plot.fair", share=t.number(fair, 4)))
    title = escape(t("report.plot.title"))
    return (
        f'<svg viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{title}">\n<title>{title}</title>\n'
        + "\n".join(ticks)
        + f'\n<polyline fill="none" stroke="#2456a6" stroke-width="2" points="{" ".join(points)}"/>'
        f'\n<line x1="{left}" x2="{width - right}" y1="{y(fair):.1f}" y2="{y(fair):.1f}" '
        f'stroke="#c0392b" stroke-dasharray="6 4" stroke-width="1.5"/>'
        f'\n<text x="{width - right}" y="{y(fair) - 6:.1f}" text-anchor="end" font-size="12" '
        f'fill="#c0392b">{label}</text>'
        f'\n<text x="{left + inner_w / 2:.0f}" y="{height - 8}" text-anchor="middle" '
        f'font-size="12">{escape(t("report.plot.x", n=t.integer(n)))}</text>'
        f'\n<text x="14" y="{top + inner_h / 2:.0f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {top + inner_h / 2:.0f})">'
        f"{escape(t('report.plot.y'))}</text>\n</svg>"
    )
