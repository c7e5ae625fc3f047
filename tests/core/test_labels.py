"""Result titles as axis and table labels: a unit named once."""
def test_result_titles_name_a_unit_once():
    from core.model import RESULT_LABELS, result_title
    assert result_title("stack_gravimetric_Wh_kg") == "Stack Wh/kg"
    assert result_title("cost_USD_kWh") == "Materials cost (USD/kWh)"
    for key, (label, unit) in RESULT_LABELS.items():
        title = result_title(key)
        assert title.count(unit) == label.count(unit) + (0 if label.endswith(unit) else 1) if unit else title == label
