#!/usr/bin/python3
"""Makes the screenshots in docs/images/ from the shipped lessons.

Usage: tests/browser/screenshots.py PROCLAB OUTDIR
Each lesson runs once, its page opens in headless Chromium (cdp.py) and is
shot at 1400 px wide, as tall as it is (at most 1100 px). The buggy
driver-and-conductor page is shot with its first failed expectation clicked,
its evidence lit.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

SOURCE = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DC = os.path.join(SOURCE, "scenarios/signals/driver-and-conductor")
SHOTS = [
    ("driver-and-conductor-pass", [DC], False),
    ("driver-and-conductor-buggy", [DC, "--program", "python3 %s/buggy/no_sigint_ignore.py" % DC],
     True),
    ("pool-overload", [os.path.join(SOURCE, "scenarios/python/pool-overload")], False),
    ("zombie", [os.path.join(SOURCE, "scenarios/processes/zombie.yaml")], False),
]


def main():
    proclab, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="proclab-shots-")
    with cdp.Browser(1400, 1100) as b:
        for name, args, click in SHOTS:
            folder = os.path.join(tmp, name)
            subprocess.run([proclab, "run", "--jobs", "1", *args, "--report", "html:" + folder],
                           stdout=subprocess.DEVNULL, check=False)
            runs = os.path.join(folder, "runs")
            page = os.path.join(runs, sorted(os.listdir(runs))[0])
            b.open(page)
            if click:
                b.js("document.querySelector('#verdicts li.bad').click()")
            height = b.js("Math.min(1100, document.documentElement.scrollHeight)")
            b.call("Emulation.setDeviceMetricsOverride", session=True, width=1400, height=height,
                   deviceScaleFactor=1, mobile=False)
            b.drain(0.2)
            b.screenshot(os.path.join(out, name + ".png"))
            print("wrote", os.path.join(out, name + ".png"))


if __name__ == "__main__":
    main()
