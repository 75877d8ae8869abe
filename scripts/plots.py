#!/usr/bin/env python3
"""Regenerates the textbook's data plots as SVG: static/img/plots/<name>.svg (English labels) and
static/img/plots/ur/<name>.svg (Urdu labels; same file name, so both locales get the same figure id).

Standard library only, deterministic output, so the files can be committed and checked:
    python3 scripts/plots.py           # write the SVGs
    python3 scripts/plots.py --check   # exit 1 if a committed SVG differs from what this script produces
Every curve is computed here from the same models and numbers as the chapter's worked example it illustrates.
"""

import cmath
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "static" / "img" / "plots"

# Colours and frame of the hand-drawn figures in static/img, so the plots look like part of the same book.
INK, GRID, FRAME, BG = "#1b1f24", "#dde3ea", "#c9d3df", "#f7f9fc"
COLOURS = ["#1d4e89", "#b3261e", "#2f7d4f", "#8a5a00", "#6b3fa0"]


def fmt(v):
    """Short tick label: no trailing zeros, no '-0'."""
    s = f"{v:.4g}"
    return "0" if s in ("-0", "0") else s


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Panel:
    """One set of axes inside a figure: maps data to pixels and draws grid, ticks, curves and labels."""

    def __init__(self, fig, box, xr, yr, xticks, yticks, xlabel, ylabel, logx=False):
        self.fig, self.box, self.xr, self.yr, self.logx = fig, box, xr, yr, logx
        self.xticks, self.yticks, self.xlabel, self.ylabel = xticks, yticks, xlabel, ylabel
        self.clip = f"clip{len(fig.panels)}"
        fig.panels.append(self)

    def px(self, x, y):
        x0, y0, w, h = self.box
        tx = (lambda v: math.log10(v)) if self.logx else (lambda v: v)
        fx = (tx(x) - tx(self.xr[0])) / (tx(self.xr[1]) - tx(self.xr[0]))
        fy = (y - self.yr[0]) / (self.yr[1] - self.yr[0])
        return x0 + fx * w, y0 + h - fy * h

    def axes(self):
        x0, y0, w, h = self.box
        out = [f'<clipPath id="{self.clip}"><rect x="{x0}" y="{y0}" width="{w}" height="{h}"/></clipPath>']
        for t in self.xticks:
            x, _ = self.px(t, self.yr[0])
            out.append(f'<line x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y0 + h}" stroke="{GRID}"/>')
            out.append(f'<text x="{x:.1f}" y="{y0 + h + 16}" text-anchor="middle" font-size="11" direction="ltr">{fmt(t)}</text>')
        for t in self.yticks:
            _, y = self.px(self.xr[0], t)
            out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + w}" y2="{y:.1f}" stroke="{GRID}"/>')
            out.append(f'<text x="{x0 - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" direction="ltr">{fmt(t)}</text>')
        out.append(f'<rect x="{x0}" y="{y0}" width="{w}" height="{h}" fill="none" stroke="#5b6470"/>')
        out.append(f'<text x="{x0 + w / 2}" y="{y0 + h + 34}" text-anchor="middle">{esc(self.xlabel)}</text>')
        out.append(
            f'<text transform="translate({x0 - 42} {y0 + h / 2}) rotate(-90)" text-anchor="middle">'
            f"{esc(self.ylabel)}</text>"
        )
        return out

    def curve(self, xs, ys, colour, dash=None, width=2.0):
        pts = " ".join("{:.1f},{:.1f}".format(*self.px(x, y)) for x, y in zip(xs, ys))
        d = f' stroke-dasharray="{dash}"' if dash else ""
        self.fig.body.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}"{d} '
            f'stroke-linejoin="round" clip-path="url(#{self.clip})"/>'
        )

    def vline(self, x, colour, dash="4 4"):
        (a, b), (_, c) = self.px(x, self.yr[0]), self.px(x, self.yr[1])
        self.fig.body.append(f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{a:.1f}" y2="{c:.1f}" stroke="{colour}" '
                             f'stroke-dasharray="{dash}"/>')

    def hline(self, y, colour, dash="4 4"):
        (a, b), (c, _) = self.px(self.xr[0], y), self.px(self.xr[1], y)
        self.fig.body.append(f'<line x1="{a:.1f}" y1="{b:.1f}" x2="{c:.1f}" y2="{b:.1f}" stroke="{colour}" '
                             f'stroke-dasharray="{dash}"/>')

    def text(self, x, y, s, colour=INK, anchor="start", size=12):
        a, b = self.px(x, y)
        self.fig.body.append(f'<text x="{a:.1f}" y="{b:.1f}" fill="{colour}" text-anchor="{anchor}" '
                             f'font-size="{size}">{esc(s)}</text>')

    def band(self, xa, xb, colour):
        (a, top), (b, bottom) = self.px(xa, self.yr[1]), self.px(xb, self.yr[0])
        self.fig.body.append(f'<rect x="{a:.1f}" y="{top:.1f}" width="{b - a:.1f}" height="{bottom - top:.1f}" '
                             f'fill="{colour}" opacity="0.12"/>')

    def legend(self, entries, rtl, bottom=False):
        """entries: (label, colour, dash). Right-hand box, at the top or the bottom of the panel, wherever the curves
        leave room; in Urdu the sample line sits right of its label."""
        x0, y0, w, h = self.box
        width = 24 + max(7 * len(label) for label, _, _ in entries)
        left = x0 + w - width - 8
        height = 18 * len(entries) + 8
        top = y0 + h - height - 6 if bottom else y0 + 6
        self.fig.body.append(f'<rect x="{left - 6}" y="{top}" width="{width + 8}" height="{height}" '
                             f'fill="#ffffff" opacity="0.85" stroke="{FRAME}"/>')
        for i, (label, colour, dash) in enumerate(entries):
            y = top + 16 + 18 * i
            d = f' stroke-dasharray="{dash}"' if dash else ""
            if rtl:
                lx, tx, anchor = left + width - 20, left + width - 24, "end"
            else:
                lx, tx, anchor = left, left + 24, "start"
            self.fig.body.append(f'<line x1="{lx}" y1="{y - 4}" x2="{lx + 18}" y2="{y - 4}" stroke="{colour}" '
                                 f'stroke-width="2"{d}/>')
            self.fig.body.append(f'<text x="{tx}" y="{y}" text-anchor="{anchor}" font-size="12">{esc(label)}</text>')


