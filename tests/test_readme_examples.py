"""The README's set-up draw and its replacement example run as written, in that order.

The replacement example names two members of the set-up draw; a change to the draw (a new
algorithm path, other defaults) silently broke it once, so this test re-reads both commands from
the README and runs them the way a new user would, from the repository root.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from sortition.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _command(prefix: str) -> list[str]:
    """The arguments of the README's first shell command starting with `prefix` (line
    continuations joined; the leading `sortition` and anything after `&&` or `#` dropped)."""
    text = README.replace("\\\n", " ")
    for line in text.splitlines():
        start = line.find(prefix)
        if start >= 0:
            words = shlex.split(line[start:], comments=True)
            return words[1 : words.index("&&")] if "&&" in words else words[1:]
    raise AssertionError(f"no '{prefix}' command in the README")


def _ids(path: Path) -> set[str]:
    """The ids (first column) of a CSV written by the CLI."""
    return {row.split(",")[0] for row in path.read_text(encoding="utf-8-sig").splitlines()[1:]}


def test_replacement_example_follows_the_set_up_draw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dropouts = re.search(r"printf 'id\\n(\w+)\\n(\w+)\\n' > dropouts\.csv", README)
    assert dropouts is not None, "the README's dropouts line changed: update this test"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").symlink_to(ROOT / "data")
    select = _command("sortition select data/samples/renca/")
    drawn = CliRunner().invoke(cli, select)
    assert drawn.exit_code == 0, drawn.output
    ids = _ids(tmp_path / "selection" / "private" / "selected.csv")
    assert set(dropouts.groups()) <= ids, f"the README's dropouts are not on the panel {ids}"
    (tmp_path / "dropouts.csv").write_text("id\n" + "\n".join(dropouts.groups()) + "\n")
    replaced = CliRunner().invoke(cli, _command("sortition replace "))
    assert replaced.exit_code == 0, replaced.output
    completed = _ids(tmp_path / "replacement" / "private" / "selected.csv")
    assert len(completed) == len(ids)
    assert not set(dropouts.groups()) & completed
    # the README's second wave, then its check against the draw and the first wave
    second = re.search(r"printf 'id\\n(\w+)\\n' > dropouts2\.csv", README)
    assert second is not None, "the README's second-wave line changed: update this test"
    assert second.group(1) in completed
    (tmp_path / "dropouts2.csv").write_text(f"id\n{second.group(1)}\n")
    wave = CliRunner().invoke(
        cli, _command("sortition replace selection/public/selection-log.json --dropouts dropouts2")
    )
    assert wave.exit_code == 0, wave.output
    final = _ids(tmp_path / "replacement2" / "private" / "selected.csv")
    assert len(final) == len(ids) and second.group(1) not in final
    checked = CliRunner().invoke(cli, _command("sortition verify replacement2/"))
    assert checked.exit_code == 0, checked.output
    assert "PASS    replacement origin" in checked.output
