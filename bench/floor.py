"""The floor for the annual report: the same per-unit figures computed by hand-written SQL
through a cursor, one GROUP BY per source table. What the database can do at best for the
report's questions; the bench compares the page with it and checks the figures agree."""

import datetime

from django.db import connection

UNIT_SQL = """
WITH units AS (
    SELECT c.id AS community_id, {unit} AS unit
    FROM courtyards_community c JOIN courtyards_street s ON s.id = c.street_id
    WHERE {where}
),
yard AS (
    SELECT y.id, u.unit FROM courtyards_courtyard y JOIN units u USING (community_id)
),
org AS (
    SELECT o.id, u.unit FROM councils_organisation o JOIN units u USING (community_id)
    WHERE o.established_on <= %(on)s AND (o.dissolved_on IS NULL OR o.dissolved_on > %(on)s)
),
f_yards AS (
    SELECT u.unit, count(*) AS n FROM courtyards_courtyard y JOIN units u USING (community_id)
    WHERE y.closed_on IS NULL OR y.closed_on > %(on)s GROUP BY u.unit
),
f_orgs AS (SELECT unit, count(*) AS n FROM org GROUP BY unit),
f_cov AS (
    SELECT yard.unit, count(DISTINCT v.courtyard_id) AS n
    FROM councils_coverage v JOIN org ON org.id = v.organisation_id
    JOIN courtyards_courtyard y ON y.id = v.courtyard_id JOIN yard ON yard.id = y.id
    WHERE v.started_on <= %(on)s AND (v.ended_on IS NULL OR v.ended_on > %(on)s)
      AND (y.closed_on IS NULL OR y.closed_on > %(on)s)
    GROUP BY yard.unit
),
f_mem AS (
    SELECT org.unit, count(*) FILTER (WHERE b.kind = 'group') AS grp,
           count(*) FILTER (WHERE b.kind = 'council') AS rep
    FROM councils_membership m JOIN councils_body b ON b.id = m.body_id
    JOIN org ON org.id = b.organisation_id
    WHERE m.started_on <= %(on)s AND (m.ended_on IS NULL OR m.ended_on > %(on)s)
    GROUP BY org.unit
),
f_alloc AS (
    SELECT u.unit, sum(a.amount) FILTER (WHERE a.source = 'district') AS d,
           sum(a.amount) FILTER (WHERE a.source = 'street') AS s
    FROM funds_allocation a JOIN units u USING (community_id)
    WHERE a.year = %(year)s AND a.withdrawn_on IS NULL GROUP BY u.unit
),
f_spent AS (
    SELECT u.unit, sum(CASE WHEN e.reverses_id IS NULL THEN e.amount ELSE -e.amount END) AS n
    FROM funds_expenditure e JOIN units u USING (community_id)
    WHERE e.year = %(year)s GROUP BY u.unit
),
f_income AS (
    SELECT yard.unit, sum(CASE WHEN i.reverses_id IS NULL THEN i.amount ELSE -i.amount END) AS n
    FROM funds_income i JOIN yard ON yard.id = i.courtyard_id
    WHERE i.received_on BETWEEN %(first)s AND %(last)s GROUP BY yard.unit
),
training AS (
    SELECT t.id, t.other_attendees, coalesce(us.unit, uc.unit) AS unit
    FROM councils_training t
    LEFT JOIN (SELECT DISTINCT street_id, unit FROM units JOIN courtyards_community c
               ON c.id = units.community_id) us ON {street_training} us.street_id = t.street_id
    LEFT JOIN units uc ON uc.community_id = t.community_id
    WHERE t.held_on BETWEEN %(first)s AND %(last)s AND coalesce(us.unit, uc.unit) IS NOT NULL
),
f_train AS (
    SELECT t.unit, count(*) AS sessions,
           sum(t.other_attendees) + sum((SELECT count(*) FROM councils_trainingattendance a
                                         WHERE a.training_id = t.id)) AS attendees
    FROM training t GROUP BY t.unit
),
visit AS (
    SELECT i.id, i.final_verdict, a.courtyard_id, a.community_id, u.unit,
           NOT EXISTS (SELECT 1 FROM inspections_inspection later
                       WHERE later.assignment_id = i.assignment_id AND later.id > i.id) AS current
    FROM inspections_inspection i JOIN inspections_assignment a ON a.id = i.assignment_id
    JOIN inspections_campaign k ON k.id = a.campaign_id JOIN units u USING (community_id)
    WHERE k.year = %(year)s {published}
),
f_meet AS (
    SELECT u.unit, count(*) AS n, count(*) FILTER (WHERE mt.kind = 'council') AS council,
           sum((SELECT count(*) FROM councils_motion mo
                WHERE mo.meeting_id = mt.id AND mo.outcome = 'adopted')) AS adopted
    FROM councils_meeting mt JOIN councils_organisation o ON o.id = mt.organisation_id
    JOIN units u USING (community_id)
    WHERE mt.held_on BETWEEN %(first)s AND %(last)s GROUP BY u.unit
),
rv AS (
    SELECT id FROM councils_researchvisit WHERE visited_on BETWEEN %(first)s AND %(last)s
),
r_yards AS (
    SELECT rc.courtyard_id FROM councils_researchvisit_courtyards rc
    JOIN rv ON rv.id = rc.researchvisit_id
),
f_ryards AS (
    SELECT yard.unit, count(DISTINCT yard.id) AS n
    FROM r_yards JOIN yard ON yard.id = r_yards.courtyard_id GROUP BY yard.unit
),
f_rcomms AS (
    SELECT u.unit, count(DISTINCT u.community_id) AS n FROM (
        SELECT rcm.community_id FROM councils_researchvisit_communities rcm
        JOIN rv ON rv.id = rcm.researchvisit_id
        UNION SELECT y.community_id FROM r_yards JOIN courtyards_courtyard y
        ON y.id = r_yards.courtyard_id
    ) reached JOIN units u USING (community_id) GROUP BY u.unit
),
f_insp AS (
    SELECT unit, count(DISTINCT courtyard_id) AS yards, count(DISTINCT community_id) AS comms,
           count(DISTINCT courtyard_id) FILTER (WHERE current AND final_verdict = 'commend') AS c,
           count(DISTINCT courtyard_id) FILTER (WHERE current AND final_verdict = 'criticise')
               AS k
    FROM visit GROUP BY unit
)
SELECT units.unit, coalesce(f_yards.n, 0), coalesce(f_orgs.n, 0), coalesce(f_cov.n, 0),
       coalesce(f_mem.grp, 0), coalesce(f_mem.rep, 0), coalesce(f_alloc.d, 0),
       coalesce(f_alloc.s, 0), coalesce(f_spent.n, 0), coalesce(f_income.n, 0),
       coalesce(f_train.sessions, 0), coalesce(f_train.attendees, 0), coalesce(f_insp.yards, 0),
       coalesce(f_insp.comms, 0), coalesce(f_insp.c, 0), coalesce(f_insp.k, 0),
       coalesce(f_meet.n, 0), coalesce(f_meet.council, 0), coalesce(f_meet.adopted, 0),
       coalesce(f_rcomms.n, 0), coalesce(f_ryards.n, 0)
FROM (SELECT DISTINCT unit FROM units) units
LEFT JOIN f_yards USING (unit) LEFT JOIN f_orgs USING (unit) LEFT JOIN f_cov USING (unit)
LEFT JOIN f_mem USING (unit) LEFT JOIN f_alloc USING (unit) LEFT JOIN f_spent USING (unit)
LEFT JOIN f_income USING (unit) LEFT JOIN f_train USING (unit) LEFT JOIN f_insp USING (unit)
LEFT JOIN f_meet USING (unit) LEFT JOIN f_rcomms USING (unit) LEFT JOIN f_ryards USING (unit)
ORDER BY units.unit
"""

