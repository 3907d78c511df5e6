"""The dashboard's figures are computed once per role and unit and its page once per
session; both are counted again as soon as a record, a role or a permission changes,
however it was written."""

import collections
import datetime
import re
import threading
from unittest.mock import patch

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import RequestFactory
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from councils.models import Person
from councils.resources import PersonResource
from funds.services import allocations_generate
from portal import charts, scope_cache
from portal.access import scope_of
from portal.reports.figures import TABLES
from portal.roles import Role
from portal.scope_cache import cached_for_scope, figures_changed
from portal.services import assign_role
from tests.councils.test_import import PERSON_HEADERS, person_row
from tests.factories import CourtyardFactory, user_with_role
from tests.funds.factories import FundRateFactory


def _dashboard(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("dashboard")).content.decode()
    return page, len(queries)


def test_colleagues_of_one_unit_share_the_figures_counted_once(people, geo, login):
    colleague = user_with_role(Role.STREET_STAFF, geo.street_a, username="jd_a2")
    first, computing = _dashboard(login(people.street_a))
    again, kept = _dashboard(login(colleague))
    assert kept < computing
    assert again.count("锦里社区") == first.count("锦里社区")
    assert "九眼桥社区" not in again


def test_each_unit_sees_its_own_figures(people, geo, login):
    _dashboard(login(people.street_a))
    other, _queries = _dashboard(login(people.street_b))
    assert "九眼桥社区" in other and "锦里社区" not in other
    community, _queries = _dashboard(login(people.community))
    assert "锦里12号院" in community and "九眼桥花园" not in community


def test_a_saved_record_is_counted_at_the_next_visit(people, geo, login):
    client = login(people.community)
    before, _queries = _dashboard(client)
    assert "锦里新院" not in before
    CourtyardFactory(community=geo.community_a1, name="锦里新院")
    after, _queries = _dashboard(client)
    assert "锦里新院" in after


def test_records_written_in_bulk_are_counted_too(people, geo, login):
    rate = FundRateFactory(district=geo.district)
    client = login(people.district_staff)
    before, _queries = _dashboard(client)
    # 3,000 yuan per 100 households: 120 + 80 + 60 + 300 households = 16,800 yuan
    allocations_generate(rate=rate, by=people.district_admin)
    after, _queries = _dashboard(client)
    assert "1.68" not in before and "1.68" in after  # 万元


def test_an_import_has_the_figures_counted_again(people, geo, login):
    client = login(people.district_staff)
    _page, computing = _dashboard(client)
    _page, kept = _dashboard(client)
    dataset = tablib.Dataset(person_row(name="张三"), headers=PERSON_HEADERS)
    result = PersonResource(user=people.district_admin).import_data(dataset, use_transactions=True)
    assert not result.has_errors() and Person.objects.filter(name="张三").exists()
    _page, after_import = _dashboard(client)
    # counted again: the dashboard, and the kept rows of the community the person lives in
    assert kept < after_import < computing


def _households(page):
    """The 户数 card of the dashboard's summary."""
    return int(re.search(r"<dt>户数（户）</dt><dd>([\d,]+)</dd>", page)[1].replace(",", ""))


def _kept_pages(clients):
    """Each client's dashboard counted, then seen with the CSRF cookie the first visit set,
    then as kept: {name: (page, queries)}."""
    for client in clients.values():
        _dashboard(client)
        _dashboard(client)
    return {name: _dashboard(client) for name, client in clients.items()}


def test_a_save_is_counted_where_it_lies_and_leaves_the_other_units_kept(people, geo, login):
    clients = {
        name: login(getattr(people, name))
        for name in ("district_staff", "street_a", "street_b", "community")
    }
    before = _kept_pages(clients)
    CourtyardFactory(community=geo.community_b1, name="九眼桥新院", households=7)
    after = {name: _dashboard(client) for name, client in clients.items()}
    # 望江路街道 (street b) and its district count it ...
    for name in ("district_staff", "street_b"):
        assert _households(after[name][0]) == _households(before[name][0]) + 7
        assert after[name][1] > before[name][1]
    # ... 浆洗街街道 (street a) and 锦里社区 are served as they were: the session's page
    for name in ("street_a", "community"):
        assert after[name] == before[name]


