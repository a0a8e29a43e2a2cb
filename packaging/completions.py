"""bash and zsh completion for proclab, from the model cli_help.py reads out
of the binary: every command (at any depth), option and choice the build
accepts, and nothing else. Values without choices, and paths, complete as
file names; the command after `trace ... --` completes as a command.
"""

import re

SAFE = re.compile(r"^[-A-Za-z0-9_.,:/+=]+$")
HEADER = ("generated at build time from the --help of this build of proclab\n"
          "# (packaging/completions.py); edit the command line, not this file.\n")


def _safe(word):
    if not SAFE.match(word):
        raise SystemExit(f"completions: {word!r} is not a plain word; teach completions.py")
    return word


def _words(ws):
    return " ".join(_safe(w) for w in ws)


def _key(command):
    return "".join("/" + _safe(p) for p in command.path)


def _bash_command(c):
    out = [f"    '{_key(c)}')\n", "      case $prev in\n"]
    for o in c.options:
        if not o.value:
            continue
        names = "|".join(_safe(n) for n in o.names)
        if o.choices:
            out.append(f"        {names}) COMPREPLY=($(compgen -W '{_words(o.choices)}'"
                       ' -- "$cur")); return 0 ;;\n')
        else:
            out.append(f"        {names}) return 0 ;;  # {o.value.split(':')[0]}\n")
    out.append("      esac\n")
    out.append("      if [[ $cur == -* ]]; then\n")
    out.append(f"        COMPREPLY=($(compgen -W '{_words(n for o in c.options for n in o.names)}'"
               ' -- "$cur"))\n')
    if c.subcommands:
        out.append("      else\n")
        out.append(f"        COMPREPLY=($(compgen -W '{_words(n for n, _ in c.subcommands)}'"
                   ' -- "$cur"))\n')
    out.append("      fi\n      ;;\n")
    return "".join(out)


def bash(top, commands):
    every = [top, *commands]
    keys = "|".join(_key(c) for c in commands)
    return "".join([
        f"# bash completion for proclab, {HEADER}",
        "_proclab() {\n",
        "  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}\n",
        "  local path='' dashdash=0 i\n",
        "  # The command is the longest chain of command names among the words.\n",
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n",
        "    if [[ ${COMP_WORDS[i]} == -- ]]; then\n",
        "      dashdash=$i\n      break\n    fi\n",
        f'    case "$path/${{COMP_WORDS[i]}}" in\n      {keys}) path=$path/${{COMP_WORDS[i]}} ;;\n',
        "    esac\n",
        "  done\n",
        "  if ((dashdash)); then\n",
        "    # After --: trace's command, then its arguments; the others' paths.\n",
        "    if [[ $path == /trace ]] && ((COMP_CWORD == dashdash + 1)); then\n",
        '      COMPREPLY=($(compgen -c -- "$cur"))\n',
        "    fi\n",
        "    return 0\n",
        "  fi\n",
        '  case "$path" in\n',
        *(_bash_command(c) for c in every),
        "  esac\n  return 0\n}\n",
        # -o default: a value or path with nothing better completes as a file name.
        "complete -o default -F _proclab proclab\n",
    ])


def _zq(s):
    """A zsh single-quoted word's inside."""
    return s.replace("'", "'\\''")


def _zdesc(s):
    return _zq(s.replace("[", "(").replace("]", ")"))


def _zoption(o):
    names = [_safe(n) for n in o.names]
    exclusive = f"({' '.join(names)})" if len(names) > 1 and not o.repeatable else ""
    star = "*" if o.repeatable else ""
    if o.names[-1] in ("--help", "--version"):
        exclusive, star = "(- *)", ""
    value = ""
    if o.value:
        number = o.value.startswith("INT") and not o.choices
        action = f"({' '.join(_safe(c) for c in o.choices)})" if o.choices else "_files"
        value = ":number: " if number else f":value:{action}"
    spec = f"[{_zdesc(o.help)}]{value}"
    if len(names) > 1:
        return f"'{exclusive}{star}'{{{','.join(names)}}}'{spec}'"
    return f"'{exclusive}{star}{names[0]}{spec}'"


def _zfunction(c):
    name = "_proclab" + "".join("__" + p.replace("-", "_") for p in c.path)
    out = [f"{name}() {{\n", "  local curcontext=$curcontext state line ret=1\n"]
    options = "".join(f"    {_zoption(o)} \\\n" for o in c.options)
    if c.subcommands:
        out.append("  local -a commands\n  commands=(\n")
        out += [f"    '{_safe(n)}:{_zq(d)}'\n" for n, d in c.subcommands]
        out.append("  )\n")
        out.append(f"  _arguments -C \\\n{options}    '1: :->command' '*:: :->args' && ret=0\n")
        out.append("  case $state in\n")
        out.append(f"    command) _describe -t commands '{' '.join(['proclab', *c.path])} command'"
                   " commands && ret=0 ;;\n")
        out.append("    args)\n")
        out.append("      curcontext=${curcontext%:*:*}:proclab-$words[1]:\n")
        out.append("      case $words[1] in\n")
        for n, _ in c.subcommands:
            out.append(f"        {_safe(n)}) {name}__{n.replace('-', '_')} && ret=0 ;;\n")
        out.append("      esac ;;\n  esac\n")
    elif c.path == ["trace"]:
        # The traced command follows `--` (or the options); _normal completes
        # it, then its own arguments, as after `env`.
        out.append(f"  _arguments -S -C \\\n{options}    '*::command:->command' && ret=0\n")
        out.append("  if [[ $state == command ]]; then\n")
        out.append("    [[ $words[1] == -- ]] && { shift words; (( CURRENT-- )) }\n")
        out.append("    _normal && ret=0\n  fi\n")
    else:
        out.append(f"  _arguments -S \\\n{options}    '*:path:_files' && ret=0\n")
    out.append("  return ret\n}\n")
    return "".join(out)


def zsh(top, commands):
    return "".join([
        "#compdef proclab\n",
        f"# zsh completion for proclab, {HEADER}",
        *(_zfunction(c) for c in commands),
        _zfunction(top),
        '_proclab "$@"\n',
    ])
