"""portal.forms.apply_errors: how a service's ValidationError lands on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from portal.forms import apply_errors


class NameForm(forms.Form):
    name = forms.CharField()


def bound():
    form = NameForm({"name": "x"})
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