class Figure:
    def __init__(self, title, height=300, width=560):
        self.title, self.width, self.height = title, width, height
        self.panels, self.body = [], []

    def svg(self, lang):
        fonts = "'Noto Nastaliq Urdu', 'Noto Naskh Arabic', sans-serif" if lang == "ur" else "sans-serif"
        head = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" width="{self.width}" '
            f'height="{self.height}" font-family="{fonts}" font-size="13" fill="{INK}" lang="{lang}">',
            f"<title>{esc(self.title)}</title>",
            f'<rect x="1" y="1" width="{self.width - 2}" height="{self.height - 2}" rx="12" fill="{BG}" '
            f'stroke="{FRAME}"/>',
        ]
        axes = [line for p in self.panels for line in p.axes()]
        lines = axes + self.body
        if lang == "ur":
            # Urdu labels mix RTL words with Latin symbols and numbers; an RTL base direction keeps their order right.
            # Anchors above are written for LTR, and start/end swap meaning under RTL, so swap them back.
            head[0] = head[0].replace(' lang="ur"', ' lang="ur" direction="rtl"')
            swap = {'text-anchor="start"': 'text-anchor="end"', 'text-anchor="end"': 'text-anchor="start"'}
            lines = [
                line
                if 'direction="ltr"' in line  # tick numbers keep LTR, or "-0.05" would print as "0.05-"
                else line.replace('text-anchor="start"', "\0")
                .replace('text-anchor="end"', swap['text-anchor="end"'])
                .replace("\0", swap['text-anchor="start"'])
                for line in lines
            ]
        return "\n".join(head + lines + ["</svg>", ""])


