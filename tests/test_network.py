"""`reseau intervenant …`: the directory and each person's network, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused, write_intervenant
from example_repo import example_team
from network_cases import IDS, MARCEL_NETWORK, build_network, edit_person, load

NAMES = [name for name, *_ in MARCEL_NETWORK] + ["Marcel", "Janssens"]


def changed_files(root: Path, rev: str = "HEAD") -> list[str]:
    return git(root, "show", "--name-only", "--format=", rev).split()


def assert_ids_only(root: Path) -> None:
    for subject in commits(root):
        for name in NAMES:
            assert name not in subject, subject


# -- add -------------------------------------------------------------------------------


def test_add_by_name_creates_the_entry_and_the_membership_in_one_commit(
    team: Path, marcel: str
) -> None:
    before = len(commits(team))
    result = ok(
        "intervenant", "add", marcel, "--name", "Anne Lambert", "--role", "médecin traitant",
        "--profession", "médecin généraliste", "--organisation", "Cabinet médical du village",
        "--phone", "+32 81 23 45 67", "--email", "a.lambert@cabinet.example",
        "--since", "2026-01-10",
    )  # fmt: skip
    assert result.stdout == "anne-lambert\n"
    assert "intervenants/anne-lambert.yaml" in result.stderr
    assert load(team, "intervenant", "anne-lambert") == {
        "format": 1,
        "id": "anne-lambert",
        "name": "Anne Lambert",
        "kind": "professional",
        "profession": "médecin généraliste",
        "organisation": "Cabinet médical du village",
        "phone": "+32 81 23 45 67",
        "email": "a.lambert@cabinet.example",
    }
    assert load(team, "person", marcel)["network"] == [
        {"intervenant": "anne-lambert", "role": "médecin traitant", "since": "2026-01-10"}
    ]
    assert len(commits(team)) == before + 1
    assert commits(team)[0] == f"{marcel}: add anne-lambert to network (new directory entry)"
    assert sorted(changed_files(team)) == [
        "intervenants/anne-lambert.yaml",
        f"persons/{marcel}.yaml",
    ]
    assert git(team, "status", "--porcelain") == ""


def test_the_whole_network_of_case_one(team: Path, marcel: str) -> None:
    before = len(commits(team))
    build_network(marcel)
    assert len(commits(team)) == before + len(MARCEL_NETWORK)
    network = load(team, "person", marcel)["network"]
    assert [m["intervenant"] for m in network] == list(IDS.values())
    assert load(team, "intervenant", "luc-janssens")["kind"] == "carer"
    assert load(team, "intervenant", "aide-familiale-nord")["kind"] == "service"
    assert load(team, "intervenant", "elise-marchal")["name"] == "Élise Marchal"
    assert_ids_only(team)
    ok("check")


def test_add_by_id_touches_only_the_person_file(team: Path, marcel: str) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali", organisation="Soins à domicile Nord")
    result = ok("intervenant", "add", marcel, "--id", "karim-ouali", "--role", "infirmier")
    assert result.stdout == "karim-ouali\n"
    assert commits(team)[0] == f"{marcel}: add karim-ouali to network"
    assert changed_files(team) == [f"persons/{marcel}.yaml"]
    # Details that agree with the entry are accepted with --id.
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout
    ok("intervenant", "add", other.strip(), "--id", "karim-ouali",
       "--organisation", "Soins à domicile Nord")  # fmt: skip


def test_since_defaults_to_today_and_kind_to_professional(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Julie Peeters")
    assert load(team, "person", marcel)["network"] == [
        {"intervenant": "julie-peeters", "since": "2026-11-28"}
    ]
    assert load(team, "intervenant", "julie-peeters")["kind"] == "professional"


def test_the_same_name_and_details_reuse_the_entry(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--phone", "081 23 45 67")
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    result = ok("intervenant", "add", other, "--name", "anne  lambert", "--phone", "081 23 45 67")
    assert result.stdout == "anne-lambert\n"
    assert "existing directory entry anne-lambert" in result.stderr
    assert changed_files(team) == [f"persons/{other}.yaml"]
    assert commits(team)[0] == f"{other}: add anne-lambert to network"


def test_a_different_name_with_the_same_slug_gets_a_suffix(team: Path, marcel: str) -> None:
    write_intervenant(team, "anne-lambert", "Anne Lambert")
    write_intervenant(team, "anne-lambert-2", "Anne Lambertz")
    result = ok("intervenant", "add", marcel, "--name", "Anne-Lambert")
    assert result.stdout == "anne-lambert-3\n"
    assert load(team, "intervenant", "anne-lambert-3")["name"] == "Anne-Lambert"
    assert load(team, "intervenant", "anne-lambert")["name"] == "Anne Lambert"
    # The suffixed entry is found again by its own name.
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    assert ok("intervenant", "add", other, "--name", "Anne Lambertz").stdout == "anne-lambert-2\n"


# The example team's GP: id anne-lambert, name "Dr Anne Lambert", phone +32 81 55 01 01.
# p-g5h2pt (a lighter person of the example team) does not have her in the network yet.
def test_add_by_name_finds_the_entry_by_its_name_not_by_its_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    result = ok("intervenant", "add", "p-g5h2pt", "--name", "Dr Anne Lambert",
                "--phone", "+32 81 55 01 01")  # fmt: skip
    assert result.stdout == "anne-lambert\n"
    assert "existing directory entry anne-lambert (Dr Anne Lambert)" in result.stderr
    assert not (root / "intervenants" / "dr-anne-lambert.yaml").exists()
    assert changed_files(root) == ["persons/p-g5h2pt.yaml"]
    assert commits(root)[0] == "p-g5h2pt: add anne-lambert to network"
    assert load(root, "person", "p-g5h2pt")["network"][-1] == {
        "intervenant": "anne-lambert",
        "since": "2026-11-28",
    }


@pytest.mark.parametrize(
    ("person", "name", "found"),
    [
        ("p-g5h2pt", "dr  anne LAMBERT", "anne-lambert"),  # case and spacing
        ("p-g5h2pt", "Elise Marchal", "elise-marchal"),  # accents: the entry is Élise
        ("p-g5h2pt", " Dr Yasmine  Cohen ", "yasmine-cohen"),
    ],
)
def test_add_by_name_ignores_case_accents_and_spacing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, person: str, name: str, found: str
) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    entries = sorted(p.name for p in (root / "intervenants").iterdir())
    assert ok("intervenant", "add", person, "--name", name).stdout == f"{found}\n"
    assert sorted(p.name for p in (root / "intervenants").iterdir()) == entries


def test_add_by_name_refuses_the_same_name_with_other_details_whatever_the_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    result = refused(root, "intervenant", "add", "p-g5h2pt", "--name", "Dr Anne Lambert",
                     "--phone", "+32 81 99 99 99", match="use --id anne-lambert")  # fmt: skip
    assert "phone '+32 81 55 01 01' ≠ '+32 81 99 99 99'" in result.stderr
    assert "--new" in result.stderr
    # A real namesake: --new creates it, with the slug of the name.
    created = ok("intervenant", "add", "p-g5h2pt", "--name", "Dr Anne Lambert", "--new",
                 "--phone", "+32 81 99 99 99")  # fmt: skip
    assert created.stdout == "dr-anne-lambert\n"
    assert load(root, "intervenant", "dr-anne-lambert")["phone"] == "+32 81 99 99 99"


def test_add_by_name_refuses_several_entries_with_that_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    write_intervenant(root, "a-lambert-chr", "DR ANNE LAMBERT", organisation="CHR")
    result = refused(root, "intervenant", "add", "p-g5h2pt", "--name", "Dr Anne Lambert",
                     match="several directory entries are named")  # fmt: skip
    assert "(a-lambert-chr, anne-lambert)" in result.stderr


def test_new_creates_a_namesake(team: Path, marcel: str) -> None:
    write_intervenant(team, "anne-lambert", "Anne Lambert", organisation="CHR")
    result = ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--new",
                "--organisation", "Cabinet médical du village")  # fmt: skip
    assert result.stdout == "anne-lambert-2\n"
    assert load(team, "intervenant", "anne-lambert")["organisation"] == "CHR"
    assert sorted(changed_files(team)) == [
        "intervenants/anne-lambert-2.yaml",
        f"persons/{marcel}.yaml",
    ]


def test_a_name_whose_slug_is_reserved_gets_a_suffix(team: Path, marcel: str) -> None:
    assert ok("intervenant", "add", marcel, "--name", "Person").stdout == "person-2\n"


def test_rejoining_after_leaving_keeps_the_history(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-01-05")
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-02-01")
    ok("intervenant", "add", marcel, "--id", "sophie-martin", "--since", "2026-11-05")
    assert load(team, "person", marcel)["network"] == [
        {"intervenant": "sophie-martin", "since": "2026-01-05", "until": "2026-02-01"},
        {"intervenant": "sophie-martin", "since": "2026-11-05"},
    ]
    ok("check")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--name", "Anne Lambert", "--email", "anne.lambert@"], "invalid --email"),
        (["--name", "Anne Lambert", "--email", "anne lambert@x.be"], "invalid --email"),
        (["--name", "Anne Lambert", "--phone", "12"], "invalid --phone"),
        (["--name", "Anne Lambert", "--phone", "081-ab-cd"], "invalid --phone"),
        (["--name", "Anne Lambert", "--since", "2026-02-30"], "invalid --since"),
        (["--name", "Anne Lambert", "--kind", "doctor"], "invalid --kind"),
        (["--name", "   "], "--name must not be empty"),
        (["--id", "nobody"], "unknown intervenant 'nobody'"),
        (["--id", "Not An Id"], "invalid intervenant id"),
        (["--id", "person"], "reserved"),
        (["--id", "karim-ouali", "--new"], "--new"),
    ],
)
def test_add_refusals(team: Path, marcel: str, args: list[str], match: str) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    refused(team, "intervenant", "add", marcel, *args, match=match)


@pytest.mark.parametrize(
    ("args", "said"),
    [(["--name", "Anne Lambert", "--id", "karim-ouali"], "both were given"),
     ([], "neither was given")],
)  # fmt: skip
def test_add_needs_exactly_one_of_id_and_name_a_usage_error(
    team: Path, marcel: str, args: list[str], said: str
) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    result = refused(team, "intervenant", "add", marcel, *args, code=2, match=said)
    assert "Invalid value for '--id' / '--name'" in result.stderr
    assert "--id for an entry already in the directory" in result.stderr
    assert "usage: reseau intervenant add [OPTIONS] PERSON" in result.stderr and result.stdout == ""


def test_add_refuses_an_unknown_person(team: Path) -> None:
    refused(team, "intervenant", "add", "p-nobody", "--name", "Anne Lambert",
            match="unknown person 'p-nobody'")  # fmt: skip


def test_add_refuses_the_same_name_with_other_details(team: Path, marcel: str) -> None:
    write_intervenant(team, "anne-lambert", "Anne Lambert", organisation="CHR")
    result = refused(team, "intervenant", "add", marcel, "--name", "Anne Lambert",
                     "--organisation", "Cabinet médical du village",
                     match="use --id anne-lambert")  # fmt: skip
    assert "organisation 'CHR'" in result.stderr


def test_add_refuses_other_details_with_id(team: Path, marcel: str) -> None:
    write_intervenant(team, "anne-lambert", "Anne Lambert", phone="081 11 11 11")
    refused(team, "intervenant", "add", marcel, "--id", "anne-lambert", "--phone", "081 22 22 22",
            match="reseau intervenant update anne-lambert")  # fmt: skip


def test_add_refuses_someone_already_in_the_network(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert")
    refused(team, "intervenant", "add", marcel, "--id", "anne-lambert",
            match="already in")  # fmt: skip


def test_add_refuses_a_since_within_an_earlier_membership(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-01-10")
    ok("intervenant", "end", marcel, "anne-lambert", "--date", "2026-06-30")
    refused(team, "intervenant", "add", marcel, "--id", "anne-lambert", "--since", "2026-06-01",
            match="--since 2026-06-01 falls within an earlier membership")  # fmt: skip


def test_add_refuses_a_closed_person(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "moved to a nursing home")
    refused(team, "intervenant", "add", marcel, "--name", "Anne Lambert", match="is closed")


# -- end -------------------------------------------------------------------------------


def test_end_keeps_the_membership_as_history(team: Path, marcel: str) -> None:
    build_network(marcel)
    before = len(commits(team))
    result = ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-12-04",
                "--reason", "retour à domicile")  # fmt: skip
    assert "sophie-martin" in result.stderr and result.stdout == ""
    entry = load(team, "person", marcel)["network"][2]
    assert entry == {
        "intervenant": "sophie-martin",
        "role": "assistante sociale de l'hôpital",
        "since": "2026-11-05",
        "until": "2026-12-04",
        "reason": "retour à domicile",
    }
    assert len(commits(team)) == before + 1
    assert commits(team)[0] == f"{marcel}: end membership of sophie-martin"
    assert changed_files(team) == [f"persons/{marcel}.yaml"]
    ok("check")


def test_end_defaults_to_today(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-11-05")
    ok("intervenant", "end", marcel, "sophie-martin")
    assert load(team, "person", marcel)["network"][0]["until"] == "2026-11-28"


def test_end_mentions_open_actions(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-11-05")

    def plan(doc: dict) -> None:
        doc["plan"]["actions"] = [
            {"id": "a-k2f7", "text": "Demander l'allocation d'aide", "by": "sophie-martin",
             "status": "planned"},
            {"id": "a-9xq3", "text": "Bilan social", "by": "sophie-martin", "status": "done"},
        ]  # fmt: skip

    edit_person(team, marcel, plan)
    result = ok("intervenant", "end", marcel, "sophie-martin")
    assert "a-k2f7" in result.stderr and "a-9xq3" not in result.stderr


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["p-nobody", "sophie-martin"], "unknown person 'p-nobody'"),
        (["{marcel}", "nobody"], "unknown intervenant 'nobody'"),
        (["{marcel}", "luc-janssens"], "'luc-janssens' is not in"),
        (["{marcel}", "sophie-martin", "--date", "2026-11-01"], "before 'sophie-martin' joined"),
        (["{marcel}", "sophie-martin", "--date", "28/11/2026"], "invalid --date"),
        (["{marcel}", "Sophie"], "invalid intervenant id"),
    ],
)
def test_end_refusals(team: Path, marcel: str, args: list[str], match: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-11-05")
    write_intervenant(team, "luc-janssens", "Luc Janssens", "carer")
    refused(team, "intervenant", "end", *(a.format(marcel=marcel) for a in args), match=match)


def test_end_refuses_an_ended_membership(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-11-05")
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-11-20")
    refused(team, "intervenant", "end", marcel, "sophie-martin",
            match="already ended on 2026-11-20")  # fmt: skip


# -- list ------------------------------------------------------------------------------


def test_list_the_directory(team: Path, marcel: str) -> None:
    assert "directory is empty" in ok("intervenant", "list").stderr
    build_network(marcel)
    write_intervenant(team, "julie-peeters", "Julie Peeters", profession="kinésithérapeute")
    text = ok("intervenant", "list").stdout
    for name in ("Anne Lambert", "Élise Marchal", "Julie Peeters", "aide-familiale-nord"):
        assert name in text
    rows = json.loads(ok("intervenant", "list", "--json").stdout)
    assert [r["id"] for r in rows] == [
        "aide-familiale-nord", "anne-lambert", "elise-marchal", "julie-peeters",
        "karim-ouali", "luc-janssens", "sophie-martin",
    ]  # fmt: skip
    by_id = {r["id"]: r for r in rows}
    assert by_id["julie-peeters"]["persons"] == 0
    assert by_id["anne-lambert"]["persons"] == 1
    assert by_id["anne-lambert"]["phone"] == "+32 81 23 45 67"


def test_list_a_network_current_and_all(team: Path, marcel: str) -> None:
    build_network(marcel)
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-11-27")
    current = json.loads(ok("intervenant", "list", marcel, "--json").stdout)
    assert [m["intervenant"] for m in current] == [
        "karim-ouali", "anne-lambert", "elise-marchal", "aide-familiale-nord", "luc-janssens",
    ]  # fmt: skip
    assert current[0]["coordinator"] is True and current[0]["state"] == "current"
    assert current[0]["email"] == "karim.ouali@soins-nord.example"
    assert current[3]["kind"] == "service" and current[3]["role"].startswith("aide")
    everyone = json.loads(ok("intervenant", "list", marcel, "--all", "--json").stdout)
    assert everyone[-1]["intervenant"] == "sophie-martin"
    assert everyone[-1]["state"] == "past" and everyone[-1]["until"] == "2026-11-27"
    text = ok("intervenant", "list", marcel).stdout
    assert "Karim Ouali" in text and "coordinator" in text and "sophie-martin" not in text
    assert "sophie-martin" in ok("intervenant", "list", marcel, "--all").stdout


def test_list_shows_members_joining_later(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-01-10")
    ok("intervenant", "add", marcel, "--name", "Julie Peeters", "--since", "2026-12-01")
    members = json.loads(ok("intervenant", "list", marcel, "--json").stdout)
    assert [(m["intervenant"], m["state"], m["current"]) for m in members] == [
        ("anne-lambert", "current", True),
        ("julie-peeters", "upcoming", False),
    ]
    assert "joins later" in ok("intervenant", "list", marcel).stdout


def test_list_refusals(team: Path, marcel: str) -> None:
    refused(team, "intervenant", "list", "p-nobody", match="unknown person")
    refused(team, "intervenant", "list", "--all", match="give PERSON")


# -- show ------------------------------------------------------------------------------


def test_show_contact_details_and_caseload(team: Path, marcel: str) -> None:
    build_network(marcel)
    ok("coordinator", "set", marcel, "karim-ouali")
    ines = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    ok("intervenant", "add", ines, "--id", "karim-ouali", "--role", "infirmier (injections)")
    ok("intervenant", "end", ines, "karim-ouali", "--date", "2026-11-28")
    card = json.loads(ok("intervenant", "show", "karim-ouali", "--json").stdout)
    assert card["name"] == "Karim Ouali" and card["organisation"] == "Soins à domicile Nord"
    assert card["caseload"] == [
        {"person": marcel, "name": "Marcel Janssens", "status": "active",
         "role": "infirmier à domicile", "since": "2026-11-10", "until": None,
         "current": True, "coordinator": True, "lead": False, "state": "current",
         "designations": [{"role": "coordinator", "since": "2026-11-28", "until": None}]},
        {"person": ines, "name": "Inès Boukhari", "status": "active",
         "role": "infirmier (injections)", "since": "2026-11-28", "until": "2026-11-28",
         "current": False, "coordinator": False, "lead": False, "state": "past",
         "designations": []},
    ]  # fmt: skip
    text = ok("intervenant", "show", "karim-ouali").stdout
    for expected in ("Karim Ouali", "karim.ouali@soins-nord.example", marcel, "Marcel Janssens",
                     "coordinator", "current", ines, "past"):  # fmt: skip
        assert expected in text
    lead = json.loads(ok("intervenant", "show", "elise-marchal", "--json").stdout)
    assert lead["caseload"][0]["lead"] is False
    ok("coordinator", "lead", marcel, "elise-marchal")
    lead = json.loads(ok("intervenant", "show", "elise-marchal", "--json").stdout)
    assert lead["caseload"][0]["lead"] is True


def test_show_upcoming_and_closed_cases(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Julie Peeters", "--since", "2026-12-01")
    noah = ok("person", "add", "--family-name", "Vermeulen", "--given-name", "Noah").stdout.strip()
    ok("intervenant", "add", noah, "--id", "julie-peeters", "--since", "2026-11-01")
    ok("person", "close", noah, "--reason", "moved away")
    caseload = json.loads(ok("intervenant", "show", "julie-peeters", "--json").stdout)["caseload"]
    assert [(c["person"], c["state"]) for c in caseload] == [(marcel, "upcoming"), (noah, "closed")]
    text = ok("intervenant", "show", "julie-peeters").stdout
    assert "upcoming" in text and "closed" in text


def test_show_someone_in_nobodys_network(team: Path) -> None:
    write_intervenant(team, "julie-peeters", "Julie Peeters")
    assert "nobody's network" in ok("intervenant", "show", "julie-peeters").stdout
    assert json.loads(ok("intervenant", "show", "julie-peeters", "--json").stdout)["caseload"] == []


def test_show_refuses_an_unknown_intervenant(team: Path) -> None:
    refused(team, "intervenant", "show", "nobody", match="unknown intervenant 'nobody'")


# -- update ----------------------------------------------------------------------------


def test_update_is_one_change_seen_in_every_network(team: Path, marcel: str) -> None:
    build_network(marcel)
    ines = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    ok("intervenant", "add", ines, "--id", "anne-lambert")
    before = len(commits(team))
    ok("intervenant", "update", "anne-lambert", "--phone", "081 99 88 77", "--email",
       "anne.lambert@cabinet.example", "--organisation", "Maison médicale")  # fmt: skip
    assert len(commits(team)) == before + 1
    assert commits(team)[0] == "anne-lambert: update directory entry"
    assert changed_files(team) == ["intervenants/anne-lambert.yaml"]
    entry = load(team, "intervenant", "anne-lambert")
    assert entry["phone"] == "081 99 88 77" and entry["organisation"] == "Maison médicale"
    for person in (marcel, ines):
        assert "081 99 88 77" in ok("person", "show", person).stdout
        members = json.loads(ok("intervenant", "list", person, "--json").stdout)
        assert any(m["phone"] == "081 99 88 77" for m in members)


def test_update_name_kind_and_removing_a_field(team: Path) -> None:
    write_intervenant(team, "luc-janssens", "Luc Janssens", "professional", email="luc@x.be")
    ok("intervenant", "update", "luc-janssens", "--kind", "carer", "--email", "",
       "--name", "Luc  Janssens ", "--notes", "appelle tous les jours")  # fmt: skip
    assert load(team, "intervenant", "luc-janssens") == {
        "format": 1, "id": "luc-janssens", "name": "Luc Janssens", "kind": "carer",
        "notes": "appelle tous les jours",
    }  # fmt: skip


def test_update_without_change_commits_nothing(team: Path) -> None:
    write_intervenant(team, "luc-janssens", "Luc Janssens", "carer")
    before = commits(team)
    assert "No change" in ok("intervenant", "update", "luc-janssens", "--kind", "carer").stderr
    assert commits(team) == before


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["nobody", "--phone", "081 11 22 33"], "unknown intervenant 'nobody'"),
        (["luc-janssens", "--email", "luc@"], "invalid --email"),
        (["luc-janssens", "--phone", "+"], "invalid --phone"),
        (["luc-janssens"], "nothing to update"),
        (["luc-janssens", "--name", ""], "--name must not be empty"),
        (["luc-janssens", "--kind", "family"], "invalid --kind"),
    ],
)
def test_update_refusals(team: Path, args: list[str], match: str) -> None:
    write_intervenant(team, "luc-janssens", "Luc Janssens", "carer")
    refused(team, "intervenant", "update", *args, match=match)


# -- reseau check: network rules ---------------------------------------------------------


def check_finds(root: Path, *expected: str) -> str:
    result = invoke("check")
    assert result.exit_code == 1, result.stdout + result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout
    return result.stdout


def test_check_an_unknown_intervenant_in_the_network(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert")
    edit_person(team, marcel, lambda d: d["network"][0].update(intervenant="anne-lambart"))
    out = check_finds(team, f"persons/{marcel}.yaml", "unknown intervenant 'anne-lambart'")
    assert "network[0].intervenant" in out


def test_check_a_membership_ending_before_it_starts(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-05-01")
    edit_person(team, marcel, lambda d: d["network"][0].update(until="2026-04-30"))
    check_finds(team, "ends (2026-04-30) before it starts (2026-05-01)")


def test_check_two_open_memberships(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-05-01")
    edit_person(team, marcel, lambda d: d["network"].append(
        {"intervenant": "anne-lambert", "since": "2026-06-01"}))  # fmt: skip
    check_finds(team, "'anne-lambert' has two open memberships")


def test_check_overlapping_memberships(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-05-01")
    edit_person(team, marcel, lambda d: d["network"].append(
        {"intervenant": "anne-lambert", "since": "2026-01-01", "until": "2026-06-01"}))  # fmt: skip
    check_finds(team, "'anne-lambert' has overlapping memberships")


def test_check_accepts_successive_memberships(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Anne Lambert", "--since", "2026-05-01")
    edit_person(team, marcel, lambda d: d["network"].insert(
        0, {"intervenant": "anne-lambert", "since": "2026-01-01", "until": "2026-05-01"}))  # fmt: skip
    assert "no problem" in ok("check").stdout
