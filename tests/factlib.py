"""Test helpers over the one fact layer (checker/facts/run.py): documents from page lines, and the
facts every extractor establishes on them."""

from __future__ import annotations

from checker.extract.document import Document, Page
from checker.facts.model import Fact, FactSet
from checker.facts.run import derive_all, extract_document


def doc_of(pages: list[list[str]], toc: tuple[int, ...] = (), path: str = "synthetic.txt") -> Document:
    """A document whose pages have these body lines (1-based page numbers in ``toc`` are TOC pages)."""
    return Document(path=path, sha256="0" * 64, source_format="text",
                    pages=[Page(number=i + 1, raw_lines=list(lines), lines=list(lines), label=f"1-1-{i}",
                                is_toc=(i + 1) in toc) for i, lines in enumerate(pages)])


def extracted(doc: Document, *, derive: bool = False) -> FactSet:
    """Every extractor's facts (and the derived ones when asked)."""
    fs = extract_document(doc)
    if derive:
        derive_all(fs)
    return fs


def fact_map(doc: Document, *, derive: bool = False) -> dict[str, Fact]:
    return dict(extracted(doc, derive=derive).facts)


def disclosure_facts(doc: Document) -> list[Fact]:
    return list(extracted(doc).facts.values())


def missing_disclosures(doc: Document) -> dict[str, str]:
    return dict(extracted(doc).missing)
