#!/usr/bin/env python3
"""Builds the book's self-hosted web fonts (static/fonts/*.woff2) from Debian's fonts-noto-core:

  * Noto Nastaliq Urdu, subset to the Arabic-script characters of the Urdu book and UI strings
    (content/ur, locales/ur) with every contextual form and mark position of them (the whole Urdu alphabet would
    add 10 KB to every Urdu page; `--check` says when an edit brings in a new character);
  * Latin Modern Math (Debian fonts-lmodern), subset to the operators and fences of the book's formulas (the
    `<mo>` elements of the built site's MathML) plus brackets and big operators. Its OpenType MATH table is kept
    with the size variants and parts of every kept glyph: that is what lets a browser stretch matrix brackets and
    large operators. Letters and digits stay in the reader's own math font (CSS `math`), which keeps the file
    small (Debian's Noto Sans Math has no MATH table, so it cannot stretch anything).

Licenses (static/fonts/README.md): Noto Nastaliq Urdu is SIL OFL 1.1 with no Reserved Font Name; Latin Modern
Math is the GUST Font License (LPPL 1.3c), whose request that derived fonts be renamed is honoured by naming the
subset "Latin Modern Math Subset". Output is WOFF2 (Brotli) with hinting dropped (browsers on high-density
screens ignore it; it was a quarter of the Urdu file).

    python3 -m pip install fonttools brotli        # once (PyPI)
    cargo run -p site -- build                       # the MathML the math subset is taken from
    python3 scripts/fonts.py                         # writes static/fonts/, prints sizes
    python3 scripts/fonts.py --check                 # non-zero if the committed fonts miss a character now used
"""
import argparse
import html
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTO = Path("/usr/share/fonts/truetype/noto")
URDU_OUT = ROOT / "static/fonts/noto-nastaliq-urdu-subset.woff2"
MATH_OUT = ROOT / "static/fonts/latin-modern-math-subset.woff2"
LM_MATH = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
# Always kept: fences and big operators a new formula is likely to need, and the space (the primary-font test).
MATH_ALWAYS = " ()[]{}|‖⟨⟩⌊⌋⌈⌉∑∏∫∮√=+−-×·/\u2061\u2062"
# Zero-width (non-)joiner and the directional marks shape Urdu text and must not fall back to another face.
JOINERS = "\u200c\u200d\u200e\u200f"


def is_arabic(ch):
    cp = ord(ch)
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def urdu_chars():
    chars = set(JOINERS) | {" "}
    for path in list((ROOT / "content/ur").rglob("*.md")) + list((ROOT / "locales/ur").glob("*.ftl")):
        chars |= {c for c in path.read_text(encoding="utf-8") if is_arabic(c)}
    return chars


MO_RE = re.compile(r"<mo\b[^>]*>(.*?)</mo>", re.S)
TAG_RE = re.compile(r"<[^>]+>")


def math_chars(site):
    pages = list(site.rglob("*.html"))
    if not pages:
        sys.exit(f"fonts.py: no HTML under {site}; build the site first (cargo run -p site -- build)")
    chars = set(MATH_ALWAYS)
    for page in pages:
        for m in MO_RE.findall(page.read_text(encoding="utf-8")):
            chars |= set(html.unescape(TAG_RE.sub("", m)))
    return {c for c in chars if c.isprintable() or c in "\u2061\u2062"}


def subset(src, out, chars, rename=None):
    from fontTools import subset as ft

    opts = ft.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]  # Nastaliq needs all its contextual forms; math needs ssty and its variants
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    font = ft.load_font(str(src), opts)
    sub = ft.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in chars))
    sub.subset(font)
    if rename:
        for rec in font["name"].names:
            if rec.nameID in (1, 3, 4, 16):
                rec.string = rec.toUnicode().replace(*rename)
            elif rec.nameID == 6:
                rec.string = rec.toUnicode().replace(rename[0].replace(" ", ""), rename[1].replace(" ", ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    ft.save_font(font, str(out), opts)
    print(f"{out.relative_to(ROOT)}: {len(chars)} characters, {out.stat().st_size} bytes")


OFL_SOURCE = Path("/usr/share/doc/fonts-noto-core/copyright")
GUST_SOURCE = Path("/usr/share/texmf/doc/fonts/lm-math/GUST-FONT-LICENSE.txt")


def write_licenses():
    """The licenses travel with the fonts: the OFL text from the Debian copyright file of fonts-noto-core (its
    `License: OFL-1.1` paragraph, un-indented), the GUST Font License file of fonts-lmodern as it is."""
    text = OFL_SOURCE.read_text(encoding="utf-8").splitlines()
    lines = []
    for i, line in enumerate(text):
        # The stand-alone paragraph: the field line followed by the indented license text.
        if line.strip() == "License: OFL-1.1" and i + 1 < len(text) and text[i + 1].startswith(" "):
            for body in text[i + 1:]:
                if not body.startswith(" "):
                    break
                lines.append("" if body.strip() == "." else body[1:])
            break
    if len(lines) < 20:
        sys.exit(f"fonts.py: no OFL-1.1 text found in {OFL_SOURCE}")
    out = URDU_OUT.parent
    (out / "OFL.txt").write_text("\n".join(lines).strip() + "\n", encoding="utf-8")
    (out / "GUST-FONT-LICENSE.txt").write_text(GUST_SOURCE.read_text(encoding="utf-8"), encoding="utf-8")


def covered(path):
    from fontTools.ttLib import TTFont

    return set(chr(c) for c in TTFont(str(path)).getBestCmap())


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--urdu-font", type=Path, default=NOTO / "NotoNastaliqUrdu-Regular.ttf")
    ap.add_argument("--math-font", type=Path, default=LM_MATH)
    ap.add_argument("--site", type=Path, default=ROOT / "public", help="built site to read the MathML from")
    ap.add_argument("--check", action="store_true", help="only verify the committed fonts cover the book")
    a = ap.parse_args()
    ur, math = urdu_chars(), math_chars(a.site)
    if a.check:
        missing = []
        for out, want, src in [(URDU_OUT, ur, a.urdu_font), (MATH_OUT, math, a.math_font)]:
            # Only characters the source face has can be asked of the subset; the rest fall back by design.
            lost = sorted((want & covered(src)) - covered(out)) if src.exists() else []
            if lost:
                missing.append(f"{out.relative_to(ROOT)} lacks {''.join(lost)!r} ({', '.join(f'U+{ord(c):04X}' for c in lost)})")
        if missing:
            sys.exit("fonts.py --check: " + "; ".join(missing) + ". Run python3 scripts/fonts.py and commit.")
        print("fonts.py --check: the committed fonts cover every character of the book")
        return
    for src in (a.urdu_font, a.math_font):
        if not src.exists():
            sys.exit(f"fonts.py: {src} not found (apt-get install fonts-noto-core fonts-lmodern, or pass --urdu-font/--math-font)")
    subset(a.urdu_font, URDU_OUT, ur)
    subset(a.math_font, MATH_OUT, math, rename=("Latin Modern Math", "Latin Modern Math Subset"))
    write_licenses()


if __name__ == "__main__":
    main()
