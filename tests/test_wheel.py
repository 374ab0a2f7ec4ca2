"""The wheel ships its content: installed in a fresh venv outside the checkout, it validates."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_installed_wheel_finds_its_content(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        # the build backend is a test dependency: no isolated build environment to set up
        [
            *(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"),
            *("-w", str(dist), str(ROOT)),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("kdquiz-*.whl"))
    venv = tmp_path / "venv"
    # no pip of its own: this environment's pip installs into it (much faster to create)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies are already installed here; let the fresh venv see them without a download,
    # but install kdquiz itself only from the wheel.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "parent-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "-q"]
        + [str(wheel)],
        check=True,
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("KDQUIZ_CONTENT", "PYTHONPATH")}
    result = subprocess.run(
        [str(venv / "bin" / "kdquiz"), "validate"],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "\n0 error(s)" in "\n" + result.stdout or "no problems" in result.stdout
    located = subprocess.run(
        [
            str(python),
            "-c",
            "from kdquiz.core.locations import bundled_content_root as r; print(r())",
        ],
        cwd=outside,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert located.endswith("kdquiz/_content") and str(ROOT) not in located
