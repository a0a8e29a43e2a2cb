#!/usr/bin/python3
"""The HTML timeline in a real browser (headless Chromium over the DevTools pipe).

Usage: page_test.py PROCLAB SOURCE_DIR CHECK
CHECK is one of: lanes, evidence, clean, screenshot. Each check runs on pages
proclab makes from the shipped examples, then runs again on a page spoiled on
purpose (its negative control), where it must fail: a check that cannot fail
fails the test. Prints "N passed, 0 failed" at the end; exits 1 on any failure.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

PROCLAB, SOURCE, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]
DC = os.path.join(SOURCE, "scenarios/signals/driver-and-conductor")
FIXTURE = os.path.join(SOURCE, "tests/browser/fixtures/dc.trace.json")


class CheckFailed(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise CheckFailed(what)


def proclab(*args, ok=(0,)):
    r = subprocess.run([PROCLAB, *args], capture_output=True, text=True, timeout=120)
    if r.returncode not in ok:
        raise SystemExit("FAIL: proclab %s exited %d:\n%s%s" % (" ".join(args), r.returncode,
                                                                  r.stdout, r.stderr))
    return r


def run_dc(tmp, name, program=None):
    """A driver-and-conductor run: its HTML folder and its results JSON."""
    args = ["run", DC, "--jobs", "1", "--report", "html:%s/%s" % (tmp, name),
            "--report", "json:%s/%s.json" % (tmp, name)]
    if program:
        args += ["--program", program]
    proclab(*args, ok=(0, 1))
    with open("%s/%s.json" % (tmp, name)) as f:
        results = json.load(f)
    page = os.path.join(tmp, name, "runs", sorted(os.listdir(os.path.join(tmp, name, "runs")))[0])
    return page, results["runs"][0]


def spoil(page, out, change):
    """A copy of `page` whose model JSON went through `change`."""
    with open(page, encoding="utf-8") as f:
        html = f.read()
    m = re.search(r'(<script type="application/json" id="model">)(.*?)(</script>)', html, re.S)
    model = json.loads(m.group(2))
    change(model)
    text = json.dumps(model).replace("</", "<\\/")
    with open(out, "w", encoding="utf-8") as f:
        f.write(html[:m.start(2)] + text + html[m.end(2):])
    return out


def ready(b, page):
    url = b.open(page)
    expect(b.js("document.body.dataset.ready") == "1", "the page's script did not finish")
    return url


# ---- the checks ----

def check_lanes(b, page, run):
    """One lane per process (by its id) and one arrow per signal delivery."""
    ready(b, page)
    trace = run["trace"]
    ids = b.js("[...document.querySelectorAll('#timeline .lane-label[data-id]')]"
               ".map(e => Number(e.dataset.id))")
    want = sorted(p["id"] for p in trace["processes"])
    expect(sorted(ids) == want, "lanes %s, processes %s" % (sorted(ids), want))
    arrows = b.js("[...document.querySelectorAll('#timeline g.k-sig')]"
                  ".reduce((n, g) => n + Number(g.dataset.count), 0)")
    drawn = b.js("document.querySelectorAll('#timeline g.k-sig path.sig-arrow').length")
    deliveries = sum(1 for e in trace["events"] if e["type"] == "signal_delivered")
    expect(deliveries > 0, "the run delivered no signal")
    expect(arrows == deliveries, "%s signal arrows for %d deliveries" % (arrows, deliveries))
    expect(drawn >= 1, "no arrow path drawn")
    return "%d lanes, %d signal arrows" % (len(ids), arrows)


def check_evidence(b, page, run, click=True):
    """Clicking the first failed expectation highlights exactly its events."""
    ready(b, page)
    bad = [v for v in run["verdicts"] if not v["passed"]]
    expect(bad, "the buggy run failed no expectation")
    evidence = bad[0]["evidence"]
    expect(evidence, "the failed expectation has no evidence: %s" % bad[0]["expectation"])
    if click:
        box = b.js("(() => { const r = document.querySelector('#verdicts li.bad')"
                   ".getBoundingClientRect(); return [r.x + 20, r.y + r.height / 2]; })()")
        b.click(*box)
    groups = b.js("[...document.querySelectorAll('#timeline .hl[data-ev]')]"
                  ".map(e => e.dataset.ev.split(' ').map(Number))")
    lit = {i for g in groups for i in g}
    missing = [i for i in evidence if i not in lit]
    expect(not missing, "evidence %s not highlighted (lit: %s)" % (missing, sorted(lit)))
    # A lit mark must rest on the evidence (a merged mark may hold others too).
    stray = [g for g in groups if not set(g) & set(evidence)]
    expect(not stray, "marks lit that hold no evidence: %s" % stray)
    dim = b.js("document.querySelectorAll('#timeline .dim').length")
    expect(dim > 0, "nothing was dimmed around the evidence")
    selected = b.js("document.querySelectorAll('#verdicts li.sel').length")
    expect(selected == 1, "%d expectations selected" % selected)
    return "%d evidence events lit for '%s'" % (len(evidence), bad[0]["expectation"])


def check_clean(b, page):
    """No console error, no uncaught exception, no request but the page itself."""
    url = b.open(page)
    b.js("document.querySelector('#verdicts li') && document.querySelector('#verdicts li').click()")
    b.js("document.getElementById('zin') && document.getElementById('zin').click()")
    b.drain(0.5)
    problems = b.problems(url)
    expect(not problems, "; ".join(problems))
    return "no console error, no request"


KEY_COLOURS = {"handled arrow": (37, 99, 235), "ignored arrow": (156, 163, 175),
               "first lane": (14, 116, 144)}


def check_screenshot(b, page, png):
    ready(b, page)
    data = b.screenshot(png)
    w, h, rows = cdp.decode_png(data)
    expect((w, h) == (1400, 900), "screenshot is %dx%d, not 1400x900" % (w, h))
    pixels = [p for row in rows[::2] for p in row[::2]]
    white = sum(1 for p in pixels if p[0] > 245 and p[1] > 245 and p[2] > 245)
    expect(white < 0.97 * len(pixels), "the page is blank (%.1f%% white)" % (100 * white / len(pixels)))
    expect(len(set(pixels)) > 60, "only %d colours: nothing was drawn" % len(set(pixels)))
    # The key colours are looked for in the chart alone: the legend has them too.
    x0, y0, x1, y1 = [int(v) for v in b.js(
        "(() => { const r = document.getElementById('timeline').getBoundingClientRect();"
        " return [r.left, r.top, Math.min(r.right, innerWidth), Math.min(r.bottom, innerHeight)]; })()")]
    colours = {p for row in rows[max(y0, 0):y1] for p in row[max(x0, 0):x1]}

    def near(c, tol=6):
        return any(all(abs(p[i] - c[i]) <= tol for i in range(3)) for p in colours)

    absent = [name for name, c in KEY_COLOURS.items() if not near(c)]
    expect(not absent, "key colours absent: %s" % absent)
    return "%dx%d, %d colours in the chart, %s present" % (w, h, len(colours),
                                                            ", ".join(KEY_COLOURS))


def main():
    tmp = tempfile.mkdtemp(prefix="proclab-browser-")
    results = []

    def case(name, fn, *args, negative=False):
        try:
            said = fn(*args)
            ok = not negative
            detail = said if not negative else "the check passed a spoiled page: it cannot fail"
        except CheckFailed as e:
            ok = negative
            detail = ("control failed as it must: %s" % e) if negative else str(e)
        print("%s %s: %s" % ("ok  " if ok else "FAIL", name, detail), flush=True)
        results.append(ok)

    try:
        with cdp.Browser() as b:
            if CHECK == "lanes":
                page, run = run_dc(tmp, "pass")
                case("one lane per process, one arrow per delivery", check_lanes, b, page, run)
                spoiled = spoil(page, tmp + "/one-lane-less.html", lambda m: m["lanes"].pop())
                case("control: a page that lost a lane", check_lanes, b, spoiled, run,
                     negative=True)
                spoiled = spoil(page, tmp + "/one-arrow-less.html", lambda m: m["marks"].remove(
                    next(x for x in m["marks"] if x["k"] == "sig")))
                case("control: a page that lost an arrow", check_lanes, b, spoiled, run,
                     negative=True)
            elif CHECK == "evidence":
                page, run = run_dc(tmp, "buggy", "python3 %s/buggy/no_sigint_ignore.py" % DC)
                case("clicking a failed expectation lights its events", check_evidence, b, page,
                     run)
                case("control: without the click nothing is lit", check_evidence, b, page, run,
                     False, negative=True)
            elif CHECK == "clean":
                page, _ = run_dc(tmp, "pass")
                case("run page", check_clean, b, page)
                case("index page", check_clean, b, os.path.join(tmp, "pass", "index.html"))
                bad = tmp + "/noisy.html"
                with open(page, encoding="utf-8") as f:
                    html = f.read()
                html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
                html = html.replace("</body>", '<img src="http://proclab.invalid/x.png">'
                                    '<script>console.error("spoiled")</script></body>')
                with open(bad, "w", encoding="utf-8") as f:
                    f.write(html)
                case("control: a page that logs an error and fetches an image", check_clean, b,
                     bad, negative=True)
            elif CHECK == "screenshot":
                page = tmp + "/fixed.html"
                proclab("report", "html", FIXTURE, "-o", page)
                case("screenshot of a fixed trace", check_screenshot, b, page, tmp + "/fixed.png")
                spoiled = spoil(page, tmp + "/no-marks.html", lambda m: m.update(marks=[]))
                case("control: the same page without its marks", check_screenshot, b, spoiled,
                     tmp + "/no-marks.png", negative=True)
            else:
                raise SystemExit("FAIL: unknown check %s" % CHECK)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    passed = sum(results)
    print("%d passed, %d failed" % (passed, len(results) - passed))
    return 0 if results and all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
