"""squeeze_sgr: fewer bytes, the same screen."""

from __future__ import annotations

import random
import re

import pytest
from rich.console import Console
from rich.segment import Segment
from rich.style import Style

from royal_tui.ui.terminal_output import squeeze_sgr, squeezing_driver

ROW = "\x1b[38;5;253;48;5;235m 12357 \x1b[0m\x1b[38;5;253;48;5;235m Canada \x1b[0m\x1b[1;38;5;112;48;5;235mconfirmed\x1b[0m"


def test_a_reset_undone_at_once_is_dropped_and_a_change_is_written_as_the_difference():
    expected = "\x1b[38;5;253;48;5;235m 12357  Canada \x1b[1;38;5;112mconfirmed\x1b[0m"
    assert squeeze_sgr("\x1b[0m" + ROW) == "\x1b[0m" + expected
    # What was in force before the first style is unknown: the first reset is kept, then the
    # state is known again.
    kept = "\x1b[38;5;253;48;5;235m 12357 \x1b[0m\x1b[38;5;253;48;5;235m Canada \x1b[1;38;5;112mconfirmed\x1b[0m"
    assert squeeze_sgr(ROW) == kept


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        # a foreground that goes back to the default, the background stays
        ("\x1b[0m\x1b[38;5;253;48;5;233mab\x1b[0m\x1b[48;5;233m  \x1b[0m", "\x1b[0m\x1b[38;5;253;48;5;233mab\x1b[39m  \x1b[0m"),
        # bold goes, dim stays: 22 ends both, so dim is set again
        ("\x1b[0m\x1b[1;2;38;5;1mab\x1b[0m\x1b[2;38;5;1mcd", "\x1b[0m\x1b[1;2;38;5;1mab\x1b[22;2mcd"),
        # across a cursor position: the state is the same on the next line
        ("\x1b[0m\x1b[31;44mab\x1b[0m\x1b[7;1H\x1b[31;44mcd", "\x1b[0m\x1b[31;44mab\x1b[7;1Hcd"),
    ],
)
def test_differences(data, expected):
    assert squeeze_sgr(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        "\x1b[1m A \x1b[0m\x1b[7;1H\x1b[1m B \x1b[0m",  # the state before the first style is unknown
        "\x1b[0m\x1b[41m A \x1b[0m\n\x1b[41m B \x1b[0m",  # a newline between (it may scroll): the reset stays
        "\x1b[1m A \x1b[0m plain \x1b[1m B \x1b[0m",  # default-style text between
        "\x1b[0m\x1b[1m\x1b[58;5;3m A \x1b[0m\x1b[1m B \x1b[0m",  # a parameter it does not know: unknown state
        "\x1b[0m\x1b[1m A \x1b8 B \x1b[0m\x1b[1m C \x1b[0m",  # a restored cursor (and its SGR state): unknown
        "no escapes at all",
        "\x1b[1m A \x1b[0m",
    ],
)
def test_nothing_else_is_touched(data):
    assert squeeze_sgr(data) == data


def apply_sgr(state: dict, params: str) -> None:
    """What a terminal does with ``ESC[<params>m`` (written from ECMA-48, not from the module)."""
    codes = [int(code) if code else 0 for code in params.split(";")]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in (38, 48, 58):
            size = 3 if codes[index + 1] == 5 else 5
            state[{38: "fg", 48: "bg", 58: "ul"}[code]] = tuple(codes[index + 1 : index + size])
            index += size
            continue
        if code == 0:
            state.clear()
        elif code in (1, 2, 3, 4, 5, 6, 7, 8, 9, 21, 51, 52, 53):
            state[code] = True
        elif code in (22, 23, 24, 25, 27, 28, 29, 54, 55):
            ended = {22: (1, 2), 23: (3,), 24: (4, 21), 25: (5, 6), 27: (7,), 28: (8,), 29: (9,), 54: (51, 52), 55: (53,)}
            for attr in ended[code]:
                state.pop(attr, None)
        elif 30 <= code <= 37 or 90 <= code <= 97:
            state["fg"] = code
        elif 40 <= code <= 47 or 100 <= code <= 107:
            state["bg"] = code
        elif code == 39:
            state.pop("fg", None)
        elif code == 49:
            state.pop("bg", None)
        index += 1


def screen_state(data: str, initial: dict | None = None) -> list[tuple[str, frozenset]]:
    """Each printed character (and cursor move) with the SGR state in force (a terminal model)."""
    state = dict(initial or {})
    cells = []
    for token in re.split("(\x1b\\[[0-9;]*m|\x1b\\[\\d+;\\d+H)", data):
        if token.startswith("\x1b[") and token.endswith("m"):
            apply_sgr(state, token[2:-1])
        elif token.startswith("\x1b["):
            cells.append((token, frozenset()))
        else:
            cells.extend((ch, frozenset(state.items())) for ch in token)
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
    assert len(squeezed) < 0.7 * len(data)


STYLES = [
    None, "bold", "dim", "bold dim", "italic", "underline", "underline2", "blink", "reverse", "strike",
    "conceal", "overline", "frame", "grey85 on grey15", "bold green on grey15", "dim grey50 on grey15",
    "on grey15", "red", "bright_red on blue", "#102030 on #405060", "bold italic #ffffff",
    "reverse grey85 on grey15", "underline2 red", "not bold",
]


@pytest.mark.parametrize("seed", range(40))
def test_random_rich_output_keeps_every_character_and_its_style(seed):
    """Whatever the terminal had in force before, every character ends up in the same state."""
    rng = random.Random(seed)
    console = Console(color_system=rng.choice(["256", "truecolor", "standard"]), force_terminal=True,
                      width=500, legacy_windows=False)
    segments = []
    for _ in range(60):
        pick = rng.random()
        if pick < 0.1:
            segments.append(Segment(f"\x1b[{rng.randint(1, 40)};{rng.randint(1, 120)}H", None))
        elif pick < 0.15:
            segments.append(Segment("\n", None))
        else:
            style = rng.choice(STYLES)
            segments.append(Segment(rng.choice(["a", "bc", " ", "••", "x y"]), Style.parse(style) if style else None))
    data = console._render_buffer(segments)
    if rng.random() < 0.5:
        data = "\x1b[0m" + data
    squeezed = squeeze_sgr(data)
    for initial in ({}, {1: True, "fg": 31}, {7: True, 2: True, "bg": (5, 17)}):
        assert screen_state(squeezed, initial) == screen_state(data, initial)
    assert len(squeezed) <= len(data)


def test_the_driver_writes_the_squeezed_text():
    class Recorder:
        def __init__(self):
            self.written = []

        def write(self, data):
            self.written.append(data)

    driver = squeezing_driver(Recorder)()
    driver.write(ROW)
    assert driver.written == [squeeze_sgr(ROW)] and type(driver).__name__ == "SqueezingRecorder"
