"""proclab(1) in roff, from the model cli_help.py reads out of the binary.

Everything about the command line comes from the binary's own --help; only
the FILES and SEE ALSO sections, which describe the installed layout that
packaging/install.cmake makes, are written here.
"""


def _text(s):
    """Roff-safe running text."""
    s = s.replace("\\", "\\e").replace("-", "\\-")
    s = "".join(c if ord(c) < 128 else f"\\[u{ord(c):04X}]" for c in s)
    return "\n".join(("\\&" + l) if l[:1] in (".", "'") else l for l in s.split("\n"))


def _option(o):
    names = ", ".join(f"\\fB{_text(n)}\\fR" for n in o.names)
    value = f" \\fI{_text(o.value)}\\fR" if o.value else ""
    more = " ..." if o.repeatable else ""
    return f".TP\n{names}{value}{more}\n{_text(o.help)}\n"


def _positional(p):
    more = " ..." if p.repeatable else ""
    return f".TP\n\\fI{_text(p.name)}\\fR{more}\n{_text(p.help)}\n"


def _command(c):
    out = [f'.SS "{_text(" ".join(["proclab", *c.path]))}"\n',
           f".nf\n{_text(c.usage)}\n.fi\n", f".PP\n{_text(c.description)}\n"]
    out += [_positional(p) for p in c.positionals]
    out += [_option(o) for o in c.options]
    if c.footer:
        out.append(f".PP\n{_text(c.footer)}\n")
    return "".join(out)


def render(top, subs, version):
    name, _, summary = top.description.partition(" — ")
    out = [
        '.\\" Generated at build time from the --help of this build of proclab\n'
        '.\\" (packaging/man_page.py); edit the command line, not this file.\n',
        f'.TH PROCLAB 1 "" "{_text(version)}" "User Commands"\n',
        f".SH NAME\n{_text(name or 'proclab')} \\- {_text(summary or top.description)}\n",
        ".SH SYNOPSIS\n.nf\n",
        "".join(f"{_text(c.usage)}\n" for c in subs),
        f"{_text(top.usage)}\n.fi\n",
        f".SH DESCRIPTION\n{_text(top.description)}\n",
        "".join(f".TP\n\\fB{_text(n)}\\fR\n{_text(d)}\n" for n, d in top.subcommands),
        ".SH OPTIONS\n",
        "".join(_option(o) for o in top.options),
        ".SH COMMANDS\n",
        "".join(_command(c) for c in subs),
    ]
    if top.footer:
        out.append(f".PP\n{_text(top.footer)}\n")
    out.append(
        ".SH FILES\n"
        ".TP\n.I PREFIX/share/proclab/scenarios\n"
        "The shipped scenario library, which \\fBproclab run\\fR and \\fBproclab list\\fR use\n"
        "when given no path. PREFIX is found from the binary's own location\n"
        "(PREFIX/bin/proclab), so a relocated or unpacked copy uses its own library.\n"
        ".TP\n.I PREFIX/share/doc/proclab\n"
        "The documentation: README.md and docs/ (design.md is the contract).\n"
        ".SH SEE ALSO\n"
        "\\fBstrace\\fR(1), \\fBptrace\\fR(2), \\fBsignal\\fR(7)\n")
    return "".join(out)
