from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import workspace as ws

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**9, 10**9) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@given(
    modules=st.dictionaries(
        st.sampled_from(["s1_1", "s1_2", "s3_2", "s3_5"]),
        st.dictionaries(st.text(min_size=1, max_size=10).filter(lambda k: k != "_done"), json_values, max_size=4),
        max_size=4,
    ),
    name=st.text(max_size=12),
)
def test_round_trip(modules: dict, name: str) -> None:
    original = ws.new_workspace()
    original["trainee"]["name"] = name
    for module_id, values in modules.items():
        ws.set_values(original, module_id, **values)
    assert ws.from_json(ws.to_json(original)) == original


def test_defaults_first_then_trainee_values() -> None:
    work = ws.new_workspace()
    ws.set_values(work, "s1_2", target=2_000_000)
    merged = ws.module_values(work, "s1_2", {"target": 1_000_000, "period": "month"})
    assert merged == {"target": 2_000_000, "period": "month"}
    merged["target"] = 5  # a copy: editing it does not touch the workspace
    assert work["modules"]["s1_2"]["target"] == 2_000_000


def test_progress_counts_done_modules() -> None:
    work = ws.new_workspace()
    ws.mark_done(work, "book")
    ws.set_values(work, "s1_1", q1=3)
    assert ws.progress(work, ["book", "s1_1", "s1_2"]) == (1, 3)
    assert ws.is_started(work, "s1_1") and not ws.is_done(work, "s1_1")


def test_rejects_non_json_values() -> None:
    with pytest.raises(TypeError):
        ws.set_values(ws.new_workspace(), "s1_1", when=object())


@pytest.mark.parametrize(
    "text, code, fragment, english",
    [
        ("not json", "not_json", "JSON", "not valid JSON"),
        ("[" * 100_000, "not_json", "JSON", "not valid JSON"),  # nesting deep enough to exhaust recursion
        ('{"modules": {"s1_2": {"target": NaN}}}', "not_json", "JSON", "not valid JSON"),  # could not be saved back
        (json.dumps({"version": 99, "modules": {}}), "too_new", "99", "version 99"),
        (json.dumps([1, 2]), "bad_shape", "格式", "format"),
        (json.dumps({"trainee": "段誉"}), "bad_shape", "格式", "format"),
        (json.dumps({"version": True}), "bad_shape", "格式", "format"),
    ],
)
def test_bad_saved_workspace_gets_a_message_in_each_language(text: str, code: str, fragment: str,
                                                             english: str) -> None:
    with pytest.raises(ws.WorkspaceError, match=fragment) as caught:
        ws.from_json(text)
    assert caught.value.code == code and isinstance(caught.value, ValueError)
    assert english in caught.value.text("en")


@given(st.one_of(st.text(max_size=60), st.binary(max_size=60), json_values.map(json.dumps),
                 st.dictionaries(st.sampled_from(["version", "trainee", "modules"]), json_values).map(json.dumps)))
def test_any_saved_text_opens_or_raises_only_workspace_error(text: str | bytes) -> None:
    try:
        work = ws.from_json(text)
    except ws.WorkspaceError as err:
        assert str(err) and "⟦" not in err.text("en")
    else:
        assert work["version"] == ws.SCHEMA_VERSION and isinstance(work["modules"], dict)
        assert ws.from_json(ws.to_json(work)) == work


def test_older_version_opens_with_new_defaults() -> None:
    old = {"version": 0, "modules": {"s1_2": {"target": 3}}}
    work = ws.from_json(json.dumps(old))
    assert work["version"] == ws.SCHEMA_VERSION
    assert work["trainee"] == {"name": "", "group": "", "workshop": ""}
    assert ws.module_values(work, "s1_2", {"period": "month"}) == {"target": 3, "period": "month"}


# ---- what changed (two tabs on one link) ------------------------------------------------------------------------

module_maps = st.dictionaries(
    st.sampled_from(["book", "s1_1", "s1_2", "s3_5"]),
    st.dictionaries(st.sampled_from(["a", "b", "note", "_done"]), json_values, min_size=1, max_size=3),
    max_size=3,
)
trainees = st.fixed_dictionaries({"name": st.text(max_size=5), "group": st.text(max_size=5),
                                  "workshop": st.text(max_size=5)})