def _kept_rows_read(client):
    """The communities whose kept figures a visit to the dashboard read."""
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("dashboard"))
    read = set()
    for query in queries:
        if query["sql"].startswith("SELECT") and "keptfigures" in query["sql"]:
            for pks in re.findall(r'"community_id" IN \(([\d, ]+)\)', query["sql"]):
                read |= {int(pk) for pk in pks.split(",")}
    return read


def test_after_a_save_the_district_adds_up_the_kept_rows_of_that_street_only(people, geo, login):
    client = login(people.district_staff)
    assert _kept_rows_read(client) == {
        geo.community_a1.pk,
        geo.community_a2.pk,
        geo.community_b1.pk,
    }
    before = _households(_dashboard(client)[0])
    CourtyardFactory(community=geo.community_b1, name="九眼桥新院", households=7)
    # 浆洗街街道's sums are kept; 望江路街道's are added up again from its one community
    assert _kept_rows_read(client) == {geo.community_b1.pk}
    assert _households(_dashboard(client)[0]) == before + 7


def _rows_rendered(client, url=None):
    """The page (the dashboard), and how many table rows and charts were drawn for it, by
    row template ("chart": the charts)."""
    rendered = collections.Counter()

    def count(sender, template, **kwargs):
        if template.name.endswith("_row.html"):
            rendered[template.name] += 1

    template_rendered.connect(count)
    try:
        with patch("portal.charts._drawn", side_effect=charts._drawn) as drawn:
            page = client.get(url or reverse("dashboard")).content.decode()
    finally:
        template_rendered.disconnect(count)
    if drawn.call_count:
        rendered["chart"] = drawn.call_count
    return page, dict(rendered)


def _street_row(page, street):
    """The cells of a street's row in the dashboard's first table."""
    row = re.search(rf"{street}</a></th>(.*?)</tr>", page, re.S)[1]
    return [int(cell.replace(",", "")) for cell in re.findall(r'class="num">([\d,]+)<', row)]


def test_after_a_save_the_district_renders_the_rows_of_that_street_only(people, geo, login):
    client = login(people.district_staff)
    page, rendered = _rows_rendered(client)
    tables = ("courtyards", "councils", "concerns")
    assert rendered == {f"{table}/_figures_row.html": 2 for table in tables}  # two streets
    street_a = _street_row(page, "浆洗街街道")
    households = _street_row(page, "望江路街道")[5]
    CourtyardFactory(community=geo.community_b1, name="九眼桥新院", households=7)
    page, rendered = _rows_rendered(client)
    # a new courtyard changes 望江路街道's courtyards and coverage, not its concerns' figures
    assert rendered == {f"{table}/_figures_row.html": 1 for table in ("courtyards", "councils")}
    assert _street_row(page, "望江路街道")[5] == households + 7
    assert _street_row(page, "浆洗街街道") == street_a
    geo.street_a.name = "浆洗街道"
    geo.street_a.save()
    page, rendered = _rows_rendered(client)
    assert "浆洗街道</a>" in page and "浆洗街街道" not in page


def test_a_courtyard_moved_to_another_street_is_counted_by_both(people, geo, login):
    clients = {name: login(getattr(people, name)) for name in ("street_a", "street_b")}
    before = _kept_pages(clients)
    geo.courtyard_a2.community = geo.community_b1  # 洗面桥3号院, 60 households
    geo.courtyard_a2.save()
    after = {name: _households(_dashboard(client)[0]) for name, client in clients.items()}
    assert after["street_a"] == _households(before["street_a"][0]) - 60
    assert after["street_b"] == _households(before["street_b"][0]) + 60


def test_a_write_that_may_touch_any_unit_has_every_unit_counted_again(people, login):
    clients = {name: login(getattr(people, name)) for name in ("street_a", "community")}
    before = _kept_pages(clients)
    figures_changed()  # bulk writes that do not say where
    for name, client in clients.items():
        assert _dashboard(client)[1] > before[name][1]


def test_a_second_visit_in_one_session_reads_nothing_but_the_login(people, login):
    client = login(people.street_a)
    _page, computing = _dashboard(client)
    second, _queries = _dashboard(client)  # with the CSRF cookie the first visit set
    again, kept = _dashboard(client)
    assert again == second and kept == 2 < computing  # the session and the user