def linspace(a, b, n):
    return [a + (b - a) * i / (n - 1) for i in range(n)]


def second_order_step(wn, zeta, t):
    """Unit step response of wn^2 / (s^2 + 2 zeta wn s + wn^2)."""
    if abs(zeta - 1.0) < 1e-12:
        return 1.0 - (1.0 + wn * t) * math.exp(-wn * t)
    if zeta < 1.0:
        wd = wn * math.sqrt(1.0 - zeta**2)
        return 1.0 - math.exp(-zeta * wn * t) * (math.cos(wd * t) + zeta * wn / wd * math.sin(wd * t))
    r1, r2 = -wn * (zeta - math.sqrt(zeta**2 - 1)), -wn * (zeta + math.sqrt(zeta**2 - 1))
    return 1.0 + (r2 * math.exp(r1 * t) - r1 * math.exp(r2 * t)) / (r1 - r2)


# Labels per locale: the figure-specific strings of each plot, English then Urdu.
T = {
    "time": ("time t [s]", "وقت t [s]"),
    "output": ("output y", "آؤٹ پٹ y"),
}


def L(key, lang):
    return T[key][0 if lang == "en" else 1]


def step_response(lang):
    """Chapter 4, frequency-domain worked example: wn = 20 rad/s, several damping ratios."""
    fig = Figure(("Unit step responses of a second-order loop, wn = 20 rad/s",
                  "دوسرے درجے کے لوپ کے اکائی اسٹیپ ردِعمل، wn = 20 rad/s")[lang == "ur"])
    p = Panel(fig, (70, 20, 470, 225), (0, 0.6), (0, 1.6), linspace(0, 0.6, 7), linspace(0, 1.6, 9),
              L("time", lang), L("output", lang))
    ts = linspace(0, 0.6, 301)
    entries = []
    for colour, zeta in zip(COLOURS, (0.2, 0.5, 0.7, 1.0)):
        p.curve(ts, [second_order_step(20.0, zeta, t) for t in ts], colour)
        entries.append((f"ζ = {zeta}", colour, None))
    p.hline(1.0, "#5b6470")
    p.legend(entries, lang == "ur", bottom=True)
    return fig


def bode(lang):
    """Chapter 4 worked example: L(s) = (Kd s + Kp) / (I s^2), I = 0.01, Kp = 4, Kd = 0.2."""
    I, kp, kd = 0.01, 4.0, 0.2
    ws = [10 ** (k / 100) for k in range(0, 301)]
    loop = [(kd * 1j * w + kp) / (I * (1j * w) ** 2) for w in ws]
    mag = [20 * math.log10(abs(v)) for v in loop]
    phase = [math.degrees(cmath.phase(v)) % 360 - 360 for v in loop]      # continuous branch in (-360, 0]
    wc = math.sqrt((kd**2 + math.sqrt(kd**4 + 4 * I**2 * kp**2)) / (2 * I**2))
    pm = math.degrees(math.atan(kd * wc / kp))
    fig = Figure(("Bode plot of the PD-controlled joint", "PD کنٹرول والے جوڑ کا بوڈے پلاٹ")[lang == "ur"],
                 height=420)
    decades = [1, 10, 100, 1000]
    ur = lang == "ur"
    pg = Panel(fig, (70, 20, 470, 150), (1, 1000), (-40, 80), decades, [-40, -20, 0, 20, 40, 60, 80],
               "", ("gain [dB]", "گین [dB]")[ur], logx=True)
    pp = Panel(fig, (70, 200, 470, 170), (1, 1000), (-180, -90), decades, [-180, -165, -150, -135, -120, -105, -90],
               ("frequency ω [rad/s]", "فریکوئنسی ω [rad/s]")[ur], ("phase [deg]", "فیز [درجے]")[ur], logx=True)
    pg.curve(ws, mag, COLOURS[0])
    pp.curve(ws, phase, COLOURS[0])
    pg.hline(0, "#5b6470")
    pp.hline(-180, "#5b6470")
    for p in (pg, pp):
        p.vline(wc, COLOURS[1])
    pg.text(wc * 1.12, 50, (f"ωc = {wc:.1f} rad/s", f"ωc = {wc:.1f} rad/s")[ur], COLOURS[1])
    x, y0 = pp.px(wc, -180)
    _, y1 = pp.px(wc, -180 + pm)
    fig.body.append(f'<line x1="{x + 6:.1f}" y1="{y0:.1f}" x2="{x + 6:.1f}" y2="{y1:.1f}" stroke="{COLOURS[2]}" '
                    f'stroke-width="3"/>')
    pp.text(wc * 1.15, -165, (f"phase margin {pm:.1f}°", f"فیز مارجن {pm:.1f}°")[ur], COLOURS[2])
    return fig


