"""`render … --for RECIPIENT`: every document obeys the person's consent.

The leak test renders every document for every kind of recipient in every format and
asserts that no withheld value appears; recipients outside the consent are refused with
one line; footers and headers never claim a consent the file does not hold."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import git, invoke, ok, refused
from render_case import MARCEL, html_text

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

# One distinctive word per value that a section holds, so that it can be found whatever
# the format does to punctuation (Markdown escapes, HTML entities, PDF text, ics folding).
SECRETS = {
    "situation": ["Zsituationword"],
    "contacts": ["Zaddressword", "zcontactword"],
    "health": ["Zhealthobjective", "Zhealthaction", "Zhealthneed"],
    "plan": ["Zplanobjective", "Zplanaction"],
    "minutes": ["Zminutessummary", "Zminutesdecision"],
}

# Marcel's consent: professionals, services, family and volunteers, each kind kept from
# some sections (by kind, or by id for the nurse).
CONSENT = [
    "--to", "professional", "--to", "service", "--to", "carer", "--to", "volunteer",
    "--withhold", "situation:service", "--withhold", "contacts:service",
    "--withhold", "health:service", "--withhold", "health:carer",
    "--withhold", "minutes:volunteer", "--withhold", "plan:volunteer",
    "--withhold", "minutes:karim-ouali",
]  # fmt: skip
RECIPIENTS = {
    "anne-lambert": set(),  # professional: everything
    "karim-ouali": {"minutes"},  # professional, by id
    "aide-familiale-nord": {"situation", "contacts", "health"},  # service
    "luc-janssens": {"health"},  # carer
    "rosa-martins": {"minutes", "plan"},  # volunteer
}


def _plant_secrets(root: Path) -> None:
    """Marcel's file with a distinctive word in every withholdable value."""
    path = root / "persons" / f"{MARCEL}.yaml"
    doc: dict[str, Any] = yaml.safe_load(path.read_text())
    doc["situation"] = "Vit seul. Zsituationword."
    doc["identity"]["address"] = "Rue Zaddressword 12, 5000 Namur"
    doc["identity"]["email"] = "zcontactword@example.org"
    plan = doc["plan"]
    health = {o["id"] for o in plan["objectives"] if o.get("domain") == "health"}
    assert health, "the case needs a health objective"
    for o in plan["objectives"]:
        o["text"] = ("Zhealthobjective " if o["id"] in health else "Zplanobjective ") + o["text"]
    for a in plan["actions"]:
        word = "Zhealthaction " if a.get("objective") in health else "Zplanaction "
        a["text"] = word + a["text"]
    doc["evaluations"] = [
        {
            "id": "e-zsecret",
            "date": "2026-10-01",
            "domains": [{"domain": "health", "level": "unmet", "need": "Zhealthneed: soins"}],
        }
    ]
    for c in doc["concertations"]:
        if c["status"] == "held":
            c["summary"] = "Zminutessummary: " + (c.get("summary") or "")
            c["decisions"] = ["Zminutesdecision " + d for d in c.get("decisions") or []] or [
                "Zminutesdecision"
            ]
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(root, "commit", "-qam", f"{MARCEL}: hand edit")


@pytest.fixture
def shared(repo: Path) -> Path:
    _plant_secrets(repo)
    ok("consent", "give", MARCEL, "--date", "2026-11-20", *CONSENT)
    return repo


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def _text(fmt: str, data: bytes) -> str:
    """What a reader of the document sees, whatever the format."""
    if fmt == "pdf":
        return _pdf_text(data)
    text = data.decode("utf-8")
    if fmt == "html":
        return html_text(text)
    if fmt == "ics":
        return re.sub(r"\r?\n[ \t]", "", text)  # unfolded
    return text


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def _formats(kind: str) -> list[str]:
    found = ["md", "html"]
    if _weasyprint_works():
        found.append("pdf")
    if kind == "invitation":
        found.append("ics")
    return found


