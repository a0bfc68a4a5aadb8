"""Charts drawn on the server as SVG, so they print and go into the PDF unchanged.

Every chart has a `<title>` and a `<desc>` (named by `aria-labelledby`), and every series has its
own marker shape and line pattern as well as its colour, so no meaning rests on colour alone.
Pages always show the same data as a table next to the chart. Colours come from the Okabe–Ito
palette (safe for colour-blind readers), darkened where needed for contrast on white.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Style:
    color: str
    dash: str  # SVG stroke-dasharray; "" is a solid line
    marker: str  # square | circle | triangle | diamond
    filled: bool
    pattern: str  # the line pattern in words, for the legend's text alternative


STYLES = {
    "expected": Style("#3b3b3b", "7 4", "square", False, "dashed line, hollow squares"),
    "self": Style("#b34700", "2 3", "circle", True, "dotted line, round dots"),
    "manager": Style("#0062a3", "", "triangle", True, "solid line, triangles"),
    "agreed": Style("#00785a", "", "diamond", True, "solid line, diamonds"),
}


@dataclass(frozen=True)
class Series:
    style: str  # a key of STYLES
    name: str
    values: list  # one rank (1 = lowest) or None per category

    @property
    def look(self) -> Style:
        return STYLES[self.style]


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def marker(shape: str, x: float, y: float, style: Style, size: float = 4.5) -> str:
    # Hollow markers stay see-through, so a rating that sits exactly on the expectation shows both shapes.
    fill = style.color if style.filled else "none"
    common = f'fill="{fill}" stroke="{style.color}" stroke-width="1.6"'
    if shape == "square":
        side = _fmt(2 * size)
        return f'<rect x="{_fmt(x - size)}" y="{_fmt(y - size)}" width="{side}" height="{side}" {common}/>'
    if shape == "triangle":
        h = size * 1.2
        points = f"{_fmt(x)},{_fmt(y - h)} {_fmt(x + h)},{_fmt(y + h * 0.8)} {_fmt(x - h)},{_fmt(y + h * 0.8)}"
        return f'<polygon points="{points}" {common}/>'
    if shape == "diamond":
        h = size * 1.3
        points = f"{_fmt(x)},{_fmt(y - h)} {_fmt(x + h)},{_fmt(y)} {_fmt(x)},{_fmt(y + h)} {_fmt(x - h)},{_fmt(y)}"
        return f'<polygon points="{points}" {common}/>'
    return f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="{_fmt(size)}" {common}/>'


def _wrap(text: str, width: int = 16, lines: int = 2) -> list[str]:
    words, out, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return [line if len(line) <= width + 4 else line[: width + 3] + "…" for line in out]


def _svg(
    chart_id: str, width: float, height: float, title: str, desc: str, body: list[str], css_class: str
) -> SafeString:
    # Every piece of text that reaches the SVG goes through escape() first.
    return mark_safe(  # noqa: S308
        f'<svg class="chart {css_class}" viewBox="0 0 {_fmt(width)} {_fmt(height)}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>'
        + "".join(body)
        + "</svg>"
    )


def _legend(series: list[Series], x: float, y: float, width: float) -> tuple[list[str], float]:
    """A legend that wraps onto as many rows as it needs; returns its parts and its height."""
    parts, cx, cy, row_height = [], x, y, 22
    for item in series:
        look = item.look
        item_width = 46 + 7.5 * len(item.name)
        if cx + item_width > x + width and cx > x:
            cx, cy = x, cy + row_height
        dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
        parts.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(cx + 30)}" y2="{_fmt(cy)}" '
            f'stroke="{look.color}" stroke-width="2"{dash}/>'
        )
        parts.append(marker(look.marker, cx + 15, cy, look))
        parts.append(
            f'<text x="{_fmt(cx + 36)}" y="{_fmt(cy + 4)}" font-size="13" fill="#212529">{escape(item.name)}</text>'
        )
        cx += item_width
    return parts, cy - y + row_height


def _describe(labels: list[str], series: list[Series], scale_names: list[str]) -> str:
    def word(rank):
        return scale_names[rank - 1] if rank and 0 < rank <= len(scale_names) else "none"

    pieces = []
    for index, label in enumerate(labels):
        values = "; ".join(f"{item.name} {word(item.values[index])}" for item in series)
        pieces.append(f"{label}: {values}")
    return ". ".join(pieces) + "."


def comparison_chart(
    chart_id: str, labels: list[str], series: list[Series], scale_names: list[str], subject: str
) -> SafeString:
    """A radar of the series per capability; a dot chart when there are fewer than three capabilities."""
    legend_words = "; ".join(f"{item.name}: {item.look.pattern}" for item in series)
    title = f"{subject}: " + ", ".join(item.name for item in series) + " per capability"
    desc = (
        f"{len(labels)} capabilities on a {len(scale_names)}-step scale from {scale_names[0] if scale_names else ''} "
        f"(centre) to {scale_names[-1] if scale_names else ''} (edge). {legend_words}. "
        + _describe(labels, series, scale_names)
    )
    if len(labels) < 3:
        return dot_chart(chart_id, labels, series, scale_names, title, desc)
    return radar_chart(chart_id, labels, series, scale_names, title, desc)


@dataclass(frozen=True)
class _Radar:
    """Where things sit on a radar of `count` spokes (one per capability) and `steps` rings (one per scale step)."""

    count: int
    steps: int
    radius: int = 140
    margin_x: int = 125
    margin_y: int = 48

    @property
    def cx(self) -> int:
        return self.margin_x + self.radius

    @property
    def cy(self) -> int:
        return self.margin_y + self.radius

    @property
    def width(self) -> int:
        return 2 * (self.margin_x + self.radius)

    @property
    def plot_height(self) -> int:
        """The height of the radar and its labels, above the legend."""
        return 2 * (self.margin_y + self.radius)

    def angle(self, index: int) -> float:
        return -math.pi / 2 + 2 * math.pi * index / self.count

    def point(self, index: int, rank: float) -> tuple[float, float]:
        angle = self.angle(index)
        r = self.radius * rank / self.steps
        return self.cx + r * math.cos(angle), self.cy + r * math.sin(angle)


def radar_chart(
    chart_id: str, labels: list[str], series: list[Series], scale_names: list[str], title: str, desc: str
) -> SafeString:
    radar = _Radar(count=len(labels), steps=max(1, len(scale_names)))
    body = [*_radar_grid(radar, labels), *_radar_scale(radar, scale_names)]
    # Hollow markers go on top so that filled ones beneath them stay visible.
    for item in sorted(series, key=lambda entry: not entry.look.filled):
        body.extend(_radar_series(radar, item))
    legend, legend_height = _legend(series, 16, radar.plot_height + 6, radar.width - 32)
    body.extend(legend)
    return _svg(chart_id, radar.width, radar.plot_height + legend_height + 8, title, desc, body, "chart--radar")


def _radar_grid(radar: _Radar, labels: list[str]) -> list[str]:
    """A ring per scale step, then a spoke and its label per capability."""
    body = []
    for step in range(1, radar.steps + 1):
        ring = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in (radar.point(i, step) for i in range(radar.count)))
        body.append(f'<polygon points="{ring}" fill="none" stroke="#ced4da" stroke-width="1"/>')
    for index, label in enumerate(labels):
        x, y = radar.point(index, radar.steps)
        body.append(
            f'<line x1="{_fmt(radar.cx)}" y1="{_fmt(radar.cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            'stroke="#ced4da" stroke-width="1"/>'
        )
        body.append(_radar_label(radar, index, label))
    return body


def _radar_label(radar: _Radar, index: int, label: str) -> str:
    """A capability's name just beyond the outer ring, anchored and wrapped to stay clear of the radar."""
    angle = radar.angle(index)
    lx, ly = radar.point(index, radar.steps * 1.12)
    cos, sin = math.cos(angle), math.sin(angle)
    anchor = "start" if cos > 0.25 else "end" if cos < -0.25 else "middle"
    lines = _wrap(label, 15)
    first_dy = -(len(lines) - 1) * 15 if sin < -0.25 else (10 if sin > 0.25 else 5 - (len(lines) - 1) * 7.5)
    tspans = "".join(
        f'<tspan x="{_fmt(lx)}" dy="{_fmt(first_dy if n == 0 else 15)}">{escape(line)}</tspan>'
        for n, line in enumerate(lines)
    )
    return (
        f'<text x="{_fmt(lx)}" y="{_fmt(ly)}" text-anchor="{anchor}" font-size="14" fill="#212529">'
        f"<title>{escape(label)}</title>{tspans}</text>"
    )