def lqr_step(lang):
    """Chapter 4 LQR worked example: double integrator, Q = diag(100, 0), R = r."""
    fig = Figure(("LQR step responses of the double integrator", "ڈبل انٹیگریٹر کے LQR اسٹیپ ردِعمل")[lang == "ur"])
    p = Panel(fig, (70, 20, 470, 225), (0, 3), (0, 1.2), linspace(0, 3, 7), linspace(0, 1.2, 7),
              L("time", lang), ("position y", "پوزیشن y")[lang == "ur"])
    ts = linspace(0, 3, 301)
    entries = []
    for colour, r in zip(COLOURS, (1.0, 0.1, 0.01)):
        k1 = math.sqrt(100 / r)
        wn = math.sqrt(k1)                              # closed loop s^2 + sqrt(2 k1) s + k1: zeta = 1/sqrt(2)
        p.curve(ts, [second_order_step(wn, 1 / math.sqrt(2), t) for t in ts], colour)
        entries.append((f"r = {r:g}, K = ({k1:.0f}, {math.sqrt(2 * k1):.2f})", colour, None))
    p.hline(1.0, "#5b6470")
    p.legend(entries, lang == "ur", bottom=True)
    return fig


def capture_point(lang):
    """Chapter 8 push-recovery script: LIPM z_c = 0.8 m, push to 0.5 m/s, ZMP at the toe for a 0.3 s swing,
    then a step onto the capture point (and one 3 cm short)."""
    g, zc, dt, toe, swing = 9.81, 0.8, 0.002, 0.10, 0.3
    w = math.sqrt(g / zc)

    def step(x, xd, p):
        c, s = math.cosh(w * dt), math.sinh(w * dt)
        return p + (x - p) * c + xd / w * s, (x - p) * w * s + xd * c

    ur = lang == "ur"
    fig = Figure(("Push recovery with the capture point", "کیپچر پوائنٹ کے ساتھ دھکا سنبھالنا")[ur])
    p = Panel(fig, (70, 20, 470, 225), (0, 1.8), (-0.05, 0.4), linspace(0, 1.8, 7),
              [-0.05, 0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4], L("time", lang),
              ("position [m]", "پوزیشن [m]")[ur])
    n_swing, n_after = round(swing / dt), round(1.5 / dt)
    x, xd = 0.0, 0.5
    ts, xs, xis, ps = [0.0], [x], [x + xd / w], [toe]
    for k in range(n_swing):
        x, xd = step(x, xd, toe)
        ts.append((k + 1) * dt); xs.append(x); xis.append(x + xd / w); ps.append(toe)
    x1, xd1, xi1 = x, xd, x + xd / w
    short_t, short_xi = [swing], [xi1]
    xs_s, xds_s = x1, xd1
    for k in range(n_after):
        x, xd = step(x, xd, xi1)
        xs_s, xds_s = step(xs_s, xds_s, xi1 - 0.03)
        t = swing + (k + 1) * dt
        ts.append(t); xs.append(x); xis.append(x + xd / w); ps.append(xi1)
        short_t.append(t); short_xi.append(xs_s + xds_s / w)
    p.band(0, swing, COLOURS[3])
    p.text(0.02, 0.37, ("swing", "سوئنگ")[ur], COLOURS[3])
    p.curve(ts, ps, COLOURS[2], width=1.5)
    p.curve(ts, xs, COLOURS[0])
    p.curve(ts, xis, COLOURS[1])
    p.curve(short_t, short_xi, COLOURS[1], dash="6 4")
    p.legend([(("CoM x", "مرکزِ کمیت x")[ur], COLOURS[0], None),
              (("capture point ξ", "کیپچر پوائنٹ ξ")[ur], COLOURS[1], None),
              (("ZMP p", "ZMP p")[ur], COLOURS[2], None),
              (("ξ, step 3 cm short", "ξ، قدم 3 سینٹی میٹر پیچھے")[ur], COLOURS[1], "6 4")], ur, bottom=True)
    return fig