def _render(kind: str, fmt: str, *extra: str, tmp: Path) -> tuple[int, str, str]:
    target = tmp / f"{kind}-{fmt}-{'-'.join(extra) or 'team'}.{fmt}"
    result = invoke("render", kind, MARCEL, "--format", fmt, "-o", str(target), *extra)
    if result.exit_code != 0:
        return result.exit_code, "", result.stderr
    return 0, _text(fmt, target.read_bytes()), result.stderr


def test_no_withheld_value_reaches_any_recipient(shared: Path, tmp_path: Path) -> None:
    """Every document, every kind of recipient, every format."""
    for kind in ("plan", "network", "minutes", "invitation"):
        for fmt in _formats(kind):
            for who, withheld in RECIPIENTS.items():
                code, seen, err = _render(kind, fmt, "--for", who, tmp=tmp_path)
                if kind == "minutes" and "minutes" in withheld:
                    assert code == 1 and "keeps the minutes" in err, (who, err)
                    continue
                assert code == 0, (kind, fmt, who, err)
                for section in withheld:
                    for word in SECRETS[section]:
                        assert word.casefold() not in seen.casefold(), (kind, fmt, who, word)


def test_what_is_not_withheld_is_there(shared: Path, tmp_path: Path) -> None:
    """The leak test would pass on empty documents: the plan shows what is shared."""
    for who, withheld in RECIPIENTS.items():
        _code, seen, _err = _render("plan", "md", "--for", who, tmp=tmp_path)
        for section in set(SECRETS) - withheld - {"minutes"}:
            if section == "health" and "plan" in withheld:
                continue
            for word in SECRETS[section]:
                assert word in seen, (who, section, word)
    _code, minutes, _err = _render("minutes", "html", "--for", "luc-janssens", tmp=tmp_path)
    assert "Zminutessummary" in minutes and "Zplanaction" in minutes


def test_the_person_and_the_team_see_everything(shared: Path, tmp_path: Path) -> None:
    code, seen, _err = _render("plan", "html", tmp=tmp_path)
    assert code == 0
    for words in SECRETS.values():
        for word in words:
            if not word.startswith("Zminutes"):
                assert word.casefold() in seen.casefold(), word
    # The person's own documents: nothing of theirs is withheld (their plan is the
    # easy-to-read one, which shows their objectives and actions, health ones included).
    _code, easy, _err = _render("plan", "md", "--for", "person", tmp=tmp_path)
    for word in ("Zhealthobjective", "Zhealthaction", "Zplanobjective", "Zplanaction"):
        assert word in easy, word
    _code, minutes, _err = _render("minutes", "md", "--for", "person", tmp=tmp_path)
    for word in ("Zminutessummary", "Zminutesdecision"):
        assert word in minutes, word


def test_internal_version_and_recipient_version_are_labelled(shared: Path) -> None:
    team = ok("render", "plan", MARCEL, "--lang", "en").stdout
    assert "Internal version for the team: not to be passed on as is." in team
    service = ok("render", "plan", MARCEL, "--lang", "en", "--for", "aide-familiale-nord").stdout
    assert "**Version for Aide familiale Nord** (services)" in service
    assert "Left out at the person’s request: situation, health, contact details." in service
    assert "Left out of this version at the person’s request." in service
    fr = ok("render", "network", MARCEL, "--for", "luc-janssens", "-f", "html").stdout
    assert "Version destinée à Luc Janssens" in fr
    assert "Version interne" not in fr


