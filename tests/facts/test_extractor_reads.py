"""What each extractor reads of the others' facts (its READS), and the side process that rests on it.

checker/facts/run.py runs SIDE_EXTRACTORS in a forked process beside the others when a core is idle.
That is sound only if no extractor reads facts of an extractor on the other side of the split; each
module's READS says what it reads. Here every fact read is recorded while the extractors run over
the fact cases, the generated prospectuses and the real documents, and checked against READS; and
the side-process extraction gives the same FactSet, dictionary order included, as one process.
"""

from __future__ import annotations

import copy
import importlib
import os
from collections import defaultdict

import pytest

from checker.extract.loader import load_document
from checker.facts import model, run
from checker.facts.context import Ctx
from checker.facts.registry import EXTRACTION_MODULES, SIDE_EXTRACTORS, producer_of
from tests.factlib import doc_of
from tests.facts.test_fact_cases import CASES
from tests.realdata import REALDATA

NAMES = {m: importlib.import_module(m).NAME for m in EXTRACTION_MODULES}
REAL = [REALDATA / "A_pdf" / "寒武纪2025年年报.pdf",
        *sorted((REALDATA / "B_text" / "star_prospectus_md_2025").glob("*.md"))[:3]]


def _documents(prospectus_pdf):  # type: ignore[no-untyped-def]
    for _, _, case in CASES:
        yield doc_of(case["pages"], tuple(case.get("toc") or ()))
    for preset in ("profitable_std1", "biotech_std5", "english_std1", "chinext_control"):
        yield load_document(prospectus_pdf(preset).path)
    for path in REAL:
        if path.exists():
            yield load_document(path)


@pytest.fixture(scope="module")
def reads(prospectus_pdf):  # type: ignore[no-untyped-def]
    seen: dict[str, set[str]] = defaultdict(set)
    running = [""]
    originals = {n: getattr(model.FactSet, n) for n in ("get", "value", "years")}

    def recorder(name):  # type: ignore[no-untyped-def]
        orig = originals[name]

        def read(self, path, *a, **k):  # type: ignore[no-untyped-def]
            if running[0]:
                seen[running[0]].add(path + ".2020" if name == "years" else path)
            return orig(self, path, *a, **k)

        return read

    enter = Ctx.enter

    def entering(self, name, module, produces):  # type: ignore[no-untyped-def]
        running[0] = module
        return enter(self, name, module, produces)

    mp = pytest.MonkeyPatch()
    for n in originals:
        mp.setattr(model.FactSet, n, recorder(n))
    mp.setattr(Ctx, "enter", entering)
    try:
        for doc in _documents(prospectus_pdf):
            run.extract_document(doc, side_process=False)
    finally:
        mp.undo()
    return seen


def test_every_fact_an_extractor_reads_is_its_own_or_named_in_its_reads(reads):
    undeclared = []
    for module, paths in reads.items():
        allowed = {NAMES[module], *run.reads_of(module)}
        for path in sorted(paths):
            owner = producer_of(path)
            if owner in NAMES and NAMES[owner] not in allowed:
                undeclared.append(f"{NAMES[module]} reads {path} of {NAMES[owner]}: add it to READS")
    assert not undeclared, undeclared
    assert reads, "nothing was recorded"


def test_reads_name_real_extractors_and_the_split_is_possible():
    for m in EXTRACTION_MODULES:
        assert set(run.reads_of(m)) <= set(NAMES.values()), m
    assert set(SIDE_EXTRACTORS) <= set(NAMES.values())
    plan = run._split()
    assert plan is not None, "an extractor outside SIDE_EXTRACTORS reads one inside"
    first, rest, side = plan
    assert sorted(first + rest + side) == sorted(EXTRACTION_MODULES)
    assert [NAMES[m] for m in first] == ["document"]


def _same(a: model.FactSet, b: model.FactSet) -> None:
    assert list(a.facts.items()) == list(b.facts.items())
    assert list(a.missing.items()) == list(b.missing.items())
    assert list(a.disputed.items()) == list(b.disputed.items())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the side process is forked")
def test_side_process_gives_the_one_process_factset(prospectus_pdf):
    checked = 0
    for doc in list(_documents(prospectus_pdf))[-8:]:  # the generated and the real documents
        one = run.extract_document(copy.deepcopy(doc), side_process=False)
        two = run.extract_document(copy.deepcopy(doc), side_process=True)
        _same(one, two)
        checked += 1
    assert checked >= 4


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the side process is forked")
def test_a_side_process_that_dies_costs_only_time(prospectus_pdf, monkeypatch):
    doc = load_document(prospectus_pdf("biotech_std5").path)
    one = run.extract_document(copy.deepcopy(doc), side_process=False)
    parent = os.getpid()
    mod = importlib.import_module(next(m for m in EXTRACTION_MODULES if NAMES[m] == "disclosures"))
    real = mod.extract

    def dying(ctx):  # type: ignore[no-untyped-def]
        if os.getpid() != parent:
            os._exit(9)
        return real(ctx)

    monkeypatch.setattr(mod, "extract", dying)
    _same(one, run.extract_document(copy.deepcopy(doc), side_process=True))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the side process is forked")
def test_an_extractor_that_fails_in_the_side_process_fails_the_extraction(prospectus_pdf, monkeypatch):
    doc = load_document(prospectus_pdf("profitable_std1").path)
    mod = importlib.import_module(next(m for m in EXTRACTION_MODULES if NAMES[m] == "red_chip"))

    def broken(ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("an extractor bug")

    monkeypatch.setattr(mod, "extract", broken)
    with pytest.raises(RuntimeError, match="an extractor bug"):
        run.extract_document(copy.deepcopy(doc), side_process=True)


def test_side_processes_is_off_unless_allowed():
    assert run._SIDE[0] is False
    with run.side_processes(True):
        assert run._SIDE[0] is True
    assert run._SIDE[0] is False



@pytest.mark.skipif(not hasattr(os, "fork"), reason="the side process is forked")
def test_no_process_to_be_had_means_one_process(prospectus_pdf, monkeypatch):
    doc = load_document(prospectus_pdf("biotech_std5").path)
    one = run.extract_document(copy.deepcopy(doc), side_process=False)

    def no_fork():  # type: ignore[no-untyped-def]
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    _same(one, run.extract_document(copy.deepcopy(doc), side_process=True))
