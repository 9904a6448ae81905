"""The plan file: the 14 measures as the plan states them, and a malformed file refused with
an error that names the file, the place and the problem."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from supervision.domain.plan import PlanError, deadline_day
from supervision.plan import DEFAULT_PLAN, load_plan


def raw_plan() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(DEFAULT_PLAN.read_text(encoding="utf-8"))
    return data


def written(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def then_refused(tmp_path: Path, data: Any, *fragments: str) -> None:
    path = written(tmp_path, data)
    with pytest.raises(PlanError) as err:
        load_plan(path)
    message = str(err.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message


# --- the plan as the text states it ----------------------------------------------------------


def test_the_plan_has_fourteen_measures_in_four_groups() -> None:
    plan = load_plan()
    assert [m.number for m in plan.measures] == list(range(1, 15))
    assert [g.title for g in plan.groups] == [
        "抓民生实事，不断夯实服务群众基础",
        "抓组织建设，不断推进基层治理创新",
        "抓党员管理，不断提升基层队伍素质",
        "抓四风整治，不断促进干部作风转变",
    ]
    assert [m.group for m in plan.measures] == [1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4]


def test_each_measure_has_the_lead_and_deadline_the_plan_names() -> None:
    plan = load_plan()
    leads = {m.number: (m.lead_post, m.lead_units, m.deadline) for m in plan.measures}
    assert leads[1] == (
        "分管农业的负责人",
        ("扶贫办", "民政与社会保障办", "中心校", "卫生院"),
        "2016-12",
    )
    assert leads[2] == ("分管实事工作的负责人", ("民政与社会保障办",), "2016-12")
    assert leads[3] == (
        "分管党政综合办的负责人",
        ("党政综合办", "民政与社会保障办", "政务中心"),
        "2017-12",
    )
    assert leads[4] == ("分管经济发展工作的负责人", ("经济发展办",), "2017-12")
    assert leads[7] == ("党委副书记", ("综治维稳办",), "2016-12")
    assert leads[10] == ("组织委员", ("党建工作站",), "长期")
    assert leads[11] == ("组织委员", ("党建工作站",), "长期")
    assert leads[12] == ("纪委书记", ("督查室",), "长期")
    assert leads[13] == ("纪委书记", ("镇纪委",), "2016-12")
    assert leads[14] == ("分管经济发展工作的负责人", ("财政所", "经济发展办"), "2016-12")


def test_targets_carry_the_plans_numbers() -> None:
    plan = load_plan()
    one = {t.key: (t.quantity, t.unit) for t in plan.measure(1).targets}
    assert one["posts"] == (50, "个")
    assert one["students"] == (10, "名")
    assert one["free-clinics"] == (4, "场")
    five = {t.key: (t.quantity, t.unit) for t in plan.measure(5).targets}
    assert five["leader-visits"] == (4, "次")
    assert five["household-visits"] == (100, "%")
    assert len(plan.measure(13).problems) == 8
    assert len(plan.measure(14).problems) == 9


def test_a_month_deadline_means_the_end_of_that_month() -> None:
    assert deadline_day("2016-12") == dt.date(2016, 12, 31)
    assert deadline_day("2017-02") == dt.date(2017, 2, 28)
    assert deadline_day("长期") is None
    assert load_plan().measure(3).due_on == dt.date(2017, 12, 31)


# --- a malformed file ------------------------------------------------------------------------


def test_a_missing_measure_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    del data["measures"][6]
    then_refused(tmp_path, data, "measures", "1–14")


def test_a_malformed_deadline_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][3]["deadline"] = "2017年12月"
    then_refused(tmp_path, data, "measures[3].deadline", "2017年12月")


def test_a_month_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0]["deadline"] = "2016-13"
    then_refused(tmp_path, data, "measures[0].deadline", "month 13")


def test_a_lead_post_the_plan_does_not_name_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0]["lead_post"] = "农业局长"
    then_refused(tmp_path, data, "measures[0].lead_post", "农业局长")


def test_a_lead_unit_the_plan_does_not_name_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][4]["lead_units"] = ["党建工作室"]
    then_refused(tmp_path, data, "measures[4].lead_units[0]", "党建工作室")


def test_a_missing_field_is_named(tmp_path: Path) -> None:
    data = raw_plan()
    del data["measures"][2]["title"]
    then_refused(tmp_path, data, "measures[2].title", "missing")


def test_a_misspelt_key_is_named(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][1]["lead_psot"] = data["measures"][1]["lead_post"]
    then_refused(tmp_path, data, "measures[1]", "lead_psot")


def test_a_group_out_of_range_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0]["group"] = 5
    then_refused(tmp_path, data, "measures[0].group", "1–4")


def test_a_quantity_without_its_unit_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    del data["measures"][0]["targets"][3]["unit"]
    then_refused(tmp_path, data, "measures[0].targets[3].unit")


def test_a_negative_quantity_is_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0]["targets"][3]["quantity"] = -50
    then_refused(tmp_path, data, "measures[0].targets[3].quantity", "-50")


def test_duplicate_target_keys_are_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0]["targets"][1]["key"] = data["measures"][0]["targets"][0]["key"]
    then_refused(tmp_path, data, "measures[0].targets", "unique")


def test_measures_out_of_order_are_refused(tmp_path: Path) -> None:
    data = raw_plan()
    data["measures"][0], data["measures"][1] = data["measures"][1], data["measures"][0]
    then_refused(tmp_path, data, "measures", "in order")


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    then_refused(tmp_path, ["not", "a", "plan"], "(top level)", "mapping")


def test_text_that_is_not_yaml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("plan: [unclosed\n  measures: {", encoding="utf-8")
    with pytest.raises(PlanError, match="not valid YAML"):
        load_plan(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="cannot be read"):
        load_plan(tmp_path / "2099.yaml")


def test_the_service_does_not_start_on_a_malformed_plan(tmp_path: Path) -> None:
    from supervision.bootstrap import build_app

    from shared.settings import Settings
    from shared.testing import key_settings

    data = raw_plan()
    data["measures"][11]["deadline"] = "someday"
    path = written(tmp_path, data)
    with pytest.raises(PlanError, match=r"measures\[11\]\.deadline"):
        build_app(Settings(**key_settings()), plan_path=path)
