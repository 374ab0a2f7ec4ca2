"""`kdquiz serve` in a real headless browser (Debian's Chromium, driven over the DevTools
protocol): the page opens the app, a key press reaches it, and every tab is its own app process.
Screenshots are saved next to the test's temp dir (and looked at when the page changes)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..procs import stat_fields

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (apt install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


@contextlib.contextmanager
def _process(argv: list[str], **kwargs: Any) -> Iterator[subprocess.Popen[bytes]]:
    proc = subprocess.Popen(argv, start_new_session=True, **kwargs)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _app_sessions(server_pid: int) -> int:
    """App processes (python -m kdquiz --lang ...) below the server."""
    count = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        stat = stat_fields(entry.name)
        if not stat:
            continue
        session = int(stat[3])
        if session == server_pid and b"kdquiz" in b" ".join(cmdline) and b"serve" not in cmdline:
            count += 1
    return count


class Page:
    """One browser tab over the DevTools protocol (aiohttp's websocket client)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.next_id = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = json.loads((await self.ws.receive()).data)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return dict(message.get("result", {}))

    async def screenshot(self, path: Path) -> bytes:
        data = base64.b64decode((await self.call("Page.captureScreenshot"))["data"])
        path.write_bytes(data)
        return data

    async def press(self, key: str) -> None:
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key=key, text=key)


async def _open_tab(debug_port: int, url: str) -> tuple[Any, Any, Page]:
    import aiohttp

    session = aiohttp.ClientSession()
    async with session.put(f"http://127.0.0.1:{debug_port}/json/new?{url}") as response:
        target = await response.json(content_type=None)
    ws = await session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0)
    page = Page(ws)
    await page.call("Page.enable")
    return session, ws, page


async def _changes(page: Page, before: bytes, path: Path, timeout: float) -> bytes:
    """The first screenshot that differs from ``before``, once it has stopped changing."""
    deadline = time.monotonic() + timeout
    shot = before
    while time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        shot = await page.screenshot(path)
        if shot != before:
            return await _settled(page, shot, path, deadline)
    return shot


async def _settled(page: Page, shot: bytes, path: Path, deadline: float) -> bytes:
    """Screenshots until six in a row (3 s) are the same."""
    same = 0
    while same < 6 and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        new = await page.screenshot(path)
        same = same + 1 if new == shot else 0
        shot = new
    return shot


@pytest.mark.slow
def test_the_app_in_a_headless_browser(tmp_path: Path) -> None:
    port, debug_port = _free_port(), _free_port()
    env = {**os.environ, "TERM": "xterm-256color"}
    server_cmd = [sys.executable, "-m", "kdquiz", "serve", "--port", str(port)]
    browser_cmd = [
        str(CHROMIUM),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        f"--remote-debugging-port={debug_port}",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1200,800",
        "about:blank",
    ]
    log = (tmp_path / "serve.log").open("wb")
    with (
        _process(server_cmd, env=env, stdout=log, stderr=subprocess.STDOUT) as server,
        _process(browser_cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    ):
        _wait_for_port(port, 30)
        _wait_for_port(debug_port, 30)

        async def drive() -> None:
            url = f"http://127.0.0.1:{port}"
            session, ws, page = await _open_tab(debug_port, url)
            try:
                blank = await page.screenshot(tmp_path / "0-loading.png")
                home = await _changes(page, blank, tmp_path / "1-home.png", 90)
                assert home != blank, "the app never drew in the page"
                # keys go to the terminal's input element, as when a person clicks into it
                await page.call(
                    "Runtime.evaluate",
                    expression="document.querySelector('.xterm-helper-textarea').focus()",
                )
                await page.press("e")
                exercises = await _changes(page, home, tmp_path / "2-exercises.png", 30)
                assert exercises != home, "pressing 'e' changed nothing"
                second = await _open_tab(debug_port, url)
                await asyncio.sleep(5)
                assert _app_sessions(server.pid) >= 2, "the second tab has no app of its own"
                await second[1].close()
                await second[0].close()
            finally:
                await ws.close()
                await session.close()

        asyncio.run(drive())
    assert b"Serving" in (tmp_path / "serve.log").read_bytes()
