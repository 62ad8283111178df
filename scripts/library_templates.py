"""List the templates of the library's texts a user reads, as xgettext would.

Read from the source (never run), in the organizer-facing modules of `sortition/`: every
`raise SomeError(f"...", hint="...")` and every message or hint prepared for one, every progress
line (`options.report(f"...")`, the web worker's `progress(f"...")`) and every verification
detail (a check's result, or the reason it was skipped). An f-string becomes
a template whose replacement fields are numbered in order (``{0}``, ``{1}``, ...); a plain string
stays as it is (its own braces doubled). The Spanish catalogs `sortition.i18n.library_es_*` are
keyed by these templates, and a test checks with this script that they translate every one and
hold no stale key.

    python scripts/library_templates.py          # one template per line, with where it is
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sortition"
# parts whose texts stay English: research tools (the sweep command too) and the error classes
SKIPPED_PARTS = ("research", "errors.py", "cli/sweep_command.py")
# built-in exceptions raised for programming errors, never shown as a user's problem
INTERNAL = {"ValueError", "TypeError", "AssertionError", "OSError", "KeyError", "RuntimeError"}


def template(node: ast.expr) -> str | None:
    """The template of a string or f-string expression; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.replace("{", "{{").replace("}", "}}")
    if isinstance(node, ast.JoinedStr):
        parts: list[str] = []
        fields = 0
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value).replace("{", "{{").replace("}", "}}"))
            else:
                parts.append(f"{{{fields}}}")
                fields += 1
        return "".join(parts)
    return None


# variables, keywords and functions that hold a message, a hint or a phrase put into one (such
# as a file's role)
TEXT_NAMES = ("hint", "message", "problem", "missing", "reason", "detail", "note", "role", "phrase")


def _holds_text(name: str) -> bool:
    return any(word in name.lower() for word in TEXT_NAMES)


def _branches(node: ast.expr) -> list[ast.expr]:
    """The values an expression can take: both sides of `a if c else b`, else itself."""
    if isinstance(node, ast.IfExp):
        return [*_branches(node.body), *_branches(node.orelse)]
    return [node]


def _phrases(targets: Sequence[ast.expr], value: ast.expr) -> list[ast.expr]:
    """The values of a dict of phrases by key assigned to a role or phrase name (`ROLE_PHRASES`,
    `KIND_PHRASES`), else the value itself (a dict of whole catalogs, such as `MESSAGES`, gives
    no template)."""
    names = [t.id.lower() for t in targets if isinstance(t, ast.Name)]
    phrases = ("role", "phrase")
    if isinstance(value, ast.Dict) and names and all(any(w in n for w in phrases) for n in names):
        return [v for v in value.values if v is not None]
    return [value]


def _prepared(tree: ast.AST) -> Iterator[tuple[ast.expr, int]]:
    """Texts written to a message or hint variable, or returned by a function named for one."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(isinstance(t, ast.Name) and _holds_text(t.id) for t in targets):
                for value in _phrases(targets, node.value):
                    yield from ((branch, node.lineno) for branch in _branches(value))
        elif isinstance(node, ast.Call):  # e.g. require_column(..., missing=f"...", hint=...)
            for keyword in node.keywords:
                if keyword.arg is not None and _holds_text(keyword.arg):
                    yield from ((value, node.lineno) for value in _branches(keyword.value))
        elif isinstance(node, ast.FunctionDef) and _holds_text(node.name):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and inner.value is not None:
                    yield from ((value, inner.lineno) for value in _branches(inner.value))


def is_error_class(name: str) -> bool:
    return name[:1].isupper() and name not in INTERNAL


def error_classes(package: Path = PACKAGE) -> set[str]:
    """Names of the package's error classes: `SortitionError` and every class deriving from it,
    wherever defined (so that an error built to be raised later, such as a deadline's, counts)."""
    bases: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                names = {
                    b.id if isinstance(b, ast.Name) else getattr(b, "attr", "") for b in node.bases
                }
                bases.setdefault(node.name, set()).update(names)
    found = {"SortitionError"}
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return found
        found |= more


# calls whose argument at this position is text a user reads: progress lines
# (`options.report(...)`, the web worker's `progress(...)`), the reason a check was skipped, a
# check's detail, a quota problem
TEXT_ARGUMENTS = {
    "report": 0,
    "progress": 0,
    "skip": 1,
    "Check": 2,
    "FileCheck": 2,
    "InvitationCheck": 2,
    "QuotaProblem": 2,  # why the quotas cannot hold, composed into an error message
    "check": 0,  # what a time budget ran out on: deadline.check("the column generation")
    "exceeded": 0,
}


def _called(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _details(tree: ast.AST, audit: bool) -> Iterator[tuple[ast.expr, int]]:
    """Progress lines, skip reasons and check details; in the audit modules, also what a check
    function returns (its detail, alone or first in a tuple)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            position = TEXT_ARGUMENTS.get(_called(node))
            if position is not None and len(node.args) > position:
                yield from ((value, node.lineno) for value in _branches(node.args[position]))
        elif audit and isinstance(node, ast.Return) and node.value is not None:
            value = node.value
            if isinstance(value, ast.Tuple) and value.elts:
                value = value.elts[0]
            yield from ((branch, node.lineno) for branch in _branches(value))


def templates(package: Path = PACKAGE) -> Iterator[tuple[str, str]]:
    """(template, 'path:line') for every text a user reads (see the module docstring), file by
    file: messages and hints at raise sites or prepared for them, progress lines, check
    details."""
    errors = error_classes(package)
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in SKIPPED_PARTS or relative.as_posix() in SKIPPED_PARTS:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found: list[tuple[str | None, int]] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                call = node.exc
                if not isinstance(call.func, ast.Name) or not is_error_class(call.func.id):
                    continue
            elif (  # an error made here and raised elsewhere
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in errors
            ):
                call = node
            else:
                continue
            found += (
                [(template(v), call.lineno) for v in _branches(call.args[0])] if call.args else []
            )
            found += [
                (template(v), call.lineno)
                for k in call.keywords
                if k.arg == "hint"
                for v in _branches(k.value)
            ]
        found += [(template(value), line) for value, line in _prepared(tree)]
        audit = relative.parts[0] == "audit" and relative.name.startswith("verify")
        found += [(template(value), line) for value, line in _details(tree, audit)]
        for text, line in found:
            # words (not a key such as 'upload.empty'), starting a sentence or a phrase
            if text and " " in text and text[0] not in " .,;:()":
                yield text, f"{relative.as_posix()}:{line}"


def main() -> None:
    seen: set[str] = set()
    for text, where in templates():
        if text not in seen:
            seen.add(text)
            sys.stdout.write(f"{where}\t{text}\n")


if __name__ == "__main__":
    main()