KEYS = [
    "courtyard_count",
    "organisations_established",
    "courtyards_covered",
    "group_members",
    "representatives",
    "allocated_district",
    "allocated_street",
    "spent",
    "income",
    "training_sessions",
    "training_attendees",
    "courtyards_inspected",
    "communities_inspected",
    "commended",
    "criticised",
    "meetings_held",
    "council_meetings",
    "resolutions_adopted",
    "communities_researched",
    "courtyards_researched",
]

STAFF_SQL = """
SELECT count(DISTINCT g.id),
       (SELECT count(*) FROM (
            SELECT g2.leader_id FROM inspections_inspectiongroup g2
            JOIN inspections_campaign k2 ON k2.id = g2.campaign_id WHERE k2.year = %(year)s
            UNION SELECT m.user_id FROM inspections_groupmember m
            JOIN inspections_inspectiongroup g3 ON g3.id = m.group_id
            JOIN inspections_campaign k3 ON k3.id = g3.campaign_id WHERE k3.year = %(year)s
            UNION SELECT k4.leader_id FROM inspections_campaign k4
            WHERE k4.year = %(year)s AND EXISTS (
                SELECT 1 FROM inspections_inspectiongroup g4 WHERE g4.campaign_id = k4.id)
       ) staff)
FROM inspections_inspectiongroup g JOIN inspections_campaign k ON k.id = g.campaign_id
WHERE k.year = %(year)s
"""


