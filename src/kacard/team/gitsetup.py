"""Git set-up for a shared card folder: attributes, the merge driver's config, checks.

Git versions `.gitattributes` but not merge-driver config, so every clone runs
`kacard git-setup` once: it writes (idempotently)

* `<folder>/.gitattributes`: `*.yaml merge=kacard` (cards merge field by field) and
  `/kacard.yaml merge=text` (the team settings keep git's line merge);
* the clone's local config `merge.kacard.name` and `merge.kacard.driver`, pointing at
  the Python that runs kacard now (`<python> -m kacard merge-driver -- %O %A %B %P`),
  so it works from a virtualenv that is not on PATH.

Only this module runs git, always through `run_git`: repository config cannot make it
run programs (SAFE_CONFIG, git_env).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kacard.cards.paths import check_output
from kacard.errors import KacardError, Problem, UsageError
from kacard.i18n import Message, _

ATTRIBUTES_FILE = ".gitattributes"
ATTRIBUTES_COMMENT = "# kacard: merge cards field by field; each clone runs `kacard git-setup` once"
CARD_ATTRIBUTE = "*.yaml merge=kacard"
SETTINGS_ATTRIBUTE = "/kacard.yaml merge=text"
DRIVER_NAME = "kacard field-aware card merge"


class GitError(KacardError):
    """git is missing or a git command failed (exit 2)."""


@dataclass(frozen=True)
class DriverStatus:
    work_tree: Path | None  # None: the folder is not in a git work tree (or git is missing)
    driver: str | None  # merge.kacard.driver, if configured
    card_merge: str | None  # the `merge` attribute git applies to a card file here


# A card repository is shared: its .git/config may come from anyone who could write
# it, and git runs programs named there (core.fsmonitor on every index refresh, hooks,
# pagers, askpass and ssh helpers, external diffs). kacard only ever reads config and
# attributes and merges text, so every git it starts has these switched off on the
# command line, which wins over every config file.
SAFE_CONFIG = (
    "core.fsmonitor=false", f"core.hooksPath={os.devnull}", "core.pager=cat", "core.editor=false",
    "core.askPass=", "core.sshCommand=false", "credential.helper=", "diff.external=",
    "protocol.allow=never", "core.untrackedCache=false",
)
_UNSAFE_ENV = ("GIT_EXTERNAL_DIFF", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND",
               "GIT_EDITOR", "GIT_PAGER", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT")


def git_argv(*args: str) -> list[str]:
    """The command line of a git that repository config cannot make run programs."""
    safe = [part for setting in SAFE_CONFIG for part in ("-c", setting)]
    return ["git", *safe, *args]


def git_env() -> dict[str, str]:
    """The environment for git: no system config, no prompts, no optional index writes
    (which would refresh the index and start core.fsmonitor), no helper programs."""
    env = {k: v for k, v in os.environ.items() if k not in _UNSAFE_ENV}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_PAGER="cat")
    return env


def run_git(folder: Path | None, *args: str, timeout: float | None = 30.0) -> subprocess.CompletedProcess[str]:
    """The one way kacard runs git for text (git_argv, git_env, a timeout); OSError or
    subprocess.TimeoutExpired when git cannot run. `run_git_bytes` for bytes."""
    return subprocess.run(git_argv(*args), cwd=folder, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", check=False, env=git_env(), timeout=timeout,
                          stdin=subprocess.DEVNULL)


def run_git_bytes(folder: Path | None, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """run_git for bytes in and out (blobs, archives); no timeout (a long history takes long)."""
    return subprocess.run(git_argv(*args), cwd=folder, input=input, capture_output=True, check=False,
                          env=git_env(), stdin=None if input is not None else subprocess.DEVNULL)


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in `folder` (run_git); GitError when git is missing or (with check) fails."""
    try:
        done = run_git(folder, *args)
    except FileNotFoundError:
        raise GitError(_("git is not installed (or not on PATH)")) from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise GitError(_("git could not run: {error}").format(error=exc)) from None
    if check and done.returncode != 0:
        _fail(args, done.returncode, done.stderr or done.stdout)
    return done


def git_bytes(folder: Path, *args: str, input: bytes | None = None) -> bytes:
    """Run git in `folder` and return its standard output as bytes (blobs, archives, -z lists);
    GitError when git is missing or fails."""
    try:
        done = run_git_bytes(folder, *args, input=input)
    except FileNotFoundError:
        raise GitError(_("git is not installed (or not on PATH)")) from None
    except OSError as exc:
        raise GitError(_("git could not run: {error}").format(error=exc)) from None
    if done.returncode != 0:
        _fail(args, done.returncode, done.stderr.decode("utf-8", "replace"))
    return done.stdout


def _fail(args: tuple[str, ...], code: int, output: str) -> None:
    message = output.strip().splitlines()
    raise GitError(_("git {command} failed: {reason}").format(command=args[0], reason=message[-1] if message else code))


def work_tree(folder: Path) -> Path | None:
    """The top of the git work tree holding `folder`, or None."""
    try:
        done = git(folder, "rev-parse", "--show-toplevel", check=False)
    except GitError:
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    return Path(done.stdout.strip())


def driver_command() -> str:
    """How git runs the driver: this Python with `-m kacard`, quoted for git's shell."""
    return f"{shlex.quote(sys.executable)} -m kacard merge-driver -- %O %A %B %P"  # --: %P may start with -