def _built(modules: dict, trainee: dict) -> ws.Workspace:
    work = ws.new_workspace()
    work["trainee"].update(trainee)
    for module_id, values in modules.items():
        ws.set_values(work, module_id, **values)
    return work


@given(before_modules=module_maps, after_modules=module_maps, before_trainee=trainees, after_trainee=trainees)
def test_applying_the_changes_turns_before_into_after(before_modules: dict, after_modules: dict,
                                                      before_trainee: dict, after_trainee: dict) -> None:
    before, after = _built(before_modules, before_trainee), _built(after_modules, after_trainee)
    result = ws.apply_changes(before, ws.changes(before, after))
    # equal up to a module left without inputs (an empty module and a missing one read the same)
    assert {k: v for k, v in result["modules"].items() if v} == {k: v for k, v in after["modules"].items() if v}
    assert result["trainee"] == after["trainee"]
    assert ws.changes(after, after) == []


def test_changes_from_two_tabs_both_survive_value_by_value() -> None:
    base = ws.new_workspace()
    ws.set_values(base, "s1_2", target=1, period="month")
    laptop, phone = ws.from_json(ws.to_json(base)), ws.from_json(ws.to_json(base))
    ws.set_values(laptop, "s1_2", target=2)  # same module, different inputs
    ws.set_values(phone, "s1_2", period="year")
    ws.set_trainee(phone, name="张三")
    merged = ws.apply_changes(ws.apply_changes(base, ws.changes(base, laptop)), ws.changes(base, phone))
    assert merged["modules"]["s1_2"] == {"target": 2, "period": "year"}
    assert merged["trainee"] == {"name": "张三", "group": "", "workshop": ""}
    assert base["modules"]["s1_2"] == {"target": 1, "period": "month"}  # a copy: the original is untouched


def test_removed_inputs_are_removed() -> None:
    before = ws.new_workspace()
    ws.set_values(before, "s3_5", receipt={"number": 1}, reflection="x")
    after = ws.from_json(ws.to_json(before))
    del after["modules"]["s3_5"]["receipt"]
    assert ws.changes(before, after) == [(("modules", "s3_5", "receipt"), ws.REMOVED)]
    assert ws.apply_changes(before, ws.changes(before, after))["modules"]["s3_5"] == {"reflection": "x"}


def test_trainee_identity_and_module_status() -> None:
    work = ws.new_workspace()
    assert ws.trainee(work) == {"name": "", "group": "", "workshop": ""}
    ws.set_trainee(work, name="  张三 ", workshop="BJ1205")
    assert ws.trainee(work) == {"name": "张三", "group": "", "workshop": "BJ1205"}
    with pytest.raises(TypeError):
        ws.set_trainee(work, phone="138")
    ws.set_values(work, "s1_1", note="x")
    ws.mark_done(work, "s1_2")
    assert [ws.module_status(work, m) for m in ("s1_1", "s1_2", "s1_3")] == ["started", "done", "new"]


def test_a_seen_lecture_is_kept_but_is_no_start() -> None:
    # Opening a page marks its lecture seen (later visits fold it); that is not work on the module.
    work = ws.new_workspace()
    assert not ws.is_seen(work, "s1_3")
    ws.mark_seen(work, "s1_3")
    assert ws.is_seen(work, "s1_3")
    assert not ws.is_started(work, "s1_3") and ws.module_status(work, "s1_3") == "new"
    assert ws.module_values(work, "s1_3") == {}  # the page's inputs are untouched
    assert ws.is_seen(ws.from_json(ws.to_json(work)), "s1_3")  # saved with the work
    ws.set_values(work, "s1_3", next_focus="邀约")
    assert ws.is_started(work, "s1_3") and ws.is_seen(work, "s1_3")


def test_an_input_may_be_named_like_the_functions_own_parameters() -> None:
    # hypothesis found it: an input called "workspace" or "module_id" is a value, not a second argument
    work = ws.new_workspace()
    ws.set_values(work, "s1_1", workspace=None, module_id="x")
    assert ws.module_values(work, "s1_1") == {"workspace": None, "module_id": "x"}
