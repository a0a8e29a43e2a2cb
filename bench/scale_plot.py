"""Draws the scale suite's cost against size as a standalone SVG: one panel
per workload, wall seconds against its size, proclab and untraced, with
what proclab would take if its own cost grew linearly: the untraced time,
plus a lab's fixed cost, plus the smallest size's cost per unit times the
size (the quantity scale.py judges). A larger point above that line grew
faster than linearly; the untraced line may itself bend (a parent's wait
walks its children; a deep chain's fork walks its ancestors)."""
from xml.sax.saxutils import escape

W, H, PAD = 300, 220, 44


def _panel(x0, title, points, fixed):
    """points: [(size, proclab s, untraced s)], ascending size."""
    xmax = max(p[0] for p in points) * 1.05
    per_unit = max(points[0][1] - points[0][2] - fixed, 0.0) / points[0][0]
    linear = [(0, fixed)] + [(p[0], p[2] + fixed + per_unit * p[0]) for p in points]
    ymax = max(max(max(p[1], p[2]) for p in points), max(y for _, y in linear)) * 1.1
    ymax = ymax or 1.0

    def sx(v):
        return x0 + PAD + v / xmax * (W - PAD - 10)

    def sy(v):
        return H - PAD + 10 - v / ymax * (H - PAD - 20)

    out = [f'<g font-family="sans-serif" font-size="11">',
           f'<text x="{x0 + W / 2}" y="14" text-anchor="middle" font-weight="bold">{escape(title)}</text>',
           f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(xmax)}" y2="{sy(0)}" stroke="#333"/>',
           f'<line x1="{sx(0)}" y1="{sy(0)}" x2="{sx(0)}" y2="{sy(ymax)}" stroke="#333"/>',
           f'<text x="{sx(0) - 4}" y="{sy(ymax) + 4}" text-anchor="end">{ymax:.2g}s</text>',
           f'<text x="{sx(0) - 4}" y="{sy(0) + 4}" text-anchor="end">0</text>',
           f'<text x="{sx(xmax)}" y="{sy(0) + 16}" text-anchor="end">{points[-1][0]:,}</text>',
           # Linear: untraced, plus the fixed cost, plus the smallest size's cost per unit.
           '<path d="' + " ".join(f"{'M' if i == 0 else 'L'}{sx(x):.1f},{sy(y):.1f}"
                                  for i, (x, y) in enumerate(linear)) +
           '" fill="none" stroke="#999" stroke-dasharray="4 3"/>']
    for idx, colour, label in ((1, "#c0392b", "proclab"), (2, "#2471a3", "untraced")):
        path = " ".join(f"{'M' if i == 0 else 'L'}{sx(p[0]):.1f},{sy(p[idx]):.1f}" for i, p in enumerate(points))
        out.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for p in points:
            out.append(f'<circle cx="{sx(p[0]):.1f}" cy="{sy(p[idx]):.1f}" r="3" fill="{colour}">'
                       f'<title>{label}: {p[0]:,} in {p[idx]:.3f}s</title></circle>')
    out.append(f'<text x="{sx(0) + 6}" y="{sy(ymax) + 14}" fill="#c0392b">proclab</text>')
    out.append(f'<text x="{sx(0) + 6}" y="{sy(ymax) + 28}" fill="#2471a3">untraced</text>')
    out.append(f'<text x="{sx(0) + 6}" y="{sy(ymax) + 42}" fill="#777">linear cost</text>')
    out.append("</g>")
    return "\n".join(out)


def svg(series, fixed):
    """series: {title: [(size, proclab s, untraced s)]}; fixed: a lab's own cost, s"""
    panels = [(title, sorted(points)) for title, points in series.items() if points]
    width = W * max(1, len(panels))
    body = "\n".join(_panel(i * W, title, points, fixed) for i, (title, points) in enumerate(panels))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{H}" '
            f'viewBox="0 0 {width} {H}">\n<rect width="100%" height="100%" fill="white"/>\n{body}\n</svg>\n')
