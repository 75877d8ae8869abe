"""Drops the contextual GSUB rules of a Nastaliq subset that never match while the book's words are shaped.

Noto Nastaliq Urdu picks each letter's form with thousands of chained-context rules (over 9,000 in the book's
glyph subset); a handful of them fire for the words of one book, and the rest were about a third of the web font.
Which rule fires is not reported by HarfBuzz, so this works from what it does report: the glyph buffer before and
after every top-level lookup. A rule is kept if it matches anywhere in a buffer its lookup could have seen: the
buffer before the lookup, after it, and every mix of the two (the lookup walks left to right, so at position i it
sees its own output before i and its input from i on). A nested lookup, entered from another lookup's rule, gets
the buffers of every lookup that calls it. Matching honours the lookup flags (skipped marks, ligatures, bases and
mark attachment classes). That is a superset of what can fire, and `fonts.py` still verifies the result: every
word must shape exactly as with the full font.

Only glyph-class contexts (formats 2 of lookup types 5 and 6, also inside extension lookups) are pruned: they hold
nearly all rules; other subtables are kept whole.
"""

RULE_SETS = [("ChainSubClassSet", "ChainSubClassRule"), ("SubClassSet", "SubClassRule"),
             ("SubRuleSet", "SubRule"), ("ChainSubRuleSet", "ChainSubRule")]


def _subtables(lookup):
    for st in lookup.SubTable:
        yield (st.ExtSubTable.LookupType, st.ExtSubTable) if lookup.LookupType == 7 else (lookup.LookupType, st)


def seen_buffers(ttf, words):
    """Top-level GSUB lookup index -> glyph-id tuples the lookup could have seen while shaping `words`."""
    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(ttf))))
    seen = {}
    for word in words:
        buf = hb.Buffer()
        buf.add_str(word)
        buf.guess_segment_properties()
        state = {"gsub": False, "before": ()}

        def message(msg, buf=buf, state=state):
            if msg.startswith("start table "):
                state["gsub"] = msg.startswith("start table GSUB")
            elif state["gsub"] and msg.startswith("start lookup "):
                state["before"] = tuple(g.codepoint for g in buf.glyph_infos)
            elif state["gsub"] and msg.startswith("end lookup "):
                before, after = state["before"], tuple(g.codepoint for g in buf.glyph_infos)
                bucket = seen.setdefault(int(msg.split()[2]), set())
                bucket.update((before, after))
                if len(before) == len(after):
                    bucket.update(after[:i] + before[i:] for i in range(1, len(before)))
            return True

        buf.set_message_func(message)
        hb.shape(font, buf, {})
    return seen


def _callers(lookups):
    """Lookup index -> indices of the lookups its rules call."""
    calls = {}
    for i, lookup in enumerate(lookups):
        for _, st in _subtables(lookup):
            for set_name, rule_name in RULE_SETS:
                for rule_set in getattr(st, set_name, None) or []:
                    for rule in getattr(rule_set, rule_name, None) or [] if rule_set else []:
                        calls.setdefault(i, set()).update(r.LookupListIndex for r in rule.SubstLookupRecord or [])
    return calls


def _skipper(flag, glyph_class, mark_class):
    """The lookup flag's filter: True for glyphs the lookup steps over when matching."""
    attach = flag >> 8

    def skip(glyph):
        kind = glyph_class.get(glyph, 0)
        return bool((flag & 2 and kind == 1) or (flag & 4 and kind == 2) or (flag & 8 and kind == 3)
                    or (attach and kind == 3 and mark_class.get(glyph, 0) != attach))
    return skip


def _classes(class_def):
    return class_def.classDefs if class_def is not None else {}


def _used_rules(st, chained, sequences, skip):
    """(rule-set index, rule index) pairs of a class-context subtable that match somewhere in `sequences`."""
    coverage = set(st.Coverage.glyphs)
    if chained:
        back, inp, ahead = _classes(st.BacktrackClassDef), _classes(st.InputClassDef), _classes(st.LookAheadClassDef)
        sets, rule_name = st.ChainSubClassSet, "ChainSubClassRule"
    else:
        inp = _classes(st.ClassDef)
        back, ahead, sets, rule_name = {}, {}, st.SubClassSet, "SubClassRule"
    used = set()
    for names in sequences:
        visible = [g for g in names if not skip(g)]
        for k, glyph in enumerate(visible):
            cls = inp.get(glyph, 0)
            if glyph not in coverage or cls >= len(sets) or sets[cls] is None:
                continue
            for r, rule in enumerate(getattr(sets[cls], rule_name)):
                rest = rule.Input if chained else rule.Class
                bt, la = (rule.Backtrack, rule.LookAhead) if chained else ([], [])
                if k < len(bt) or k + 1 + len(rest) + len(la) > len(visible):
                    continue
                if (all(inp.get(visible[k + 1 + j], 0) == c for j, c in enumerate(rest))
                        and all(back.get(visible[k - 1 - j], 0) == c for j, c in enumerate(bt))
                        and all(ahead.get(visible[k + 1 + len(rest) + j], 0) == c for j, c in enumerate(la))):
                    used.add((cls, r))
    return used, sets, rule_name


def prune(ttf, out, words):
    """Writes `ttf` without the unmatched class-context rules to `out`; returns (rules kept, rules dropped)."""
    from fontTools.ttLib import TTFont
    import fontTools.subset  # noqa: F401  (adds prune_lookups to the GSUB table class)

    seen = seen_buffers(ttf, words)
    font = TTFont(str(ttf))
    order = font.getGlyphOrder()
    gdef = font["GDEF"].table
    glyph_class = _classes(gdef.GlyphClassDef)
    mark_class = _classes(getattr(gdef, "MarkAttachClassDef", None))
    lookups = font["GSUB"].table.LookupList.Lookup
    calls = _callers(lookups)
    changed = True
    while changed:  # hand each caller's buffers down to the lookups it calls, to any depth
        changed = False
        for parent, children in calls.items():
            for child in children:
                bucket = seen.setdefault(child, set())
                size = len(bucket)
                bucket.update(seen.get(parent, ()))
                changed |= len(bucket) != size
    kept = dropped = 0
    for index, lookup in enumerate(lookups):
        buffers = seen.get(index)
        if not buffers:
            continue  # never run for these words: left whole rather than guessed about
        sequences = [[order[g] for g in b] for b in buffers]
        skip = _skipper(lookup.LookupFlag, glyph_class, mark_class)
        for kind, st in _subtables(lookup):
            if kind not in (5, 6) or getattr(st, "Format", None) != 2:
                continue
            used, sets, rule_name = _used_rules(st, kind == 6, sequences, skip)
            for cls, rule_set in enumerate(sets):
                if rule_set is None:
                    continue
                rules = getattr(rule_set, rule_name)
                keep = [rule for r, rule in enumerate(rules) if (cls, r) in used]
                setattr(rule_set, rule_name, keep)
                setattr(rule_set, rule_name + "Count", len(keep))
                kept, dropped = kept + len(keep), dropped + len(rules) - len(keep)
    font["GSUB"].prune_lookups()
    font.save(str(out))
    return kept, dropped
