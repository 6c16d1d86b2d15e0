"""What the set-up scripts install: WeasyPrint's libraries and a CJK font.

Without libharfbuzz-subset WeasyPrint still works but embeds whole fonts (PDFs many times
slower and larger) and without a CJK font Chinese text renders as empty boxes: neither
fails loudly, so these tests do.
"""

from __future__ import annotations

import ctypes.util
import shutil
import subprocess


def test_weasyprint_imports_with_its_system_libraries():
    import weasyprint

    assert weasyprint.__version__


def test_harfbuzz_subset_library_is_installed():
    assert ctypes.util.find_library("harfbuzz-subset"), "install libharfbuzz-subset0"


def test_a_chinese_font_is_installed():
    fc_list = shutil.which("fc-list")
    assert fc_list, "fontconfig is missing"
    fonts = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True, check=True)
    assert fonts.stdout.strip(), "install fonts-noto-cjk"
