"""``kdquiz serve``: the same app in a browser, for a classroom or a machine without a good
terminal (textual-serve; every browser tab is its own app process)."""

from __future__ import annotations

from typing import Annotated

import typer

from kdquiz.cli.context import STATE, fail, out
from kdquiz.core.i18n import t

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def _port_free(host: str, port: int) -> str | None:
    """None if ``host:port`` can be bound, else why not."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return str(exc)
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the app in a browser: each tab is its own session (Ctrl+C stops)."""
    problem = _port_free(host, port)
    if problem is not None:
        fail(t("serve.cannot_listen", STATE.lang, host=host, port=port, reason=problem))
    if host not in LOOPBACK:
        out(t("serve.public", STATE.lang, host=host))
    out(
        t(
            "serve.open",
            STATE.lang,
            url=f"http://{'localhost' if host in LOOPBACK else host}:{port}",
        )
    )
    from kdquiz.tui.launch import serve as serve_app

    serve_app(STATE.lang, STATE.content_dir, host, port)


def register(app: typer.Typer) -> None:
    app.command()(serve)
