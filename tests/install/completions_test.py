#!/usr/bin/env python3
"""The shell completions and the man page follow the real command line.

- bash: the generated completion, sourced into bash and asked as a shell
  would ask it, offers every subcommand, every option each subcommand's
  --help lists (read here with a plain regex, not with the generator's
  parser), and the choices of options that have them; after
  `trace ... --` it offers commands.
- zsh: the same questions, asked of an interactive zsh on a pseudo-terminal
  (zsh_capture.zsh) with the generated file in its fpath.
- A new flag shows up: the generator run on a binary whose `run --help`
  lists one flag more (a wrapper around the real one) yields a bash
  completion and a zsh completion that offer it, and a man page that names it.
  Control: the completion generated from the real binary does not offer it.

usage: completions_test.py --binary PROCLAB --generated BUILD/packaging --source-dir DIR
"""

import argparse
import gzip
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

NEW_FLAG = "--brand-new-flag"


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def help_of(binary, *words):
    return subprocess.run([binary, *words, "--help"], capture_output=True, text=True,
                          check=True, timeout=30).stdout


def commands_of(binary):
    return re.findall(r"^  ([a-z][-a-z]*) ", help_of(binary).split("Subcommands:")[1], re.M)


def options_of(binary, command):
    text = help_of(binary, command).split("Options:")[1]
    return sorted(set(re.findall(r"(?<![\w-])(--?[a-zA-Z][-a-zA-Z]*)(?=[ ,\n])",
                                 "\n".join(l for l in text.splitlines()
                                           if re.match(r"^  -", l)))))


def choices_of(binary, command):
    out = {}
    for line in help_of(binary, command).splitlines():
        m = re.match(r"^  (?:-\w,)?(--[-a-z]+) \w+:\{([^}]*)\}", line)
        if m:
            out[m.group(1)] = sorted(m.group(2).split(","))
    return out


def bash_complete(script, queries):
    """COMPREPLY for each query (a list of words, the last being completed)."""
    lines = [f"source {script}"]
    for words in queries:
        quoted = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        lines.append(f"COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; COMPREPLY=();"
                     " _proclab; printf '%s\\n' \"${COMPREPLY[@]}\"; echo '<end>'")
    done = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(lines)],
                          capture_output=True, text=True, timeout=60, check=False)
    if done.returncode != 0:
        fail(f"bash completion failed: {done.stderr}")
    answers = done.stdout.split("<end>\n")[:-1]
    return [sorted(w for w in a.splitlines() if w) for a in answers]


def check_bash(binary, script):
    commands = commands_of(binary)
    queries = [["proclab", ""]]
    expected = [sorted(commands)]
    for c in commands:
        queries.append(["proclab", c, "-"])
        expected.append(options_of(binary, c))
        for option, choices in choices_of(binary, c).items():
            queries.append(["proclab", c, option, ""])
            expected.append(choices)
    got = bash_complete(script, queries)
    for q, e, g in zip(queries, expected, got):
        if e != g:
            fail(f"bash: `{' '.join(q)}<TAB>` offers {g}, the binary's --help says {e}")
    after = bash_complete(script, [["proclab", "trace", "--json", "x", "--", "tru"]])[0]
    if "true" not in after:
        fail(f"bash: `proclab trace -- tru<TAB>` offers {after}, not the command true")
    print(f"bash: {len(queries)} completions agree with --help")


