"""squeeze_sgr: fewer bytes, the same screen."""

from __future__ import annotations

import re

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style

from royal_tui.ui.terminal_output import squeeze_sgr, squeezing_driver

ROW = "\x1b[38;5;253;48;5;235m 12357 \x1b[0m\x1b[38;5;253;48;5;235m Canada \x1b[0m\x1b[1;38;5;112;48;5;235mconfirmed\x1b[0m"


def test_a_reset_undone_at_once_is_dropped():
    expected = "\x1b[38;5;253;48;5;235m 12357  Canada \x1b[0m\x1b[1;38;5;112;48;5;235mconfirmed\x1b[0m"
    assert squeeze_sgr("\x1b[0m" + ROW) == "\x1b[0m" + expected
    assert squeeze_sgr(ROW) == ROW  # what was in force before the first style is unknown: kept


@pytest.mark.parametrize(
    "data",
    [
        "\x1b[1m A \x1b[0m\x1b[7;1H\x1b[1m B \x1b[0m",  # a cursor move between: the reset stays
        "\x1b[1m A \x1b[0m plain \x1b[1m B \x1b[0m",  # default-style text between
        "\x1b[1m\x1b[31m A \x1b[0m\x1b[31m B \x1b[0m",  # stacked styles: bold must be reset
        "no escapes at all",
        "\x1b[1m A \x1b[0m",
    ],
)
def test_nothing_else_is_touched(data):
    assert squeeze_sgr(data) == data


def screen_state(data: str) -> list[tuple[str, frozenset]]:
    """Each printed character with the SGR parameters in force (a tiny terminal model)."""
    state: list[str] = []
    cells = []
    for token in re.split("(\x1b\\[[0-9;]*m|\x1b\\[\\d+;\\d+H)", data):
        if token.startswith("\x1b[") and token.endswith("m"):
            params = token[2:-1]
            if params in ("", "0"):
                state = []
            else:
                state.extend(params.split(";"))
        elif token.startswith("\x1b["):
            cells.append((token, frozenset()))
        else:
            cells.extend((ch, frozenset(state)) for ch in token)
    return cells


def test_rich_output_keeps_every_character_and_its_style_with_fewer_bytes():
    console = Console(color_system="256", force_terminal=True, width=200, legacy_windows=False)
    grey, bold = Style.parse("grey85 on grey15"), Style.parse("bold green on grey15")
    segments = []
    for row in range(20):
        segments += [Segment(f"\x1b[{row + 2};1H", None)]  # what the compositor puts between lines
        segments += [Segment(f" {12300 + row} ", grey), Segment(" Canada ", grey), Segment("confirmed", bold),
                     Segment("   ", grey), Segment(" 2027-01-23 ", grey), Segment(" plain ")]
    data = console._render_buffer(segments)
    squeezed = squeeze_sgr(data)
    assert screen_state(squeezed) == screen_state(data)
    assert len(squeezed) < 0.8 * len(data)


def test_the_driver_writes_the_squeezed_text():
    class Recorder:
        def __init__(self):
            self.written = []

        def write(self, data):
            self.written.append(data)

    driver = squeezing_driver(Recorder)()
    driver.write(ROW)
    assert driver.written == [squeeze_sgr(ROW)] and type(driver).__name__ == "SqueezingRecorder"
