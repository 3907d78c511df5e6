"""portal.forms: how a service's ValidationError lands on a form (apply_errors), and the
summary of a page's errors above it (error_summary, templates/portal/forms/errors.html)."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.loader import render_to_string
from django.test.signals import template_rendered

from portal.forms import Rows, apply_errors, error_summary


class NameForm(forms.Form):
    name = forms.CharField(label="名称")
    when = forms.ChoiceField(label="时段", choices=[("am", "上午")], widget=forms.RadioSelect)


def bound():
    form = NameForm({"name": "x", "when": "am"})
    assert form.is_valid()
    return form


def test_a_named_field_gets_its_message_and_others_go_above_the_form():
    form = bound()
    kept = apply_errors(
        form, ValidationError({"name": "taken", "elsewhere": "no", NON_FIELD_ERRORS: "all"})
    )
    assert kept == []
    assert form.errors["name"] == ["taken"]
    assert form.non_field_errors() == ["no", "all"]


def test_an_error_naming_no_field_goes_above_the_form():
    form = bound()
    assert apply_errors(form, ValidationError(["one", "two"])) == []
    assert form.non_field_errors() == ["one", "two"]


def test_separate_keys_are_returned_for_the_page():
    form = bound()
    kept = apply_errors(
        form, ValidationError({"rows": ["row 2"], "name": "taken"}), separate=["rows"]
    )
    assert kept == ["row 2"]
    assert form.errors == {"name": ["taken"]}


def test_the_summary_lists_every_error_with_the_id_of_its_field():
    form = NameForm({"name": "", "when": "pm"})
    form.add_error(None, "整体有误")
    rows = forms.formset_factory(NameForm, extra=0)(
        {"r-TOTAL_FORMS": "1", "r-INITIAL_FORMS": "0", "r-0-name": "", "r-0-when": "am"},
        prefix="r",
    )
    items = error_summary(form, Rows(rows, lambda number, _row: f"第{number}行", "rows"))
    assert [(item["label"], item["anchor"]) for item in items] == [
        ("", ""),  # the form as a whole: no field to go to
        ("名称", "id_name"),
        ("时段", "id_when_0"),  # radios: the first
        ("第1行 · 名称", "id_r-0-name"),
    ]


def test_every_page_including_the_summary_gets_a_counted_linked_list():
    form = NameForm({"name": "", "when": "am"})
    html = render_to_string("portal/forms/errors.html", {"form": form})
    assert "请修改以下1处错误" in html
    assert '<a href="#id_name">名称：这个字段是必填项。</a>' in html
    assert 'role="alert"' in html and "portal/error_summary.js" in html
    assert render_to_string("portal/forms/errors.html", {"form": bound()}).strip() == ""


class PlacesForm(forms.Form):
    place = forms.ChoiceField(
        label="地点",
        choices=[
            ("", "全部"),
            ("浆洗街街道", [(1, '锦里 <社区> & "新"'), (2, "洗面桥社区")]),
            (3, "望江路街道本级"),
        ],
    )
    places = forms.MultipleChoiceField(
        label="多选", choices=[(1, "甲"), (2, "乙")], required=False, disabled=True
    )
    answered = forms.NullBooleanField(label="已答复")


def test_a_select_is_written_out_as_djangos_templates_would_render_it():
    """portal.forms.select_markup stands in for the select templates (a city's filter lists
    1,500 communities): the markup must be the same, escaping, groups and choices included."""
    from django.forms.renderers import TemplatesSetting

    data = {"place": "2", "places": ["1", "2"], "answered": "true"}
    ours, templates = PlacesForm(data), PlacesForm(data, renderer=TemplatesSetting())
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        for name in ("place", "places", "answered"):
            assert ours[name].as_widget() == templates[name].as_widget()
    finally:
        template_rendered.disconnect(record)
    assert rendered.count("django/forms/widgets/select_option.html") == 4 + 2 + 3  # theirs only
    assert '<option value="2" selected>洗面桥社区</option>' in ours["place"].as_widget()
    assert "锦里 &lt;社区&gt; &amp; &quot;新&quot;" in ours["place"].as_widget()