def _radar_scale(radar: _Radar, scale_names: list[str]) -> list[str]:
    """Each ring's name, up the vertical spoke."""
    body = []
    for step, name in enumerate(scale_names, start=1):
        # A white backing keeps the ring's name readable where lines cross it.
        y = radar.cy - radar.radius * step / radar.steps + 11
        body.append(
            f'<rect x="{_fmt(radar.cx + 3)}" y="{_fmt(y - 10)}" width="{_fmt(6.2 * len(name) + 2)}" height="12" '
            'fill="#fff" fill-opacity="0.85"/>'
        )
        body.append(f'<text x="{_fmt(radar.cx + 4)}" y="{_fmt(y)}" font-size="11" fill="#5c636a">{escape(name)}</text>')
    return body


def _radar_series(radar: _Radar, item: Series) -> list[str]:
    """One series: its outline and a marker per rated capability."""
    look = item.look
    dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
    points = [radar.point(i, v) if v else None for i, v in enumerate(item.values)]
    body = []
    if all(points):
        path = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in points)
        body.append(f'<polygon points="{path}" fill="none" stroke="{look.color}" stroke-width="2"{dash}/>')
    else:
        # Unrated or not asked: the line breaks there rather than pretending the rating is zero.
        for i in range(radar.count):
            a, b = points[i], points[(i + 1) % radar.count]
            if a and b:
                body.append(
                    f'<line x1="{_fmt(a[0])}" y1="{_fmt(a[1])}" x2="{_fmt(b[0])}" y2="{_fmt(b[1])}" '
                    f'stroke="{look.color}" stroke-width="2"{dash}/>'
                )
    body.extend(marker(look.marker, p[0], p[1], look) for p in points if p)
    return body