@pytest.mark.parametrize("kind", ["plan", "network", "minutes", "invitation"])
def test_footers_never_claim_a_consent_the_file_does_not_hold(repo: Path, kind: str) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    doc = yaml.safe_load(path.read_text())
    del doc["consent"]
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(repo, "commit", "-qam", f"{MARCEL}: hand edit")
    for fmt in ("md", "html"):
        out = ok("render", kind, MARCEL, "--lang", "en", "-f", fmt).stdout
        assert "consent to sharing has not been recorded" in out
        assert "with the person’s consent" not in out
        assert "agreement" not in out
    ok("consent", "refuse", MARCEL, "--date", "2026-11-20")
    out = ok("render", kind, MARCEL, "--lang", "en").stdout
    assert "the person refused information sharing on 20 November 2026" in out.replace("*", "")
    assert "agreement" not in out
    ok("consent", "give", MARCEL, "--date", "2026-11-21")
    ok("consent", "withdraw", MARCEL, "--date", "2026-11-25")
    out = ok("render", kind, MARCEL, "--lang", "en", "-f", "html").stdout
    assert "the person withdrew their consent on 25 November 2026" in out


def test_recipients_outside_the_consent_are_refused(repo: Path) -> None:
    # Marcel's file says (old form) that he agreed to share with professionals and services.
    refused(repo, "render", "plan", MARCEL, "--for", "luc-janssens",
            match="luc-janssens (carer) is outside p-7k3q9x's consent")  # fmt: skip
    refused(repo, "render", "plan", MARCEL, "--for", "nobody", match="unknown recipient 'nobody'")
    refused(repo, "render", "plan", MARCEL, "--for", "Bad Id", match="invalid recipient")
    refused(repo, "render", "network", MARCEL, "--for", "sophie-delvaux",
            match="sophie-delvaux left p-7k3q9x's network on 2026-10-01")  # fmt: skip
    ok("consent", "withdraw", MARCEL, "--date", "2026-11-28")
    refused(repo, "render", "invitation", MARCEL, "--for", "anne-lambert",
            match="p-7k3q9x withdrew their consent on 2026-11-28")  # fmt: skip
    # The person always receives their own plan, the team its internal version.
    ok("render", "plan", MARCEL, "--for", "person")
    ok("render", "plan", MARCEL)


