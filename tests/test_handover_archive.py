"""`reseau handover export` / `import`: a person's file and history between two teams."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, commits, git, ok, refused
from example_repo import example_team


@pytest.fixture
def sender(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = example_team(tmp_path / "nord", monkeypatch)
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Bea Sender")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "Bea Sender")
    ok("plan", "objective", "add", "p-1n3sb0", "Apprendre à conduire")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Carl Other")
    ok("plan", "action", "set", "p-1n3sb0", "a-adr1", "--status", "done")
    ok("plan", "objective", "add", "p-a2b7kq", "Autre personne")  # not handed over
    return root


@pytest.fixture
def receiver(tmp_path: Path, sender: Path) -> Path:
    """Another team, where p-1n3sb0 and the directory id maxime-dubois are taken."""
    root = tmp_path / "sud"
    ok("init", str(root), "--team", "Équipe Sud")
    ok(
        "--repo",
        str(root),
        "person",
        "add",
        "--family-name",
        "X",
        "--given-name",
        "Y",
        "--id",
        "p-1n3sb0",
    )
    (root / "intervenants").mkdir(exist_ok=True)
    (root / "intervenants" / "maxime-dubois.yaml").write_text(
        "format: 1\nid: maxime-dubois\nname: Maxime Dubois-Leclercq\nkind: professional\n"
    )
    (root / "intervenants" / "nadia-benali.yaml").write_text(
        "format: 1\nid: nadia-benali\nname: Nadia Benali\nkind: professional\nphone: '0470 00 00 00'\n"
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the receiving team's directory")
    return root


def _archive(sender: Path, tmp_path: Path) -> Path:
    out = tmp_path / "ines.tar"
    result = ok("--repo", str(sender), "handover", "export", "p-1n3sb0", "-o", str(out))
    assert "3 commits of history" in result.stderr
    return out


def test_handover_between_two_repositories(sender: Path, receiver: Path, tmp_path: Path) -> None:
    archive = _archive(sender, tmp_path)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"manifest.json", "person.yaml", "history.bundle", "plan.html"} <= names
    assert "intervenants/maxime-dubois.yaml" in names
    before = len(commits(receiver))
    result = ok("--repo", str(receiver), "handover", "import", str(archive))
    new = result.stdout.strip()
    assert new != "p-1n3sb0" and new.startswith("p-")
    assert "p-1n3sb0 is taken here" in result.stderr
    assert "maxime-dubois is someone else here: maxime-dubois-2 is created" in result.stderr
    assert len(commits(receiver)) == before + 1
    assert commits(receiver)[0].startswith(f"{new}: handover import h-")
    doc = yaml.safe_load((receiver / "persons" / f"{new}.yaml").read_text())
    sent = yaml.safe_load((sender / "persons" / "p-1n3sb0.yaml").read_text())
    (record,) = doc.pop("handovers")
    assert record["team"] == "Réseau Santé Nord" and record["person"] == "p-1n3sb0"
    assert (
        record["commit"]
        == git(sender, "log", "-n1", "--format=%H", "--", "persons/p-1n3sb0.yaml").strip()
    )
    assert doc["coordination"]["coordinator"] == "maxime-dubois-2"
    text = json.dumps(sent).replace('"maxime-dubois"', '"maxime-dubois-2"')
    expected = json.loads(text)
    expected["id"] = new
    assert doc == expected
    # The team's own entry for Nadia Benali stands (same name, other details).
    assert "0470 00 00 00" in (receiver / "intervenants" / "nadia-benali.yaml").read_text()
    # The history: who changed what, for this file alone.
    ref = record["ref"]
    authors = git(receiver, "log", "--format=%an|%s", ref).splitlines()
    assert (
        authors == git(sender, "log", "--format=%an|%s", "--", "persons/p-1n3sb0.yaml").splitlines()
    )
    assert {"Bea Sender", "Carl Other"} <= {a.split("|")[0] for a in authors}
    touched = set(git(receiver, "log", "--name-only", "--format=", ref).split())
    assert touched == {"persons/p-1n3sb0.yaml"}
    ok("--repo", str(receiver), "check")


def _flip(archive: Path, member: str, tmp_path: Path) -> Path:
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        info = tar.getmember(member)
    data[info.offset_data + info.size // 2] ^= 0x01  # one bit of one byte
    out = tmp_path / f"flipped-{member.replace('/', '-')}.tar"
    out.write_bytes(bytes(data))
    return out


def test_a_tampered_archive_is_refused(sender: Path, receiver: Path, tmp_path: Path) -> None:
    archive = _archive(sender, tmp_path)
    for member in ("person.yaml", "history.bundle", "intervenants/thomas-renard.yaml"):
        flipped = _flip(archive, member, tmp_path)
        refused(
            receiver,
            "--repo",
            str(receiver),
            "handover",
            "import",
            str(flipped),
            match=f"{member} fails its SHA-256",
        )
    refused(
        receiver,
        "--repo",
        str(receiver),
        "handover",
        "import",
        str(_flip(archive, "manifest.json", tmp_path)),
        match="handover",
    )
    assert git(receiver, "for-each-ref", "refs/reseau") == ""


def _rewrite(archive: Path, tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    members = {}
    with tarfile.open(archive) as tar:
        for info in tar:
            members[info.name] = tar.extractfile(info).read()  # type: ignore[union-attr]
    members = change(members)
    out = tmp_path / "rewritten.tar"
    with tarfile.open(out, "w") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def test_a_newer_format_and_path_tricks_are_refused(
    sender: Path, receiver: Path, tmp_path: Path
) -> None:
    archive = _archive(sender, tmp_path)
    args = ("--repo", str(receiver), "handover", "import")

    def newer(members: dict) -> dict:
        manifest = json.loads(members["manifest.json"])
        manifest["format"] = 2
        return {**members, "manifest.json": json.dumps(manifest).encode()}

    refused(receiver, *args, str(_rewrite(archive, tmp_path, newer)), match="newer reseau")
    for name in ("../evil.yaml", "/tmp/evil.yaml", "intervenants/../../evil.yaml", "notes.txt"):
        tricked = _rewrite(archive, tmp_path, lambda m, n=name: {**m, n: b"x"})
        refused(receiver, *args, str(tricked), match="unexpected")
    assert not (tmp_path / "evil.yaml").exists()
    linked = tmp_path / "linked.tar"
    with tarfile.open(linked, "w") as tar:
        info = tarfile.TarInfo("person.yaml")
        info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(info)
    refused(receiver, *args, str(linked), match="unexpected")
    not_tar = tmp_path / "plain.tar"
    not_tar.write_text("hello")
    refused(receiver, *args, str(not_tar), match="not a readable tar")

    def unlisted_person(members: dict) -> dict:
        doc = members["person.yaml"].replace(b"p-1n3sb0", b"p-000000")
        manifest = json.loads(members["manifest.json"])
        manifest["files"]["person.yaml"] = hashlib.sha256(doc).hexdigest()
        return {**members, "person.yaml": doc, "manifest.json": json.dumps(manifest).encode()}

    refused(
        receiver, *args, str(_rewrite(archive, tmp_path, unlisted_person)), match="not the person"
    )
    assert git(receiver, "for-each-ref", "refs/reseau") == ""

    def edited(members: dict) -> dict:  # a consistent manifest, but not the history's file
        doc = members["person.yaml"].replace(b"Reprendre mes", b"Reprendre tes")
        manifest = json.loads(members["manifest.json"])
        manifest["files"]["person.yaml"] = hashlib.sha256(doc).hexdigest()
        return {**members, "person.yaml": doc, "manifest.json": json.dumps(manifest).encode()}

    refused(receiver, *args, str(_rewrite(archive, tmp_path, edited)), match="does not end with")
    assert git(receiver, "for-each-ref", "refs/reseau") == ""


needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)


def _sign_with_new_key(root: Path, folder: Path) -> Path:
    folder.mkdir()
    key = folder / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", f"{key}.pub")
    return Path(f"{key}.pub")


@needs_ssh_keygen
def test_a_signed_handover(sender: Path, receiver: Path, tmp_path: Path) -> None:
    public = _sign_with_new_key(sender, tmp_path / "keys")
    out = tmp_path / "signed.tar"
    result = ok("--repo", str(sender), "handover", "export", "p-1n3sb0", "-o", str(out))
    assert "Signed with your git signing key." in result.stderr
    args = ("--repo", str(receiver), "handover", "import")
    # The receiving team does not know the key yet: refused, nothing written.
    git(receiver, "config", "gpg.ssh.allowedSignersFile", str(tmp_path / "allowed"))
    (tmp_path / "allowed").write_text("")
    refused(receiver, *args, str(out), match="signature does not verify")

    # Someone alters a member and writes a consistent manifest: the signature tells.
    def altered(members: dict) -> dict:
        plan = members["plan.html"].replace(b"Reprendre mes", b"Reprendre tes")
        manifest = json.loads(members["manifest.json"])
        manifest["files"]["plan.html"] = hashlib.sha256(plan).hexdigest()
        return {**members, "plan.html": plan, "manifest.json": json.dumps(manifest).encode()}

    (tmp_path / "allowed").write_text(f"{AUTHOR[1]} {public.read_text()}")
    refused(receiver, *args, str(_rewrite(out, tmp_path, altered)), match="since it was signed")
    assert git(receiver, "for-each-ref", "refs/reseau") == ""
    result = ok(*args, str(out))
    assert "Signature: Good" in result.stderr
