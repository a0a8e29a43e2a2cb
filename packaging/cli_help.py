"""The command line as the binary describes it: CLI11's --help, parsed.

The man page and the shell completions are generated from this model at
build time, so they say what the built binary accepts and cannot drift from
it. The parser knows CLI11's layout (runner/cli):

    DESCRIPTION
    Usage: proclab run [OPTIONS] [paths...]

    Positionals:
      paths TEXT ...              scenario files or folders
    Options:
      -j,--jobs INT:INT in [1 - 256]
                                  labs in parallel (default: number of CPUs)
    Subcommands:
      run                         run scenario files or folders

    FOOTER (free text, e.g. the exit statuses)
"""

import dataclasses
import re
import subprocess

SECTIONS = ("Positionals:", "Options:", "Subcommands:")
# CLI11 starts descriptions in this column; a longer name takes a line of its
# own and its description the next line.
DESCRIPTION_COLUMN = 30


@dataclasses.dataclass
class Option:
    names: list  # ["-j", "--jobs"]
    value: str  # "" for a flag; else the type: "TEXT", "INT:INT in [1 - 256]"
    choices: list  # from "TEXT:{a,b}"
    repeatable: bool
    help: str


@dataclasses.dataclass
class Positional:
    name: str
    value: str
    repeatable: bool
    help: str


@dataclasses.dataclass
class Command:
    path: list  # [] for proclab itself, ["run"] for proclab run
    description: str
    usage: str
    options: list
    positionals: list
    subcommands: list  # [(name, description)]
    footer: str


def _is_continuation(line):
    return len(line) > DESCRIPTION_COLUMN and not line[:DESCRIPTION_COLUMN].strip()


def _entries(lines):
    """(head, help) pairs of one section's indented entries."""
    lines = [l for l in lines if l.strip()]
    out = []
    for i, line in enumerate(lines):
        if _is_continuation(line):
            head, text = out.pop()
            out.append((head, (text + " " + line.strip()).strip()))
        elif i + 1 < len(lines) and _is_continuation(lines[i + 1]):
            out.append((line.strip(), ""))  # too long for its column
        else:
            out.append((line[:DESCRIPTION_COLUMN].strip(), line[DESCRIPTION_COLUMN:].strip()))
    return out


def _split_value(rest):
    repeatable = rest.endswith("...")
    if repeatable:
        rest = rest[:-3].strip()
    choices = []
    match = re.search(r"\{([^}]*)\}", rest)
    if match:
        choices = [c for c in match.group(1).split(",") if c]
    return rest, choices, repeatable


def _option(head, text):
    names_part, _, rest = head.partition(" ")
    value, choices, repeatable = _split_value(rest.strip())
    return Option(names_part.split(","), value, choices, repeatable, text)


def _positional(head, text):
    name, _, rest = head.partition(" ")
    value, _, repeatable = _split_value(rest.strip())
    return Positional(name, value, repeatable, text)


def parse(text, path):
    lines = text.rstrip("\n").split("\n")
    usage_at = next(i for i, l in enumerate(lines) if l.startswith("Usage: "))
    description = " ".join(l.strip() for l in lines[:usage_at] if l.strip())
    command = Command(path, description, lines[usage_at][len("Usage: "):], [], [], [], "")
    section, body, footer = None, [], []

    def close():
        entries = _entries(body)
        if section == "Options:":
            command.options.extend(_option(h, t) for h, t in entries)
        elif section == "Positionals:":
            command.positionals.extend(_positional(h, t) for h, t in entries)
        elif section == "Subcommands:":
            command.subcommands.extend(entries)

    for line in lines[usage_at + 1 :]:
        if line in SECTIONS:
            close()
            section, body = line, []
        elif section and (line.startswith(" ") or not line.strip()) and not footer:
            body.append(line)
        elif line.strip():
            footer.append(line)
    close()
    command.footer = "\n".join(footer).strip()
    return command


def help_text(binary, path):
    done = subprocess.run([binary, *path, "--help"], capture_output=True, text=True,
                          timeout=30, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{binary} {' '.join(path)} --help exited {done.returncode}:\n"
                         f"{done.stderr}")
    return done.stdout


def read_cli(binary):
    """proclab and every command under it, as the binary describes them:
    (top, commands), commands in the order --help lists them, parents first."""
    top = parse(help_text(binary, []), [])
    commands = []

    def descend(parent):
        for name, _ in parent.subcommands:
            child = parse(help_text(binary, [*parent.path, name]), [*parent.path, name])
            commands.append(child)
            descend(child)

    descend(top)
    if not commands:
        raise SystemExit(f"{binary} --help lists no subcommands")
    return top, commands


def version(binary):
    done = subprocess.run([binary, "--version"], capture_output=True, text=True,
                          timeout=30, check=True)
    return done.stdout.strip()
