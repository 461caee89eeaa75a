"""Chapter presence, read off the document model's chapters (one finder, one title lexicon:
checker/extract/headings.yaml).

``disclosure.chapter_<key>`` is True with the chapter heading as evidence; False when the chapter
structure was recognised (at least MIN_CHAPTERS chapter headings) and this chapter is not among them,
the evidence then listing the chapters found; missing when the structure was not recognised.
"""

from __future__ import annotations

from checker.extract.titles import lexicon as heading_lexicon
from checker.facts.context import Ctx
from checker.facts.registry import FactSpec

NAME = "chapters"
MIN_CHAPTERS = 4  # fewer chapter headings than this: the chapter structure was not recognised

CHAPTER_KEYS = tuple(heading_lexicon()["chapters"])
PRODUCES = [
    FactSpec(f"disclosure.chapter_{k}", "bool", f"the chapter '{k}' is present (title lexicon: headings.yaml)")
    for k in CHAPTER_KEYS
] + [FactSpec("document.chapters_found", "count", "number of chapter headings recognised")]


def extract(ctx: Ctx) -> None:
    chapters = ctx.m.chapters
    ctx.add("document.chapters_found", len(chapters), [], unit="count", confidence=1.0)
    order = sorted(chapters.values(), key=lambda s: s.start)
    found_titles = " / ".join(s.title for s in order)
    for key in CHAPTER_KEYS:
        path = f"disclosure.chapter_{key}"
        sec = chapters.get(key)
        if sec is not None:
            ctx.add(path, True, [ctx.ev(ctx.m.lines[sec.start], section=sec.title)], confidence=0.95)
        elif len(chapters) < MIN_CHAPTERS:
            ctx.missing(path, f"chapter structure not recognised ({len(chapters)} chapter headings found)")
        else:
            first = ctx.m.lines[order[0].start]
            ctx.add(path, False, [ctx.ev(first, section=order[0].title,
                                         note=f"chapter headings of pp. 1-{ctx.m.page_count} searched; found: {found_titles}")],
                    confidence=0.9)
