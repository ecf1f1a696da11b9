"""Keyword arguments mapped onto the command line's option table.

The table is the library's ``ConvertOptionTable``, printed by the converter itself (``video2tfrecord options --json``):
scripts/build-wheel.sh stores that output in the wheel as ``_options.json``, so the names, defaults, choices and help
here are the binary's own and no second list is kept in Python. Values are turned into the command line's words
(``size=(224, 224)`` → ``--size=224x224``) and checked by the converter, so a refused value raises ConversionError
with the command line's message.
"""

import difflib
import json
import os
import subprocess

from ._binary import find_binary, package_dir
from ._errors import ConversionError

_TABLE = None

# Keywords that are not options of `convert` but of the Python call itself.
CALL_KEYWORDS = ("progress",)
# Rows the Python call does not take: the output is a parameter, progress is `progress=`, and a dry run prints a plan
# rather than the summary convert() returns (the command line's `--dry-run` does it: `video2tfrecord convert --dry-run`).
_RESERVED = {"output", "quiet", "dry-run"}


def table():
    """The option rows, by keyword name (``videos_per_file``), in help's order."""
    global _TABLE
    if _TABLE is None:
        path = os.path.join(package_dir(), "_options.json")
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                rows = json.load(f)
        else:
            # A source checkout pointed at a binary (VIDEO2TFRECORD_BINARY): ask it.
            rows = json.loads(subprocess.run([find_binary(), "options", "--json"], check=True, capture_output=True,
                                             text=True).stdout)
        _TABLE = {row["name"].replace("-", "_"): row for row in rows if row["name"] not in _RESERVED}
    return _TABLE


def keyword_names():
    return list(table())


def _word(row, value):
    """One value as the command line's word."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if row["type"] == "size" and isinstance(value, (tuple, list)) and len(value) == 2:
        return f"{value[0]}x{value[1]}"
    if isinstance(value, (tuple, list, set, dict)):
        raise ConversionError(f"--{row['name']}: expected one value, got {type(value).__name__} {value!r}")
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    return str(value)


def to_arguments(options, function="convert"):
    """The command line's options for these keyword arguments; unknown names raise TypeError with the close matches."""
    rows = table()
    arguments = []
    for key, value in options.items():
        row = rows.get(key)
        if row is None:
            close = difflib.get_close_matches(key, list(rows) + list(CALL_KEYWORDS), n=3, cutoff=0.6)
            hint = f"; did you mean {', '.join(close)}?" if close else "; see help(video2tfrecord_net.convert)"
            raise TypeError(f"{function}() got an unexpected keyword argument '{key}'{hint}")
        if value is None:
            continue
        name = "--" + row["name"]
        if row["arity"] == "flag":
            if value is True:
                arguments.append(name)
            elif value is False:
                continue
            else:
                arguments.append(f"{name}={_word(row, value)}")
        elif row["arity"] == "optional-value":
            if value is True:
                arguments.append(name)
            elif value is not False:
                arguments.append(f"{name}={_word(row, value)}")
        elif row["arity"] == "values":
            values = [value] if isinstance(value, (str, os.PathLike)) else list(value)
            arguments += [f"{name}={_word(row, v)}" for v in values]
        else:
            arguments.append(f"{name}={_word(row, value)}")
    return arguments


def describe():
    """The keyword arguments as a text table: name, default, choices, help (what help(convert) shows)."""
    lines = []
    for key, row in table().items():
        default = row["default"]
        choices = "|".join(row["choices"])
        lines.append(f"    {key}{'=' + default if default else ''}{'  (' + choices + ')' if choices else ''}\n"
                     f"        {row['help']}")
    return "\n".join(lines)
