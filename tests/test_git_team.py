"""Sharing a card folder through real git: a bare origin, two clones, the kacard merge driver.

kacard commands run in-process (CliRunner); git runs the merge driver as a subprocess
(`<this python> -m kacard merge-driver ...`, as `kacard git-setup` configured it).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from kacard.cards.parse import parse_card
from kacard.team.gitsetup import driver_command
from tests.conftest import SAMPLE_CARD, SETTINGS, Kacard

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

CARD = "hz-xinghe.yaml"


def git(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if ok:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user or system git config leaks in; nothing here can touch another repository."""
    config = tmp_path / "gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY"):
        monkeypatch.delenv(name, raising=False)


def clone(origin: Path, path: Path, user: str) -> Path:
    git(origin.parent, "clone", "-q", str(origin), str(path))
    git(path, "config", "user.name", user)
    git(path, "config", "user.email", f"{user}@example.com")
    result = Kacard(path)("git-setup")
    assert result.exit_code == 0, result.output
    return path


def make_team(tmp_path: Path, rel: str = CARD, content: bytes | None = None) -> tuple[Path, Path]:
    """Rep A's and rep B's clones of one origin holding kacard.yaml and one card at `rel`."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    seed = tmp_path / "seed"
    git(tmp_path, "clone", "-q", str(origin), str(seed))
    (seed / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
    (seed / rel).parent.mkdir(parents=True, exist_ok=True)
    (seed / rel).write_bytes(content if content is not None else SAMPLE_CARD.encode("utf-8"))
    git(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.com", "add", "-A")
    git(seed, "-c", "user.name=seed", "-c", "user.email=seed@example.com", "commit", "-q", "-m", "cards")
    git(seed, "push", "-q", "origin", "HEAD:main")
    a = clone(origin, tmp_path / "a", "zhangwei")
    git(a, "add", ".gitattributes")
    git(a, "commit", "-q", "-m", "kacard git-setup")
    git(a, "push", "-q", "origin", "HEAD:main")
    b = clone(origin, tmp_path / "b", "lina")
    return a, b


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, Path]:
    """Rep A's and rep B's clones of one origin holding kacard.yaml and one card."""
    return make_team(tmp_path, CARD, (SAMPLE_CARD + "\n# churn signals\nsignals: []\n").encode("utf-8"))


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


def pull(repo: Path) -> subprocess.CompletedProcess[str]:
    return git(repo, "pull", "--no-rebase", "--no-edit", "origin", "main", ok=False)


def log_visit(repo: Path, by: str, summary: str) -> None:
    result = Kacard(repo)("log", "hz-xinghe", "--by", by, "--date", "2026-11-23", "--summary", summary,
                          "--next-date", "2026-12-01", "--next-action", "报价")
    assert result.exit_code == 0, result.output


def edit(repo: Path, old: str, new: str) -> None:
    path = repo / CARD
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_git_setup_is_idempotent_and_points_at_this_python(team):
    a, _ = team
    again = Kacard(a)("git-setup")
    assert again.exit_code == 0, again.output
    assert "already" in again.output
    assert git(a, "config", "--get", "merge.kacard.driver").stdout.strip() == driver_command()
    lines = (a / ".gitattributes").read_text("utf-8").splitlines()
    assert lines.count("*.yaml merge=kacard") == 1 and lines.count("/kacard.yaml merge=text") == 1
    assert git(a, "check-attr", "merge", "--", CARD).stdout.strip().endswith("merge: kacard")
    result = Kacard(a)("validate")
    assert result.exit_code == 0, result.output
    assert "git-setup" not in result.output


def test_two_reps_log_visits_to_one_card_and_both_survive(team):
    a, b = team
    log_visit(a, "zhangwei", "张伟现场拜访")
    commit_all(a, "zhangwei: visit")
    git(a, "push", "-q", "origin", "HEAD:main")
    edit(b, "# the account's card\n", "# the account's card\n# 李娜: 客户周一不在\n")
    log_visit(b, "lina", "李娜电话跟进")
    commit_all(b, "lina: call")
    done = pull(b)
    assert done.returncode == 0, done.stdout + done.stderr
    text = (b / CARD).read_text("utf-8")
    assert "张伟现场拜访" in text and "李娜电话跟进" in text
    assert "# 李娜: 客户周一不在" in text and "# 老客户" in text  # ours' comments kept
    card, problems = parse_card(CARD, text.encode(), expect_id="hz-xinghe")
    assert card is not None, problems
    # same day: ours' (lina's) record first, then the one pulled in
    assert [(str(v.date), v.by) for v in card.visits] == [
        ("2026-11-10", "zhangwei"), ("2026-11-23", "lina"), ("2026-11-23", "zhangwei")]
    assert Kacard(b)("validate").exit_code == 0
    git(b, "push", "-q", "origin", "HEAD:main")
    assert pull(a).returncode == 0
    assert (a / CARD).read_text("utf-8") == text


def test_credit_limit_changed_on_both_sides_is_a_named_conflict(team):
    a, b = team
    edit(a, "limit: 2000000", "limit: 3000000")
    commit_all(a, "raise credit")
    git(a, "push", "-q", "origin", "HEAD:main")
    edit(b, "limit: 2000000", "limit: 2500000")
    commit_all(b, "raise credit less")
    done = pull(b)
    assert done.returncode != 0
    assert "CONFLICT" in done.stdout
    assert "credit.limit" in done.stderr
    text = (b / CARD).read_text("utf-8")
    assert "<<<<<<< ours\ncredit: {rating: A, limit: 2500000, terms_days: 60}\n=======\n" in text
    assert git(b, "status", "--porcelain").stdout.startswith("UU " + CARD)
    result = Kacard(b)("validate")
    assert result.exit_code == 1
    assert "conflict marker" in result.output


def test_contact_deleted_on_one_side_and_edited_on_the_other_conflicts(team):
    a, b = team
    edit(a, "contacts:\n  - {name: 王建国", "contacts:\n  - {name: 王建国, stance: ally")
    commit_all(a, "stance")
    git(a, "push", "-q", "origin", "HEAD:main")
    line = '  - {name: 王建国, title: 采购总监, role: decision_maker, influence: 5, phone: "+86 138 0000 0001"}\n'
    edit(b, "contacts:\n" + line, "contacts: []\n")
    commit_all(b, "contact left")
    done = pull(b)
    assert done.returncode != 0
    assert "contacts[王建国]" in done.stderr
    assert "<<<<<<< ours" in (b / CARD).read_text("utf-8")


def test_init_inside_a_clone_sets_up_git(tmp_path):
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    result = Kacard(repo).raw("init", str(repo / "cards"), "--rep", "zhangwei=张伟")
    assert result.exit_code == 0, result.output
    assert git(repo, "config", "--get", "merge.kacard.driver").stdout.strip() == driver_command()
    assert "*.yaml merge=kacard" in (repo / "cards" / ".gitattributes").read_text("utf-8")


def test_validate_warns_without_driver_and_refuses_union(tmp_path):
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", str(repo))
    (repo / "kacard.yaml").write_text(SETTINGS, encoding="utf-8")
    (repo / CARD).write_text(SAMPLE_CARD, encoding="utf-8")
    result = Kacard(repo)("validate")
    assert result.exit_code == 0, result.output
    assert "merge driver is not configured" in result.output and "git-setup" in result.output
    (repo / ".gitattributes").write_text("*.yaml merge=union\n", encoding="utf-8")
    result = Kacard(repo)("validate")
    assert result.exit_code == 1
    assert "merge=union" in result.output
    assert Kacard(repo)("git-setup").exit_code == 0
    assert "merge=union" not in (repo / ".gitattributes").read_text("utf-8")
    result = Kacard(repo)("validate")
    assert result.exit_code == 0 and "git-setup" not in result.output, result.output


def test_git_setup_outside_a_work_tree_is_a_usage_error(kacard):
    result = kacard("git-setup")
    assert result.exit_code == 2
    assert "not inside a git work tree" in result.output


def test_conflict_markers_fail_validate(kacard, write_card):
    write_card("hz-xinghe", SAMPLE_CARD.replace(
        "status: active\n", "<<<<<<< ours\nstatus: active\n=======\nstatus: dormant\n>>>>>>> theirs\n"))
    result = kacard("validate", "--format", "json")
    assert result.exit_code == 1
    assert "unresolved git conflict marker" in result.stdout


def test_duplicate_ids_across_files_fail_validate(kacard, folder, write_card):
    write_card("hz-xinghe", SAMPLE_CARD)
    (folder / "old").mkdir()
    (folder / "old" / "hz-xinghe.yaml").write_text(SAMPLE_CARD, encoding="utf-8")
    result = kacard("validate")
    assert result.exit_code == 1
    assert "duplicate id" in result.output


def test_a_list_emptied_on_one_side_leaves_a_conflict_whose_sides_both_read(tmp_path):
    """Rep A removes the card's only contact (its key carries a comment), rep B edits that
    contact: a conflict. Keeping either side of the hunk must give a card that reads; before
    the fix, theirs' side was `contacts:  # 关键人`, `[]` at column 0 and the next key glued
    to it (`trades:   - {...}`)."""
    block = "contacts:  # 关键人\n  - name: 王建国\n    title: 采购总监\n    role: decision_maker\n"
    content = SAMPLE_CARD.replace(
        '  - {name: 王建国, title: 采购总监, role: decision_maker, influence: 5, phone: "+86 138 0000 0001"}\n', ""
    ).replace("contacts:\n", block)
    a, b = make_team(tmp_path, CARD, content.encode("utf-8"))
    edit(a, block, "contacts: []  # 关键人\n")
    commit_all(a, "contact left")
    git(a, "push", "-q", "origin", "HEAD:main")
    edit(b, "title: 采购总监", "title: 副总经理")
    commit_all(b, "new title")
    done = pull(b)
    assert done.returncode != 0 and "contacts[王建国]" in done.stderr
    text = (b / CARD).read_text("utf-8")
    assert "<<<<<<< ours" in text
    kept: dict[str, list[str]] = {"ours": [], "theirs": []}
    where = None
    for line in text.splitlines(keepends=True):
        if line in ("<<<<<<< ours\n", "=======\n", ">>>>>>> theirs\n"):
            where = {"<": "ours", "=": "theirs", ">": None}[line[0]]
            continue
        for side in kept:
            if where in (None, side):
                kept[side].append(line)
    cards = {}
    for side, lines in kept.items():
        card, problems = parse_card(CARD, "".join(lines).encode(), expect_id="hz-xinghe")
        assert card is not None, (side, problems, "".join(lines))
        cards[side] = card
    assert [c.title for c in cards["ours"].contacts] == ["副总经理"] and cards["theirs"].contacts == []
    original, _ = parse_card(CARD, content.encode(), expect_id="hz-xinghe")
    assert original is not None
    for card in cards.values():  # nothing else lost on either side
        assert card.trades == original.trades and card.visits == original.visits
