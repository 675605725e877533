"""Rules across files that a schema cannot express: ids that must exist, one coordinator,
dates in order, a network that makes sense. ``_check`` runs them all (through
``check_kept.check_repository``, which keeps its report)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from reseau_cli import schemas, store
from reseau_cli.crypto import layer
from reseau_cli.crypto.layer import NoKey
from reseau_cli.errors import InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _
from reseau_cli.model import sharing
from reseau_cli.model.consent import status_problem as consent_status_problem
from reseau_cli.model.network import (
    PERSON,
    ROLES,
    by_role,
    holder,
    is_member,
    never_held,
    was_member,
)
from reseau_cli.records import field, frozen
from reseau_cli.vcs.layout import FOLDERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.repo import Repository

    Where = tuple[Any, ...]


@frozen
class CheckReport:
    """What `reseau check` found."""

    problems: list[Problem] = field(default_factory=list)
    persons: int = 0
    intervenants: int = 0
    warnings: list[Problem] = field(default_factory=list)  # worth a look; not wrong

    @property
    def ok(self) -> bool:
        return not self.problems


@frozen
class Context:
    """What the rules of one person read besides that person's file: the day, the
    intervenants (every id listed, the documents of the valid ones and their kinds) and
    the team's funding schemes (None when they cannot be read)."""

    today: str
    known: set[str]
    intervenants: dict[str, Any]
    kinds: dict[str, Any]
    schemes: set[str] | None


# How a check finds each person's problems and warnings (see ``check_kept``): given the
# repository, the context, and the lists to extend (problems, warnings).
Persons = Callable[["Repository", Context, list[Problem], list[Problem]], None]


