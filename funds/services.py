"""Writes to the special fund. Views, admin screens and imports all call these, after they
have found the records in the user's scope (portal.access): services do not check scope
again (docs/architecture.md).

Money rules live here because they span records:
- spending never exceeds what the courtyard still has for the year (allocated − spent) nor
  the project's budget;
- an allocation's amount, courtyard and year are fixed once the courtyard has spent in that
  year (add a further allocation instead), and a project with spending cannot be cancelled
  or budgeted below what it has spent;
- entries (expenditures, income) are never edited: a correction is a reversing entry.

The community's own fund (社区本级: records with a community and no courtyard) follows the
same rules with the community in the courtyard's place: its balance, its lock.

Concurrency: every function that reads a balance and then writes locks the courtyard's row
first (`SELECT ... FOR UPDATE` through `lock_courtyard`; the community's row for its own
fund, `lock_holder`), inside the transaction that writes. Two people spending from the same
courtyard at once are served one after the other, and the second sees the first's
expenditure when it checks the balance. (SQLite has no row locks; it lets one writer at a
time into the database, which a single-process development server never contends for.)
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from courtyards.models import Community, Courtyard
from funds.formatting import yuan
from funds.models import (
    Allocation,
    Expenditure,
    FundRate,
    Income,
    OwnExpenditure,
    Project,
    Source,
    holder_name,
)
from funds.own_money import own_available
from funds.selectors import (
    PlanAction,
    allocation_plan,
    available_balance,
    held_by_ids,
    project_spent,
)
from portal.access import scope_of
from portal.roles import Level
from portal.scope_cache import figures_changed


def lock_courtyard(courtyard_id):
    """Take the courtyard's row lock until the transaction ends (see the module's notes)."""
    return Courtyard.objects.select_for_update().get(pk=courtyard_id)


def lock_holder(record):
    """Lock the row of the record's holder: its courtyard, or its community for the
    community's own fund (社区本级)."""
    record.fill_community()
    if record.courtyard_id:
        return lock_courtyard(record.courtyard_id)
    if record.community_id:
        return Community.objects.select_for_update().get(pk=record.community_id)
    return None  # neither: the record's own validation names the missing field


def _by(instance, by):
    instance._history_user = by
    return instance


# Allocations -----------------------------------------------------------------------------


def sources_for(user):
    """The sources a user may record allocations from: district-level users both (they
    also enter a street's contribution on its behalf), street staff their street's own."""
    level = scope_of(user).level
    if level in (Level.ALL, Level.DISTRICT):
        return [Source.DISTRICT, Source.STREET]
    if level == Level.STREET:
        return [Source.STREET]
    return []


def check_allocation(allocation, *, by):
    """Validate a new or changed allocation as `by` would save it; raises ValidationError
    naming the field. Call inside the saving transaction, after `lock_courtyard`."""
    allocation.full_clean()
    errors = {}
    if by is not None and allocation.source not in sources_for(by):
        errors["source"] = _("You may not record allocations from this source.")
    if allocation.pk:
        before = Allocation.objects.get(pk=allocation.pk)
        moved = (
            before.amount != allocation.amount
            or before.courtyard_id != allocation.courtyard_id
            or before.community_id != allocation.community_id
            or before.year != allocation.year
            or before.source != allocation.source
            or before.is_withdrawn != allocation.is_withdrawn
        )
        if before.rate_id and moved:
            errors["amount"] = _(
                "This allocation was computed from the rate: change the rate or the "
                "households and generate the year's allocations again."
            )
        elif by is not None and before.source not in sources_for(by):
            errors["source"] = _("You may not change allocations from this source.")
        elif moved:
            spent = Expenditure.objects.filter(
                year=before.year, **held_by_ids(before.courtyard_id, before.community_id)
            ).total()
            if spent > 0:
                errors["amount"] = _(
                    "%(courtyard)s has already spent %(spent)s yuan in %(year)s: this "
                    "allocation can no longer be changed or withdrawn. Record a further "
                    "allocation instead."
                ) % {"courtyard": holder_name(before), "spent": yuan(spent), "year": before.year}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def allocation_save(*, allocation, by):
    """Record a new allocation or a change to one (text, or amount/withdrawal while nothing
    has been spent)."""
    if allocation.pk:
        lock_holder(Allocation.objects.get(pk=allocation.pk))
    lock_holder(allocation)
    check_allocation(allocation, by=by)
    _by(allocation, by).save()
    return allocation


