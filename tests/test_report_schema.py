"""The JSON report schema: generated file up to date, and real reports validate against it."""

from __future__ import annotations

import copy
import json

import jsonschema
import pytest
from test_report_fixtures import sample_report

from checker.report.schema import build_schema, default_path, is_up_to_date, render_schema


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(default_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_file_is_up_to_date() -> None:
    assert is_up_to_date(), "run: python -m checker.report.schema"
    assert json.loads(render_schema()) == build_schema()


def test_rendered_report_validates(validator) -> None:
    doc = sample_report(evil_quote=True).model_dump(mode="json")
    validator.validate(doc)
    assert doc["documents"][0]["facts"][1]["value"] == 3000000000  # Decimal money -> JSON number


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(schema_version="2"),
        lambda d: d["documents"][0].update(status="ok"),
        lambda d: d["documents"][0]["findings"][0].update(status="unknown"),
        lambda d: d["documents"][0]["findings"][0].update(severity="critical"),
        lambda d: d["documents"][0]["findings"][0].update(rule_id="LS002"),
        lambda d: d["documents"][0]["summary"].pop("waived"),
        lambda d: d["documents"][0]["findings"][0]["evidence"][0].update(page=0),
        lambda d: d["ruleset"].update(as_of="30/06/2024"),
        lambda d: d["documents"][0]["findings"][0].pop("fingerprint"),
    ],
)
def test_contract_violations_are_rejected(validator, mutate) -> None:
    doc = copy.deepcopy(sample_report().model_dump(mode="json"))
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(doc)


def test_render_json_writes_what_the_stdlib_writes() -> None:
    from checker.report.jsonout import render_json

    report = sample_report(evil_quote=True)
    text = render_json(report)
    dumped = report.model_dump(mode="json")
    assert json.loads(text) == dumped
    assert text == json.dumps(dumped, ensure_ascii=False, indent=2) + "\n"


def test_render_json_falls_back_on_text_pydantic_cannot_encode() -> None:
    from checker.report.jsonout import render_json

    report = sample_report()
    report.documents[0].warnings.append("a lone surrogate \ud800 from a broken export")
    text = render_json(report)
    assert "\ud800" in text  # written as the stdlib writes it
