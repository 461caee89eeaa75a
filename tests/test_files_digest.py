"""cachefs.files_digest: a digest over files is kept across runs by the files' identities, and never
served for files that changed (the code and rule-file hashes of every cache key rest on it)."""

from __future__ import annotations

import hashlib
import os

import pytest

from checker import cachefs


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("STARCHECK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cachefs, "_KNOWN", {})
    # files made by a test changed (ctime) just now: they count as settled unless a test says otherwise
    monkeypatch.setattr(cachefs, "RACY_NS", 0)
    return tmp_path / "cache"


def _files(tmp_path):
    files = []
    for i in range(3):
        f = tmp_path / f"f{i}.py"
        f.write_text(f"x = {i}\n", encoding="utf-8")
        files.append(f)
    return files


def _content(files):
    calls = []

    def compute() -> str:
        calls.append(1)
        return hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()

    return compute, calls


def test_a_second_run_reads_the_entry_not_the_files(cache, tmp_path, monkeypatch):
    files = _files(tmp_path)
    compute, calls = _content(files)
    first = cachefs.files_digest("k", files, compute)
    monkeypatch.setattr(cachefs, "_KNOWN", {})  # a new process
    assert cachefs.files_digest("k", files, compute) == first and len(calls) == 1
    assert len(list((cache / "digests").glob("*.json"))) == 1
    assert cachefs.files_digest("other kind", files, compute) == first and len(calls) == 2


def test_a_changed_file_is_read_again(cache, tmp_path, monkeypatch):
    files = _files(tmp_path)
    compute, calls = _content(files)
    first = cachefs.files_digest("k", files, compute)
    st = files[1].stat()
    files[1].write_text("x = 7\n", encoding="utf-8")  # the same size
    os.utime(files[1], ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same mtime: the ctime still moved
    monkeypatch.setattr(cachefs, "_KNOWN", {})
    second = cachefs.files_digest("k", files, compute)
    assert second != first and second == compute() and len(calls) == 3


def test_nothing_is_kept_for_a_file_that_just_changed_or_is_missing(cache, tmp_path, monkeypatch):
    monkeypatch.setattr(cachefs, "RACY_NS", 60_000_000_000)  # every file changed less than this ago
    files = _files(tmp_path)
    compute, calls = _content(files)
    cachefs.files_digest("k", files, compute)
    assert not (cache / "digests").exists()
    monkeypatch.setattr(cachefs, "_KNOWN", {})
    assert cachefs.files_digest("k", [*files, tmp_path / "missing.py"], lambda: "computed") == "computed"
    assert not (cache / "digests").exists()


def test_a_damaged_entry_is_computed_again(cache, tmp_path, monkeypatch):
    files = _files(tmp_path)
    compute, calls = _content(files)
    first = cachefs.files_digest("k", files, compute)
    entry = next((cache / "digests").glob("*.json"))
    entry.write_text(entry.read_text(encoding="utf-8").replace(first, "0" * 64), encoding="utf-8")
    monkeypatch.setattr(cachefs, "_KNOWN", {})
    assert cachefs.files_digest("k", files, compute) == first and len(calls) == 2


def test_contents_digest_covers_names_and_bytes(cache, tmp_path, monkeypatch):
    files = _files(tmp_path)
    first = cachefs.contents_digest("k", files, tmp_path)
    assert first == hashlib.sha256(b"".join(f"{f.name}".encode() + b"\0" + f.read_bytes() + b"\0"
                                            for f in files)).hexdigest()
    moved = tmp_path / "sub"
    moved.mkdir()
    renamed = [moved / f.name for f in files]
    for a, b in zip(files, renamed, strict=True):
        b.write_bytes(a.read_bytes())
    assert cachefs.contents_digest("k", renamed, tmp_path) != first  # the names count, relative to root