def ensure_attributes(folder: Path) -> list[str]:
    """Add the kacard lines to `<folder>/.gitattributes`; turn merge=union on cards into kacard."""
    path = folder / ATTRIBUTES_FILE
    check_output(folder, path, own=True)  # no symlink followed, never a FIFO read (it would hang)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    messages = []
    fixed = [_without_union(line) for line in lines]
    if fixed != lines:
        messages.append(_("replaced merge=union on cards with merge=kacard in {path}").format(path=path))
    missing = [line for line in (CARD_ATTRIBUTE, SETTINGS_ATTRIBUTE) if line not in fixed]
    if missing and ATTRIBUTES_COMMENT not in fixed:
        missing.insert(0, ATTRIBUTES_COMMENT)
    if missing or fixed != lines:
        path.write_text("\n".join([*fixed, *missing]) + "\n", encoding="utf-8")
        if missing:
            messages.append(_("wrote {path} ({value})").format(path=path, value=', '.join(m for m in missing if not m.startswith('#'))))
    else:
        messages.append(_("{path} already routes cards to the kacard merge driver").format(path=path))
    return messages


def _without_union(line: str) -> str:
    body = line.split("#")[0]
    if "merge=union" in body and ".yaml" in body:
        return line.replace("merge=union", "merge=kacard")
    return line


def configure_driver(folder: Path) -> list[str]:
    """Set merge.kacard.name/driver in the clone's local config (idempotent)."""
    wanted = {"merge.kacard.name": DRIVER_NAME, "merge.kacard.driver": driver_command()}
    messages = []
    for key, value in wanted.items():
        current = git(folder, "config", "--local", "--get", key, check=False).stdout.strip()
        if current == value:
            messages.append(_("git config {key} already set").format(key=key))
            continue
        git(folder, "config", "--local", key, value)
        messages.append(_("set git config {key} = {value}").format(key=key, value=value))
    return messages


def git_setup(folder: Path) -> list[str]:
    """`kacard git-setup`: attributes and driver config for the clone holding `folder`."""
    if work_tree(folder) is None:
        raise UsageError(
            _("{folder} is not inside a git work tree; `git init` or `git clone` first, then `kacard git-setup`").format(folder=folder)
        )
    return ensure_attributes(folder) + configure_driver(folder)


def status(folder: Path) -> DriverStatus:
    top = work_tree(folder)
    if top is None:
        return DriverStatus(None, None, None)
    driver = git(folder, "config", "--get", "merge.kacard.driver", check=False).stdout.strip() or None
    probe = git(folder, "check-attr", "merge", "--", "card.yaml", check=False).stdout.strip()
    value = probe.rsplit(": ", 1)[-1] if probe else None
    return DriverStatus(top, driver, value if value not in (None, "unspecified") else None)


GIT_PROBLEM_FILE = "(git)"  # these come from git's view (config, attributes), not from a line of a file


def problems(folder: Path) -> list[Problem]:
    """What `kacard validate` says about the git set-up of a folder in a work tree."""
    found: list[Problem] = []
    state = status(folder)
    if state.work_tree is None:
        return found
    if state.card_merge == "union":
        found.append(Problem(GIT_PROBLEM_FILE, None, None, "merge",
                             Message("cards are merged with merge=union, which silently duplicates or loses "
                                     "data; run `kacard git-setup`")))
    elif state.card_merge != "kacard":
        found.append(Problem(GIT_PROBLEM_FILE, None, None, "merge",
                             Message("git merges cards line by line here; run `kacard git-setup` (adds {rule})",
                                     rule=repr(CARD_ATTRIBUTE)), severity="warning"))
    if state.driver is None:
        found.append(Problem(GIT_PROBLEM_FILE, None, None, "merge",
                             Message("the kacard merge driver is not configured in this clone (git does not "
                                     "share it); run `kacard git-setup`"), severity="warning"))
    else:
        if "merge-driver -- " not in state.driver and "merge-driver" in state.driver:
            found.append(Problem(GIT_PROBLEM_FILE, None, None, "merge",
                                 _("the merge driver is configured without `--`, so cards in folders whose "
                                   "name starts with '-' are not merged; run `kacard git-setup` again"),
                                 severity="warning"))
        program = _program(state.driver)
        if program and os.path.isabs(program) and not os.path.exists(program):
            found.append(Problem(GIT_PROBLEM_FILE, None, None, "merge",
                                 Message("the merge driver's program {program} is gone; run `kacard git-setup` "
                                         "again", program=program),
                                 severity="warning"))
    found += unmerged(folder)
    return found


def unmerged(folder: Path) -> list[Problem]:
    """Files under `folder` that git holds as unmerged (a conflict not yet `git add`ed):
    an error even when the file itself looks clean (issue 11: a merge never drops a side silently)."""
    done = git(folder, "ls-files", "-u", "-z", "--", ".", check=False)
    paths = sorted({entry.split("\t", 1)[1] for entry in done.stdout.split("\0") if "\t" in entry})
    message = _("git merge conflict not resolved (unmerged); resolve it, run `kacard validate`, then `git add`")
    return [Problem(path, None, None, "", message) for path in paths]


def _program(command: str) -> str | None:
    try:
        words = shlex.split(command)
    except ValueError:
        return None
    return words[0] if words else None


def merge_text(base: Path, ours: Path, theirs: Path) -> int:
    """Git's own line merge into `ours` (for non-card files): 0 when clean."""
    try:
        done = run_git(None, "merge-file", "-L", "ours", "-L", "base", "-L", "theirs",
                       *(os.path.abspath(p) for p in (ours, base, theirs)))
    except (OSError, subprocess.SubprocessError):
        raise GitError(_("git is not installed (or not on PATH)")) from None
    return done.returncode