def test_no_consent_recorded_refuses_every_recipient(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-09-01")
    refused(team, "render", "plan", marcel, "--for", "anne-lambert",
            match="has no consent recorded")  # fmt: skip
    refused(team, "render", "plan", marcel, "--for", "person-x", match="unknown recipient")


def test_calendar_event_carries_the_minimum_by_default(repo: Path) -> None:
    from icalendar import Calendar

    event = Calendar.from_ical(ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes).walk(
        "VEVENT"
    )[0]
    assert str(event["SUMMARY"]) == f"Concertation — M. J. ({MARCEL})"
    description = str(event["DESCRIPTION"])
    assert MARCEL in description and "Réseau Santé Nord" in description
    raw = _text("ics", ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes)
    for value in ("Marcel", "Janssens", "Tilleuls", "Nuits et passage du soir", "0470 12 34 56",
                  "Vit seul", "081 55 66 77"):  # fmt: skip
        assert value not in raw, value
    assert "LOCATION" not in raw  # a place can name the person ("Domicile de M. Janssens")
    # The invitees still get it: attendees keep their e-mail addresses.
    assert "mailto:anne.lambert@cabinet-village.example" in raw
    # --full, or the team's setting, puts more in, within the consent.
    full = _text("ics", ok("render", "invitation", MARCEL, "-f", "ics", "--full").stdout_bytes)
    assert "Nuits et passage du soir" in full
    settings = repo / "reseau.yaml"
    settings.write_text(settings.read_text() + "ics_full: true\n")
    git(repo, "commit", "-qam", "settings: ics_full")
    assert "Marcel Janssens" in _text(
        "ics", ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes
    )
    assert "Marcel" not in ok("render", "invitation", MARCEL, "-f", "ics", "--brief").stdout


def _json_for(who: str, *command: str) -> Any:
    result = invoke(*command, "--for", who)
    assert result.exit_code == 0, (command, who, result.stderr)
    return result


def test_json_for_a_recipient_is_exactly_what_visible_gives(shared: Path) -> None:
    """`person show --json --for` and `export fhir --for`: the same leak test, and the
    JSON is `visible(person, recipient)`'s document, nothing more."""
    import json

    from conftest import TODAY
    from reseau_cli.model import sharing
    from reseau_cli.repo import Repository

    repository = Repository.open(shared)
    doc = repository.person(MARCEL)
    for who, withheld in {**RECIPIENTS, "person": set()}.items():
        shown = _json_for(who, "person", "show", MARCEL, "--json")
        bundle = _json_for(who, "export", "fhir", MARCEL)
        kind = repository.intervenant(who)["kind"] if who != "person" else None
        expected = sharing.visible(doc, sharing.recipient(who, kind), on=TODAY)["doc"]
        assert json.loads(shown.stdout) == json.loads(json.dumps(expected, default=str)), who
        for section in withheld:
            for word in SECRETS[section]:
                assert word.casefold() not in shown.stdout.casefold(), (who, word)
                assert word.casefold() not in bundle.stdout.casefold(), (who, word)
        # What was left out is said on stderr (the sections by their names).
        assert bool(shown.stderr.strip()) == bool(withheld), (who, shown.stderr)
        assert all(section in shown.stderr for section in withheld), (who, shown.stderr)
    # What is not withheld is there: the family gets the situation, the person everything.
    assert "Zsituationword" in _json_for("luc-janssens", "person", "show", MARCEL, "--json").stdout
    mine = _json_for("person", "person", "show", MARCEL, "--json").stdout
    fhir_mine = _json_for("person", "export", "fhir", MARCEL).stdout
    for words in SECRETS.values():
        for word in words:
            assert word in mine, word
            if not word.startswith("Zminutes"):
                assert word.casefold() in fhir_mine.casefold(), word


def test_json_for_a_recipient_is_refused_as_render_is(shared: Path) -> None:
    for args, match in (
        (("--for", "nobody"), "unknown recipient 'nobody'"),
        (("--for", "Bad Id"), "invalid recipient"),
        (("--for", "sophie-delvaux"), "sophie-delvaux left p-7k3q9x's network on 2026-10-01"),
    ):
        rendered = refused(shared, "render", "plan", MARCEL, *args, match=match)
        shown = refused(shared, "person", "show", MARCEL, "--json", *args, match=match)
        bundle = refused(shared, "export", "fhir", MARCEL, *args, match=match)
        assert rendered.stderr == shown.stderr == bundle.stderr
    refused(shared, "person", "show", MARCEL, "--for", "anne-lambert",
            match="--for goes with --json")  # fmt: skip
    ok("consent", "withdraw", MARCEL, "--date", "2026-11-27")
    for command in (("person", "show", MARCEL, "--json"), ("export", "fhir", MARCEL)):
        refused(shared, *command, "--for", "anne-lambert",
                match="p-7k3q9x withdrew their consent on 2026-11-27")  # fmt: skip
    assert ok("person", "show", MARCEL, "--json", "--for", "person").stdout.startswith("{")


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_consent_lines_are_in_the_documents_language(shared: Path, lang: str) -> None:
    """Every consent state's header and footer, for a recipient and for the team."""
    english = ("Version for", "Confidential", "Left out", "withdrew", "refused", "Withheld",
               "agreed", "not been recorded", "Internal version")  # fmt: skip

    def seen(*extra: str) -> str:
        out = ""
        for fmt in ("md", "html"):
            result = ok("render", "plan", MARCEL, "--lang", lang, "-f", fmt, *extra)
            out += html_text(result.stdout) if fmt == "html" else result.stdout
        return out

    texts = [seen("--for", "aide-familiale-nord"), seen(), seen("--for", "person")]
    ok("consent", "withdraw", MARCEL, "--date", "2026-11-27")
    texts.append(seen())
    ok("consent", "refuse", MARCEL, "--date", "2026-11-28")
    texts.append(seen())
    for text in texts:
        for words in english:
            assert words not in text, (lang, words)
