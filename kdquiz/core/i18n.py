"""Learner-facing strings in English and Chinese: the one way kdquiz localises its own words.

``t(key, lang, **values)`` looks a message up in the catalogue (the ``MESSAGES`` dicts of
:mod:`kdquiz.core.messages`, one module per area); every key must exist in both languages, and a
test checks that. Content (questions, statements, hints, hidden tests' titles and feedback) is
written by instructors in both languages in the content files; this catalogue holds the program's
own words. Never write ``"..." if zh else "..."`` in code: add a key.
"""

from __future__ import annotations

import os

LANGS = ("en", "zh")

CATALOGUES = ("general", "tui", "daily", "grading", "interview", "instructor", "extras")
"""The modules of :mod:`kdquiz.core.messages`, each a ``MESSAGES`` dict of one area of the program.
One file per area, so that work on one area never edits another's."""

_messages: dict[str, dict[str, str]] = {}


def messages() -> dict[str, dict[str, str]]:
    """Every key of every catalogue (loaded once; each catalogue is a small dict of literals)."""
    if not _messages:
        import importlib

        for area in CATALOGUES:
            catalogue = importlib.import_module(f"kdquiz.core.messages.{area}").MESSAGES
            clash = _messages.keys() & catalogue.keys()
            if clash:
                raise RuntimeError(f"message keys defined twice: {sorted(clash)}")
            _messages.update(catalogue)
    return _messages


def default_lang() -> str:
    """The language from ``KDQUIZ_LANG``, the saved settings, or the locale, else English."""
    env = os.environ.get("KDQUIZ_LANG", "")
    if env in LANGS:
        return env
    from kdquiz.core.settings import load_settings  # stdlib-only: cheap at start-up

    saved = load_settings().lang
    if saved in LANGS:
        return saved
    locale = os.environ.get("LC_ALL") or os.environ.get("LANG") or ""
    return "zh" if locale.lower().startswith("zh") else "en"


def t(key: str, lang: str, **values: object) -> str:
    """The message ``key`` in ``lang`` (falling back to English), formatted with ``values``."""
    entry = messages()[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**values) if values else text


def help_text(english: str, lang: str) -> str:
    """A command-line help text in ``lang``: the English text is the key (Typer reads the English
    from the docstrings), the Chinese comes from :mod:`kdquiz.core.messages.cli_help`."""
    if lang != "zh":
        return english
    from kdquiz.core.messages.cli_help import HELP

    return HELP.get(english, english)


def has_help_text(english: str) -> bool:
    """Whether ``english`` has its Chinese help text."""
    from kdquiz.core.messages.cli_help import HELP

    return english in HELP
