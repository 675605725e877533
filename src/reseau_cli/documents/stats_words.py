"""The words of the stats report, in the document's language (the message catalogs):
a report is a document, sent to a funder in the team's language."""

from __future__ import annotations


def tables(lang: str) -> dict[str, str]:
    """The title of each table of figures."""
    from reseau_cli.i18n import gettext_in

    return {
        "persons": gettext_in(lang, "Persons followed"),
        "coordination": gettext_in(lang, "Coordination and ruptures"),
        "caseload": gettext_in(lang, "Caseload at the end of the period"),
        "concertations": gettext_in(lang, "Concertations held"),
        "schemes": gettext_in(lang, "Concertations by funding scheme"),
        "actions": gettext_in(lang, "Actions of the plans"),
        "needs": gettext_in(lang, "Unmet needs by domain (latest evaluation)"),
        "months": gettext_in(lang, "Month by month"),
    }


def keys(lang: str) -> dict[str, str]:
    """The label of each figure (some with a placeholder)."""
    from reseau_cli.i18n import gettext_in

    return {
        "followed": gettext_in(lang, "persons followed during the period"),
        "active_at_end": gettext_in(lang, "still followed at the end of the period"),
        "opened": gettext_in(lang, "accompaniments opened"),
        "reopened": gettext_in(lang, "accompaniments taken up again"),
        "closed": gettext_in(lang, "accompaniments closed"),
        "with_coordinator_at_end": gettext_in(lang, "with a coordinator at the end of the period"),
        "without_coordinator_at_end": gettext_in(
            lang, "without a coordinator at the end of the period"
        ),
        "persons_with_rupture": gettext_in(
            lang, "persons who went at least one day without a coordinator"
        ),
        "rupture_days_total": gettext_in(lang, "days without a coordinator, all persons together"),
        "rupture_days_median": gettext_in(
            lang, "days without a coordinator, median per person concerned"
        ),
        "designated_after_opening": gettext_in(
            lang, "opened in the period and given a coordinator"
        ),
        "opened_without_coordinator": gettext_in(
            lang, "opened in the period, still without a coordinator"
        ),
        "days_to_designation_median": gettext_in(
            lang, "days from opening to a coordinator, median"
        ),
        "intervenants": gettext_in(lang, "intervenants in a network"),
        "intervenants_median": gettext_in(lang, "persons per intervenant, median"),
        "coordinators": gettext_in(lang, "coordinators"),
        "coordinators_median": gettext_in(lang, "persons per coordinator, median"),
        "band_intervenants": gettext_in(lang, "intervenants following {band} person(s)"),
        "band_coordinators": gettext_in(lang, "coordinators following {band} person(s)"),
        "held": gettext_in(lang, "concertations held"),
        "concertation": gettext_in(lang, "of which concertations"),
        "synthesis": gettext_in(lang, "of which synthesis meetings"),
        "coordination": gettext_in(lang, "of which coordination meetings"),
        "person_present": gettext_in(lang, "the person was present"),
        "person_absent": gettext_in(lang, "the person was absent"),
        "person_not_recorded": gettext_in(lang, "the person's presence was not recorded"),
        "person_present_share": gettext_in(lang, "share with the person present (%)"),
        "scheme_held": gettext_in(lang, "{scheme}: held"),
        "scheme_unmet": gettext_in(lang, "{scheme}: not meeting the scheme"),
        "done": gettext_in(lang, "actions done during the period"),
        "done_on_time": gettext_in(lang, "done on time"),
        "done_late": gettext_in(lang, "done late"),
        "open_at_end": gettext_in(lang, "actions open at the end of the period"),
        "overdue_at_end": gettext_in(lang, "of which overdue"),
        "evaluated": gettext_in(lang, "persons with an evaluation"),
        "unmet": gettext_in(lang, "unmet need: {domain}"),
        "month": gettext_in(lang, "month"),
        "month_followed": gettext_in(lang, "followed"),
        "month_opened": gettext_in(lang, "opened"),
        "month_closed": gettext_in(lang, "closed"),
    }


def domains(lang: str) -> dict[str, str]:
    """The domains of needs, as the plan names them."""
    from reseau_cli.i18n import gettext_in

    return {
        "health": gettext_in(lang, "health"),
        "autonomy": gettext_in(lang, "autonomy"),
        "daily-life": gettext_in(lang, "daily life"),
        "housing": gettext_in(lang, "housing"),
        "resources": gettext_in(lang, "resources"),
        "social": gettext_in(lang, "social life"),
        "family": gettext_in(lang, "family"),
        "mental-health": gettext_in(lang, "mental health"),
        "other": gettext_in(lang, "other"),
    }


def page(lang: str) -> dict[str, str]:
    """The words around the figures."""
    from reseau_cli.i18n import gettext_in

    return {
        "title": gettext_in(lang, "Figures of the period"),
        "period": gettext_in(lang, "From {start} to {end}"),
        "repositories": gettext_in(lang, "{n} team repository(ies)"),
        "suppressed": gettext_in(
            lang,
            "Counts from 1 to {k} − 1 are shown as « < {k} », and so are the counts from which they could be recomputed; a figure computed from a hidden count is « hidden ». This report holds no name, no identifier and no free text.",
        ),
        "hidden": gettext_in(lang, "hidden"),
        "figure": gettext_in(lang, "figure"),
        "value": gettext_in(lang, "value"),
        "none": gettext_in(lang, "No concertation held in the period."),
    }
