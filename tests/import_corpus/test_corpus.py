"""Each workbook of the corpus (build.py), made the way clerks make them, uploaded through
the admin import page by a logged-in persona as a person would: the preview, then the
confirmation; or the refusal, with exactly the expected messages in Chinese, nothing
else on the page in English, and nothing saved."""

import html
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.import_corpus.build import CASES, Imported, build

# Latin words a Chinese page may show: the format's name, a sheet's default name.
LATIN_ALLOWED = {"Excel", "xlsx", "Sheet"}


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("import_corpus"))


# Roles without the back office import on the portal's own pages (portal/imports.py).
PORTAL_PERSONAS = {"community", "inspector"}


def on_portal(case):
    return case.persona in PORTAL_PERSONAS


def import_url(case):
    if on_portal(case):
        app, model = case.admin.split("_", 1)
        return reverse(f"{app}:{model}_import")
    return reverse(f"admin:{case.admin}_import")


def upload(client, case, path):
    data = {"import_file": SimpleUploadedFile(case.file, path.read_bytes())}
    if not on_portal(case):
        data.update(format="0", resource="0")
    return client.post(import_url(case), data)


def confirm_step(response):
    """What the preview hands to its confirm button, or None: the portal's or the admin's."""
    if "confirm" in response.context:
        return response.context["confirm"]
    return response.context.get("confirm_form")


def confirm(client, case, preview):
    if on_portal(case):
        return client.post(import_url(case), {**preview.context["confirm"], "confirm": "1"})
    return client.post(
        reverse(f"admin:{case.admin}_process_import"), preview.context["confirm_form"].initial
    )


def visible_text(response):
    """The text a person reads in the page's content area."""
    page = response.content.decode()
    marker = 'id="main"' if 'id="content"' not in page else 'id="content"'
    content = page[page.index(">", page.index(marker)) + 1 :]
    content = re.sub(r"<(script|style)\b.*?</\1>", " ", content, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)))


def messages_on(response):
    """Every refusal the page shows, as (row, column, message)."""
    if "confirm" in response.context:  # the portal's page lists every problem in one table
        return [(p.row, p.column, p.message) for p in response.context["problems"]]
    shown = []
    form = response.context.get("form")
    if form is not None:
        shown += [("", "", str(error)) for error in form.errors.get("import_file", [])]
    result = response.context.get("result")
    if result is not None:
        shown += [(p.row, p.column, p.message) for p in result.problems]
    return shown


def value_at(obj, path):
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj


def stored(model):
    return model.objects.count(), model.history.count()


@pytest.mark.parametrize("case", CASES, ids=[case.file for case in CASES])
def test_a_clerks_workbook(case, corpus, request, people, login):
    for fixture in case.needs:
        request.getfixturevalue(fixture)
    model = apps.get_model(*case.admin.split("_", 1))
    before = stored(model)
    client = login(getattr(people, case.persona))

    preview = upload(client, case, corpus[case.file])

    assert preview.status_code == 200
    text = visible_text(preview)
    assert "Traceback" not in text and "/site-packages/" not in text
    latin = set(re.findall(r"[A-Za-z_]{3,}", text)) - LATIN_ALLOWED
    assert not latin, f"English on the page: {latin}"
    assert stored(model) == before  # a preview never writes
    if not isinstance(case.expect, Imported):
        assert confirm_step(preview) is None
        assert messages_on(preview) == case.expect.problems
        for _row, _column, message in case.expect.problems:
            assert message in text
        return

    assert confirm_step(preview) is not None, messages_on(preview)
    result = preview.context["result"]
    assert (result.totals["new"], result.totals["update"]) == (
        case.expect.new,
        case.expect.updated,
    )
    for line in case.expect.reading:
        assert line in result.reading and line in text

    confirmed = confirm(client, case, preview)

    assert confirmed.status_code == 302, messages_on(confirmed)
    assert model.objects.count() == before[0] + case.expect.new  # an update adds nothing
    for saved in case.expect.saved:
        obj = apps.get_model(saved.model).objects.get(**saved.lookup)
        assert {name: value_at(obj, name) for name in saved.values} == saved.values
