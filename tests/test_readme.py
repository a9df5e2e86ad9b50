"""The README says what the code does: its example config and its commands stay true."""

from __future__ import annotations

from pathlib import Path

from royal_tui.config import EXAMPLE_CONFIG, load_config
from royal_tui.ui.screens.orders import OrdersScreen

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def test_readme_quotes_the_example_config_verbatim(tmp_path):
    assert EXAMPLE_CONFIG in README
    path = tmp_path / "config.toml"
    path.write_text(EXAMPLE_CONFIG, encoding="utf-8")
    _config, warnings = load_config(path, env={})
    assert warnings == []


def test_readme_documents_every_orders_screen_key():
    for binding in OrdersScreen.BINDINGS:
        if binding.id.startswith("orders.tab_"):
            continue
        key = {"left_square_bracket": "[", "right_square_bracket": "]", "slash": "/"}.get(binding.key, binding.key)
        assert f"`{key}`" in README, binding.id


def test_readme_has_exactly_two_setup_commands_and_ci_runs_the_second():
    setup = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    blocks = [block.split("```", 1)[0] for block in setup.split("```sh\n")[1:]]
    assert len(blocks) == 2
    assert "royal-tui --demo" in blocks[0]
    assert "pytest" in blocks[1] and "[test]" in blocks[1]
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text()
    assert "<!-- test-command -->" in ci
