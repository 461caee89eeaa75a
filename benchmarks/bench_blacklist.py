"""Benchmark: screen one filing's ~60 parties against a synthetic 100,000-entry blacklist.

Prints the index build time, the screening time (indexed) and, in the same run, a naive baseline that
loops over the whole list for every subject (with the list's keys already normalised, so the baseline
is only the comparison loop), plus the ratio. Also times loading the list from a CSV file.

    python benchmarks/bench_blacklist.py [--entries 100000] [--seed 7] [--repeat 5]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from checker.blacklist import Entry, Subject, build_index, check_char, load_blacklist, screen
from checker.blacklist.creditcode import CHARSET
from checker.blacklist.normalize import name_key, within_one_edit

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
COMPOUND = ("欧阳", "司马", "上官", "诸葛")
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志宏文斌鹏飞辉波宇浩凯婷雪琳晨欣怡子轩梓涵"
    "思远晓红海燕春梅立新永振东小龙德云佳俊博翔一鸣嘉瑞天宁安晶玉"
)
REGIONS = (
    "北京",
    "北京市",
    "上海",
    "上海市",
    "深圳市",
    "广州市",
    "杭州",
    "苏州",
    "南京",
    "成都",
    "武汉",
    "合肥",
    "西安",
    "天津",
    "无锡",
    "宁波",
    "厦门",
    "青岛",
    "长沙",
    "珠海",
    "",
    "",
)
BRAND = "星辰华创恒瑞达精微芯源科泰联合天宇中科博睿汇金鼎盛海纳百川新元宏图卓越智联鑫瑞明正信达安捷晶"
INDUSTRY = (
    "科技",
    "电子",
    "微电子",
    "半导体",
    "生物医药",
    "新材料",
    "智能装备",
    "信息技术",
    "软件",
    "光电",
    "投资管理",
    "创业投资",
    "实业",
    "医疗器械",
    "新能源",
    "精密制造",
    "通信技术",
    "数据服务",
)
FORMS = (
    "有限公司",
    "股份有限公司",
    "有限责任公司",
    "合伙企业（有限合伙）",
    "集团有限公司",
)
PINYIN_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou")
PINYIN_GIVEN = ("Wei", "Fang", "Jianhua", "Min", "Lei", "Tao", "Xiaohong", "Haiyan", "Yuxuan", "Jun")


def person_name(rng: random.Random) -> str:
    sur = rng.choice(COMPOUND) if rng.random() < 0.01 else rng.choice(SURNAMES)
    return sur + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))


def org_name(rng: random.Random) -> str:
    return (
        rng.choice(REGIONS)
        + "".join(rng.choice(BRAND) for _ in range(rng.choice((2, 2, 3))))
        + rng.choice(INDUSTRY)
        + rng.choice(FORMS)
    )


def credit_code(rng: random.Random) -> str:
    base = (
        "91"
        + rng.choice(("110108", "310115", "440300", "320594", "330106"))
        + "".join(rng.choice(CHARSET) for _ in range(9))
    )
    return base + check_char(base)


def synthetic_list(n: int, rng: random.Random) -> list[Entry]:
    out: list[Entry] = []
    start = date(2015, 1, 1)
    for i in range(n):
        listed = start + timedelta(days=rng.randrange(3650))
        expires = listed + timedelta(days=rng.randrange(180, 3650)) if rng.random() < 0.6 else None
        r = rng.random()
        if r < 0.55:
            e = Entry(person_name(rng), "person", listed_on=listed, expires_on=expires)
        elif r < 0.60:
            e = Entry(
                f"{rng.choice(PINYIN_SURNAMES)} {rng.choice(PINYIN_GIVEN)}",
                "person",
                listed_on=listed,
                expires_on=expires,
            )
        else:
            name = org_name(rng)
            aliases = (name[:6],) if rng.random() < 0.2 else ()
            e = Entry(
                name,
                "organization",
                aliases=aliases,
                credit_code=credit_code(rng),
                listed_on=listed,
                expires_on=expires,
            )
        out.append(
            Entry(
                **{
                    **_fields(e),
                    "reason": "synthetic",
                    "source": "bench",
                    "list_file": "synthetic",
                    "line": i + 2,
                    "position": i,
                }
            )
        )
    return out


def _fields(e: Entry) -> dict:
    return {f: getattr(e, f) for f in Entry.__dataclass_fields__}


def filing_subjects(rng: random.Random, planted: list[Entry]) -> list[Subject]:
    subjects: list[Subject] = []
    roles = (
        [("issuer", "organization")]
        + [("shareholder_5pct", "organization")] * 8
        + [("director", "person")] * 9
        + [("supervisor", "person")] * 3
        + [("senior_management", "person")] * 6
        + [("core_technical_staff", "person")] * 5
        + [("shareholder_5pct", "person")] * 4
        + [
            ("sponsor", "organization"),
            ("law_firm", "organization"),
            ("auditor", "organization"),
            ("appraiser", "organization"),
        ]
        + [("sponsor_representative", "person")] * 2
        + [("lawyer", "person")] * 3
        + [("accountant", "person")] * 2
        + [("controlling_shareholder", "organization")]
        + [("actual_controller", "person")] * 2
        + [("director", "person")] * 10
    )
    for role, type_ in roles:
        name = org_name(rng) if type_ == "organization" else person_name(rng)
        subjects.append(Subject(name=name, type=type_, roles=[role]))
    # planted: exact hits and a one-character organisation variant
    for e in planted[:3]:
        subjects.append(Subject(name=e.name, type=e.type, roles=["director"]))
    org = next(e for e in planted if e.type == "organization")
    subjects.append(
        Subject(name=org.name.replace(org.name[-5], "汇", 1), type="organization", roles=["auditor"])
    )
    return subjects


def naive_screen(subjects: list[Subject], keyed: list[tuple[Entry, list[str]]]) -> set[tuple[str, str]]:
    """Baseline: for every subject, loop over every entry (keys precomputed)."""
    found: set[tuple[str, str]] = set()
    for s in subjects:
        sk = name_key(s.name, s.type)
        for e, keys in keyed:
            for k in keys:
                if k == sk or (
                    s.type == "organization"
                    and e.type == "organization"
                    and len(k) >= 4
                    and len(sk) >= 4
                    and within_one_edit(k, sk)
                ):
                    found.add((s.name, e.name))
                    break
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)

    t = time.perf_counter()
    entries = synthetic_list(args.entries, rng)
    gen_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "list.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(
                ["name", "type", "aliases", "credit_code", "reason", "source", "listed_on", "expires_on"]
            )
            for e in entries:
                w.writerow(
                    [
                        e.name,
                        e.type,
                        "|".join(e.aliases),
                        e.credit_code or "",
                        e.reason,
                        e.source,
                        e.listed_on or "",
                        e.expires_on or "",
                    ]
                )
        t = time.perf_counter()
        loaded = load_blacklist(path)
        load_s = time.perf_counter() - t
    assert len(loaded) == len(entries)

    t = time.perf_counter()
    index = build_index(entries)
    build_s = time.perf_counter() - t

    planted = [entries[rng.randrange(len(entries))] for _ in range(3)]
    planted.append(next(e for e in entries[rng.randrange(1000) :] if e.type == "organization"))
    subjects = filing_subjects(rng, planted)
    as_of = date(2025, 6, 30)

    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = screen(subjects, index, as_of)
        times.append(time.perf_counter() - t)
    screen_s = statistics.median(times)

    keyed = [(e, [name_key(n, e.type) for n in (e.name, *e.aliases)]) for e in entries]
    t = time.perf_counter()
    naive = naive_screen(subjects, keyed)
    naive_s = time.perf_counter() - t

    indexed = {
        (m.subject.name, m.entry.name)
        for m in result.hits + result.near_misses + result.expired
        if m.basis in ("name", "alias", "edit_distance")
    }
    agree = indexed == naive

    print(f"entries: {len(entries):,}  subjects: {len(subjects)}  as_of: {as_of}")
    print(f"generate list          {gen_s:8.3f} s")
    print(f"load CSV (validated)   {load_s:8.3f} s")
    print(f"build index            {build_s:8.3f} s  (once per set of lists)")
    print(
        f"screen, indexed        {times[0] * 1000:8.2f} ms first run, "
        f"{screen_s * 1000:.2f} ms median of {args.repeat}"
    )
    print(f"screen, naive loop     {naive_s * 1000:8.2f} ms (baseline, keys precomputed)")
    print(f"speed-up               {naive_s / screen_s:8.0f} x")
    print(
        f"hits {len(result.hits)}, near misses {len(result.near_misses)}, "
        f"inactive {len(result.expired)}; name/alias/edit matches agree with baseline: {agree}"
    )


if __name__ == "__main__":
    main()
