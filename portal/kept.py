"""Figures kept per community and year (KeptFigures), so that the dashboard and the annual
report add up community rows instead of every record of their scope (docs/architecture.md).

An app declares its sets of figures as AppConfig.kept_figures, {name: dotted path of
`compute(pks, year)`}, which returns {community pk: {figure: value}} for those communities
of the year, as at its report date (31 December, or today while the year runs). Only
figures that add up over communities belong in a set; its reader adds them up to streets.

Writes mark, reads recompute:
- every save or delete of a record of the kept apps raises the `version` of the rows of the
  communities it touches (found by following its foreign keys: a meeting's organisation's
  community, a street's communities), at once and again when its transaction commits; a
  record that leads to no community (a campaign's criteria) marks every row. Bulk writes
  that send no signals say what they touched with `portal.scope_cache.figures_changed()`.
  The views cached over those communities (portal.scope_cache) are marked with them;
- a read takes the rows of the communities it needs, computes again only those whose
  `computed_version` is not their `version` (or that were computed for another report
  date), and stores them with the version it read before computing. A write that commits
  while a read computes leaves the row stale for the next read, never fresh with old figures.
"""

import datetime
import json

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from portal.models import KeptFigures
from portal.roles import Level
from portal.scope_cache import cached_per_unit, digest, units_changed

KEPT_APPS = {"courtyards", "councils", "funds", "inspections", "concerns"}
# How far a record's foreign keys are followed to find its community (a progress note's
# rectification's inspection's assignment's community is four steps away).
DEPTH = 4


def report_date(year):
    """31 December of the year, or today while the year is running."""
    return min(datetime.date(year, 12, 31), timezone.localdate())


def sets():
    """{name: compute} of every app's kept figures."""
    declared = {}
    for config in apps.get_app_configs():
        for name, path in getattr(config, "kept_figures", {}).items():
            declared[name] = import_string(path)
    return declared


def kept_figures(name, pks, year):
    """{community pk: its figures of set `name` for `year`} for the communities `pks`, from
    the kept rows; rows missing or stale are computed by the set's function and kept."""
    on = report_date(year)
    fields = ("community_id", "values", "version", "computed_version", "as_of")
    figures, stale = {}, set()
    for community, values, version, computed_version, as_of in _rows(name, pks, year).values_list(
        *fields
    ):
        if computed_version == version and as_of == on:
            figures[community] = values
        else:
            stale.add(community)
    missing = [pk for pk in pks if pk not in figures and pk not in stale]
    if missing:
        # Stored before computing, so that a write committed meanwhile finds them to mark.
        KeptFigures.objects.bulk_create(
            [KeptFigures(community_id=pk, year=year, name=name) for pk in missing],
            ignore_conflicts=True,
        )
    if stale or missing:
        # the versions read before computing
        rows = list(_rows(name, [*stale, *missing], year))
        _store(rows, sets()[name]([row.community_id for row in rows], year), on)
        figures.update({row.community_id: row.values for row in rows})
    return {pk: figures[pk] for pk in pks}


def add_up(name, units, communities, names, year=None):
    """Give each of `units` (evaluated streets or communities) the figures `names` of set
    `name` for `year` (this one by default): a community its kept row's, a street the sum of
    the kept rows of its `communities` (a queryset of those the reader may see)."""
    year = year or timezone.localdate().year
    if units and units[0]._meta.model_name == "community":
        figures_of = kept_figures(name, [unit.pk for unit in units], year)
    else:

        def summed(figures):
            return {key: sum(values[key] for values in figures) for key in names}

        figures_of = street_sums(name, communities, year, summed, names)
    for unit in units:
        for key in names:
            setattr(unit, key, figures_of.get(unit.pk, {}).get(key, 0))
    return units


def street_sums(name, communities, year, summed, what):
    """{street pk: `summed(figures)` over the kept figures of set `name` and `year` of its
    `communities` (a queryset)}. Each street's sum is kept in the cache under the street's
    version (portal.scope_cache), so that after a save the city's figures add up the kept
    rows of one street, not of 1,500 communities. `what` names what `summed` gives."""
    of_street = {}
    for pk, street in communities.order_by("pk").values_list("pk", "street_id"):
        of_street.setdefault(street, []).append(pk)
    made_of = {
        street: digest(name, year, report_date(year), what, pks)
        for street, pks in of_street.items()
    }

    def compute(streets):
        pks = [pk for street in streets for pk in of_street[street]]
        kept = kept_figures(name, pks, year)
        return {street: summed([kept[pk] for pk in of_street[street]]) for street in streets}

    return cached_per_unit(f"street-sum:{name}", Level.STREET, made_of, compute)


