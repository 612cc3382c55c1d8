"""The Typer app: root options, the command modules, and the one error boundary."""

from __future__ import annotations

import gc
import importlib
import os
import sys
from typing import Any

from kacard.i18n import _, set_language
from kacard.i18n.choose import choose_language

# The language is chosen before any command is defined: typer builds --help from the
# option and command help strings at import time, and they are translated with `_()`.
set_language(choose_language(sys.argv[1:]))

import typer
from typer.core import TyperCommand, TyperGroup

from kacard import lifetime
from kacard.cli.common import DirOpt, FormatOpt, Globals, TodayOpt, lang_option
from kacard.cli.helptext import localize_help
from kacard.errors import KacardError

# Command families, one module each under kacard.cli; each has register(app).
COMMAND_MODULES = ("cards", "score", "visits", "team", "route")


class KacardCommand(TyperCommand):
    """A command whose help page is in the run's language (typer's own headings too)."""

    def get_help(self, ctx: Any) -> str:
        return localize_help(super().get_help(ctx))


class KacardGroup(TyperGroup):
    """Translates KacardError into a message and its exit code, in one place; gives every
    command the `--lang` option and a help page in the run's language."""

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
            if type(command) is TyperCommand:
                command.__class__ = KacardCommand

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        # decided again for this run's arguments (the import-time choice saw sys.argv;
        # a test runner passes its own)
        set_language(choose_language(list(sys.argv[1:] if args is None else args)))
        return super().main(args, *rest, **kwargs)

    def get_help(self, ctx: Any) -> str:
        return localize_help(super().get_help(ctx))

    def invoke(self, ctx: Any) -> Any:
        # A command is short-lived and allocates many small objects (cards) that it keeps:
        # the cyclic garbage collector's passes over them are pure overhead (about half of
        # a warm `kacard due` on 10,000 cards). Reference counting still frees everything.
        gc.disable()
        try:
            return super().invoke(ctx)
        except KacardError as exc:
            _print_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write(_("interrupted; nothing was written") + "\n")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            raise typer.Exit(0) from None
        finally:
            gc.enable()

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.commands)  # in registration order, not alphabetical


def _print_error(exc: KacardError) -> None:
    sys.stderr.write(_("error: {message}").format(message=exc.message) + "\n")
    for problem in exc.problems:
        sys.stderr.write(f"  {problem}\n")


app = typer.Typer(
    cls=KacardGroup,
    name="kacard",
    help=_("Key-account customer data cards (客户资料卡): validate, score, weekly visits, routes."),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def root(
    ctx: typer.Context,
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

    Freeing a big folder's objects one by one and the interpreter's own teardown cost
    about a tenth of a second on 10,000 cards for nothing: the process ends anyway.
    So big data is kept alive (kacard.lifetime) and the process exits directly once
    its output is flushed.
    """
    # kacard uses no pydantic plugins; looking for them costs every run ~25 ms
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    gc.disable()  # from the start: a short run makes no garbage cycles worth collecting
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
    except OSError:
        code = code or 1
    os._exit(code)
