#!/usr/bin/env python3
"""Builds the book's self-hosted web fonts (static/fonts/*.woff2) from Debian's fonts-noto-core and fonts-lmodern:

  * Noto Nastaliq Urdu, subset to the glyphs the Urdu book and UI strings (content/ur, locales/ur) actually
    shape to. Nastaliq picks one of many contextual forms per letter, so keeping every form of every character
    used (fontTools' closure) is ~96 KB; instead every word is shaped with HarfBuzz, the glyphs seen at each
    lookup are kept plus the intermediate glyphs that lead to them, and the subset is then verified: every word
    must shape to the same glyphs at the same positions as with the full font, or the script fails. A word not
    in the book still renders with the kept forms, only its contextual choices may be plainer. The pages' font
    (`-subset`) also drops the contextual rules that never match the book's words (scripts/font_rules.py: a third
    of the file); the chat widget's (`-chat`) keeps them, since answers hold other words. `--check` fails when an
    edit brings in a new character or a word the pages' font no longer shapes as the full font does;
  * Latin Modern Math (Debian fonts-lmodern), subset to the operators that stretch or grow: fences, bars,
    roots, big sums and integrals. Its OpenType MATH table is kept with the size variants and parts of every kept
    glyph: that is what lets a browser stretch matrix brackets. Everything else in a formula (letters, digits,
    `=`) stays in the reader's own math font: the @font-face's unicode-range sends only these characters here,
    which keeps the file at ~8 KB (Debian's Noto Sans Math has no MATH table, so it cannot stretch anything).

Licenses (static/fonts/README.md): Noto Nastaliq Urdu is SIL OFL 1.1 with no Reserved Font Name; Latin Modern
Math is the GUST Font License (LPPL 1.3c), whose request that derived fonts be renamed is honoured by naming the
subset "Latin Modern Math Subset". Output is WOFF2 (Brotli) with hinting dropped (browsers on high-density
screens ignore it; it was a quarter of the Urdu file).

    python3 -m pip install fonttools brotli uharfbuzz   # once (PyPI; scripts/setup.sh --test does it)
    python3 scripts/fonts.py                         # writes static/fonts/, prints sizes
    python3 scripts/fonts.py --check                 # non-zero if the committed fonts miss a character or a word
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTO = Path("/usr/share/fonts/truetype/noto")
URDU_OUT = ROOT / "static/fonts/noto-nastaliq-urdu-subset.woff2"
# The same glyphs with every contextual rule: the chat widget shows text the book does not have (answers).
URDU_CHAT_OUT = ROOT / "static/fonts/noto-nastaliq-urdu-chat.woff2"
MATH_OUT = ROOT / "static/fonts/latin-modern-math-subset.woff2"
LM_MATH = Path("/usr/share/texmf/fonts/opentype/public/lm-math/latinmodern-math.otf")
# What MathML stretches or enlarges; keep in step with the unicode-range of "Book Math" in static/css/site.css.
MATH_STRETCHY = " ()[]{}|‖⟨⟩√∑∏∫∣∥"
# Zero-width (non-)joiner and the directional marks shape Urdu text and must not fall back to another face.
JOINERS = "\u200c\u200d\u200e\u200f"


def is_arabic(ch):
    cp = ord(ch)
    return 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF


def urdu_text():
    paths = list((ROOT / "content/ur").rglob("*.md")) + list((ROOT / "locales/ur").glob("*.ftl"))
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(paths))


def urdu_chars():
    return set(JOINERS) | {" "} | {c for c in urdu_text() if is_arabic(c)}


def urdu_words():
    """Runs of Arabic script (with joiners): what the browser shapes as one piece."""
    return sorted(set(re.findall("[\u0600-\u06FF\u0750-\u077F\u200c\u200d]+", urdu_text())))


def shape(font, word):
    import uharfbuzz as hb

    buf = hb.Buffer()
    buf.add_str(word)
    buf.guess_segment_properties()
    hb.shape(font, buf, {})
    return [g.codepoint for g in buf.glyph_infos], [(p.x_advance, p.x_offset, p.y_offset) for p in buf.glyph_positions]


def hb_font(path):
    import uharfbuzz as hb

    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path))))


def shaped_glyphs(src, words):
    """Glyph names the words pass through while HarfBuzz shapes them: the buffer at every lookup of GSUB and
    GPOS, so substitutions that a later lookup replaces are kept too."""
    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    order = TTFont(str(src)).getGlyphOrder()
    font, seen = hb_font(src), set()
    for word in words:
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        state = {"mapped": False}

        def message(msg, buf=buf, state=state):
            # Before GSUB starts the buffer still holds characters, not glyph ids.
            state["mapped"] = state["mapped"] or msg.startswith("start table GSUB")
            if state["mapped"]:
                seen.update(order[g.codepoint] for g in buf.glyph_infos if g.codepoint < len(order))
            return True

        buf.set_message_func(message)
        hb.shape(font, buf, {})
        seen.update(order[g.codepoint] for g in buf.glyph_infos)
    return seen


def substitutions(src):
    """Every (inputs, outputs) pair of the font's GSUB single, multiple, alternate and ligature lookups, including
    those only reached from contextual lookups."""
    from fontTools.ttLib import TTFont

    rules = []
    for lookup in TTFont(str(src))["GSUB"].table.LookupList.Lookup:
        for st in lookup.SubTable:
            kind = lookup.LookupType
            if kind == 7:
                kind, st = st.ExtSubTable.LookupType, st.ExtSubTable
            if kind == 1:
                rules += [((a,), (b,)) for a, b in st.mapping.items()]
            elif kind == 2:
                rules += [((a,), tuple(bs)) for a, bs in st.mapping.items()]
            elif kind == 3:
                rules += [((a,), (b,)) for a, bs in st.alternates.items() for b in bs]
            elif kind == 4:
                rules += [((first,) + tuple(lig.Component), (lig.LigGlyph,))
                          for first, ligs in st.ligatures.items() for lig in ligs]
    return rules


def needed_glyphs(src, words):
    """The shaped glyphs, plus the glyphs a contextual lookup makes and replaces within one step (HarfBuzz reports
    the buffer between lookups only): those reachable from the shaped glyphs that lead back to one of them."""
    seen = shaped_glyphs(src, words)
    rules = substitutions(src)

    def grow(start, step):
        out, changed = set(start), True
        while changed:
            changed = False
            for ins, outs in rules:
                new = step(ins, outs, out)
                if new - out:
                    out |= new
                    changed = True
        return out

    reachable = grow(seen, lambda ins, outs, have: set(outs) if all(i in have for i in ins) else set())
    leading = grow(seen, lambda ins, outs, have: set(ins) if any(o in have for o in outs) else set())
    return seen | (reachable & leading)


class ShapingCheck:
    """Shapes every word with the full font once; `bad(subset)` lists the words a subset shapes differently
    (other glyphs, or the same glyphs at other positions)."""

    def __init__(self, src, words):
        from fontTools.ttLib import TTFont

        full, order = hb_font(src), TTFont(str(src)).getGlyphOrder()
        self.words = words
        self.expected = []
        for word in words:
            glyphs, positions = shape(full, word)
            self.expected.append(([order[g] for g in glyphs], positions))

    def bad(self, subset_ttf):
        from fontTools.ttLib import TTFont

        part, order = hb_font(subset_ttf), TTFont(str(subset_ttf)).getGlyphOrder()
        out = []
        for word, want in zip(self.words, self.expected):
            glyphs, positions = shape(part, word)
            if ([order[g] for g in glyphs], positions) != want:
                out.append(word)
        return out


def options(glyph_names=False):
    from fontTools import subset as ft

    opts = ft.Options()
    opts.flavor = "woff2"
    opts.layout_features = ["*"]  # Nastaliq needs all its contextual forms; math needs its variants
    opts.hinting = False
    opts.desubroutinize = True
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # names, copyright, license
    opts.notdef_outline = True
    opts.glyph_names = glyph_names
    return opts


def make(src, chars, glyphs=None, glyph_names=False):
    from fontTools import subset as ft

    opts = options(glyph_names)
    # With a glyph list: exactly those glyphs, no closure over every form of every character.
    opts.layout_closure = glyphs is None
    font = ft.load_font(str(src), opts)
    sub = ft.Subsetter(opts)
    sub.populate(unicodes=sorted(ord(c) for c in chars), glyphs=sorted(glyphs or []))
    sub.subset(font)
    return font, opts


def shapes_right(src, chars, glyphs, check):
    import tempfile

    font, _ = make(src, chars, glyphs, glyph_names=True)  # the check compares glyph names
    font.flavor = None
    with tempfile.NamedTemporaryFile(suffix=".ttf") as tmp:
        font.save(tmp.name)
        return check.bad(tmp.name)


def urdu_glyphs(src, chars, words):
    """The glyphs to keep, verified: every word must shape as with the full font. The glyphs only reachable
    (not seen) are then dropped wherever the words still shape right without them, testing halves of the list
    at a time (most are not needed, so this takes a few dozen subsets rather than one per glyph)."""
    check = ShapingCheck(src, words)
    seen = shaped_glyphs(src, words)
    keep = needed_glyphs(src, words)
    bad = shapes_right(src, chars, keep, check)
    if bad:
        sys.exit(f"fonts.py: {len(bad)} words shape differently with the subset, e.g. {bad[:5]}")

    def drop(candidates, keep):
        if not candidates:
            return keep
        if not shapes_right(src, chars, keep - set(candidates), check):
            return keep - set(candidates)
        if len(candidates) == 1:
            return keep
        half = len(candidates) // 2
        return drop(candidates[half:], drop(candidates[:half], keep))

    keep = drop(sorted(keep - seen), keep)
    print(f"Urdu: {len(keep)} glyphs; all {len(words)} words shape as with the full font")
    return keep


def subset(src, out, chars, rename=None, glyphs=None):
    from fontTools import subset as ft

    font, opts = make(src, chars, glyphs)
    if rename:
        for rec in font["name"].names:
            if rec.nameID in (1, 3, 4, 16):
                rec.string = rec.toUnicode().replace(*rename)
            elif rec.nameID == 6:
                rec.string = rec.toUnicode().replace(rename[0].replace(" ", ""), rename[1].replace(" ", ""))
    out.parent.mkdir(parents=True, exist_ok=True)
    ft.save_font(font, str(out), opts)
    print(f"{out.relative_to(ROOT)}: {len(chars)} characters, {out.stat().st_size} bytes")


def book_font(src, chars, glyphs, words, out):
    """The pages' Urdu font: the glyph subset without the contextual rules the book's words never match, verified
    to shape every word exactly as the full font does."""
    import tempfile
    from fontTools.ttLib import TTFont

    import font_rules

    font, _ = make(src, chars, glyphs, glyph_names=True)  # the check compares glyph names
    font.flavor = None
    with tempfile.TemporaryDirectory() as tmp:
        whole, pruned = Path(tmp) / "whole.ttf", Path(tmp) / "pruned.ttf"
        font.save(str(whole))
        kept, dropped = font_rules.prune(whole, pruned, words)
        bad = ShapingCheck(src, words).bad(pruned)
        if bad:
            sys.exit(f"fonts.py: {len(bad)} words shape differently without the unused rules, e.g. {bad[:5]}")
        final = TTFont(str(pruned))
        final["post"].formatType = 3.0  # glyph names were only for the check
        final.flavor = "woff2"
        final.save(str(out))
    print(f"{out.relative_to(ROOT)}: {kept} contextual rules kept, {dropped} dropped; {out.stat().st_size} bytes")


def outline_keys(font):
    """Glyph id -> its drawn outline and advance: names and ids differ between a font and its subset, outlines do
    not (components are drawn through, so renumbered components compare equal)."""
    from fontTools.pens.recordingPen import RecordingPen

    glyphs, metrics = font.getGlyphSet(), font["hmtx"].metrics
    keys = []
    for name in font.getGlyphOrder():
        pen = RecordingPen()
        glyphs[name].draw(pen)
        keys.append((repr(pen.value), metrics[name][0]))
    return keys


def words_shape_right(src, out, words):
    """Book words the committed pages' font shapes differently from the full font (empty when it is current)."""
    import tempfile
    from fontTools.ttLib import TTFont

    font = TTFont(str(out))
    font.flavor = None
    with tempfile.NamedTemporaryFile(suffix=".ttf") as tmp:
        font.save(tmp.name)
        full_keys, part_keys = outline_keys(TTFont(str(src))), outline_keys(TTFont(tmp.name))
        full, part = hb_font(src), hb_font(tmp.name)
        bad = []
        for w in words:
            (fg, fp), (pg, pp) = shape(full, w), shape(part, w)
            if fp != pp or [full_keys[g] for g in fg] != [part_keys[g] for g in pg]:
                bad.append(w)
        return bad


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
    ap.add_argument("--check", action="store_true", help="only verify the committed fonts cover the book")
    a = ap.parse_args()
    ur, math = urdu_chars(), set(MATH_STRETCHY)
    if a.check:
        missing = []
        for out, want, src in [(URDU_OUT, ur, a.urdu_font), (URDU_CHAT_OUT, ur, a.urdu_font), (MATH_OUT, math, a.math_font)]:
            # Only characters the source face has can be asked of the subset; the rest fall back by design.
            lost = sorted((want & covered(src)) - covered(out)) if src.exists() else []
            if lost:
                missing.append(f"{out.relative_to(ROOT)} lacks {''.join(lost)!r} ({', '.join(f'U+{ord(c):04X}' for c in lost)})")
        if a.urdu_font.exists() and not missing:
            # Glyph ids are compared: the subset keeps the full font's glyph order for the glyphs it has.
            bad = words_shape_right(a.urdu_font, URDU_OUT, urdu_words())
            if bad:
                missing.append(f"{URDU_OUT.relative_to(ROOT)} shapes {len(bad)} words of the book differently, e.g. {bad[:3]}")
        if missing:
            sys.exit("fonts.py --check: " + "; ".join(missing) + ". Run python3 scripts/fonts.py and commit.")
        print("fonts.py --check: the committed fonts cover every character and word of the book")
        return
    for src in (a.urdu_font, a.math_font):
        if not src.exists():
            sys.exit(f"fonts.py: {src} not found (apt-get install fonts-noto-core fonts-lmodern, or pass --urdu-font/--math-font)")
    words = urdu_words()
    glyphs = urdu_glyphs(a.urdu_font, ur, words)
    subset(a.urdu_font, URDU_CHAT_OUT, ur, glyphs=glyphs)
    book_font(a.urdu_font, ur, glyphs, words, URDU_OUT)
    subset(a.math_font, MATH_OUT, math, rename=("Latin Modern Math", "Latin Modern Math Subset"))
    write_licenses()


if __name__ == "__main__":
    main()
