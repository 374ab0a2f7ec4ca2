"""Importing torch where kdquiz itself does (the warm worker, the judge, doctor).

kdquiz does not depend on numpy (73 MB it never uses), and torch without numpy warns once at
import ("Failed to initialize NumPy"); that warning is noise on a learner's terminal, so it is
silenced here and only here."""

from __future__ import annotations

import warnings
from types import ModuleType


def load_torch() -> ModuleType:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Failed to initialize NumPy")
        import torch
    return torch
