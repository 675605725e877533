"""The top-level commands: the module of cli/ that defines each, and its line in
`reseau --help` (printed from here, without importing any command module)."""

from __future__ import annotations

from reseau_cli.i18n import N_

# Every top-level command, in the order of `reseau --help`: the module of cli/ that
# defines it (its ``app`` for a group, its ``register(app)`` for single commands) and its
# line in that help. Only the module of the command that runs is imported and turned
# into Click commands by Typer; `reseau --help` imports none of them. A new command or
# group is added here (tests/test_packaging.py checks each line against the command's
# own help, and that every module of cli/ defining commands is listed).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("repository", N_("Create a data repository")),
    "check": ("repository", N_("Validate every file (schema and cross-file rules)")),
    "log": ("repository", N_("The history of the repository or of one person, from git")),
    "status": ("status", N_("Alerts across all active persons")),
    "find": ("find", N_("Where words are written, in every person's file and the directory.")),
    "verify": (
        "verify",
        N_(
            "Check the signatures of plan validations and list what changed in each plan "
            "since its last validation; exit 1 when a signature fails."
        ),
    ),
    "stats": ("stats", N_("Anonymised figures of a period, for managers and funders.")),
    "textconv": ("encrypt", ""),  # hidden: git runs it
    "sync": (
        "sync",
        N_("Fetch the team's changes, merge them field by field, check, and push yours."),
    ),
    "share": ("sync", N_("Set up the team's shared remote and push this branch to it.")),
    "merge-driver": ("sync", ""),  # hidden: git runs it
    "person": ("person", N_("Accompanied persons: add, list, show, edit, close, reopen, export.")),
    "intervenant": (
        "intervenant",
        N_("Intervenants: the shared directory, and who is in each person's network."),
    ),
    "coordinator": (
        "coordinator",
        N_("Coordination: the coordinator and the concertation lead."),
    ),
    "plan": ("plan", N_("The support plan: objectives, actions (who does what by when), reviews.")),
    "concertation": (
        "concertation",
        N_("Concertations: meetings with the network and the person, planned then recorded."),
    ),
    "consent": (
        "consent",
        N_("Consent: what the person agreed to share, with whom"),
    ),
    "evaluation": ("evaluation", N_("Multidimensional evaluations")),
    "render": ("render", N_("Documents people read")),
    "templates": (
        "templates",
        N_("The team's templates and translations (`reseau render templates` lists templates)."),
    ),
    "hooks": ("hooks", N_("Git hooks that refuse invalid work")),
    "team": ("team", N_("Team members and their age keys (encryption at rest).")),
    "encrypt": ("encrypt", N_("Encryption at rest of the data files (age).")),
    "export": ("export", N_("Exports of the data for use outside the team")),
    "import": ("imports", N_("Files from other systems: a person from a FHIR R4 Bundle.")),
    "handover": (
        "handover",
        N_("Hand a person's file, with its history, over to another team's repository."),
    ),
}
HIDDEN = {"merge-driver", "textconv"}
