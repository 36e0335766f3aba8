"""Screenshots of every registered page, in Chinese and English, at 1400×900 and projector size (1920×1080); the
small laptop (1024×768) on request.

    python scripts/screenshots.py [--pages book s1_2] [--sizes laptop small] [--out artifacts/screenshots]

Uses Debian's Chromium with the CJK fonts installed (fonts-noto-cjk), so what you see is what a trainee sees.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import sync_playwright

from scripts.serve import CHROMIUM_ARGS, chromium_path, running_app
from workbook import course

SIZES = {"laptop": (1400, 900), "projector": (1920, 1080), "small": (1024, 768)}
DEFAULT_SIZES = ("laptop", "projector")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", nargs="*", help="page ids (default: all registered)")
    parser.add_argument("--out", default="artifacts/screenshots")
    parser.add_argument("--sizes", nargs="*", default=list(DEFAULT_SIZES), choices=list(SIZES))
    parser.add_argument("--langs", nargs="*", default=["zh", "en"])
    parser.add_argument("--full", action="store_true", help="tall viewport (height 4000) to see the whole page")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    entries = [p for p in course.PAGES if not args.pages or p.id in args.pages]
    with running_app() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        warm = browser.new_page()  # the first session after start-up is special in Streamlit; keep it off the shots
        warm.goto(url)
        warm.wait_for_selector("h1", timeout=60_000)
        warm.close()
        for size in args.sizes:
            width, height = SIZES[size]
            if args.full:
                height = 4000  # Streamlit scrolls inside its own container, so a tall viewport shows it all
            for lang in args.langs:
                context = browser.new_context(viewport={"width": width, "height": height})
                page = context.new_page()
                for entry in entries:
                    page.goto(f"{url}/{'' if entry.default else entry.id}?lang={lang}")
                    page.wait_for_selector("h1", timeout=60_000)
                    page.wait_for_timeout(2500)  # let charts draw
                    path = out / f"{entry.id}-{lang}-{size}.png"
                    page.screenshot(path=str(path))
                    print(path)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
