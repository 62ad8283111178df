"""The command line's own pages in Spanish: `--help` and click's usage errors under `--lang es`.

A municipal officer who runs `sortition select --help --lang es`, or forgets an argument in a
Spanish command, reads Spanish, as the summaries and the library's errors already are. Help
texts come from `sortition.i18n.es_help` (keyed by the English text the commands declare);
click's own words (usage, sections, its error messages) from `es_help.CLICK` and its lists of
error messages. Without
`--lang es` anywhere on the line everything is click's English, byte for byte.

`--help` is handled while the arguments are parsed, before `--lang` has a value, so the
language is read from the raw arguments (`requested_language`) and kept in the context's
`meta`, which every subcommand's context shares.
"""

from __future__ import annotations

import inspect
import re
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from sortition.i18n import DEFAULT_LANGUAGE
from sortition.i18n.es_help import CLICK, CLICK_MESSAGES, CLICK_VALUES, HELP

LANGUAGE_META = "sortition.lang"  # ctx.meta key: the language of help pages and usage errors
SPANISH = "es"


def requested_language(args: Sequence[str]) -> str:
    """'es' if the arguments ask for `--lang es` (or `--lang=es`), else 'en'."""
    for position, arg in enumerate(args):
        if arg == "--lang" and position + 1 < len(args):
            if args[position + 1] == SPANISH:
                return SPANISH
        elif arg == f"--lang={SPANISH}":
            return SPANISH
    return DEFAULT_LANGUAGE


def spanish_help(text: str | None) -> str:
    """The Spanish of a command's or option's help text; the English if the catalog lacks it
    (a test keeps the catalog complete)."""
    if not text:
        return ""
    cleaned = inspect.cleandoc(text)
    return HELP.get(cleaned, CLICK.get(cleaned, cleaned))


def short_help(text: str, limit: int) -> str:
    """The first sentence of `text`, shortened at a word to `limit` characters: a line of the
    command list (as click makes it from the English)."""
    words = text.partition("\n\n")[0].split()
    if words and words[0] == "\b":
        words = words[1:]
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if word.endswith(".") and (last or not words[position + 1][0].islower()):
            words = words[: position + 1]
            break
    line = " ".join(words)
    if len(line) <= limit:
        return line
    return textwrap.shorten(line, max(limit, 3), placeholder="...", break_on_hyphens=False)


def _spanish(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(LANGUAGE_META) == SPANISH)


def _record_extras(extras: str) -> str:
    """Click's "[default: 20; required]" after an option's help, in Spanish."""
    match = re.fullmatch(r"(\s*)\[(.*)\]", extras, flags=re.S)
    if match is None:
        return extras
    items = []
    for item in match.group(2).split("; "):
        if item == "required":
            items.append(CLICK["required"])
        elif item.startswith("default: "):
            items.append(CLICK["default: {default}"].format(default=item[len("default: ") :]))
        elif item.startswith("env var: "):
            items.append(CLICK["env var: {var}"].format(var=item[len("env var: ") :]))
        else:
            items.append(item)
    return f"{match.group(1)}[{'; '.join(items)}]"


def spanish_record(param: click.Parameter, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line of the help page (its flags, its help and click's extras) in Spanish."""
    record = param.get_help_record(ctx)
    if record is None:
        return None
    flags, text = record
    english = getattr(param, "help", None) or ""
    if english and text.startswith(english):
        return flags, spanish_help(english) + _record_extras(text[len(english) :])
    return flags, _record_extras(text)


class LocalizedCommand(click.Command):
    """A click command whose help page is Spanish under `--lang es` (see the module docstring)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta.setdefault(LANGUAGE_META, requested_language(args))
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not _spanish(ctx):
            super().format_usage(ctx, formatter)
            return
        pieces = [
            CLICK.get(piece, piece)  # [OPTIONS], COMMAND [ARGS]...
            for piece in self.collect_usage_pieces(ctx)
        ]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=CLICK["Usage: "])

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not _spanish(ctx):
            super().format_help_text(ctx, formatter)
            return
        text = spanish_help(self.help).partition("\f")[0]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not _spanish(ctx):
            super().format_options(ctx, formatter)
            return
        records = [
            spanish_record(param, ctx)
            for param in self.get_params(ctx)
            if not isinstance(param, click.Argument)  # (as click: arguments are in the usage)
        ]
        shown = [record for record in records if record is not None]
        if shown:
            with formatter.section(CLICK["Options"]):
                formatter.write_dl(shown)


class LocalizedGroup(LocalizedCommand, click.Group):
    """The `sortition` group: its help page lists the commands in Spanish under `--lang es`,
    and its `main` shows click's usage errors in Spanish then."""

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)  # (in English click's own lists the commands)
        if _spanish(ctx):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not _spanish(ctx):
            super().format_commands(ctx, formatter)
            return
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        shown = [(name, command) for name, command in commands if command and not command.hidden]
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        rows = [(name, short_help(spanish_help(command.help), limit)) for name, command in shown]
        with formatter.section(CLICK["Commands"]):
            formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        if not standalone_mode or requested_language(arguments) != SPANISH:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        if arguments in (["--lang", SPANISH], [f"--lang={SPANISH}"]):
            # as a bare `sortition` shows the help (on stderr, exit 2: click's NoArgsIsHelp)
            with self.make_context(prog_name or "sortition", arguments) as ctx:
                click.echo(ctx.get_help(), err=True, color=ctx.color)
            sys.exit(2)
        try:
            result = super().main(arguments, prog_name, complete_var, False, **extra)
        except click.UsageError as error:
            _show_usage_error(error)
        except click.ClickException as error:
            _fail(spanish_message(error.format_message()), error.exit_code)
        except click.Abort:
            click.echo(CLICK["Aborted!"], err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def _show_usage_error(error: click.UsageError) -> NoReturn:
    """What `click.UsageError.show` prints, in Spanish."""
    ctx = error.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = CLICK["Try '{command} {option}' for help."].format(
                command=ctx.command_path, option=max(ctx.help_option_names, key=len)
            )
            hint = f"{hint}\n"
        click.echo(f"{ctx.get_usage()}\n{hint}", err=True, color=ctx.color)
    _fail(spanish_message(error.format_message()), error.exit_code)


def _fail(message: str, exit_code: int) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(exit_code)


Rewording = tuple[re.Pattern[str], str]


def _compiled(pairs: list[tuple[str, str]]) -> list[Rewording]:
    return [(re.compile(pattern, flags=re.S), template) for pattern, template in pairs]


_MESSAGES = _compiled(CLICK_MESSAGES)
_VALUES = _compiled(CLICK_VALUES)


def spanish_message(message: str) -> str:
    """One of click's error messages in Spanish (unknown ones are left as they are)."""
    invalid = re.fullmatch(r"Invalid value for (.+?): (.+)", message, flags=re.S)
    if invalid is not None:
        template = CLICK["Invalid value for {param_hint}: {message}"]
        return template.format(param_hint=invalid.group(1), message=_first(_VALUES, invalid[2]))
    invalid = re.fullmatch(r"Invalid value: (.+)", message, flags=re.S)
    if invalid is not None:
        template = CLICK["Invalid value: {message}"]
        return template.format(message=_first(_VALUES, invalid.group(1)))
    return _first(_MESSAGES, message)


def _first(rewordings: list[Rewording], message: str) -> str:
    for pattern, template in rewordings:
        match = pattern.fullmatch(message)
        if match is not None:
            return template.format(*match.groups())
    return message
