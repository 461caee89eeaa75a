"""Loading blacklist files: CSV, YAML, JSON, and every malformed case naming file and line."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from checker.blacklist import BlacklistError, load_blacklist, load_blacklists
from checker.errors import StarcheckError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GOOD_CODE = "91440300MA5FXK2N7Q"  # check character computed with GB 32100-2015
BAD_CODE = "91440300MA5FXK2N7R"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("name", ["blacklist-example.yaml", "blacklist-example.csv"])
def test_examples_load_and_agree(name):
    entries = load_blacklist(EXAMPLES / name)
    assert [e.name for e in entries] == [
        "王建华",
        "深圳市恒瑞达精密电子有限公司",
        "北京明正会计师事务所（特殊普通合伙）",
        "陈思远",
    ]
    org = entries[1]
    assert org.type == "organization"
    assert org.aliases == ("恒瑞达精密", "Hengruida Precision Electronics Co., Ltd.")
    assert org.credit_code == GOOD_CODE
    assert org.listed_on == date(2022, 6, 1) and org.expires_on == date(2027, 5, 31)
    assert org.list_file.endswith(name) and org.line is not None


def test_yaml_lines_and_defaults():
    entries = load_blacklist(EXAMPLES / "blacklist-example.yaml")
    text = (EXAMPLES / "blacklist-example.yaml").read_text(encoding="utf-8").splitlines()
    for e in entries:
        assert e.name in text[e.line - 1]  # the line of the entry's mapping
    assert entries[0].source == "示例：证监会市场禁入决定汇总（虚构）"  # list-level default
    assert entries[1].source == "上交所纪律处分决定（虚构）"  # entry's own


def test_csv_physical_lines_with_multiline_field(tmp_path):
    p = write(
        tmp_path,
        "l.csv",
        'name,type,reason\n张三,person,"第一行\n第二行"\n李四,person,x\n',
    )
    entries = load_blacklist(p)
    assert [(e.name, e.line) for e in entries] == [("张三", 2), ("李四", 4)]


def test_csv_gb18030_and_bom(tmp_path):
    p = tmp_path / "gbk.csv"
    p.write_bytes("name,type\n王五,个人\n某某有限公司,机构\n".encode("gb18030"))
    assert [(e.name, e.type) for e in load_blacklist(p)] == [
        ("王五", "person"),
        ("某某有限公司", "organization"),
    ]
    q = tmp_path / "bom.csv"
    q.write_bytes("\ufeffname,type\n王五,person\n".encode())
    assert load_blacklist(q)[0].name == "王五"


def test_json_plain_and_wrapped(tmp_path):
    data = [
        {"name": "张三", "type": "person"},
        {"name": "某某科技有限公司", "type": "organization", "credit_code": GOOD_CODE},
    ]
    p = write(tmp_path, "a.json", json.dumps(data, ensure_ascii=False, indent=2))
    entries = load_blacklist(p)
    assert [e.line for e in entries] == [2, 6]
    q = write(tmp_path, "b.json", json.dumps({"source": "S", "entries": data}, ensure_ascii=False))
    entries = load_blacklist(q)
    assert [e.source for e in entries] == ["S", "S"] and entries[0].line == 1


def test_load_several_files_keeps_origin():
    entries = load_blacklists([EXAMPLES / "blacklist-example.yaml", EXAMPLES / "blacklist-example.csv"])
    assert len(entries) == 8
    assert {Path(e.list_file).suffix for e in entries} == {".yaml", ".csv"}


# ---------------------------------------------------------------- malformed files

MALFORMED = [
    # (file name, content, expected line, fragment of the message)
    ("bad.yaml", "entries:\n  - name: 张三\n    type: person\n  - name: [unclosed\n", 5, "malformed YAML"),
    ("missing_type.yaml", "- name: 张三\n  type: person\n- name: 李四\n  reason: x\n", 3, "'type'"),
    ("bad_type.yaml", "- name: 张三\n  type: people\n", 1, "unknown"),
    (
        "bad_date.yaml",
        "- name: 张三\n  type: person\n\n- name: 李四\n  type: person\n  expires_on: 2024-13-01\n",
        4,
        "ISO date",
    ),
    (
        "bad_code.yaml",
        f"- name: 某某有限公司\n  type: organization\n  credit_code: {BAD_CODE}\n",
        1,
        "GB 32100",
    ),
    ("typo_field.yaml", "- name: 张三\n  type: person\n  expire_on: 2024-01-01\n", 1, "expire_on"),
    (
        "dates_reversed.yaml",
        "- name: 张三\n  type: person\n  listed_on: 2024-01-02\n  expires_on: 2024-01-01\n",
        1,
        "before",
    ),
    ("not_a_list.yaml", "name: 张三\n", 1, "unknown top-level key"),
    ("empty.yaml", "", 1, "empty"),
    ("no_name.csv", "name,type\n张三,person\n,person\n", 3, "'name'"),
    ("bad_type.csv", "name,type\n张三,person\n李四,robot\n", 3, "robot"),
    ("bad_date.csv", "name,type,listed_on\n张三,person,2024/01/01\n", 2, "ISO date"),
    (
        "bad_code.csv",
        f"name,type,credit_code\n张三,person,\n某某有限公司,organization,{BAD_CODE}\n",
        3,
        "GB 32100",
    ),
    ("short_code.csv", "name,type,credit_code\n某某有限公司,organization,9144030\n", 2, "18"),
    ("extra_field.csv", "name,type\n某某有限公司,organization,x,y\n", 2, "unquoted comma"),
    ("bad_header.csv", "name,kind\n张三,person\n", 1, "kind"),
    ("no_type_col.csv", "name,reason\n张三,x\n", 1, "'type'"),
    ("quote.csv", 'name,type,reason\n张三,person,"unterminated\n', 2, "malformed CSV"),
    ("bad.json", '[\n  {"name": "张三", "type": "person"},\n  {"name": }\n]\n', 3, "malformed JSON"),
    (
        "bad_type.json",
        '[\n  {"name": "张三", "type": "person"},\n  {"name": "李四", "type": "x"}\n]\n',
        3,
        "entry [1]",
    ),
    ("bad.txt", "whatever", None, "unsupported extension"),
]


@pytest.mark.parametrize(("fname", "content", "line", "fragment"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_lists_name_file_and_line(tmp_path, fname, content, line, fragment):
    p = write(tmp_path, fname, content)
    with pytest.raises(BlacklistError) as info:
        load_blacklist(p)
    err = info.value
    assert isinstance(err, StarcheckError) and err.code == "blacklist_error"
    assert str(p) in err.message
    assert err.line == line
    if line is not None:
        assert f"line {line}:" in err.message
    assert fragment in err.message


def test_missing_file(tmp_path):
    with pytest.raises(BlacklistError) as info:
        load_blacklist(tmp_path / "nope.csv")
    assert "cannot read" in info.value.message and "nope.csv" in info.value.message


def test_yaml_loader_is_safe(tmp_path):
    p = write(tmp_path, "evil.yaml", "- name: !!python/object/apply:os.system ['echo hi']\n  type: person\n")
    with pytest.raises(BlacklistError) as info:
        load_blacklist(p)
    assert info.value.line == 1
