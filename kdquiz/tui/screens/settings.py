"""Settings: language, workspace directory, editor, session size — saved to settings.json."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Input, Label, Select

from kdquiz.core.settings import load_settings, save_settings
from kdquiz.tui.screens.base import KdScreen


class SettingsScreen(KdScreen):
    """Ctrl+S (or the button) saves."""

    BINDINGS = [Binding("escape", "back", "Back"), Binding("ctrl+s", "save", "Save")]
    KEY_LABELS = {"save": "tui.key.save"}

    def compose(self) -> ComposeResult:
        settings = load_settings()
        yield Header()
        with VerticalScroll(id="settings"):
            yield Label(id="settings-title", classes="title")
            with Horizontal(classes="field"):
                yield Label(id="label-lang", classes="field-label")
                yield Select(
                    [("English", "en"), ("中文", "zh")],
                    value=self.kd.lang,
                    id="settings-lang",
                    allow_blank=False,
                )
            with Horizontal(classes="field"):
                yield Label(id="label-workspace", classes="field-label")
                yield Input(
                    settings.workspace, id="settings-workspace", placeholder="~/kdquiz-workspace"
                )
            yield Label(id="settings-workspace-effect", classes="dim")
            with Horizontal(classes="field"):
                yield Label(id="label-editor", classes="field-label")
                yield Input(settings.editor, id="settings-editor", placeholder="$EDITOR")
            with Horizontal(classes="field"):
                yield Label(id="label-size", classes="field-label")
                yield Input(str(settings.session_size), id="settings-size", type="integer")
            yield Button(id="settings-save", variant="primary")
        yield Footer()

    def relabel(self) -> None:
        self.query_one("#settings-title", Label).update(self.tr("tui.settings.title"))
        self.query_one("#label-lang", Label).update(self.tr("tui.settings.lang"))
        self.query_one("#label-workspace", Label).update(self.tr("tui.settings.workspace"))
        self.query_one("#label-editor", Label).update(self.tr("tui.settings.editor"))
        self.query_one("#label-size", Label).update(self.tr("tui.settings.size"))
        self.query_one("#settings-save", Button).label = self.tr("tui.key.save")
        self._show_workspace_in_effect()

    def _show_workspace_in_effect(self) -> None:
        """The workspace actually used: KDQUIZ_WORKSPACE wins over the setting, and says so."""
        import os

        from kdquiz.core import workspace

        effect = self.query_one("#settings-workspace-effect", Label)
        if os.environ.get("KDQUIZ_WORKSPACE"):
            path = workspace.workspace_dir()
            effect.update(self.tr("daily.settings.workspace_env", path=path))
            effect.display = True
        else:
            effect.display = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "settings-save":
            self.action_save()

    def action_save(self) -> None:
        raw_size = self.query_one("#settings-size", Input).value.strip()
        if not raw_size.isdigit() or not 1 <= int(raw_size) <= 200:
            self.notify(self.tr("tui.settings.invalid"), severity="error")
            return
        settings = load_settings()
        settings.lang = str(self.query_one("#settings-lang", Select).value)
        settings.workspace = self.query_one("#settings-workspace", Input).value.strip()
        settings.editor = self.query_one("#settings-editor", Input).value.strip()
        settings.session_size = int(raw_size)
        save_settings(settings)
        if settings.lang != self.kd.lang:
            self.kd.action_toggle_language()
        self.notify(self.tr("tui.settings.saved"))
