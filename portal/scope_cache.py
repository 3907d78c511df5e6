"""Figures over a user's scope, computed once and served again until a record changes.

The dashboard adds up tens of thousands of rows per request, and the same answer serves
every user of one role and unit. Versions say when things last changed:
- a unit's ("figures:street:7"): a save or delete of a record of the portal's apps raises
  the versions of the communities it touches and of their streets and districts, and the
  whole city's ("figures:all"), at once and again when the transaction commits (so an
  answer computed in between is not kept). portal/kept.py finds the communities and calls
  `units_changed()`; bulk writes that send no signals call `figures_changed()` themselves.
  A save in one street leaves every other street's, community's and district's entries be;
- "figures": a record that touches no community, or possibly any (a campaign's criteria),
  raises it, and with it every unit's entries are stale;
- "access": any change to accounts, groups, permissions or role assignments.
The versions are part of the keys, so one change makes every entry it may affect stale.
`FIGURES_CACHE_SECONDS` bounds whatever slips past.

The markup of figure tables' rows and of charts is kept by what it shows (`rows_rendered`,
`markup_kept`): its key is made of its content, so it needs no version and cannot be stale.

The versions live in the "figures" cache beside the entries: with Redis (production,
REDIS_URL) every worker on every host reads the same ones, so a save on one host is seen
by the next request on any other; nothing on a host's disk or in its memory decides.
"""

import dataclasses
import datetime
import decimal
import functools
import hashlib
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import models, transaction
from django.dispatch import Signal
from django.http import HttpResponse
from django.template import Context
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from portal.access import EVERYTHING, Scope, role_of, scope_of

FIGURES_APPS = {"courtyards", "councils", "funds", "inspections", "concerns"}
ACCESS_MODELS = {"auth.user", "auth.group", "auth.permission", "portal.roleassignment"}
FIGURES_VERSION, ACCESS_VERSION = "version:figures", "version:access"
VERSION_KEYS = (FIGURES_VERSION, ACCESS_VERSION)


def _unit_key(scope):
    return f"version:figures:{scope.level}:{scope.pk or ''}"


def _versions(*keys):
    """The versions under these keys, read in one round trip: "v1:v2:…"."""
    found = _version_values(keys)
    return ":".join(str(found[key]) for key in keys)


def _version_values(keys):
    """{key: version}, read in one round trip; a version never set is set now."""
    cache = caches["figures"]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, time.time_ns(), timeout=None)
            found[key] = cache.get(key)
    return found


def users_changed(user_pks):
    """Say that what a page shows only to these users changed (their reminders): the pages
    kept for their sessions are stale, no one else's."""
    if user_pks:
        _set_versions([f"version:user:{pk}" for pk in user_pks])


def _set_versions(keys):
    """Give these versions new values, at once and again when the transaction commits. A
    new value is the time in nanoseconds: never one a version had before, on any host, so
    no entry kept under an earlier one is served again."""

    def raise_versions():
        caches["figures"].set_many(dict.fromkeys(keys, time.time_ns()), timeout=None)

    raise_versions()
    transaction.on_commit(raise_versions)


def units_changed(units):
    """Say that records of these units changed: (level, pk) of each community touched and
    of its street and district; None: of any unit (the "figures" version)."""
    if units is None:
        _set_versions([FIGURES_VERSION])
        return
    _set_versions([_unit_key(EVERYTHING), *(_unit_key(Scope(level, pk)) for level, pk in units)])


# Sent by figures_changed(): portal/kept.py listens, marks the kept figures of the
# communities and calls units_changed() for them.
figures_written = Signal()


def figures_changed(communities=None):
    """Say that records were written without signals (bulk_create, queryset.update) in these
    communities (pks; None: possibly any): their figures are stale from now on."""
    figures_written.send(sender=None, communities=communities)


def access_changed():
    """Say that accounts or roles were written without signals (queryset.update)."""
    _set_versions([ACCESS_VERSION])


