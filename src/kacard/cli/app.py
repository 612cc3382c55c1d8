"""The Typer app: root options, the command modules, and the one error boundary."""

from __future__ import annotations

import contextlib
import gc
import importlib
import os
import re
import sys
from typing import Annotated, Any

from kacard.i18n import _, language, set_language
from kacard.i18n.choose import choose_language

# The language is chosen before any command is defined: typer builds --help from the
# option and command help strings at import time, and they are translated with `_()`.
set_language(choose_language(sys.argv[1:]))

import typer  # noqa: E402
from typer.core import TyperCommand, TyperGroup  # noqa: E402

from kacard.cli import lifetime  # noqa: E402
from kacard.cli.common import DirOpt, FormatOpt, Globals, TodayOpt, lang_option  # noqa: E402
from kacard.cli.helptext import short_help, unwrapped_help  # noqa: E402
from kacard.cli.usage_words import usage_message  # noqa: E402
from kacard.errors import KacardError  # noqa: E402

# Command families, one module each under kacard.cli; each has register(app).
COMMAND_MODULES = ("cards", "score", "visits", "team", "route", "manager", "importing", "site", "sale", "repair")


# Help shows a plain word for what an option takes, not Python type names like <list[str]>.
PLAIN_METAVARS = {"str": "TEXT", "int": "N", "float": "NUMBER", "path": "PATH", "file": "PATH",
                  "directory": "PATH"}


def _plain_metavars(command: Any) -> None:
    """Give every option and argument of `command` without a metavar a plain one (TEXT, N,
    NUMBER, PATH; "..." for an argument taking several values), and its --format option the
    list of formats it really has (FORMATS)."""
    from kacard.cli.common import FORMATS, TEXT_ONLY

    ctx = typer.Context(command)
    for param in command.params:
        if param.name == "format" and not isinstance(command, TyperGroup):
            formats = FORMATS.get(command.name, TEXT_ONLY)
            param.help = (_("Output format: {formats} (default {default}).").format(
                formats=", ".join(formats), default=formats[0]) if len(formats) > 1
                else _("table only: this command prints a message."))
        if param.param_type_name == "argument":  # its name says what it takes; no "<str>" after it
            param.display_type_rich = lambda ctx: None
            if param.metavar is not None:  # a bare word: typer's usage line adds [ ] / { } and "..."
                param.metavar = re.sub(r"^\[(.*)\]$", r"\1", re.sub(r"\s*\.\.\.$", "", param.metavar.strip()))
        if param.metavar is not None or getattr(param, "is_flag", False):
            continue
        label = param.display_type(ctx).strip("<>")
        many = label.startswith("list[")
        base = label[5:-1] if many else label
        param.metavar = PLAIN_METAVARS.get(base, base.upper().replace(" ", "_"))


class KacardCommand(TyperCommand):
    """A command whose help page is in the run's language (typer's own headings too)."""

    def get_help(self, ctx: Any) -> str:
        return unwrapped_help(self, ctx)  # wrapped by kacard in every language (cells, not characters)

    def format_help_text_unwrapped(self, ctx: Any) -> str:
        return str(super().get_help(ctx))


# click's usage error, reached through typer's BadParameter (the brief forbids importing click).
ClickUsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


def _columns(stream: Any) -> int | None:
    """The width in cells of the terminal `stream` writes to (prose is wrapped to it),
    None for a pipe or a file (lines stay whole for scripts)."""
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # a closed or odd stream
        return None
    import shutil

    return shutil.get_terminal_size().columns


def _usage_error(exc: Any, group_ctx: Any = None) -> typer.Exit:
    """Print click's usage error in kacard's one style, `error: ...` and the --help to read
    (instead of click's "Usage: ... Error: ..." box), typer's wording said in the run's
    language (cli.usage_words); exit 2 like every usage error. An
    error without a context (a missing option value) names the command being run. The
    message goes through the one redaction rule: a phone typed as a stray argument is masked."""
    from kacard.privacy import scrub

    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        where = ctx.command_path
    elif group_ctx is not None and group_ctx.meta.get("kacard.command"):
        where = f"{group_ctx.command_path} {group_ctx.meta['kacard.command']}"
    else:
        where = "kacard"
    sys.stderr.write(_("error: {message}").format(message=scrub(usage_message(exc.format_message()))) + "\n")
    sys.stderr.write("  " + _("see '{command} --help'").format(command=where) + "\n")
    return typer.Exit(2)