def slip(lang):
    """Chapter 8 SLIP worked example: m = 80 kg, k = 20 kN/m, l0 = 1 m, 5 m/s, apex 0.96 m."""
    m, k, l0, g, dt = 80.0, 20000.0, 1.0, 9.81, 1e-5

    def stance(vx, vy, alpha, path=None):
        x, y = -l0 * math.cos(alpha), l0 * math.sin(alpha)
        t = 0.0
        while True:
            r = math.hypot(x, y)
            if r >= l0 and t > 0:
                return vx, vy, x, y
            f = k * (l0 - r)
            vx, vy = vx + f * x / (r * m) * dt, vy + (f * y / (r * m) - g) * dt
            x, y = x + vx * dt, y + vy * dt
            t += dt
            if path is not None and round(t / dt) % 200 == 0:
                path.append((x, y))

    speed, apex = 5.0, 0.96
    lo, hi = math.radians(60), math.radians(80)
    for _ in range(40):                    # same bisection as the chapter's script
        alpha = 0.5 * (lo + hi)
        vy0 = -math.sqrt(2 * g * (apex - l0 * math.sin(alpha)))
        vy1 = stance(speed, vy0, alpha)[1]
        lo, hi = (alpha, hi) if vy1 > -vy0 else (lo, alpha)
    td_h = l0 * math.sin(alpha)
    t_fall = (-vy0) / g                     # apex to touchdown
    ur = lang == "ur"
    fig = Figure(("Centre-of-mass path of the SLIP runner", "SLIP دوڑنے والے کے مرکزِ کمیت کا راستہ")[ur], height=260)
    p = Panel(fig, (70, 20, 470, 185), (0, 3.5), (0, 1.1), linspace(0, 3.5, 8), [0, 0.2, 0.4, 0.6, 0.8, 1.0],
              ("horizontal position [m]", "افقی پوزیشن [m]")[ur], ("height [m]", "اونچائی [m]")[ur])
    xs, ys, x0 = [], [], 0.0
    for _ in range(2):                      # two steps: half flight, stance, half flight
        for i in range(41):
            t = t_fall * i / 40
            xs.append(x0 + speed * t); ys.append(apex - 0.5 * g * t * t)
        foot = xs[-1] + l0 * math.cos(alpha)
        path = []
        vx1, vy1, xe, ye = stance(speed, vy0, alpha, path)
        p.band(xs[-1], foot + xe, COLOURS[2])
        for (a, b) in ((xs[-1], ys[-1]), (foot + xe, ye)):
            p.curve([foot, a], [0, b], "#5b6470", width=1.5)
        xs += [foot + px for px, _ in path]; ys += [py for _, py in path]
        xs.append(foot + xe); ys.append(ye)
        x0 = xs[-1]
        for i in range(1, 41):
            t = t_fall * i / 40
            xs.append(x0 + vx1 * t); ys.append(ye + vy1 * t - 0.5 * g * t * t)
        x0 = xs[-1]
    p.curve(xs, ys, COLOURS[0])
    p.hline(l0, "#9aa7b8", dash="3 5")
    p.text(0.05, 1.03, (f"leg rest length l0 = {l0:g} m, touchdown {math.degrees(alpha):.1f}°",
                        f"ٹانگ کی سکون کی لمبائی l0 = {l0:g} m، زمین چھونے کا زاویہ {math.degrees(alpha):.1f}°")[ur],
           "#5b6470", size=11)
    p.text(3.45, 0.08, ("shaded: stance", "سایہ دار: اسٹانس")[ur], COLOURS[2], anchor="end", size=11)
    return fig