def dot_chart(
    chart_id: str, labels: list[str], series: list[Series], scale_names: list[str], title: str, desc: str
) -> SafeString:
    steps = max(1, len(scale_names))
    left, right, top, row = 170, 30, 34, 46
    width = 560
    span = width - left - right

    def x_of(rank: float) -> float:
        return left + span * (rank - 1) / max(1, steps - 1)

    body = []
    for step, name in enumerate(scale_names, start=1):
        x = x_of(step)
        body.append(
            f'<text x="{_fmt(x)}" y="18" text-anchor="middle" font-size="11" fill="#5c636a">{escape(name)}</text>'
        )
        body.append(
            f'<line x1="{_fmt(x)}" y1="{top - 8}" x2="{_fmt(x)}" y2="{_fmt(top + row * len(labels))}" '
            'stroke="#dee2e6" stroke-width="1"/>'
        )
    offsets = [(-(len(series) - 1) / 2 + n) * 8 for n in range(len(series))]
    for index, label in enumerate(labels):
        y = top + row * index + row / 2
        body.append(
            f'<text x="{left - 12}" y="{_fmt(y + 4)}" text-anchor="end" font-size="12" fill="#212529">'
            f"{escape(_wrap(label, 24, 1)[0])}</text>"
        )
        for offset, item in zip(offsets, series, strict=True):
            value = item.values[index]
            if value:
                body.append(marker(item.look.marker, x_of(value), y + offset, item.look))
    legend, legend_height = _legend(series, 16, top + row * len(labels) + 18, width - 32)
    body.extend(legend)
    return _svg(chart_id, width, top + row * len(labels) + legend_height + 20, title, desc, body, "chart--dots")