def record_changed(sender, update_fields=None, **kwargs):
    """Receiver of post_save, post_delete and m2m_changed for every model: accounts and
    roles changed. The records of the portal's apps are portal/kept.py's to mark."""
    meta = sender._meta
    if meta.app_label in FIGURES_APPS or update_fields == frozenset({"last_login"}):
        return  # every login saves last_login; it shows nowhere
    if meta.label_lower in ACCESS_MODELS or meta.auto_created:  # incl. m2m through tables
        _set_versions([ACCESS_VERSION])


def _enabled():
    return settings.FIGURES_CACHE_SECONDS > 0


def cached_for_scope(name, user, compute):
    """`compute()`'s result for the user's role and scope, with the time it was computed:
    `(value, computed_at)`.

    One visitor at a time counts a unit's figures. While one does, the others are given
    the unit's latest answer if it was finished less than EARLIER ago, and wait for the new
    one otherwise. The whole city's figures change with every save anywhere: they are
    counted at most once every CITY_EVERY (a second), visitors in between being given the
    latest, and a page kept for a session showing them is served again within that second
    (kept_for_session). The pages say when their figures were counted."""
    if not _enabled():
        return compute(), timezone.now()
    scope = scope_of(user)
    role = "superuser" if user.is_superuser else role_of(user)
    unit = f"{name}:{role}:{scope.level}:{scope.pk}"
    key = f"{unit}:{_versions(*VERSION_KEYS, _unit_key(scope))}"
    cache = caches["figures"]
    found = cache.get_many([key, f"latest:{unit}"] if scope.is_everything else [key])
    entry = found.get(key)
    latest = found.get(f"latest:{unit}")
    if entry is None and latest is not None and timezone.now() - latest[1] < CITY_EVERY:
        entry = latest
        user._given_earlier_figures = True
    if entry is None and not cache.add(f"computing:{unit}", 1, COMPUTING_SECONDS):
        entry, earlier = _while_another_counts(cache, unit, key)
        if earlier:  # not to be kept in a page (kept_for_session) as if they were current
            user._given_earlier_figures = True
    if entry is None:
        try:
            entry = (compute(), timezone.now())
            cache.set_many({key: entry, f"latest:{unit}": entry}, settings.FIGURES_CACHE_SECONDS)
        finally:
            cache.delete(f"computing:{unit}")
    if scope.is_everything:  # a page showing them may be served again as long as they are
        user._page_fresh_until = entry[1] + CITY_EVERY
    return entry


def cached_per_unit(name, level, made_of, compute):
    """{pk: value} for the units of `level` whose pks `made_of` maps to what each value is
    made of (a str: the same for the same value): each value kept under its unit's version,
    so that a save recounts its own units and not all of them. `compute(pks)` gives
    {pk: value} of those not kept. Three round trips to the cache, however many units."""
    if not _enabled():
        return compute(list(made_of))
    unit_keys = {pk: _unit_key(Scope(level, pk)) for pk in made_of}
    versions = _version_values([FIGURES_VERSION, *unit_keys.values()])
    keys = {
        pk: f"unit:{name}:{what}:{versions[FIGURES_VERSION]}:{versions[unit_keys[pk]]}"
        for pk, what in made_of.items()
    }
    cache = caches["figures"]
    found = cache.get_many(list(keys.values()))
    values = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [pk for pk in made_of if pk not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[pk]: computed[pk] for pk in missing}, settings.FIGURES_CACHE_SECONDS)
        values.update(computed)
    return values


def digest(*parts):
    """A short key for what `parts` are (their repr)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def rows_rendered(template, rows, extra):
    """Each of `rows` rendered by `template` with `row`, its `number` (from 1) and `extra`,
    the markup joined. A row's markup is kept by what it shows: the template, the language,
    the number, `extra` and the row's own values (a record's fields and annotations, not
    its related records), so that after a save the city's tables render the streets whose
    figures changed and read the others from the cache. The row template reads nothing else."""

    def render(number, row):
        return template.render(Context({"row": row, "number": number, **extra}))

    numbered = list(enumerate(rows, 1))
    if not _enabled():
        return mark_safe("".join(render(number, row) for number, row in numbered))
    shown = (digest(template.source), get_language(), _plain(extra))
    keys = [f"row:{digest(*shown, number, _plain(row))}" for number, row in numbered]
    cache = caches["figures"]
    found = cache.get_many(keys)
    rendered = {
        key: render(number, row)
        for key, (number, row) in zip(keys, numbered, strict=True)
        if key not in found
    }
    if rendered:
        cache.set_many(rendered, settings.FIGURES_CACHE_SECONDS)
    return mark_safe("".join(found[key] if key in found else rendered[key] for key in keys))


PLAIN = {int, str, float, bool, type(None), decimal.Decimal, datetime.date, datetime.datetime}


def markup_kept(render, *shown):
    """`render()`'s markup, kept by what it shows: `shown` is everything it is made of (a
    chart's labels and values, say), as for `rows_rendered`."""
    if not _enabled():
        return render()
    key = f"markup:{digest(get_language(), _plain(shown))}"
    cache = caches["figures"]
    markup = cache.get(key)
    if markup is None:
        markup = render()
        cache.set(key, markup, settings.FIGURES_CACHE_SECONDS)
    return markup