def unit_figures(year, on, street_id=None):
    """{unit id: {figure: value}} for every street (street_id None) or for the
    communities of one street."""
    if street_id is None:
        sql = UNIT_SQL.format(unit="s.id", where="TRUE", street_training="", published="")
    else:
        sql = UNIT_SQL.format(
            unit="c.id",
            where="s.id = %(street)s",
            street_training="FALSE AND",
            published="AND k.results_published_on IS NOT NULL",
        )
    params = {
        "year": year,
        "on": on,
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 31),
        "street": street_id,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: dict(zip(KEYS, row[1:], strict=True)) for row in cursor.fetchall()}


ABOVE_SQL = """
SELECT count(*), coalesce(sum(t.other_attendees), 0) + (
    SELECT count(*) FROM councils_trainingattendance a JOIN councils_training t2
    ON t2.id = a.training_id WHERE {office}
    AND t2.held_on BETWEEN %(first)s AND %(last)s)
FROM councils_training t
WHERE {office_t} AND t.held_on BETWEEN %(first)s AND %(last)s
"""


def _above(year, street_id):
    """Sessions the street office (or, for the city view, the district offices) organised
    itself: the report's 本级 row."""
    params = {
        "street": street_id,
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 31),
    }
    if street_id is None:
        sql = ABOVE_SQL.format(
            office="t2.district_id IS NOT NULL", office_t="t.district_id IS NOT NULL"
        )
    else:
        sql = ABOVE_SQL.format(
            office="t2.street_id = %(street)s", office_t="t.street_id = %(street)s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


RESEARCH_SQL = """
WITH rv AS (
    SELECT id, street_id FROM councils_researchvisit
    WHERE visited_on BETWEEN %(first)s AND %(last)s
)
SELECT (SELECT count(*) FROM rv WHERE %(street)s::int IS NULL OR rv.street_id = %(street)s),
       (SELECT count(*) FROM (
            SELECT rs.street_id FROM councils_researchvisit_streets rs
            JOIN rv ON rv.id = rs.researchvisit_id
            UNION SELECT c.street_id FROM councils_researchvisit_communities rc
            JOIN rv ON rv.id = rc.researchvisit_id JOIN courtyards_community c
            ON c.id = rc.community_id
            UNION SELECT c.street_id FROM councils_researchvisit_courtyards ry
            JOIN rv ON rv.id = ry.researchvisit_id JOIN courtyards_courtyard y
            ON y.id = ry.courtyard_id JOIN courtyards_community c ON c.id = y.community_id
        ) reached WHERE %(street)s::int IS NULL OR reached.street_id = %(street)s)
"""


def _research(year, street_id):
    """Research visits organised within the scope, and its streets reached that year."""
    params = {
        "street": street_id,
        "first": datetime.date(year, 1, 1),
        "last": datetime.date(year, 12, 31),
    }
    with connection.cursor() as cursor:
        cursor.execute(RESEARCH_SQL, params)
        return cursor.fetchone()


def report(year, on, previous_on, street_id=None):
    """What the annual report page computes: the year's rows and totals, the whole scope's
    inspection staff and groups (city view) and research visits and streets reached, and the
    previous year's totals."""
    rows = unit_figures(year, on, street_id)
    previous = unit_figures(year - 1, previous_on, street_id)
    totals = {key: sum(row[key] for row in rows.values()) for key in KEYS}
    previous_totals = {key: sum(row[key] for row in previous.values()) for key in KEYS}
    for figures, in_year in ((totals, year), (previous_totals, year - 1)):
        sessions, attendees = _above(in_year, street_id)
        figures["training_sessions"] += sessions
        figures["training_attendees"] += attendees
    if street_id is None:
        with connection.cursor() as cursor:
            cursor.execute(STAFF_SQL, {"year": year})
            totals["inspection_groups"], totals["inspection_staff"] = cursor.fetchone()
            cursor.execute(STAFF_SQL, {"year": year - 1})
            previous_totals["inspection_groups"], previous_totals["inspection_staff"] = (
                cursor.fetchone()
            )
    for figures, in_year in ((totals, year), (previous_totals, year - 1)):
        figures["research_visits"], figures["streets_researched"] = _research(in_year, street_id)
    return rows, totals, previous_totals
