"""The words of the stats report, in the document's language (the message catalogs):
a report is a document, sent to a funder in the team's language."""

from __future__ import annotations

from reseau_cli.i18n import N_


def _in(lang: str, words: dict[str, str]) -> dict[str, str]:
    """WORDS (English, marked for the catalogs) in LANG."""
    from reseau_cli.i18n import gettext_in

    return {key: gettext_in(lang, text) for key, text in words.items()}


def tables(lang: str) -> dict[str, str]:
    """The title of each table of figures."""
    return _in(
        lang,
        {
            "persons": N_("Persons followed"),
            "coordination": N_("Coordination and ruptures"),
            "caseload": N_("Caseload at the end of the period"),
            "concertations": N_("Concertations held"),
            "schemes": N_("Concertations by funding scheme"),
            "actions": N_("Actions of the plans"),
            "needs": N_("Unmet needs by domain (latest evaluation)"),
            "months": N_("Month by month"),
        },
    )


def keys(lang: str) -> dict[str, str]:
    """The label of each figure (some with a placeholder)."""
    return _in(
        lang,
        {
            "followed": N_("persons followed during the period"),
            "active_at_end": N_("still followed at the end of the period"),
            "opened": N_("accompaniments opened"),
            "reopened": N_("accompaniments taken up again"),
            "closed": N_("accompaniments closed"),
            "with_coordinator_at_end": N_("with a coordinator at the end of the period"),
            "without_coordinator_at_end": N_("without a coordinator at the end of the period"),
            "persons_with_rupture": N_("persons who went at least one day without a coordinator"),
            "rupture_days_total": N_("days without a coordinator, all persons together"),
            "rupture_days_median": N_("days without a coordinator, median per person concerned"),
            "designated_after_opening": N_("opened in the period and given a coordinator"),
            "opened_without_coordinator": N_("opened in the period, still without a coordinator"),
            "days_to_designation_median": N_("days from opening to a coordinator, median"),
            "intervenants": N_("intervenants in a network"),
            "intervenants_median": N_("persons per intervenant, median"),
            "coordinators": N_("coordinators"),
            "coordinators_median": N_("persons per coordinator, median"),
            "band_intervenants": N_("intervenants following {band} person(s)"),
            "band_coordinators": N_("coordinators following {band} person(s)"),
            "held": N_("concertations held"),
            "concertation": N_("of which concertations"),
            "synthesis": N_("of which synthesis meetings"),
            "coordination": N_("of which coordination meetings"),
            "person_present": N_("the person was present"),
            "person_absent": N_("the person was absent"),
            "person_not_recorded": N_("the person's presence was not recorded"),
            "person_present_share": N_("share with the person present (%)"),
            "scheme_held": N_("{scheme}: held"),
            "scheme_unmet": N_("{scheme}: not meeting the scheme"),
            "done": N_("actions done during the period"),
            "done_on_time": N_("done on time"),
            "done_late": N_("done late"),
            "open_at_end": N_("actions open at the end of the period"),
            "overdue_at_end": N_("of which overdue"),
            "evaluated": N_("persons with an evaluation"),
            "unmet": N_("unmet need: {domain}"),
            "month": N_("month"),
            "month_followed": N_("followed"),
            "month_opened": N_("opened"),
            "month_closed": N_("closed"),
        },
    )


def domains(lang: str) -> dict[str, str]:
    """The domains of needs, as the plan names them."""
    return _in(
        lang,
        {
            "health": N_("health"),
            "autonomy": N_("autonomy"),
            "daily-life": N_("daily life"),
            "housing": N_("housing"),
            "resources": N_("resources"),
            "social": N_("social life"),
            "family": N_("family"),
            "mental-health": N_("mental health"),
            "other": N_("other"),
        },
    )


def page(lang: str) -> dict[str, str]:
    """The words around the figures."""
    return _in(
        lang,
        {
            "title": N_("Figures of the period"),
            "period": N_("From {start} to {end}"),
            "repositories": N_("{n} team repository(ies)"),
            "suppressed": N_(
                "Counts from 1 to {k} − 1 are shown as « < {k} », and so are the counts from which they could be recomputed; a figure computed from a hidden count is « hidden ». This report holds no name, no identifier and no free text.",
            ),
            "hidden": N_("hidden"),
            "figure": N_("figure"),
            "value": N_("value"),
            "none": N_("No concertation held in the period."),
        },
    )