def _check(repo: Repository, *, today: str, persons: Persons | None = None) -> CheckReport:
    """Every rule over every file; each person's part made by ``persons`` (by default:
    every person document loaded and checked)."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    try:
        zone = repo.settings.get("timezone")
    except ReseauError as exc:
        problems.extend(getattr(exc, "problems", None) or [Problem("reseau.yaml", "-", str(exc))])
    else:
        if not _known_time_zone(zone):
            problems.append(
                Problem(
                    "reseau.yaml",
                    "$.timezone",
                    _("unknown time zone {zone}").format(zone=repr(zone)),
                )
            )
    problems.extend(repo.layout_problems())
    schemes = _schemes(repo, problems)
    problems.extend(sealing_problems(repo))
    problems.extend(_instrument_problems(repo))
    problems.extend(_catalog_problems(repo))
    intervenants = dict(_load_all(repo, "intervenant", problems))
    # Invalid intervenant files still exist: do not report them again as unknown.
    known = set(_ids(repo, "intervenant"))
    kinds = {ident: d.get("kind") for ident, d in intervenants.items()}
    context = Context(today, known, intervenants, kinds, schemes)
    (persons or every_person)(repo, context, problems, warnings)
    for ident, doc in intervenants.items():
        if doc.get("id") != ident:
            problems.append(
                Problem(f"intervenants/{ident}.yaml", "$.id", _("id differs from file name"))
            )
    problems = sorted(dict.fromkeys(problems), key=lambda p: (p.path, p.location))
    return CheckReport(
        problems=problems,
        persons=len(_ids(repo, "person")),
        intervenants=len(_ids(repo, "intervenant")),
        warnings=warnings,
    )


def every_person(
    repo: Repository, context: Context, problems: list[Problem], warnings: list[Problem]
) -> None:
    """Every person document loaded (the problems of invalid ones into ``problems``)
    and its part of the report made."""
    for ident, doc in _load_all(repo, "person", problems):
        found, warned = person_part(repo, ident, doc, context)
        problems.extend(found)
        warnings.extend(warned)


def person_part(
    repo: Repository, ident: str, doc: dict[str, Any], context: Context
) -> tuple[list[Problem], list[Problem]]:
    """The problems (located in the file) and the warnings of one valid person document:
    read only from that document, its file's text and ``context``; no other person's."""
    path = repo.path("person", ident)
    display = repo.rel(path)
    problems: list[Problem] = []
    warnings: list[Problem] = []
    today = context.today
    found = list(person_rules(doc, known_intervenants=context.known, today=today))
    if context.schemes is not None:
        found += list(scheme_rules(doc, context.schemes))
    if found:
        problems.extend(_located(display, store.read_text(path, display=display), found))
    for message in person_warnings(doc, today=today):
        warnings.append(Problem(display, "$.coordination", message))
    if _upgraded(doc):
        warnings.extend(_old_forms(path, display))
    for where, message in disclosure_warnings(doc, context.intervenants):
        warnings.append(Problem(display, where, message))
    for where, message in sharing.contradictions(doc, context.kinds, today=today):
        warnings.append(Problem(display, where, message))
    return problems, warnings


def _schemes(repo: Repository, problems: list[Problem]) -> set[str] | None:
    """The ids of the funding schemes the team can use; the problems of its scheme files
    (and of reseau.yaml's `schemes:`) go into ``problems``. None when they cannot be read."""
    from reseau_cli import funding

    try:
        loaded = funding.load(repo)
    except ReseauError as exc:
        problems.extend(getattr(exc, "problems", None) or [Problem("schemes", "-", str(exc))])
        return None
    problems.extend(loaded.problems)
    return set(loaded.schemes)


def scheme_rules(doc: dict[str, Any], schemes: set[str]) -> Iterator[tuple[Where, str]]:
    """Every concertation names a scheme the team has."""
    for i, c in enumerate(doc.get("concertations") or []):
        if c.get("scheme") is not None and c["scheme"] not in schemes:
            yield (
                ("concertations", i, "scheme"),
                _("unknown scheme {id} (`reseau concertation schemes` lists them)").format(
                    id=repr(c["scheme"])
                ),
            )


def sealing_problems(repo: Repository) -> list[Problem]:
    """When the team encrypts: files left in clear, and files whose data key is wrapped
    for recipients other than the team's (a member added or removed elsewhere)."""
    if not repo.encrypted:
        return []
    keyring = repo.keyring
    wanted = set(keyring.team.recipients)
    found = []
    for kind in FOLDERS:
        for ident in repo.ids(kind):
            path = repo.path(kind, ident)
            display = repo.rel(path)
            try:
                raw = store.read_raw(path, display=display)
                sealed = layer.parse_sealed(raw, display=display) if layer.is_sealed(raw) else None
            except InvalidDocument:
                continue  # reported when the file is read
            if sealed is None:
                found.append(
                    Problem(display, "-", _("in clear, although the team encrypts its files"))
                )
                continue
            recipients = keyring.recipients_of(sealed.ident, sealed.key)
            if recipients is not None and set(recipients) != wanted:
                found.append(
                    Problem(
                        display,
                        "-",
                        _(
                            "encrypted for recipients that differ from team/recipients.yaml "
                            "(wrap its key again for the team: `reseau team rotate`)"
                        ),
                    )
                )
    return found


def _sealed_header(path: str, text: str, ident: str) -> list[Problem]:
    try:
        sealed = layer.parse_sealed(text, display=path)
    except InvalidDocument as exc:
        return exc.problems
    if sealed.ident != ident:
        return [
            Problem(
                path,
                "$.id",
                _("id {id} differs from file name").format(id=repr(sealed.ident)),
            )
        ]
    return []


def person_warnings(doc: dict[str, Any], *, today: str) -> Iterator[str]:
    """What is allowed but worth a look: one person holding both functions today."""
    if doc.get("status") != "active":
        return
    coordinator = holder(doc, "coordinator", today)
    if coordinator is not None and coordinator == holder(doc, "concertation_lead", today):
        yield _(
            "{who} is both coordinator and concertation lead: they are "
            "independent functions, usually held by two people"
        ).format(who=repr(coordinator))


def disclosure_warnings(
    doc: dict[str, Any], intervenants: Mapping[str, Any]
) -> Iterator[tuple[str, str]]:
    """Disclosures the consent in force at their date did not allow: to a recipient
    outside it, or while it was refused, withdrawn or not recorded."""
    from reseau_cli.model import consent, sharing

    for i, entry in enumerate(consent.upgrade_block(dict(doc))["disclosures"]):
        who, on = entry.get("recipient"), entry.get("date")
        if not who or not on or who in (PERSON, sharing.TEAM):
            continue
        kind = (intervenants.get(who) or {}).get("kind")
        try:
            sharing.refusal(doc, sharing.recipient(who, kind), on=on)
        except ReseauError as exc:
            yield (
                f"$.consent.disclosures[{i}]",
                _("disclosure {id} of {date} contradicts the consent: {reason}").format(
                    id=entry.get("id"), date=on, reason=exc
                ),
            )


def _upgraded(doc: dict[str, Any]) -> bool:
    """Whether the loader may have upgraded the document's consent from the old form
    (its history holds the decision the upgrade makes): only then is its text read
    again, to tell (see ``_old_forms``); every other file is read once."""
    from reseau_cli.formats import UPGRADED_CONSENT_ID

    consent = doc.get("consent")
    history = consent.get("history") if isinstance(consent, dict) else None
    return any(
        isinstance(entry, dict) and entry.get("id") == UPGRADED_CONSENT_ID
        for entry in history or []
    )


def _old_forms(path: Any, display: str) -> list[Problem]:
    """A file still in an older form: read as the new one, saved so at its next change."""
    from reseau_cli.formats import old_consent_in_text

    try:
        text = store.read_text(path, display=display)
    except ReseauError:
        return []
    if not old_consent_in_text(text):
        return []
    return [
        Problem(
            display,
            "$.consent",
            _(
                "consent in the old form (information_sharing): read as a consent history; "
                "the next change to this file (e.g. `reseau consent give`) saves the new form"
            ),
        )
    ]


def check_texts(
    texts: Mapping[str, str], *, known_intervenants: set[str], today: str
) -> list[Problem]:
    """The rules of ``check_repository`` on files given as texts rather than read from
    the working tree (the staged files of a commit, the files of a pushed commit).

    ``texts`` maps paths relative to the repository root (``reseau.yaml``,
    ``persons/<id>.yaml``, ``intervenants/<id>.yaml``) to their text; other paths are
    ignored. ``known_intervenants`` holds the intervenant ids of the whole snapshot."""
    from reseau_cli import funding
    from reseau_cli.repo import DEFAULTS, parse_document
    from reseau_cli.vcs.layout import KIND_OF_FOLDER, SCHEMES, SETTINGS

    problems: list[Problem] = []
    for path, text in texts.items():
        folder, _sep, name = path.rpartition("/")
        if folder == SCHEMES and name.endswith(".yaml"):
            try:
                funding.parse(text, display=path, ident=name.removesuffix(".yaml"))
            except InvalidDocument as exc:
                problems.extend(exc.problems)
            except ReseauError as exc:
                problems.append(Problem(path, "-", str(exc)))
            continue
        kind = "settings" if path == SETTINGS else KIND_OF_FOLDER.get(folder)
        if kind is None or not name.endswith(".yaml"):
            continue
        try:
            doc = parse_document(kind, text, display=path)
        except NoKey:  # sealed, and this machine holds no key (a server): its clear header
            problems.extend(_sealed_header(path, text, name.removesuffix(".yaml")))
            continue
        except InvalidDocument as exc:
            problems.extend(exc.problems)
            continue
        except ReseauError as exc:
            problems.append(Problem(path, "-", str(exc)))
            continue
        if kind == "settings":
            zone = {**DEFAULTS, **doc}.get("timezone")
            if not _known_time_zone(zone):
                problems.append(
                    Problem(
                        path, "$.timezone", _("unknown time zone {zone}").format(zone=repr(zone))
                    )
                )
        elif doc.get("id") != name.removesuffix(".yaml"):
            problems.append(
                Problem(
                    path,
                    "$.id",
                    _("id {id} differs from file name").format(id=repr(doc.get("id"))),
                )
            )
        elif kind == "person":
            found = list(person_rules(doc, known_intervenants=known_intervenants, today=today))
            problems.extend(_located(path, text, found))
    problems.sort(key=lambda p: (p.path, p.location))
    return problems


def _located(display: str, text: str, found: list[tuple[Where, str]]) -> list[Problem]:
    """Rule problems with the line of the file they point at."""
    problems = []
    for where, message in found:
        line = store.line_of(text, where)
        location = schemas.json_path(where)
        if line is not None:
            location = _("line {line} ({location})").format(line=line, location=location)
        problems.append(Problem(display, location, message))
    return problems


def _instrument_problems(repo: Repository) -> list[Problem]:
    """The team's instrument files that do not validate (file, line and path)."""
    from reseau_cli.operations.instruments import catalog

    return catalog(repo)[1]


def _catalog_problems(repo: Repository) -> list[Problem]:
    """The team's own translations (``locale/<lang>/LC_MESSAGES/reseau.po``) that would
    stop a document: each named with its line, as rendering would name it."""
    from reseau_cli.documents.team_catalogs import compiled
    from reseau_cli.errors import CatalogInvalid
    from reseau_cli.vcs.layout import LOCALE, TEAM_CATALOG

    folder = repo.root / LOCALE
    if not folder.is_dir() or folder.is_symlink():
        return []
    found = []
    for lang in sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        rel = TEAM_CATALOG.format(lang=lang)
        try:
            compiled(repo.root, lang)
        except CatalogInvalid as exc:
            line, _, reason = str(exc).removeprefix(f"{rel}:").partition(": ")
            found.append(Problem(rel, f"line {line}", reason))
    return found


def _ids(repo: Repository, kind: str) -> list[str]:
    """The ids of a data folder, none when the folder itself cannot be read (a
    symbolic link, no permission): that is reported as a problem of its own."""
    try:
        return repo.ids(kind)
    except ReseauError:
        return []


def _load_all(repo: Repository, kind: str, problems: list[Problem]) -> list[tuple[str, Any]]:
    try:
        return list(repo.all_raw(kind, problems))
    except ReseauError as exc:
        found = getattr(exc, "problems", None) or [Problem(FOLDERS[kind], "-", str(exc))]
        problems.extend(p for p in found if p not in problems)
        return []


def _known_time_zone(name: Any) -> bool:
    """An IANA time zone name this machine knows (documents and calendars need it)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(name, str) or not name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def person_rules(
    doc: dict[str, Any], *, known_intervenants: set[str], today: str
) -> Iterator[tuple[Where, str]]:
    """Every cross-file or ordering problem of one person document."""
    yield from _network_rules(doc, known_intervenants)
    yield from _coordination_rules(doc, known_intervenants, today)
    yield from _plan_rules(doc, known_intervenants, today)
    yield from _concertation_rules(doc, known_intervenants, today)
    yield from _evaluation_rules(doc, known_intervenants, today)
    wrong = consent_status_problem(doc, today)
    if wrong:
        yield ("consent", "status"), wrong
    closed = doc.get("closed")
    if doc.get("status") == "closed" and not closed:
        yield ("status",), _("a closed person needs `closed: {date, reason}`")
    if doc.get("status") == "active" and closed:
        yield ("closed",), _("an active person cannot have a closing date")
    for i, past in enumerate(doc.get("closures") or []):
        if past["reopened"] < past["closed"]:
            why = _("reopened ({reopened}) before it closed ({closed})").format(
                reopened=past["reopened"], closed=past["closed"]
            )
            yield ("closures", i, "reopened"), why


def _network_rules(doc: dict[str, Any], known: set[str]) -> Iterator[tuple[Where, str]]:
    # The latest membership seen of each intervenant, to find overlapping periods.
    latest: dict[str, dict[str, Any]] = {}
    network = doc.get("network") or []
    order = sorted(range(len(network)), key=lambda i: network[i]["since"])
    for i in order:
        m = network[i]
        who = m["intervenant"]
        if who not in known:
            yield ("network", i, "intervenant"), _unknown_intervenant(who)
        if m.get("until") is not None and m["until"] < m["since"]:
            yield ("network", i, "until"), _ends_before(m)
        before = latest.get(who)
        if before is not None:
            if before.get("until") is None and m.get("until") is None:
                yield ("network", i), _("{who} has two open memberships").format(who=repr(who))
            elif before.get("until") is None or before["until"] > m["since"]:
                yield (
                    ("network", i, "since"),
                    _(
                        "{who} has overlapping memberships (another one runs {since} → {until})"
                    ).format(
                        who=repr(who), since=before["since"], until=before.get("until") or _("now")
                    ),
                )
        if before is None or (
            before.get("until") is not None
            and (m.get("until") is None or m["until"] > before["until"])
        ):
            latest[who] = m


ROLE_LABEL = ROLES


def _coordination_rules(
    doc: dict[str, Any], known: set[str], today: str
) -> Iterator[tuple[Where, str]]:
    """The history is the authority: designations of one role do not overlap, and
    whoever holds one today or later is a member of the network then. The
    coordinator (lead) field names who held it when the file was written, so it may
    lag behind a handover that has taken effect since, but never name someone the
    history does not designate, nor a designation still to come."""
    coordination = doc.get("coordination") or {}
    history = coordination.get("history") or []
    yield from _history_rules(history, known)
    for role in ROLE_LABEL:
        mine = [(i, d) for i, d in enumerate(history) if d["role"] == role]
        opened = [d for _i, d in mine if d.get("until") is None]
        if len(opened) > 1:
            names = [d["intervenant"] for d in opened]
            said = by_role(
                role,
                _("more than one open coordinator designation: {names}"),
                _("more than one open concertation lead designation: {names}"),
            )
            yield ("coordination", "history"), said.format(names=names)
        else:
            yield from _overlaps(mine, role)
        who = coordination.get(role)
        now = holder(doc, role, today)
        shown = repr(now) if now else _("nobody")
        if who is not None and who not in known:
            yield ("coordination", role), _unknown_intervenant(who)
        elif who is not None and mine and who != now:
            started = [d for _i, d in mine if d["intervenant"] == who and d["since"] <= today]
            coming = [d for _i, d in mine if d["intervenant"] == who and not never_held(d)]
            if coming and not started:
                said = by_role(
                    role,
                    _(
                        "{who} is designated coordinator from {since} only; "
                        "on {today} the coordinator is {holder}"
                    ),
                    _(
                        "{who} is designated concertation lead from {since} only; "
                        "on {today} the concertation lead is {holder}"
                    ),
                )
                yield (
                    ("coordination", role),
                    said.format(who=repr(who), since=coming[0]["since"], today=today, holder=shown),
                )
            elif not started:
                said = by_role(
                    role,
                    _(
                        "{who} holds no coordinator designation in the history "
                        "(on {today} the coordinator is {holder})"
                    ),
                    _(
                        "{who} holds no concertation lead designation in the history "
                        "(on {today} the concertation lead is {holder})"
                    ),
                )
                yield (
                    ("coordination", role),
                    said.format(who=repr(who), today=today, holder=shown),
                )
        if doc.get("status") != "active":
            continue
        if not mine and who in known and not is_member(doc, who, today):
            # Given by hand, without history: the field alone says who holds it.
            yield (
                ("coordination", role),
                _("{who} is not a current member of the network").format(who=repr(who)),
            )
        # Whoever holds the function today, or will later, is a member then.
        for i, d in mine:
            if never_held(d) or d["intervenant"] not in known:
                continue
            if d.get("until") is not None and d["until"] <= today:
                continue
            on = max(today, d["since"])
            if is_member(doc, d["intervenant"], on):
                continue
            if on == today and d["intervenant"] == who:
                where: Where = ("coordination", role)
            else:
                where = ("coordination", "history", i, "intervenant")
            if on == today:
                said = _("{who} is not a current member of the network")
            else:
                said = _("{who} is not a member on {date} of the network")
            yield where, said.format(who=repr(d["intervenant"]), date=on)


def _history_rules(history: list[dict[str, Any]], known: set[str]) -> Iterator[tuple[Where, str]]:
    """Each designation names a known intervenant and does not end before it starts."""
    for i, d in enumerate(history):
        if d["intervenant"] not in known:
            yield (
                ("coordination", "history", i, "intervenant"),
                _unknown_intervenant(d["intervenant"]),
            )
        if d.get("until") is not None and d["until"] < d["since"]:
            yield (("coordination", "history", i, "until"), _ends_before(d))


def _unknown_intervenant(who: str) -> str:
    return _("unknown intervenant {who}").format(who=repr(who))


def _ends_before(span: dict[str, Any]) -> str:
    return _("ends ({until}) before it starts ({since})").format(
        until=span["until"], since=span["since"]
    )


def _overlaps(mine: list[tuple[int, dict[str, Any]]], role: str) -> Iterator[tuple[Where, str]]:
    """Two designations of one role in force on the same day."""
    ordered = sorted(
        ((i, d) for i, d in mine if not never_held(d)),
        key=lambda pair: (pair[1]["since"], pair[1].get("until") or "9999-99-99"),
    )
    last: dict[str, Any] | None = None
    for i, d in ordered:
        if last is not None and (last.get("until") is None or last["until"] > d["since"]):
            said = by_role(
                role,
                _("overlaps the coordinator designation of {who} ({since} → {until})"),
                _("overlaps the concertation lead designation of {who} ({since} → {until})"),
            )
            yield (
                ("coordination", "history", i, "since"),
                said.format(
                    who=repr(last["intervenant"]),
                    since=last["since"],
                    until=last.get("until") or _("open"),
                ),
            )
        if last is None or (
            last.get("until") is not None and (d.get("until") is None or d["until"] > last["until"])
        ):
            last = d


def _plan_rules(doc: dict[str, Any], known: set[str], today: str) -> Iterator[tuple[Where, str]]:
    from reseau_cli.model.plan import held_while_member

    plan = doc.get("plan") or {}
    objectives = plan.get("objectives") or []
    yield from _unique(objectives, ("plan", "objectives"))
    objective_ids = {o["id"] for o in objectives}
    actions = plan.get("actions") or []
    yield from _unique(actions, ("plan", "actions"))
    concertation_ids = {c["id"] for c in doc.get("concertations") or []}
    for i, a in enumerate(actions):
        here = ("plan", "actions", i)
        if a.get("objective") is not None and a["objective"] not in objective_ids:
            yield (*here, "objective"), _("unknown objective {id}").format(id=repr(a["objective"]))
        who = a["by"]
        if who != PERSON:
            if who not in known:
                yield (*here, "by"), _unknown_intervenant(who)
            elif not held_while_member(doc, a, today):
                if a.get("created"):
                    said = _("{who} was not a member of the network from {date}")
                else:
                    said = _("{who} was not a member of the network")
                yield (*here, "by"), said.format(who=repr(who), date=a.get("created"))
        if a.get("start") and a.get("due") and a["due"] < a["start"]:
            yield (
                (*here, "due"),
                _("due ({due}) before start ({start})").format(due=a["due"], start=a["start"]),
            )
        if a.get("created") and a.get("closed") and a["closed"] < a["created"]:
            yield (
                (*here, "closed"),
                _("closed ({closed}) before created ({created})").format(
                    closed=a["closed"], created=a["created"]
                ),
            )
        if a.get("concertation") and a["concertation"] not in concertation_ids:
            yield (
                (*here, "concertation"),
                _("unknown concertation {id}").format(id=repr(a["concertation"])),
            )
    if plan.get("reviewed") and plan.get("next_review") and plan["next_review"] < plan["reviewed"]:
        yield ("plan", "next_review"), _("next review before the last review")
    for i, r in enumerate(plan.get("reviews") or []):
        if r.get("next") and r["next"] < r["date"]:
            yield (
                ("plan", "reviews", i, "next"),
                _("next review ({next}) before {date}").format(next=r["next"], date=r["date"]),
            )


def _evaluation_rules(
    doc: dict[str, Any], known: set[str], today: str
) -> Iterator[tuple[Where, str]]:
    """Evaluations: unique ids, a known evaluator, one entry per domain, not in the future."""
    evaluations = doc.get("evaluations") or []
    yield from _unique(evaluations, ("evaluations",))
    for i, e in enumerate(evaluations):
        here = ("evaluations", i)
        if e.get("by") and e["by"] not in known:
            yield (*here, "by"), _unknown_intervenant(e["by"])
        if e["date"] > today:
            yield (
                (*here, "date"),
                _("evaluation dated in the future ({date})").format(date=e["date"]),
            )
        seen: set[str] = set()
        for j, d in enumerate(e.get("domains") or []):
            if d["domain"] in seen:
                yield (
                    (*here, "domains", j, "domain"),
                    _("domain {domain} given twice").format(domain=d["domain"]),
                )
            seen.add(d["domain"])
        names = [used["instrument"] for used in e.get("instruments") or []]
        if len(set(names)) != len(names):
            yield (*here, "instruments"), _("an instrument is given twice")


def _concertation_rules(
    doc: dict[str, Any], known: set[str], today: str
) -> Iterator[tuple[Where, str]]:
    concertations = doc.get("concertations") or []
    yield from _unique(concertations, ("concertations",))
    action_ids = {a["id"] for a in (doc.get("plan") or {}).get("actions") or []}
    for i, c in enumerate(concertations):
        here = ("concertations", i)
        people: list[tuple[Any, Any]] = [("organiser", c.get("organiser"))]
        people += [(("invited", j), who) for j, who in enumerate(c.get("invited") or [])]
        people += [
            (("participants", j, "intervenant"), p["intervenant"])
            for j, p in enumerate(c.get("participants") or [])
        ]
        for key, who in people:
            if who is None:
                continue
            where = (*here, *key) if isinstance(key, tuple) else (*here, key)
            if who not in known:
                yield where, _unknown_intervenant(who)
            elif not was_member(doc, who):
                yield (
                    where,
                    _("{who} is not and was never a member of the network").format(who=repr(who)),
                )
        if c["status"] == "held" and c["date"] > today:
            yield (
                (*here, "date"),
                _("held on {date}, which is in the future").format(date=c["date"]),
            )
        if c.get("next") and c["next"] < c["date"]:
            yield (*here, "next"), _("next meeting before this one")
        for j, action in enumerate(c.get("actions") or []):
            if action not in action_ids:
                yield (*here, "actions", j), _("unknown action {id}").format(id=repr(action))
        yield from _length_rules(c, here)


def _length_rules(c: dict[str, Any], here: Where) -> Iterator[tuple[Where, str]]:
    """A meeting's length needs its start time, and it ends the same day."""
    minutes = c.get("duration_minutes")
    if minutes is None:
        return
    if not c.get("time"):
        yield (*here, "duration_minutes"), _("a duration needs the start time (`time`)")
        return
    hours, mins = (int(x) for x in c["time"].split(":"))
    if hours * 60 + mins + minutes > 24 * 60:
        yield (
            (*here, "duration_minutes"),
            _("from {start}, {minutes} minutes ends after midnight").format(
                start=c["time"], minutes=minutes
            ),
        )


def _unique(items: list[dict[str, Any]], where: Where) -> Iterator[tuple[Where, str]]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        if item["id"] in seen:
            yield (*where, i, "id"), _("duplicate id {id}").format(id=repr(item["id"]))
        seen.add(item["id"])