def time_scaling(lang):
    """Chapter 9 worked example: 1.2 rad with v_max = 2 rad/s, a_max = 8 rad/s^2."""
    d, vmax, amax = 1.2, 2.0, 8.0
    tc = max(1.5 * d / vmax, math.sqrt(6 * d / amax))
    tq = max(1.875 * d / vmax, math.sqrt(10 / math.sqrt(3) * d / amax))
    ta = vmax / amax
    tt = d / vmax + ta
    ur = lang == "ur"
    fig = Figure(("Velocity profiles of three time scalings", "تین ٹائم اسکیلنگ کے رفتار کے خاکے")[ur])
    p = Panel(fig, (70, 20, 470, 225), (0, 1.2), (0, 2.8), linspace(0, 1.2, 7), linspace(0, 2.8, 8),
              L("time", lang), ("joint velocity [rad/s]", "جوڑ کی رفتار [rad/s]")[ur])
    ts = linspace(0, 1.2, 481)

    def cubic(t):
        u = min(t / tc, 1.0)
        return d * (6 * u - 6 * u * u) / tc

    def quintic(t):
        u = min(t / tq, 1.0)
        return d * (30 * u**2 - 60 * u**3 + 30 * u**4) / tq

    def trapezoid(t):
        return max(0.0, min(vmax, amax * t, amax * (tt - t)))

    for colour, f in zip(COLOURS, (cubic, quintic, trapezoid)):
        p.curve(ts, [f(t) for t in ts], colour)
    p.hline(vmax, "#5b6470")
    p.text(0.02, vmax + 0.06, ("v_max", "v_max")[ur], "#5b6470", size=11)
    p.legend([((f"cubic, T = {tc:.3f} s", f"کیوبک، T = {tc:.3f} s")[ur], COLOURS[0], None),
              ((f"quintic, T = {tq:.3f} s", f"کوئنٹک، T = {tq:.3f} s")[ur], COLOURS[1], None),
              ((f"trapezoid, T = {tt:.3f} s", f"ٹریپیزائیڈ، T = {tt:.3f} s")[ur], COLOURS[2], None)], ur)
    return fig


PLOTS = {
    "dynamics-step-response": step_response,
    "dynamics-bode": bode,
    "dynamics-lqr-step": lqr_step,
    "locomotion-capture-point": capture_point,
    "locomotion-slip": slip,
    "manipulation-time-scaling": time_scaling,
}


def main(argv):
    check = "--check" in argv
    stale = []
    for name, make in PLOTS.items():
        for lang, folder in (("en", OUT), ("ur", OUT / "ur")):
            path = folder / f"{name}.svg"
            svg = make(lang).svg(lang)
            if check:
                if not path.exists() or path.read_text(encoding="utf-8") != svg:
                    stale.append(str(path.relative_to(ROOT)))
            else:
                folder.mkdir(parents=True, exist_ok=True)
                path.write_text(svg, encoding="utf-8")
    if stale:
        print("plots out of date (run python3 scripts/plots.py):", *stale, sep="\n  ", file=sys.stderr)
        return 1
    if not check:
        print(f"wrote {2 * len(PLOTS)} SVGs under {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
