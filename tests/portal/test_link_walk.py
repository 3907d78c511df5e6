"""Every persona, starting from the dashboard of the demo district, follows every link and
submits every GET form the pages show them (bounded: see tests/walker.py), the way a new user
clicks around. Whatever the portal shows a person must work for that person.
"""

import io
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tests.walker import (
    EXPORT_LINK_TEXT,
    Walker,
    listed_name,
    local_path,
    route_of,
    workbook_tables,
)

# The mark also makes pytest-django create the test database when only this module runs.
pytestmark = pytest.mark.django_db

PERSONAS = ["admin", "qu_admin", "qu_staff", "jd_jiangxijie", "sq_changshouyuan", "ducha"]


@pytest.fixture(scope="module")
def demo_district(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo district, built once for the module and rolled back after it."""
    folder = tmp_path_factory.getbasetemp()  # the media folder tests/conftest.py sets per test
    with (
        override_settings(MEDIA_ROOT=folder / "media"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("seed_demo", "--force", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def walk(demo_district, django_db_blocker):
    """walk(username) -> the Walker after that persona's walk (each persona walks once)."""
    walks = {}

    def _walk(username):
        if username not in walks:
            with django_db_blocker.unblock():
                client = Client()
                client.force_login(get_user_model().objects.get(username=username))
                walker = Walker(client)
                walker.walk("/")
                walker.exports = {
                    url: _compare_export(walker, url, walker.pages[url])
                    for url in _exports_to_compare(walker)
                }
                walks[username] = walker
        return walks[username]

    return _walk


def _exports_to_compare(walker, per_route=3):
    """For each page with a 导出Excel link, the listing as it first opens and the ones
    narrowed by the most filters (a search, a street, a year)."""
    by_route = {}
    for url, page in walker.pages.items():
        if page.status == 200 and page.link(EXPORT_LINK_TEXT):
            by_route.setdefault(route_of(url), []).append(url)
    chosen = []
    for urls in by_route.values():
        narrowest = sorted(urls[1:], key=lambda url: -len(_filters(url)))
        chosen += [urls[0], *narrowest[: per_route - 1]]
    return chosen


def _filters(url):
    return [value for key, value in parse_qsl(urlsplit(url).query) if key != "page"]


def _compare_export(walker, url, page):
    """What differs between the rows a listing shows (all its pages) and the workbook its
    导出Excel link downloads: a list of differences, empty when they agree."""
    export = walker.get(local_path(page.link(EXPORT_LINK_TEXT).url))
    if not export.is_workbook:
        return [f"导出Excel gave {export.status} {export.content_type}, not a workbook"]
    listed = walker.listing(_without_page(url))
    exported = workbook_tables(export.content)
    if len(listed) > len(exported):
        return [f"the page lists {len(listed)} tables, the workbook has {len(exported)} sheets"]
    problems = []
    for number, (rows, sheet) in enumerate(zip(listed, exported, strict=False), start=1):
        if len(rows) != len(sheet):
            problems.append(f"table {number}: {len(rows)} rows listed, {len(sheet)} exported")
            continue
        if not rows:
            continue
        for place, row, written in (("first", rows[0], sheet[0]), ("last", rows[-1], sheet[-1])):
            name = listed_name(row)
            if not any(name in cell for cell in written):
                problems.append(f"table {number}: {place} row {row} is not {written}")
    return problems


def _without_page(url):
    parts = urlsplit(url)
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if key != "page"
        ]
    )
    return parts.path + (f"?{query}" if query else "")


def _where(walker, url):
    return f"{url} (linked from {walker.referrers[url]})"


@pytest.mark.parametrize("username", PERSONAS)
def test_every_link_and_form_a_persona_is_shown_works_for_them(walk, username):
    walker = walk(username)
    failing = [
        f"{page.status} {_where(walker, url)}"
        for url, page in walker.pages.items()
        if page.status != 200
    ]
    assert not failing, "\n".join(failing)
    assert len(walker.pages) > 50  # the walk went beyond the dashboard


@pytest.mark.parametrize("username", PERSONAS)
def test_no_link_has_a_doubled_question_mark_or_an_empty_query_key(walk, username):
    walker = walk(username)
    broken = []
    for url, page in walker.pages.items():
        for link in page.links:
            query = urlsplit(link.href).query
            keys = [key for key, _ in parse_qsl(query, keep_blank_values=True)]
            if "??" in link.href or query.startswith("?") or "" in keys:
                broken.append(f"{link.href!r} ({link.text}) on {url}")
    assert not broken, "\n".join(broken)


@pytest.mark.parametrize("username", PERSONAS)
def test_every_page_has_a_title_of_its_own(walk, username):
    walker = walk(username)
    untitled = [
        f"{page.title!r} {url}"
        for url, page in walker.pages.items()
        if page.is_html and (not page.title or page.title.startswith(("·", "|")))
    ]
    assert not untitled, "\n".join(untitled)


@pytest.mark.parametrize("username", PERSONAS)
def test_each_excel_export_holds_exactly_the_rows_its_page_lists(walk, username):
    walker = walk(username)
    assert walker.exports, "the walk found no 导出Excel link"
    differing = {url: problems for url, problems in walker.exports.items() if problems}
    assert not differing, "\n".join(f"{url}: {problems}" for url, problems in differing.items())
