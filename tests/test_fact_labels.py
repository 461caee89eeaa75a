"""Every registered fact path has a people's label in both languages (templates/fact_labels.yaml)."""

from checker.facts.registry import example, registry
from checker.report.labels import fact_label, is_labelled


def test_every_registered_fact_has_both_labels():
    unlabelled = []
    for spec in registry():
        path = example(spec.path)
        if not is_labelled(path) or not all(fact_label(path, lang).strip() for lang in ("zh", "en")):
            unlabelled.append(spec.path)
    assert unlabelled == []


def test_labels_are_plain_strings():
    import yaml

    from checker import resources

    data = yaml.safe_load((resources.templates_dir() / "fact_labels.yaml").read_text(encoding="utf-8"))
    for section in ("labels", "names"):
        for key, pair in data[section].items():
            assert isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair), key


def test_year_and_family_labels():
    assert fact_label("financials.revenue.2024", "zh") == "2024年营业收入"
    assert fact_label("financials.revenue.2024", "en") == "revenue 2024"
    assert fact_label("disclosure.item_related_party", "zh") == "必备事项：关联交易"
    assert fact_label("disclosure.declaration_sponsor", "en") == "Declaration: sponsor"
    assert fact_label("no.such.path", "zh") == "no.such.path"