def zsh_complete(folder, typed):
    """The matches zsh offers for each line in `typed`, TAB pressed at its end."""
    capture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zsh_capture.zsh")
    done = subprocess.run(["zsh", "-f", capture, folder, *typed], capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0:
        fail(f"zsh completion capture failed ({done.returncode}): {done.stderr}")
    answers = {}
    for block in done.stdout.split("<query>")[1:]:
        line, _, hits = block.partition("\n")
        answers[line] = sorted(h for h in hits.splitlines() if h)
    if len(answers) != len(typed):
        fail(f"zsh answered {len(answers)} of {len(typed)} queries:\n{done.stdout}")
    return [answers[t] for t in typed]


def check_zsh(binary, script):
    if not shutil.which("zsh"):
        fail("zsh is missing (ci/lib.sh installs it)")
    done = subprocess.run(["zsh", "-n", script], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail(f"zsh -n {script}: {done.stderr}")
    commands = commands_of(binary)
    typed, expected = ["proclab "], [sorted(commands)]
    for c in commands:
        typed.append(f"proclab {c} -")
        expected.append(options_of(binary, c))
        for option, choices in choices_of(binary, c).items():
            typed.append(f"proclab {c} {option} ")
            expected.append(choices)
    typed.append("proclab trace --tty -- tru")
    got = zsh_complete(os.path.dirname(script), typed)
    for t, e, g in zip(typed[:-1], expected, got):
        # zsh also offers `--`, the end of options, after a dash.
        if e != [h for h in g if h not in ("-", "--")]:
            fail(f"zsh: `{t}<TAB>` offers {g}, the binary's --help says {e}")
    if "true" not in got[-1]:
        fail(f"zsh: `proclab trace -- tru<TAB>` offers {got[-1]}, not the command true")
    print(f"zsh: {len(typed)} completions agree with --help")


def wrapper_with_new_flag(real, folder):
    """A binary that is the real one, except that `run --help` lists one flag
    more and a new command with a command of its own (`nest inner`) exists."""
    path = os.path.join(folder, "proclab")
    with open(path, "w") as f:
        f.write(f"""#!/bin/sh
case "$*" in
"--help")
  "{real}" --help | sed 's/^Subcommands:$/Subcommands:\\n  nest                        a new command of commands/' ;;
"run --help")
  "{real}" run --help | sed 's/^Options:$/Options:\\n  {NEW_FLAG}            a flag added after this test was written/' ;;
"nest --help")
  printf 'a new command of commands\\nUsage: proclab nest [OPTIONS] SUBCOMMAND\\n\\nOptions:\\n  -h,--help                   Print this help message and exit\\n\\nSubcommands:\\n  inner                       its command\\n' ;;
"nest inner --help")
  printf 'its command\\nUsage: proclab nest inner [OPTIONS]\\n\\nOptions:\\n  -h,--help                   Print this help message and exit\\n  --deep-flag TEXT:{{up,down}}  a flag two commands deep\\n' ;;
*) exec "{real}" "$@" ;;
esac
""")
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def check_new_flag(binary, generated, source):
    folder = tempfile.mkdtemp(prefix="proclab-completion-test-")
    try:
        fake = wrapper_with_new_flag(binary, folder)
        if NEW_FLAG not in options_of(fake, "run"):
            fail("the wrapper does not add the flag")
        out = {k: os.path.join(folder, "out", k) for k in ("man.1.gz", "bash", "zsh")}
        subprocess.run([sys.executable, os.path.join(source, "packaging/generate"), "--binary",
                        fake, "--man", out["man.1.gz"], "--bash", out["bash"], "--zsh",
                        out["zsh"]], check=True, timeout=60)
        got = bash_complete(out["bash"], [["proclab", "run", "--bra"], ["proclab", "n"],
                                          ["proclab", "nest", ""],
                                          ["proclab", "nest", "inner", "--deep-flag", ""]])
        if got != [[NEW_FLAG], ["nest"], ["inner"], ["down", "up"]]:
            fail(f"bash: the new flag and commands are not offered as they should be: {got}")
        zsh_dir = os.path.join(folder, "zsh")
        os.makedirs(zsh_dir)
        shutil.copy(out["zsh"], os.path.join(zsh_dir, "_proclab"))
        got = zsh_complete(zsh_dir, ["proclab run --bra", "proclab nest ",
                                     "proclab nest inner --deep-flag "])
        if got != [[NEW_FLAG], ["inner"], ["down", "up"]]:
            fail(f"zsh: the new flag and commands are not offered as they should be: {got}")
        with gzip.open(out["man.1.gz"], "rt") as f:
            if NEW_FLAG.replace("-", "\\-") not in f.read():
                fail(f"man: a new flag {NEW_FLAG} is not in the page")
        # Control: the real binary's completion does not know the flag.
        real = bash_complete(os.path.join(generated, "bash-completion/proclab"),
                             [["proclab", "run", "--bra"]])[0]
        if NEW_FLAG in real:
            fail(f"control: the real completion offers {NEW_FLAG}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"a new flag shows up in bash, zsh and the man page (control: the real build "
          f"does not offer {NEW_FLAG})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--generated", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    check_bash(args.binary, os.path.join(args.generated, "bash-completion/proclab"))
    check_zsh(args.binary, os.path.join(args.generated, "zsh/_proclab"))
    check_new_flag(args.binary, args.generated, args.source_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