def test_a_new_role_shows_its_own_unit_at_once(people, geo, login):
    client = login(people.street_a)
    _dashboard(client)
    _dashboard(client)
    assign_role(user=people.street_a, role=Role.STREET_STAFF, unit=geo.street_b)
    page, _queries = _dashboard(client)
    assert "九眼桥社区" in page and "锦里社区" not in page


def test_a_signed_out_session_gets_the_login_page_not_the_kept_one(people, login):
    client = login(people.street_a)
    _dashboard(client)
    _dashboard(client)
    client.post(reverse("logout"))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_waiting_message_is_shown_not_skipped(people, login):
    client = login(people.street_a)
    _dashboard(client)
    _dashboard(client)
    storage = CookieStorage(RequestFactory().get("/"))
    note = Message(constants.SUCCESS, "会议纪要已发布")
    client.cookies["messages"] = storage._encode([note])
    page, _queries = _dashboard(client)
    assert "会议纪要已发布" in page


def test_the_page_says_when_its_figures_were_counted(people, login):
    page, _queries = _dashboard(login(people.district_staff))
    assert "数据统计于" in page


pytestmark = pytest.mark.django_db


def test_the_annual_report_is_counted_once_and_again_after_a_change(people, geo, login):
    client = login(people.district_staff)
    url = reverse("annual_report") + "?year=2026"
    with CaptureQueriesContext(connection) as computing:
        first = client.get(url).context["report"]
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).context["report"]
    assert again.totals == first.totals and len(kept) < len(computing)
    CourtyardFactory(community=geo.community_a1, name="锦里新院")
    after = client.get(url).context["report"]
    assert after.totals["courtyard_count"] == first.totals["courtyard_count"] + 1


def test_the_annual_report_draws_again_only_the_rows_and_charts_whose_figures_changed(
    people, geo, login
):
    client = login(people.district_staff)
    url = reverse("annual_report") + "?year=2026"
    tables = len(TABLES)
    _page, rendered = _rows_rendered(client, url)
    assert rendered == {
        "portal/_annual_row.html": 2 * tables,  # two streets in each table
        "concerns/_figures_row.html": 2,
        "chart": 3,
    }
    page, rendered = _rows_rendered(client, url)
    assert rendered == {}  # the report is kept, and so are its rows and charts
    CourtyardFactory(community=geo.community_a1, name="锦里新院")
    after, rendered = _rows_rendered(client, url)
    # 浆洗街街道's row in each table but the concerns' (its concern figures did not change),
    # and the chart of courtyards: the fund's and the inspections' show what they showed
    assert rendered == {"portal/_annual_row.html": tables, "chart": 1}
    assert after != page


def test_visitors_of_a_unit_wait_for_the_one_counting_instead_of_counting_too(people, settings):
    """After a save every visitor finds the figures stale at once: the first counts them,
    the second waits for that answer rather than counting the same figures side by side."""
    settings.FIGURES_CACHE_SECONDS = 300
    user = people.district_staff
    scope_of(user)  # read the role once, here, so that the thread asks the database nothing
    started, release, computed, seen = threading.Event(), threading.Event(), [], []

    def first_count():
        computed.append("first")
        started.set()
        release.wait(5)
        return "数字"

    first = threading.Thread(target=lambda: seen.append(cached_for_scope("t", user, first_count)))
    first.start()
    assert started.wait(5)
    threading.Timer(0.2, release.set).start()
    value, _at = cached_for_scope("t", user, lambda: computed.append("second") or "again")
    first.join(5)
    assert value == "数字" and seen[0][0] == "数字"
    assert computed == ["first"]


def _counting_in_a_thread(user, answer):
    return _counting_in_a_thread_named("t", user, answer)


def _counting_in_a_thread_named(name, user, answer):
    """Start counting the unit's figures `name` in a thread that holds them until `release`
    is set; returns (thread, release)."""
    started, release = threading.Event(), threading.Event()

    def count():
        started.set()
        release.wait(5)
        return answer

    thread = threading.Thread(target=lambda: cached_for_scope(name, user, count))
    thread.start()
    assert started.wait(5)
    return thread, release


