"""``kdquiz doctor``: one screen an issue reporter can paste — versions, torch and its device,
the isolation this machine gives (and why not strict), where every file lives, the editor."""

from __future__ import annotations

import typer

from kdquiz.cli.context import STATE, out
from kdquiz.core.i18n import t


def _torch_line(lang: str) -> str:
    try:
        from kdquiz.grading.torchload import load_torch

        torch = load_torch()
    except Exception as exc:  # noqa: BLE001 - a broken install is what doctor reports
        return t("doctor.torch.missing", lang, error=f"{type(exc).__name__}: {exc}")
    cuda = getattr(torch.version, "cuda", None)
    build = (
        t("doctor.torch.cuda_build", lang, cuda=cuda) if cuda else t("doctor.torch.cpu_build", lang)
    )
    device = "cpu"
    if cuda and torch.cuda.is_available():
        device = f"cuda ({torch.cuda.get_device_name(0)})"
    return t("doctor.torch", lang, version=torch.__version__, build=build, device=device)


def _editor_line(lang: str) -> str:
    import shlex
    import shutil

    from kdquiz.core.settings import load_settings, resolve_editor

    argv, tried = resolve_editor(load_settings())
    if argv is None:
        return t("doctor.editor.none", lang, tried=", ".join(tried))
    found = shutil.which(argv[0]) or argv[0]
    state = t("doctor.editor.found", lang, path=found)
    return t("doctor.editor", lang, command=shlex.join(argv), found=state)


def doctor() -> None:
    """What kdquiz sees on this machine: torch, isolation, paths, editor (paste it in an issue)."""
    import platform
    import sys

    from kdquiz import __version__
    from kdquiz.core import locations, workspace
    from kdquiz.core.content import load_content
    from kdquiz.grading.probe import probe_isolation

    lang = STATE.lang
    out(t("doctor.title", lang))
    python = platform.python_version()
    out(t("doctor.kdquiz", lang, version=__version__, python=python, platform=sys.platform))
    out(_torch_line(lang))
    probe = probe_isolation()
    if probe.level == "strict":
        out(t("doctor.isolation.strict", lang))
    else:
        out(t("doctor.isolation.basic", lang, reason=probe.reason))
        out(t("doctor.isolation.hint", lang))
    root = locations.content_root(STATE.content_dir)
    content = load_content(root) if root.is_dir() else None
    questions = len(content.questions) if content else 0
    exercises = len(content.exercises) if content else 0
    out(t("doctor.content", lang, root=root, questions=questions, exercises=exercises))
    out(t("doctor.data", lang, path=locations.data_dir()))
    db = locations.progress_db_path()
    state = (
        t("doctor.progress.size", lang, kib=round(db.stat().st_size / 1024))
        if db.exists()
        else t("doctor.progress.none", lang)
    )
    out(t("doctor.progress", lang, path=db, state=state))
    out(t("doctor.cache", lang, path=locations.cache_dir()))
    out(t("doctor.workspace", lang, path=workspace.workspace_dir()))
    out(_editor_line(lang))
    out(t("doctor.lang", lang, language=lang))


def register(app: typer.Typer) -> None:
    app.command()(doctor)
