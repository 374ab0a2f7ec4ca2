"""The one place kdquiz reaches into Textual's private state.

Textual has no public way to change the label of a binding a screen declared in ``BINDINGS``
after the screen exists, and kdquiz switches the language (footer labels included) while a
screen is open. :func:`relabel_bindings` rewrites the descriptions in the screen's private
binding map. ``tests/test_adapters.py`` fails loudly if Textual changes that map's shape.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any


def relabel_bindings(screen: Any, label_for: Callable[[str], str | None]) -> None:
    """Give each binding of ``screen`` whose action ``label_for`` knows that label, then
    refresh the footer. ``label_for(action)`` returns None to keep a binding as it is."""
    key_map: dict[str, list[Any]] = screen._bindings.key_to_bindings
    for key, bindings in key_map.items():
        relabelled = []
        for binding in bindings:
            label = label_for(binding.action)
            relabelled.append(
                binding if label is None else dataclasses.replace(binding, description=label)
            )
        key_map[key] = relabelled
    screen.refresh_bindings()


def binding_labels(screen: Any) -> dict[str, str]:
    """Action -> footer label of the screen's bindings (what the footer shows)."""
    key_map: dict[str, list[Any]] = screen._bindings.key_to_bindings
    return {b.action: b.description for bindings in key_map.values() for b in bindings}
