"""The last line of defence: an unexpected error becomes one line and a saved report."""

from __future__ import annotations

import sys
import tempfile
import traceback
from pathlib import Path


def report_crash(exc: BaseException) -> int:
    """Save the traceback to a file, print one line that says where, and return exit code 2."""
    text = "".join(traceback.format_exception(exc))
    try:
        from kdquiz.core import locations

        folder = locations.data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "crash.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        path = Path(tempfile.gettempdir()) / "kdquiz-crash.log"
        path.write_text(text, encoding="utf-8")
    print(
        f"error: kdquiz hit an internal error ({type(exc).__name__}: {exc}); "
        f"details saved to {path} — please report it",
        file=sys.stderr,
    )
    return 2
