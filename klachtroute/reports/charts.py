"""Bar charts as SVG, drawn on the server: no JavaScript, readable by a screen reader.

The chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says every value,
and text labels on the bars, so it can be read without colour and without the mouse. The
page puts the same numbers in a table beside it; WeasyPrint draws the SVG in the PDF.
"""

from collections.abc import Sequence
from itertools import count

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#1d4f91"  # the site's accent colour; contrast with white 8.6:1
TEXT_COLOUR = "#1b1f24"
GRID_COLOUR = "#c9d1db"
FONT = "DejaVu Sans, Liberation Sans, Arial, sans-serif"

_ids = count(1)


def _short(label: str, limit: int) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _number(value: float) -> str:
    value = float(value)
    return number_format(int(value)) if value.is_integer() else number_format(value, 1)


def bar_chart(
    *,
    title: str,
    rows: Sequence[tuple[str, float | int | None]],
    unit: str = "",
    width: int = 520,
    label_width: int = 230,
    bar_height: int = 22,
    gap: int = 8,
    chart_id: str = "",
) -> SafeString:
    """A horizontal bar chart: one bar per (label, value); None counts as 0.

    Long labels are shortened on the chart (the full label is in `<desc>` and in the
    table beside it).
    """
    chart_id = chart_id or f"chart-{next(_ids)}"
    values = [float(value or 0) for _label, value in rows]
    largest = max(values, default=0) or 1
    value_width = 56
    label_chars = int((label_width - 12) / 7.6)  # DejaVu Sans at 13px: about 7.6px a letter
    bar_area = width - label_width - value_width - 8
    top = 6
    height = top + max(len(rows), 1) * (bar_height + gap) + 4
    suffix = f" {unit}" if unit else ""
    description = "; ".join(
        f"{label}: {_number(v)}{suffix}" for (label, _v), v in zip(rows, values, strict=True)
    )

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="{FONT}" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description or "-")}</desc>',
        f'<line x1="{label_width}" y1="0" x2="{label_width}" y2="{height}" '
        f'stroke="{GRID_COLOUR}" stroke-width="1"/>',
    ]
    for index, ((label, _value), value) in enumerate(zip(rows, values, strict=True)):
        y = top + index * (bar_height + gap)
        middle = y + bar_height / 2 + 4.5
        bar = round(bar_area * value / largest, 1)
        parts.append(
            f'<text x="{label_width - 8}" y="{middle}" text-anchor="end" '
            f'fill="{TEXT_COLOUR}">{escape(_short(str(label), label_chars))}</text>'
        )
        if bar > 0:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" '
                f'fill="{BAR_COLOUR}" rx="2"/>'
            )
        parts.append(
            f'<text x="{label_width + bar + 6}" y="{middle}" fill="{TEXT_COLOUR}" '
            f'font-weight="bold">{escape(_number(value))}{escape(suffix)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped
