#!/usr/bin/env python3
"""The .deb, as a user gets it: built by CPack from this build, unpacked
into a scratch root (dpkg -x: never installed on the host), and run from a
folder far from any source tree.

Checks, each with its negative control run right after it:
- Depends names the package of every shared library the binary loads
  (control: the same check with one of them left out of Depends fails);
- the layout: binary, library, man page, completions, docs;
- that copy's `proclab run` with no path runs its own shipped library, and
  `proclab trace -- /bin/true` works, with the source and build trees hidden
  under an empty tmpfs in a private mount namespace, so the path compiled in
  from the source tree leads nowhere (control: with the copy's
  share/proclab moved away, the same `proclab run` finds no library and
  exits 2; inside the namespace the source tree is asserted invisible, and
  `proclab list SOURCE/scenarios` fails there).

usage: deb_test.py --build-dir DIR --source-dir DIR
Exit 77 (skipped) when not root: hiding the trees takes a mount namespace.
"""

import argparse
import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77


def sh(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run(cmd, check=False, timeout=300, **kw)


def fail(msg):
    print(f"FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def build_deb(build, out):
    start = time.monotonic()
    done = sh(["cpack", "--config", os.path.join(build, "CPackConfig.cmake"), "-G", "DEB",
               "-B", out])
    if done.returncode != 0:
        fail(f"cpack failed:\n{done.stdout}\n{done.stderr}")
    debs = [f for f in os.listdir(out) if f.endswith(".deb")]
    if len(debs) != 1:
        fail(f"cpack made {debs}, not one .deb")
    print(f"cpack -G DEB: {time.monotonic() - start:.1f} s, "
          f"{os.path.getsize(os.path.join(out, debs[0])) / 1e6:.1f} MB")
    return os.path.join(out, debs[0])


def depends_of(deb):
    field = sh(["dpkg-deb", "-f", deb, "Depends"]).stdout
    return {alt.strip().split(" ")[0].split(":")[0]
            for dep in field.split(",") for alt in dep.split("|") if alt.strip()}


def owner_of(path):
    """The installed package that ships `path` (merged /usr aware)."""
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):
        if p.startswith("/usr/"):
            candidates.append(p[len("/usr"):])
        else:
            candidates.append("/usr" + p)
    for p in candidates:
        done = sh(["dpkg", "-S", p])
        if done.returncode == 0:
            return done.stdout.split(":")[0].strip()
    return None


def libraries_of(binary):
    """The shared libraries the binary itself needs (its DT_NEEDED entries;
    what those need in turn is their packages' business), as paths."""
    dynamic = sh(["readelf", "-d", binary]).stdout
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
    where = dict(re.findall(r"^\s*(\S+) => (/\S+)", sh(["ldd", binary]).stdout, re.M))
    if not needed:
        fail(f"readelf finds no NEEDED entries in {binary}")
    missing = [n for n in needed if n not in where]
    if missing:
        fail(f"ldd does not resolve {missing} for {binary}")
    return [where[n] for n in needed]


def missing_depends(binary, depends):
    missing = []
    for lib in libraries_of(binary):
        pkg = owner_of(lib)
        if pkg is None:
            missing.append(f"{lib} belongs to no package")
        elif pkg not in depends:
            missing.append(f"{lib} is in {pkg}, which is not in Depends")
    return missing


def check_depends(deb, binary):
    depends = depends_of(deb)
    print(f"Depends: {sorted(depends)}")
    missing = missing_depends(binary, depends)
    if missing:
        fail("Depends misses runtime libraries:\n  " + "\n  ".join(missing))
    for must in ("gcc", "python3"):
        if must not in depends:
            fail(f"Depends lacks {must}, which the shipped library runs")
    # Control: leave out the package of the first library that is not libc.
    libs = [l for l in libraries_of(binary) if "libc.so" not in l and "ld-linux" not in l]
    pkg = owner_of(libs[0]) if libs else None
    if not pkg or not missing_depends(binary, depends - {pkg}):
        fail(f"control: dropping {pkg} from Depends went unnoticed")
    print(f"control: without {pkg} in Depends, the check fails as it should")


def check_layout(root, binary):
    share = os.path.join(root, "usr/share")
    for rel in ("proclab/scenarios/signals/handle-ignore-default.yaml",
                "doc/proclab/README.md", "doc/proclab/docs/design.md",
                "man/man1/proclab.1.gz", "bash-completion/completions/proclab",
                "zsh/vendor-completions/_proclab"):
        if not os.path.isfile(os.path.join(share, rel)):
            fail(f"the package lacks usr/share/{rel}")
    with gzip.open(os.path.join(share, "man/man1/proclab.1.gz"), "rt") as f:
        man = f.read()
    # The page is this binary's: every subcommand and option its --help names.
    top = sh([binary, "--help"]).stdout
    commands = re.findall(r"^  (\w+) ", top.split("Subcommands:")[1], re.M)
    if not commands:
        fail("the packaged binary's --help lists no subcommands")
    for c in commands:
        options = re.findall(r"--[a-z][-a-z]*", sh([binary, c, "--help"]).stdout)
        for o in [c, *options]:
            if o.replace("-", "\\-") not in man:
                fail(f"the man page does not mention {c}'s {o}")
    print(f"layout: binary, library, docs, man page ({len(commands)} commands), completions")


def hidden_run(trees, where, argv, env):
    """argv run in `where` with every folder of `trees` under an empty tmpfs."""
    script = ('for d in "$@"; do [ "$d" = -- ] && break; mount -t tmpfs -o size=1m,mode=0755 '
              'proclab-hidden "$d"; done\n'
              'while [ "$1" != -- ]; do\n'
              '  [ ! -e "$1/CMakeLists.txt" ] && [ ! -e "$1/build.ninja" ] || '
              '{ echo "still visible: $1" >&2; exit 99; }\n'
              '  shift\ndone\nshift\ncd "$WHERE"\nexec "$@"\n')
    return sh(["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
               *trees, "--", *argv], env={**env, "WHERE": where})


def check_runs(root, trees, scratch):
    binary = os.path.join(root, "usr/bin/proclab")
    library = os.path.join(root, "usr/share/proclab/scenarios")
    elsewhere = os.path.join(scratch, "elsewhere")
    os.makedirs(elsewhere)
    os.chmod(elsewhere, 0o777)
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "HOME": elsewhere, "LANG": "C.UTF-8"}
    report = os.path.join(elsewhere, "results.json")

    listed = hidden_run(trees, elsewhere, [binary, "list"], env)
    named = hidden_run(trees, elsewhere, [binary, "list", library], env)
    if listed.returncode != 0 or listed.stdout != named.stdout or not listed.stdout:
        fail(f"`proclab list` is not the packaged library's list:\n{listed.stdout}"
             f"{listed.stderr}\n---\n{named.stdout}{named.stderr}")

    # Control: the path compiled in from the source tree leads nowhere here.
    compiled_in = hidden_run(trees, elsewhere, [binary, "list", trees[0] + "/scenarios"], env)
    if compiled_in.returncode != 2:
        fail(f"control: the hidden source tree's library is still reachable:\n"
             f"{compiled_in.stdout}{compiled_in.stderr}")
    print("control: in the namespace, the source tree's scenarios/ cannot be listed (exit 2)")

    start = time.monotonic()
    ran = hidden_run(trees, elsewhere, [binary, "run", "--jobs", "2", "--report",
                                        f"json:{report}"], env)
    print(f"packaged `proclab run` of its library: {time.monotonic() - start:.1f} s")
    if ran.returncode != 0:
        fail(f"packaged `proclab run` exited {ran.returncode}:\n{ran.stdout}\n{ran.stderr}")
    with open(report) as f:
        results = json.load(f)
    files = {r["file"] for r in results["runs"]}
    outside = [f for f in files if os.path.isabs(f) and not f.startswith(library + "/")]
    if outside or results["summary"]["runs"] < 10 or results["summary"]["failed"]:
        fail(f"runs: {results['summary']}, files outside the package: {outside}")
    print(f"packaged run: {results['summary']}")

    traced = hidden_run(trees, elsewhere, [binary, "trace", "--", "/bin/true"], env)
    if traced.returncode != 0 or "true" not in traced.stdout:
        fail(f"packaged `proclab trace -- /bin/true` exited {traced.returncode}:\n"
             f"{traced.stdout}\n{traced.stderr}")
    print("packaged trace -- /bin/true: exit 0")

    # Control: without its share/proclab, the copy has nowhere to turn.
    os.rename(os.path.join(root, "usr/share/proclab"), os.path.join(root, "usr/share/moved"))
    lost = hidden_run(trees, elsewhere, [binary, "run"], env)
    os.rename(os.path.join(root, "usr/share/moved"), os.path.join(root, "usr/share/proclab"))
    if lost.returncode != 2 or "no shipped scenario library" not in lost.stderr:
        fail(f"control: without share/proclab, `proclab run` exited {lost.returncode}:\n"
             f"{lost.stdout}\n{lost.stderr}")
    print("control: with share/proclab moved away, `proclab run` finds no library (exit 2)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build-dir", required=True)
    ap.add_argument("--source-dir", required=True)
    args = ap.parse_args()
    if os.geteuid() != 0:
        print("skipped: hiding the source tree takes a mount namespace (run as root)")
        return SKIP
    for tool in ("cpack", "dpkg-deb", "dpkg", "unshare", "ldd", "readelf"):
        if not shutil.which(tool):
            fail(f"{tool} is missing")
    build = os.path.realpath(args.build_dir)
    source = os.path.realpath(args.source_dir)
    trees = [source] + ([] if build.startswith(source + "/") else [build])
    scratch = tempfile.mkdtemp(prefix="proclab-deb-test-")
    try:
        os.chmod(scratch, 0o755)  # programs run as nobody reach the unpacked library
        deb = build_deb(build, os.path.join(scratch, "pkg"))
        root = os.path.join(scratch, "root")
        done = sh(["dpkg-deb", "-x", deb, root])
        if done.returncode != 0:
            fail(f"dpkg-deb -x failed: {done.stderr}")
        os.chmod(root, 0o755)
        binary = os.path.join(root, "usr/bin/proclab")
        check_depends(deb, binary)
        check_layout(root, binary)
        check_runs(root, trees, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("the .deb installs and runs outside the source tree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