class GenerationResult:
    def __init__(self, plan):
        self.plan = plan
        self.created = plan.of(PlanAction.NEW)
        self.updated = plan.of(PlanAction.UPDATE)
        self.withdrawn = plan.of(PlanAction.WITHDRAW)
        self.unchanged = plan.of(PlanAction.UNCHANGED)
        self.locked = plan.of(PlanAction.LOCKED)


@transaction.atomic
def allocations_generate(*, rate, by, document_number="", expected=None, today=None):
    """Create or bring up to date the district allocations of `rate`'s year: one per open
    courtyard with households, of `rate.entitlement(households)`.

    Idempotent: a second run finds every allocation equal to its entitlement and changes
    nothing. An allocation whose courtyard has no spending in the year is updated to a
    changed entitlement (or withdrawn when the courtyard closed or has no households left);
    one with spending is never overwritten and is reported in `result.locked`.
    `expected` is the fingerprint of the preview the user confirmed: if the figures changed
    since, nothing is written and ValidationError asks for a new look.
    """
    today = today or timezone.localdate()
    rate = _lock_for_generation(rate)
    plan = allocation_plan(rate)
    if expected is not None and expected != plan.fingerprint:
        raise ValidationError(
            _("The figures changed since the preview was shown. Review the new preview.")
        )
    note = _("Computed from the rate: %(yuan)s yuan per %(households)s households") % {
        "yuan": rate.yuan_per_unit,
        "households": rate.households_per_unit,
    }
    result = GenerationResult(plan)
    written = {"today": today, "document_number": document_number, "note": note, "by": by}
    _create_allocations(result.created, rate, **written)
    _revise_allocations(result.updated + result.withdrawn, **written)
    # bulk writes send no signals
    figures_changed(
        {row.community_id for row in [*result.created, *result.updated, *result.withdrawn]}
    )
    return result


def _lock_for_generation(rate):
    """Lock the rate, then (in primary key order) the courtyards holding one of its
    allocations, as every other write to a courtyard's money does (`lock_courtyard`)."""
    rate = FundRate.objects.select_for_update().select_related("district").get(pk=rate.pk)
    held = Allocation.objects.filter(
        year=rate.year, rate__isnull=False, courtyard__community__street__district=rate.district
    ).values("courtyard_id")
    list(Courtyard.objects.select_for_update().filter(pk__in=held).order_by("pk").values("pk"))
    return rate


def _create_allocations(rows, rate, *, today, document_number, note, by):
    """The allocations of the plan's new rows, in one batch with their history."""
    bulk_create_with_history(
        [
            Allocation(
                year=rate.year,
                courtyard_id=row.courtyard_id,
                community_id=row.community_id,
                source=Source.DISTRICT,
                amount=row.entitlement,
                allocated_on=today,
                document_number=document_number,
                note=note,
                rate=rate,
                households=row.households,
            )
            for row in rows
        ],
        Allocation,
        default_user=by,
    )


def _revise_allocations(rows, *, today, document_number, note, by):
    """Bring the allocations of the plan's updated rows to their entitlement and withdraw
    those of its withdrawn rows, in one batch with their history."""
    changed = {row.allocation_id: row for row in rows}
    allocations = list(Allocation.objects.filter(pk__in=changed))
    for allocation in allocations:
        row = changed[allocation.pk]
        allocation.households = row.households
        if row.action == PlanAction.UPDATE:
            allocation.amount = row.entitlement
            allocation.withdrawn_on, allocation.withdrawn_reason = None, ""
            allocation.note = note
            if document_number:
                allocation.document_number = document_number
        else:
            allocation.withdrawn_on = today
            allocation.withdrawn_reason = _(
                "No longer entitled: the courtyard is closed or has no households."
            )
    bulk_update_with_history(
        allocations,
        Allocation,
        ["amount", "households", "withdrawn_on", "withdrawn_reason", "note", "document_number"],
        default_user=by,
    )


# Projects --------------------------------------------------------------------------------