class KacardGroup(TyperGroup):
    """Translates KacardError and click's usage errors into one `error: ...` message and
    its exit code, in one place; gives every command the `--lang` option and a help page
    in the run's language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        option = lang_option()
        self.params.append(option)
        if self.help:
            self.help = _(self.help)
        for command in self.commands.values():
            command.params.append(option)
            if command.help:  # the command's docstring, cleaned: a msgid of the catalog
                command.help = _(command.help)
                if language() != "en":
                    command.short_help = short_help(command.help)
            if type(command) is TyperCommand:
                command.__class__ = KacardCommand
        _plain_metavars(self)
        for command in self.commands.values():
            _plain_metavars(command)

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        """Every byte kacard prints, its own usage errors included, goes through the
        terminal sanitiser (render.safe.SafeStream) for the length of the run. The
        language is decided again for this run's arguments (the import-time choice saw
        sys.argv; a test runner passes its own)."""
        from kacard.render.safe import SafeStream

        set_language(choose_language(list(sys.argv[1:] if args is None else args)))
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = (SafeStream(saved[0], _columns(saved[0])),  # type: ignore[assignment]
                                  SafeStream(saved[1], _columns(saved[1])))
        try:
            return super().main(args, *rest, **kwargs)
        except SystemExit as exc:
            if exc.code == 130:  # typer turns Ctrl-C outside a command's run into a silent exit 130
                _say_interrupted()
            raise
        finally:
            for stream in (sys.stdout, sys.stderr):  # a last line written without its end
                with contextlib.suppress(OSError, ValueError):
                    stream.flush()
            sys.stdout, sys.stderr = saved

    def get_help(self, ctx: Any) -> str:
        return unwrapped_help(self, ctx)  # wrapped by kacard in every language (cells, not characters)

    def format_help_text_unwrapped(self, ctx: Any) -> str:
        return str(super().get_help(ctx))

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except ClickUsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `kacard`: the help, as before
                raise
            raise _usage_error(exc) from None

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name, command, rest = super().resolve_command(ctx, args)
        ctx.meta["kacard.command"] = name  # for a usage error that comes without its context
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":
                raise
            raise _usage_error(exc, ctx) from None
        except KacardError as exc:
            _print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say_interrupted()
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        except OSError as exc:  # the system refused a read or write nobody translated
            from kacard.cards.safewrite import saved

            if saved():  # the change is on disk: only printing it failed
                raise typer.Exit(_print_failed(exc)) from None
            _print_error(KacardError(_io_message(exc)))
            raise typer.Exit(2) from None

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # in registration order, not alphabetical


def _io_message(exc: OSError) -> str:
    """One plain line for an OSError: the file it names (not its contents) and the reason."""
    from kacard.errors import os_reason

    name = exc.filename if exc.filename is not None else None
    if name is None:
        return _("{reason}; nothing was written").format(reason=os_reason(exc))
    return _("cannot use {path}: {reason}; nothing was written").format(path=name, reason=os_reason(exc))


def _print_error(exc: KacardError) -> None:
    sys.stderr.write(_("error: {message}").format(message=exc.message) + "\n")
    for problem in exc.problems:
        sys.stderr.write(f"  {problem}\n")


app = typer.Typer(
    cls=KacardGroup,
    name="kacard",
    help=_("Key-account customer data cards (客户资料卡): validate, score, weekly visits, routes."),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("kacard")
        except PackageNotFoundError:  # run from a source tree without installing
            number = "unknown"
        typer.echo(f"kacard {number}")
        raise typer.Exit(0)


@app.callback()
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help=_("Print kacard's version and exit."))] = False,
    dir: DirOpt = None,
    today: TodayOpt = None,
    format: FormatOpt = None,
) -> None:
    """Key-account customer data cards (客户资料卡) in a git-shared folder.

    Monday morning: `kacard due`, then `kacard route`; before a visit `kacard show ID`;
    after it `kacard log ID --summary ... --next-date ... --next-action ...`.
    """
    ctx.obj = Globals(dir=dir, today=today, format=format)


for _name in COMMAND_MODULES:
    importlib.import_module(f"kacard.cli.{_name}").register(app)


def main() -> None:
    """The console script: run one command, then leave without tearing down its data.

    Two process tricks live here and nowhere else; each is kept because
    `benchmarks/bench_tricks.py` measured it worth more than 5 % of a user-facing figure
    on 1,000 cards (warm, CPU seconds, medians of 9 interleaved runs, 2026-11-30):

    * the cyclic garbage collector is off for the run: a short command keeps what it
      allocates, so the collector's passes are overhead (due -9 %, score -20 %, list -3 %);
      reference counting still frees everything;
    * the folder's objects are kept alive (kacard.cli.lifetime) and the process leaves with
      os._exit once its output is flushed, instead of freeing them one by one
      (list -14 %, due -17 %, score -13 %).

    Switching pydantic's plugin search off was measured too (list +1 %, due -4 %, score -5 %,
    within noise of the threshold) and dropped. A test or a library caller runs `app`
    directly and sees none of this.
    """
    gc.disable()
    lifetime.keep_until_exit()
    code: int = 0
    try:
        app()
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
            code = 1
        else:
            code = exc.code or 0
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:
        pass
    except OSError as exc:
        code = code or _print_failed(exc)
    os._exit(code)


_told: list[bool] = []  # whether this run said it was interrupted


def _say_interrupted() -> None:
    """The interrupt's one message (stderr), however the interrupt reached kacard."""
    if not _told:
        _told.append(True)
        sys.stderr.write(_("interrupted; nothing was written") + "\n")
        sys.stderr.flush()


def _print_failed(exc: OSError) -> int:
    """Exit code when the output could not be written: 0 if this run saved what it was asked
    to (the change is on disk; only its confirmation was lost, issue 11), else 1."""
    from kacard.cards.safewrite import saved

    if not saved():
        return 1
    try:
        os.write(2, (_("saved; only printing the confirmation failed") + f" ({exc.strerror})\n").encode())
    except OSError:
        pass
    return 0