def test_while_one_counts_the_others_are_given_the_figures_counted_a_moment_ago(
    people, geo, settings
):
    """With saves every moment (the whole city's figures) no answer would ever be ready
    if each visitor waited for the figures of the very last save."""
    settings.FIGURES_CACHE_SECONDS = 300
    user = people.district_staff
    scope_of(user)
    cached_for_scope("t", user, lambda: "上次")
    CourtyardFactory(community=geo.community_a1)  # the district's figures are stale
    thread, release = _counting_in_a_thread(user, "这次")
    value, _at = cached_for_scope("t", user, lambda: pytest.fail("counted twice"))
    release.set()
    thread.join(5)
    assert value == "上次" and user._given_earlier_figures
    assert cached_for_scope("t", user, lambda: "再次")[0] == "这次"


def test_figures_counted_longer_ago_are_not_given_the_visitor_waits(
    people, geo, settings, monkeypatch
):
    settings.FIGURES_CACHE_SECONDS = 300
    user = people.district_staff
    scope_of(user)
    cached_for_scope("t", user, lambda: "上次")
    monkeypatch.setattr(scope_cache, "EARLIER", datetime.timedelta(0))
    CourtyardFactory(community=geo.community_a1)
    thread, release = _counting_in_a_thread(user, "这次")
    threading.Timer(0.2, release.set).start()
    value, _at = cached_for_scope("t", user, lambda: pytest.fail("counted twice"))
    thread.join(5)
    assert value == "这次"


def test_the_whole_city_is_counted_at_most_once_a_second(db, geo, monkeypatch, settings):
    """Every save anywhere changes the city's figures: at ten saves a second they would be
    counted without pause. A second's figures are given instead, and say when they were
    counted; a district's are counted at the next visit (the tests above)."""
    settings.FIGURES_CACHE_SECONDS = 300
    city = get_user_model().objects.create_superuser("city", password="x")
    cached_for_scope("t", city, lambda: "上次")
    CourtyardFactory(community=geo.community_a1)
    value, _at = cached_for_scope("t", city, lambda: pytest.fail("counted within the second"))
    assert value == "上次" and city._given_earlier_figures
    monkeypatch.setattr(scope_cache, "CITY_EVERY", datetime.timedelta(0))  # a second later
    assert cached_for_scope("t", city, lambda: "这次")[0] == "这次"


def test_the_whole_citys_page_is_served_again_within_the_second_its_figures_were_counted(
    db, geo, login, monkeypatch, settings
):
    """As the city's figures themselves (above): at a save a second, every visitor's page
    would otherwise be rendered again at every visit."""
    settings.FIGURES_CACHE_SECONDS = 300
    now = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: now)
    client = login(get_user_model().objects.create_superuser("city", password="x"))
    _dashboard(client)
    first, _queries = _dashboard(client)  # with the CSRF cookie the first visit set
    CourtyardFactory(community=geo.community_a1, households=7)
    again, queries = _dashboard(client)
    assert again == first and queries == 2  # the session and the user
    monkeypatch.setattr(timezone, "now", lambda: now + scope_cache.CITY_EVERY)
    assert _households(_dashboard(client)[0]) == _households(first) + 7


def test_a_page_shown_with_earlier_figures_is_not_kept_for_the_session(
    people, geo, login, settings
):
    settings.FIGURES_CACHE_SECONDS = 300
    client = login(people.district_staff)
    _dashboard(client)
    CourtyardFactory(community=geo.community_a1, name="锦里新院")
    user = people.district_staff
    scope_of(user)
    thread, release = _counting_in_a_thread_named("dashboard", user, "<p>新数字</p>")
    earlier, _queries = _dashboard(client)  # while the other visitor counts
    release.set()
    thread.join(5)
    assert "新数字" not in earlier and "数据统计于" in earlier
    assert "新数字" in _dashboard(client)[0]


def test_a_street_added_with_no_community_yet_is_listed_at_once(people, geo, login):
    client = login(people.district_admin)
    assert "东门街道" not in _dashboard(client)[0]
    added = client.post(
        reverse("admin:courtyards_street_add"),
        {"name": "东门街道", "district": geo.district.pk, "code": ""},
    )
    assert added.status_code == 302
    page = _dashboard(client)[0]
    assert _street_row(page, "东门街道") == [0] * 9  # no community yet
    # with no division code it comes first in every table, as the streets' order has it
    tables = re.findall(r'<tbody>\s*<tr>.*?">(\w+)</a></th>', page, re.S)
    assert tables == ["东门街道"] * 3