def _rows(name, pks, year):
    return KeptFigures.objects.filter(name=name, community__in=pks, year=year)


def _stored(values):
    """The figures as the JSON column gives them back (decimals as strings), so that fresh
    and recomputed rows read alike."""
    return json.loads(json.dumps(values, cls=DjangoJSONEncoder))


def _store(rows, computed, on):
    """Keep the computed figures, marked with the version each row had before they were
    computed (read with the rows)."""
    now = timezone.now()
    for row in rows:
        row.values = _stored(computed[row.community_id])
        row.as_of, row.computed_version, row.computed_at = on, row.version, now
    with transaction.atomic():
        # A row a write is marking is left for the next read: a read never waits for a
        # write, so the two cannot deadlock (PostgreSQL; SQLite writes one at a time).
        free = set(
            KeptFigures.objects.select_for_update(skip_locked=True)
            .filter(pk__in=[row.pk for row in rows])
            .values_list("pk", flat=True)
        )
        KeptFigures.objects.bulk_update(
            [row for row in rows if row.pk in free],
            ["values", "as_of", "computed_version", "computed_at"],
            batch_size=500,
        )


def rebuild(name, year, chunk=200, progress=None):
    """Compute every community's row of set `name` and `year` afresh and keep it. Returns
    the drift: for each row that was fresh but held other figures than the records give,
    (community pk, {figure: (kept, computed)})."""
    compute, on = sets()[name], report_date(year)
    community = apps.get_model("courtyards", "Community")
    pks = list(community.objects.order_by("pk").values_list("pk", flat=True))
    drift = []
    for start in range(0, len(pks), chunk):
        part = pks[start : start + chunk]
        KeptFigures.objects.bulk_create(
            [KeptFigures(community_id=pk, year=year, name=name) for pk in part],
            ignore_conflicts=True,
        )
        rows = list(_rows(name, part, year))
        computed = compute(part, year)
        for row in rows:
            fresh = row.computed_version == row.version and row.as_of == on
            live = _stored(computed[row.community_id])
            differ = {k: (row.values.get(k), v) for k, v in live.items() if row.values.get(k) != v}
            if fresh and differ:
                drift.append((row.community_id, differ))
        _store(rows, computed, on)
        if progress:
            progress.add(len(part))
    if drift:  # the figures kept in the cache were added up from the drifted rows
        units_changed(_units_of(sorted({pk for pk, _differ in drift})))
    return drift


def _raise_versions(pks):
    rows = KeptFigures.objects.all()
    if pks is not None:
        rows = rows.filter(community_id__in=pks)
    with transaction.atomic():
        if connection.features.has_select_for_update:
            # locked in one order by every writer first, so that two writes cannot deadlock
            list(rows.select_for_update().order_by("pk").values_list("pk", flat=True))
        rows.update(version=F("version") + 1)


def mark(pks):
    """Say that the figures of these communities (every community: None) changed: their
    kept rows, and the views cached over them (portal.scope_cache)."""
    if pks is not None:
        if not pks:
            return
        pks = sorted(pks)
    _raise_versions(pks)
    transaction.on_commit(lambda: _raise_versions(pks))
    units_changed(None if pks is None else _units_of(pks))


def _units_of(pks):
    """(level, pk) of the communities and of their streets and districts; None when one of
    them is gone (a deleted community: its street is not known any more)."""
    rows = list(
        _places()["Community"]
        .objects.filter(pk__in=pks)
        .values_list("pk", "street_id", "street__district_id")
    )
    if len(rows) < len(pks):
        return None
    units = set()
    for community, street, district in rows:
        units |= {(Level.COMMUNITY, community), (Level.STREET, street), (Level.DISTRICT, district)}
    return units


# Which communities a record touches ---------------------------------------------------------


def _places():
    return {
        name: apps.get_model("courtyards", name)
        for name in ("Community", "Courtyard", "Street", "District")
    }