def check_project(project):
    """Validate a new or changed project against its spending; call after `lock_courtyard`."""
    project.full_clean()
    if not project.pk:
        return
    errors = {}
    before = Project.objects.get(pk=project.pk)
    spent = project_spent(project.pk)
    has_entries = Expenditure.objects.filter(project_id=project.pk).exists()
    moved = (before.courtyard_id, before.community_id) != (
        project.courtyard_id,
        project.community_id,
    )
    if has_entries and (moved or before.year != project.year):
        errors["year"] = _("A project with expenditures stays in its courtyard and year.")
    if project.budget is not None and project.budget < spent:
        errors["budget"] = _(
            "The budget cannot be less than what has been spent: %(spent)s yuan."
        ) % {"spent": yuan(spent)}
    if project.status == Project.Status.CANCELLED and spent > 0:
        errors["status"] = _(
            "%(spent)s yuan has been spent on this project: mark it done, or reverse its "
            "expenditures before cancelling it."
        ) % {"spent": yuan(spent)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def project_save(*, project, by):
    lock_holder(project)
    if project.pk:
        lock_holder(Project.objects.get(pk=project.pk))
    check_project(project)
    _by(project, by).save()
    return project


# Expenditures ----------------------------------------------------------------------------


def check_expenditure(expenditure):
    """Validate a new expenditure against the courtyard's balance and the project's budget.
    Fills in the courtyard and year from the project. Call after `lock_courtyard`."""
    project = expenditure.project
    expenditure.courtyard_id = project.courtyard_id
    expenditure.community_id = project.community_id
    expenditure.year = project.year
    expenditure.full_clean()
    if not project.accepts_spending:
        raise ValidationError(
            {
                "project": _(
                    "The project is %(status)s: spending is recorded only on planned projects "
                    "and projects in progress."
                )
                % {"status": project.get_status_display()}
            }
        )
    balance = available_balance(project.courtyard_id, project.year, project.community_id)
    if expenditure.amount > balance:
        raise ValidationError({"amount": _over_balance(project, balance)})
    spent = project_spent(project.pk)
    if expenditure.amount > project.budget - spent:
        raise ValidationError(
            {
                "amount": _(
                    "This would take the project beyond its budget: %(budget)s yuan budgeted, "
                    "%(spent)s yuan spent, %(left)s yuan left."
                )
                % {
                    "budget": yuan(project.budget),
                    "spent": yuan(spent),
                    "left": yuan(project.budget - spent),
                }
            }
        )


def _over_balance(project, balance):
    figures = {"year": project.year, "balance": yuan(balance)}
    if project.courtyard_id is None:
        return (
            _(
                "This is more than the community's own fund has left: its available balance "
                "for %(year)s is %(balance)s yuan."
            )
            % figures
        )
    return (
        _(
            "This is more than the courtyard has left: the available balance of the "
            "special fund for %(year)s is %(balance)s yuan."
        )
        % figures
    )


@transaction.atomic
def expenditure_add(*, expenditure, by):
    """Record the unsaved `expenditure` (from a form, an admin screen or an import row).
    Refused (ValidationError on "amount") beyond the courtyard's available balance for the
    year, with that balance in the message. A planned project is then in progress."""
    lock_holder(expenditure.project)
    expenditure.project = project = Project.objects.get(pk=expenditure.project_id)
    if expenditure.receipt and not expenditure.receipt_name:
        expenditure.receipt_name = expenditure.receipt.name[:200]
    check_expenditure(expenditure)
    if project.status == Project.Status.PLANNED:
        project.status = Project.Status.IN_PROGRESS
        project.started_on = project.started_on or expenditure.spent_on
        _by(project, by).save(update_fields=["status", "started_on"])
    _by(expenditure, by).save()
    return expenditure


def expenditure_record(
    *,
    project,
    by,
    spent_on,
    amount,
    payee,
    voucher_number,
    description,
    payee_kind=Expenditure.PayeeKind.ORGANISATION,
    receipt=None,
):
    """Record money spent on `project` (see `expenditure_add`)."""
    expenditure = Expenditure(
        project=project,
        spent_on=spent_on,
        amount=amount,
        payee=payee,
        payee_kind=payee_kind,
        voucher_number=voucher_number,
        description=description,
    )
    if receipt:
        expenditure.receipt = receipt
        expenditure.receipt_name = receipt.name[:200]
    return expenditure_add(expenditure=expenditure, by=by)


def check_reversal(entry):
    if entry.is_reversal:
        raise ValidationError(_("This is a reversing entry: it cannot itself be reversed."))
    if type(entry).objects.filter(reverses=entry).exists():
        raise ValidationError(_("This entry has already been reversed."))


@transaction.atomic
def expenditure_reverse(*, expenditure, by, spent_on, voucher_number, reason):
    """Cancel `expenditure` in full with a reversing entry (红字冲销): same project, payee
    and amount, its own voucher number, the reason as description. The original stays."""
    lock_holder(expenditure)
    original = Expenditure.objects.select_related("project").get(pk=expenditure.pk)
    check_reversal(original)
    reversal = Expenditure(
        project=original.project,
        courtyard_id=original.courtyard_id,
        community_id=original.community_id,
        year=original.year,
        spent_on=spent_on,
        amount=original.amount,
        payee=original.payee,
        payee_kind=original.payee_kind,
        voucher_number=voucher_number,
        description=reason,
        reverses=original,
    )
    reversal.full_clean()
    _by(reversal, by).save()
    return reversal


def attach_receipt(*, expenditure, receipt, by):
    """Attach a receipt scan recorded after the expenditure (the only change an entry takes)."""
    expenditure.receipt = receipt
    expenditure.receipt_name = receipt.name[:200]
    expenditure.full_clean()
    _by(expenditure, by).save(update_fields=["receipt", "receipt_name"])
    return expenditure


# Income ----------------------------------------------------------------------------------


@transaction.atomic
def income_add(*, income, by):
    """Record the unsaved `income` (from a form, an admin screen or an import row)."""
    income.full_clean()
    _by(income, by).save()
    return income


def income_record(*, courtyard, by, received_on, kind, amount, note=""):
    income = Income(
        courtyard=courtyard, received_on=received_on, kind=kind, amount=amount, note=note
    )
    return income_add(income=income, by=by)


@transaction.atomic
def income_reverse(*, income, by, received_on, reason):
    """Cancel `income` in full with a reversing entry; the original stays."""
    lock_courtyard(income.courtyard_id)
    original = Income.objects.get(pk=income.pk)
    check_reversal(original)
    if received_on.year != original.received_on.year:
        raise ValidationError(
            {
                "received_on": _(
                    "A reversing entry is dated in the year of the income it cancels (%(year)s)."
                )
                % {"year": original.received_on.year}
            }
        )
    reversal = Income(
        courtyard_id=original.courtyard_id,
        received_on=received_on,
        kind=original.kind,
        amount=original.amount,
        note=reason,
        reverses=original,
    )
    reversal.full_clean()
    _by(reversal, by).save()
    return reversal


# Own money (自筹资金) --------------------------------------------------------------------


def check_own_expenditure(expenditure):
    """Validate a new own-money spending: the model's rules (an approving resolution, the
    date, the voucher) and the balance, which must stay at or above zero on its date and
    every later day recorded. Call after `lock_courtyard`."""
    if expenditure.spent_on:
        expenditure.year = expenditure.spent_on.year
    expenditure.full_clean()
    if expenditure.is_reversal:
        return  # a reversal gives money back
    available = own_available(expenditure.courtyard_id, expenditure.spent_on)
    if expenditure.amount > available:
        raise ValidationError(
            {
                "amount": _(
                    "This is more than the courtyard's own money: its balance available on "
                    "%(day)s is %(balance)s yuan."
                )
                % {"day": expenditure.spent_on.isoformat(), "balance": yuan(available)}
            }
        )


@transaction.atomic
def own_expenditure_add(*, expenditure, by):
    """Record the unsaved own-money `expenditure` (from the page or an admin screen),
    refused (ValidationError on "amount", naming the balance) beyond the courtyard's own
    money, under the courtyard's row lock like every spending."""
    lock_courtyard(expenditure.courtyard_id)
    if expenditure.receipt and not expenditure.receipt_name:
        expenditure.receipt_name = expenditure.receipt.name[:200]
    check_own_expenditure(expenditure)
    _by(expenditure, by).save()
    return expenditure


@transaction.atomic
def own_expenditure_reverse(*, expenditure, by, spent_on, voucher_number, reason):
    """Cancel an own-money `expenditure` in full with a reversing entry (红字冲销), which
    names the same resolution and payee; the original stays."""
    lock_courtyard(expenditure.courtyard_id)
    original = OwnExpenditure.objects.get(pk=expenditure.pk)
    check_reversal(original)
    reversal = OwnExpenditure(
        courtyard_id=original.courtyard_id,
        spent_on=spent_on,
        amount=original.amount,
        payee=original.payee,
        payee_kind=original.payee_kind,
        voucher_number=voucher_number,
        description=reason,
        resolution_id=original.resolution_id,
        reverses=original,
    )
    check_own_expenditure(reversal)
    _by(reversal, by).save()
    return reversal
