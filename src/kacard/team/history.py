"""The card folder's git history, read without touching the work tree.

Two uses: `kacard changes` walks the commits since a point (one `git log --raw` and one
`git cat-file --batch` for every blob it needs, whatever the number of commits), and
`--as-of DATE|REV` puts the folder as it was at a commit into a temporary folder
(`git archive`), so `score`, `due` and `review` can say what they said then.

Errors are GitError / UsageError with a plain message (not a git repository, a revision git
does not know, history missing from a shallow clone).
"""

from __future__ import annotations

import datetime as dt
import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kacard.errors import UsageError
from kacard.team.gitsetup import GitError, git, git_bytes, work_tree
from kacard.i18n import _

ZERO_SHA = "0" * 40


@dataclass(frozen=True)
class FileChange:
    """One card file changed by one commit: blob ids (None when absent) and paths relative to
    the card folder (the new path; `old_path` differs after a rename)."""

    path: str
    old_path: str
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class Commit:
    sha: str
    when: dt.datetime  # author date, with its offset
    author: str
    email: str
    files: tuple[FileChange, ...]


@dataclass(frozen=True)
class Since:
    """Where `changes` starts: the last commit before `moment` (None: the start of history)."""

    base: str | None
    label: str  # what the user asked for, for the title
    moment: dt.datetime | None  # for a date; None for a revision


def require_repository(folder: Path) -> Path:
    top = work_tree(folder)
    if top is None:
        raise UsageError(_("{folder} is not in a git repository: history needs the team's git clone").format(folder=folder))
    return top


def is_shallow(folder: Path) -> bool:
    return git(folder, "rev-parse", "--is-shallow-repository").stdout.strip() == "true"


def resolve_since(folder: Path, text: str, today: dt.date) -> Since:
    """`yesterday`, `today`, `N days` (e.g. `7d`), a date (YYYY-MM-DD) or a git revision.

    A date means midnight at its start, local time. Raises UsageError when the history
    before that moment is missing from a shallow clone, or the revision is unknown.
    """
    require_repository(folder)
    word = text.strip().lower()
    day: dt.date | None = None
    if word.rstrip("d").isdigit() and word.endswith("d"):
        day = today - dt.timedelta(days=int(word[:-1]))
    else:
        day = _day_word(text, today)
    if day is None:
        done = git(folder, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}", check=False)
        if done.returncode != 0:
            raise UsageError(_("--since: {text!r} is neither a date (2026-11-20, yesterday, 7d, fri) nor a revision git knows").format(text=text))
        return Since(done.stdout.strip(), text, None)
    moment = dt.datetime.combine(day, dt.time(0, 0)).astimezone()
    base = git(folder, "rev-list", "-1", f"--before={moment.isoformat()}", "HEAD", check=False).stdout.strip()
    if not base and is_shallow(folder):
        raise UsageError(
            _("the history before {day} is not in this clone (it is shallow): run `git fetch --shallow-since={value}` or `git fetch --unshallow`").format(day=day, value=day - dt.timedelta(days=1)))
    return Since(base or None, text, moment)


def commits_since(folder: Path, base: str | None, card_file: Callable[[str], bool]) -> list[Commit]:
    """Commits after `base` up to HEAD (merges skipped: their sides' commits are listed),
    oldest first, each with the card files it changed (paths relative to `folder`)."""
    span = f"{base}..HEAD" if base else "HEAD"
    raw = git_bytes(folder, "log", "--raw", "-z", "--no-abbrev", "-M", "--no-merges", "--reverse",
                    "--relative", "--format=%x1e%H%x1f%aI%x1f%an%x1f%ae", span, "--", ".")
    commits = []
    for chunk in raw.split(b"\x1e")[1:]:
        header, _, rest = chunk.partition(b"\0")
        sha, when, author, email = header.decode("utf-8", "replace").split("\x1f")
        tokens = rest.lstrip(b"\n").split(b"\0")
        files = []
        i = 0
        while i < len(tokens) and tokens[i].startswith(b":"):
            meta = tokens[i].decode().split()
            status = meta[4]
            paths = [tokens[i + 1].decode("utf-8", "surrogateescape")]
            i += 2
            if status[0] in "RC":
                paths.append(tokens[i].decode("utf-8", "surrogateescape"))
                i += 1
            old_blob = None if meta[2] == ZERO_SHA else meta[2]
            new_blob = None if meta[3] == ZERO_SHA or status[0] == "D" else meta[3]
            if status[0] == "C":
                old_blob = None  # a copy is a new card
            new_path = paths[-1]
            if card_file(new_path) or card_file(paths[0]):
                files.append(FileChange(new_path, paths[0], old_blob, new_blob))
        commits.append(Commit(sha, dt.datetime.fromisoformat(when), author, email, tuple(files)))
    return commits


def read_blobs(folder: Path, blobs: set[str]) -> dict[str, bytes]:
    """The contents of `blobs`, read in one `git cat-file --batch`."""
    if not blobs:
        return {}
    order = sorted(blobs)
    out = git_bytes(folder, "cat-file", "--batch", input="".join(f"{b}\n" for b in order).encode())
    found: dict[str, bytes] = {}
    pos = 0
    for _blob in order:
        line_end = out.index(b"\n", pos)
        sha, kind, size = out[pos:line_end].decode().split()
        start = line_end + 1
        found[sha] = out[start:start + int(size)]
        pos = start + int(size) + 1
    return found


def _day_word(text: str, today: dt.date) -> dt.date | None:
    """A date as people type it (kacard.dates.parse_day, weekdays in the past), else None."""
    from kacard.dates import parse_day

    try:
        return parse_day(text, today, past=True)
    except ValueError:
        return None


def commit_at(folder: Path, text: str, today: dt.date) -> tuple[str, dt.date | None]:
    """The commit meant by `--as-of TEXT` and the day it stands for: a date (as people type
    it: 2026-11-20, yesterday, 昨天, 上周五, -7) gives the last commit of that day (and that
    day); a revision gives itself (and no day: the caller uses its commit date)."""
    require_repository(folder)
    day = _day_word(text, today)
    if day is not None:
        end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0)).astimezone()
        sha = git(folder, "rev-list", "-1", f"--before={end.isoformat()}", "HEAD", check=False).stdout.strip()
        if not sha:
            shallow = " (this clone is shallow: `git fetch --unshallow`)" if is_shallow(folder) else ""
            raise UsageError(_("--as-of {day}: the folder has no commit on or before that day{shallow}").format(day=day, shallow=shallow))
        return sha, day
    done = git(folder, "rev-parse", "--verify", "--quiet", f"{text}^{{commit}}", check=False)
    if done.returncode != 0:
        raise UsageError(_("--as-of: {text!r} is neither a date (2026-11-20, yesterday, fri) nor a revision git knows").format(text=text))
    return done.stdout.strip(), None


def commit_day(folder: Path, sha: str) -> dt.date:
    return dt.datetime.fromisoformat(git(folder, "show", "-s", "--format=%aI", sha).stdout.strip()).date()


def materialize(folder: Path, sha: str, target: Path) -> Path:
    """Write the card folder as it was at commit `sha` into `target` (an empty folder) and
    return it. The work tree and the index are not touched. (Run from the card folder,
    `git archive` writes that subtree with paths relative to it.)"""
    try:
        data = git_bytes(folder, "archive", "--format=tar", sha, "--", ".")
    except GitError as exc:
        raise UsageError(_("cannot read the folder at {value}: {exc}").format(value=sha[:10], exc=exc)) from None
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return target