def _communities(model, pks, depth):
    """The pks of the communities the records `model` #`pks` belong to, or None when they
    lead to none within `depth` steps. A few queries per step, whatever the number of
    records: a batch of courtyards is one."""
    places = _places()
    communities = places["Community"].objects
    if model is places["Community"]:
        return set(pks)
    if model is places["Courtyard"]:
        return set(model._base_manager.filter(pk__in=pks).values_list("community_id", flat=True))
    if model is places["Street"]:
        return set(communities.filter(street__in=pks).values_list("pk", flat=True))
    if model is places["District"]:
        return set(communities.filter(street__district__in=pks).values_list("pk", flat=True))
    links = _links(model)
    if depth == 0 or not links:
        return None
    rows = model._base_manager.filter(pk__in=pks).values(*(name for name, _model in links))
    return _followed(list(rows), links, depth - 1)


def _links(model):
    """(attname, model) of the foreign keys to records of the kept apps; only those named in
    the model's `kept_placed_by` when it has one (an allocation counts where its courtyard
    is, not wherever its district's fund rate applies)."""
    placed_by = getattr(model, "kept_placed_by", None)
    return [
        (field.attname, field.related_model)
        for field in model._meta.concrete_fields
        if field.is_relation
        and field.many_to_one
        and field.related_model._meta.app_label in KEPT_APPS
        and (placed_by is None or field.name in placed_by)
    ]


def _followed(rows, links, depth):
    """The communities the `links` of `rows` (dicts of their values) lead to; a link that
    leads to none is passed over while another does."""
    found, known = set(), False
    for name, model in links:
        pks = {row[name] for row in rows} - {None}
        if not pks:
            continue
        reached = _communities(model, pks, depth)
        if reached is not None:
            found |= reached
            known = True
    return found if known else None


def communities_of(records):
    """The communities records of one model touch (None: they lead to none, so possibly
    all); records written in bulk are looked up together."""
    if not records:
        return set()
    model = type(records[0])
    places = _places()
    if model is places["Courtyard"]:  # read from the records: a deleted one is gone
        return {record.community_id for record in records}
    if model in places.values():
        return _communities(model, [record.pk for record in records], DEPTH)
    links = _links(model)
    rows = [{name: getattr(record, name) for name, _model in links} for record in records]
    return _followed(rows, links, DEPTH)


def _kept(model):
    """A record of the kept apps; not its history, nor a migration's stand-in (post_migrate
    marks every row once the migrations have run)."""
    return (
        model._meta.app_label in KEPT_APPS
        and not model.__name__.startswith("Historical")
        and model.__module__ != "__fake__"
    )


# Receivers (connected by the portal's AppConfig) --------------------------------------------


def before_save(sender, instance, raw=False, **kwargs):
    """A record moved to another place (a courtyard to another community) also touches the
    place it leaves: mark the communities its stored foreign keys lead to, when they change."""
    if raw or not _kept(sender) or instance._state.adding or instance.pk is None:
        return
    places = _places()
    links = _links(sender)
    if sender is places["Courtyard"]:
        links = [("community_id", places["Community"])]
    if not links:
        return
    names = [name for name, _model in links]
    stored = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return
    moved = [(name, model) for name, model in links if stored[name] != getattr(instance, name)]
    if moved:
        mark(_followed([stored], moved, DEPTH))


def saved_or_deleted(sender, instance, raw=False, **kwargs):
    if raw or not _kept(sender):
        return
    mark(communities_of([instance]))
    # A street or district with no community yet touches no kept row, yet the tables
    # above it list it: their versions are raised all the same.
    places = _places()
    if sender is places["Street"]:
        units_changed({(Level.STREET, instance.pk), (Level.DISTRICT, instance.district_id)})
    elif sender is places["District"]:
        units_changed({(Level.DISTRICT, instance.pk)})


def relation_changed(sender, instance, action, model, pk_set, **kwargs):
    """A visit's places, say: the communities of the record and of the places added or
    removed; a cleared relation may have held any."""
    if not (_kept(type(instance)) or _kept(model)):
        return
    if action in ("post_add", "post_remove"):
        places = _communities(model, pk_set or (), DEPTH) if pk_set else set()
        mark(None if places is None else places | (communities_of([instance]) or set()))
    elif action == "post_clear":
        mark(None)


def bulk_written(sender, communities=None, **kwargs):
    """portal.scope_cache.figures_written: records written in bulk, in these communities (or
    anywhere: None)."""
    mark(None if communities is None else set(communities))


def migrated(sender, **kwargs):
    """A data migration may have changed any figure: every row is computed again."""
    mark(None)
