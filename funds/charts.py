"""Bar charts drawn on the server as inline SVG, so that they print and work offline.

`bar_chart` lays out the geometry; `templates/funds/_bar_chart.html` draws it with SVG
presentation attributes only (no style attributes, no script: fine under a strict CSP).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from funds.formatting import wan, yuan

WIDTH = 760
LABEL_WIDTH = 170
VALUE_WIDTH = 96
BAR_HEIGHT = 13
BAR_GAP = 3
GROUP_GAP = 12
TOP = 50


@dataclass(frozen=True)
class Series:
    attribute: str
    label: str
    colour: str


@dataclass
class Bar:
    y: float
    width: float
    colour: str
    text: str
    text_x: float


@dataclass
class Group:
    label: str
    y: float
    label_y: float
    bars: list = field(default_factory=list)


@dataclass
class Chart:
    title: str
    unit_label: str
    width: int
    height: int
    plot_left: int
    legend: list
    groups: list


def _short(text, limit=11):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(rows, series, *, title, unit="wan", unit_label="", label="name"):
    """Horizontal grouped bars: one group per row, one bar per series, scaled to the
    largest value. `rows` are objects (or dicts) carrying the series' attributes."""

    def value(row, attribute):
        raw = row[attribute] if isinstance(row, dict) else getattr(row, attribute)
        return max(Decimal(raw or 0), Decimal(0))

    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    largest = max((value(row, s.attribute) for row in rows for s in series), default=0)
    scale = Decimal(plot_width) / largest if largest else Decimal(0)
    fmt = wan if unit == "wan" else yuan
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    groups = []
    y = TOP
    for row in rows:
        name = row[label] if isinstance(row, dict) else getattr(row, label)
        group = Group(label=_short(name), y=y, label_y=y + group_height / 2 + 4)
        for index, s in enumerate(series):
            amount = value(row, s.attribute)
            width = float(amount * scale)
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            group.bars.append(
                Bar(
                    y=bar_y,
                    width=round(width, 1),
                    colour=s.colour,
                    text=fmt(amount),
                    text_x=round(LABEL_WIDTH + width + 4, 1),
                )
            )
        groups.append(group)
        y += group_height + GROUP_GAP
    legend = [
        {"x": LABEL_WIDTH + index * 110, "label": s.label, "colour": s.colour}
        for index, s in enumerate(series)
    ]
    return Chart(
        title=title,
        unit_label=unit_label,
        width=WIDTH,
        height=int(y + 6),
        plot_left=LABEL_WIDTH,
        legend=legend,
        groups=groups,
    )