def _plain(value):
    """What `value` shows, as plain data: a record as its own values."""
    if type(value) in PLAIN:
        return value
    if isinstance(value, models.Model):
        own = {name: _plain(v) for name, v in vars(value).items() if not name.startswith("_")}
        return (value._meta.label, own)
    if isinstance(value, dict):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value):
        return (type(value).__name__, _plain(vars(value)))
    if isinstance(value, Promise):  # a lazy translation: its repr names an address
        return str(value)
    return value


COMPUTING_SECONDS = 5
EARLIER = datetime.timedelta(seconds=COMPUTING_SECONDS)
CITY_EVERY = datetime.timedelta(seconds=1)
WAIT_STEP_SECONDS = 0.02


def _while_another_counts(cache, unit, key):
    """(entry, earlier): the answer for `key` (earlier False) or the unit's latest if it is
    recent enough (True), once one is there; (None, False) when the one counting gave up
    (an error) or took longer than COMPUTING_SECONDS."""
    deadline = time.monotonic() + COMPUTING_SECONDS
    while True:
        found = cache.get_many([key, f"latest:{unit}", f"computing:{unit}"])
        if key in found:
            return found[key], False
        latest = found.get(f"latest:{unit}")
        if latest is not None and timezone.now() - latest[1] < EARLIER:
            return latest, True
        if f"computing:{unit}" not in found or time.monotonic() > deadline:
            return None, False
        time.sleep(WAIT_STEP_SECONDS)


def kept_for_session(view):
    """Serve the page this session last saw while nothing it shows has changed.

    For pages that depend only on the user and the figures (no form, nothing read from the
    query string). The page is per session, so a new login renders it afresh; a page with
    a message waiting is rendered, so that the message is shown."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _enabled() or request.method != "GET" or len(messages.get_messages(request)):
            return view(request, *args, **kwargs)
        key = (
            # entries hold (unit key, version, fresh until, page): the prefix keeps entries
            # of an earlier shape unread
            f"session-page:{view.__module__}.{view.__name__}:{request.session.session_key}:"
            # the page's forms carry a token made from this cookie
            f"{request.COOKIES.get(settings.CSRF_COOKIE_NAME)}:"
            f"{_versions(*VERSION_KEYS, f'version:user:{request.user.pk}')}"
        )
        cache = caches["pages"]
        # kept with the version of the user's unit it was rendered at: finding the unit
        # would cost a query, its version is one more read of the cache
        entry = cache.get(key)
        if entry is not None:
            unit_key, unit_version, fresh_until, content = entry
            fresh = fresh_until is not None and timezone.now() < fresh_until
            if fresh or _versions(unit_key) == unit_version:
                return HttpResponse(content)
        unit_key = _unit_key(scope_of(request.user))
        unit_version = _versions(unit_key)
        response = view(request, *args, **kwargs)
        # Earlier figures are not kept as if they were current; the whole city's are kept
        # until they are a second old, as cached_for_scope would give them again.
        earlier = getattr(request.user, "_given_earlier_figures", False)
        fresh_until = getattr(request.user, "_page_fresh_until", None)
        if response.status_code == 200 and (fresh_until or not earlier):
            entry = (unit_key, None if earlier else unit_version, fresh_until, response.content)
            cache.set(key, entry, settings.FIGURES_CACHE_SECONDS)
        return response

    return wrapper
