"""Screenshots of every registered page, in Chinese and English, at the sizes where the class looks at it.

    python scripts/screenshots.py [--pages book s1_2] [--sizes projector laptop] [--check] [--full]

Sizes (the sidebar stays open at all of them, as an instructor first projects the app):
  projector       1024×768   the classroom projector (the size that breaks first)
  projector-wide  1280×720   a 720p projector or a screen share
  laptop          1366×768   the trainee's small laptop
  desktop         1400×900   a roomy laptop
The default is ``projector`` and ``desktop``; ``--sizes all`` takes every size. ``--check`` also prints what
``scripts/layout_probe.py`` finds on each page (cut text, cramped charts, colliding labels, how far down the first
control sits). Uses Debian's Chromium with the CJK fonts installed (fonts-noto-cjk), so what you see is what a
trainee sees. Files: ``artifacts/screenshots/<page>-<lang>-<size>.png``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from scripts.layout_probe import probe, settle
from scripts.serve import CHROMIUM_ARGS, chromium_path, running_app
from workbook import course

SIZES = {
    "projector": (1024, 768),
    "projector-wide": (1280, 720),
    "laptop": (1366, 768),
    "desktop": (1400, 900),
}
DEFAULT_SIZES = ("projector", "desktop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", nargs="*", help="page ids (default: all registered)")
    parser.add_argument("--out", default="artifacts/screenshots")
    parser.add_argument("--sizes", nargs="*", default=list(DEFAULT_SIZES), choices=[*SIZES, "all"])
    parser.add_argument("--langs", nargs="*", default=["zh", "en"])
    parser.add_argument("--full", action="store_true", help="tall viewport (height 4000) to see the whole page")
    parser.add_argument("--check", action="store_true", help="print the layout probe's findings for each shot")
    args = parser.parse_args()
    sizes = list(SIZES) if "all" in args.sizes else args.sizes
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    entries = [p for p in course.PAGES if not args.pages or p.id in args.pages]
    with running_app() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = browser.new_page()  # the first session after start-up is special in Streamlit; keep it off the shots
        warm.goto(url)
        warm.wait_for_selector("h1", timeout=60_000)
        warm.close()
        for size in sizes:
            width, height = SIZES[size]
            for lang in args.langs:
                context = browser.new_context(viewport={"width": width, "height": 4000 if args.full else height})
                page = context.new_page()
                page.set_default_timeout(60_000)
                for entry in entries:
                    page.goto(f"{url}/{'' if entry.default else entry.id}?lang={lang}")
                    settle(page)  # the script has finished and every chart has drawn
                    path = out / f"{entry.id}-{lang}-{size}{'-full' if args.full else ''}.png"
                    page.screenshot(path=str(path))
                    print(path)
                    if args.check:
                        layout = probe(page)
                        control = layout.first_control
                        where = f"{control['kind']} ends at {control['bottom']} px" if control else "none"
                        print(f"    first control: {where} (screen {height} px)")
                        for finding in layout.findings():
                            print(f"    {finding}")
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