def history_chart(
    chart_id: str, points: list[str], series: list[Series], scale_names: list[str], title: str
) -> SafeString:
    """A small line chart over time (one point per cycle), y from the lowest to the highest scale step."""
    steps = max(1, len(scale_names))
    width, height, pad_x, pad_y = 160, 56, 10, 8
    span_x = width - 2 * pad_x
    span_y = height - 2 * pad_y

    def xy(index: int, rank: int) -> tuple[float, float]:
        x = pad_x + (span_x * index / (len(points) - 1) if len(points) > 1 else span_x / 2)
        y = height - pad_y - span_y * (rank - 1) / max(1, steps - 1)
        return x, y

    body = [
        f'<line x1="{pad_x}" y1="{_fmt(height - pad_y)}" x2="{_fmt(width - pad_x)}" y2="{_fmt(height - pad_y)}" '
        'stroke="#dee2e6" stroke-width="1"/>',
        f'<line x1="{pad_x}" y1="{pad_y}" x2="{_fmt(width - pad_x)}" y2="{pad_y}" stroke="#dee2e6" stroke-width="1"/>',
    ]
    for item in series:
        look = item.look
        dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
        previous = None
        for index, value in enumerate(item.values):
            current = xy(index, value) if value else None
            if current and previous:
                body.append(
                    f'<line x1="{_fmt(previous[0])}" y1="{_fmt(previous[1])}" x2="{_fmt(current[0])}" '
                    f'y2="{_fmt(current[1])}" stroke="{look.color}" stroke-width="1.6"{dash}/>'
                )
            previous = current
        body.extend(
            marker(look.marker, *xy(index, value), look, size=3.5) for index, value in enumerate(item.values) if value
        )
    desc = _describe(points, series, scale_names)
    return _svg(chart_id, width, height, title, desc, body, "chart--history")


def difference_plot(
    chart_id: str, rows: list[tuple[str, float]], reference: float, title: str, desc: str, limit: float = 2.0
) -> SafeString:
    """One dot per row on an axis of steps from expectation (0), with the reference (e.g. the organisation) dashed."""
    limit = max(limit, *(abs(value) + 0.25 for _, value in rows)) if rows else limit
    left, right, top, row = 150, 40, 38, 34
    width = 560
    span = width - left - right

    def x_of(value: float) -> float:
        return left + span * (value + limit) / (2 * limit)

    bottom = top + row * max(1, len(rows))
    body = []
    ticks = [-limit, -limit / 2, 0, limit / 2, limit]
    for tick in ticks:
        x = x_of(tick)
        label = "expected" if tick == 0 else f"{tick:+.1f}"
        body.append(
            f'<line x1="{_fmt(x)}" y1="{top - 6}" x2="{_fmt(x)}" y2="{_fmt(bottom)}" '
            f'stroke="{"#6c757d" if tick == 0 else "#dee2e6"}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{_fmt(x)}" y="{top - 12}" text-anchor="middle" font-size="13" fill="#495057">{label}</text>'
        )
    ref_x = x_of(reference)
    body.append(
        f'<line x1="{_fmt(ref_x)}" y1="{top - 4}" x2="{_fmt(ref_x)}" y2="{_fmt(bottom)}" stroke="#b34700" '
        'stroke-width="1.6" stroke-dasharray="5 3"/>'
    )
    look = STYLES["manager"]
    for index, (label, value) in enumerate(rows):
        y = top + row * index + row / 2
        body.append(
            f'<text x="{left - 12}" y="{_fmt(y + 4)}" text-anchor="end" font-size="14" fill="#212529">'
            f"{escape(_wrap(label, 18, 1)[0])}</text>"
        )
        body.append(marker("circle", x_of(value), y, look, size=5))
        body.append(
            f'<text x="{_fmt(x_of(value) + 9)}" y="{_fmt(y - 6)}" font-size="13" fill="#212529">{value:+.1f}</text>'
        )
    body.append(
        f'<line x1="16" y1="{_fmt(bottom + 18)}" x2="46" y2="{_fmt(bottom + 18)}" stroke="#b34700" stroke-width="1.6" '
        'stroke-dasharray="5 3"/>'
    )
    body.append(
        f'<text x="52" y="{_fmt(bottom + 22)}" font-size="13" fill="#212529">'
        f"Organisation average ({reference:+.1f})</text>"
    )
    body.append(marker("circle", 292, bottom + 18, look, size=5))
    body.append(f'<text x="302" y="{_fmt(bottom + 22)}" font-size="13" fill="#212529">A manager’s average</text>')
    return _svg(chart_id, width, bottom + 32, title, desc, body, "chart--difference")
