"""Settings from config.toml and the environment (royal_tui.config, royal_tui.paths)."""

from __future__ import annotations

from pathlib import Path

import pytest

from royal_tui import paths
from royal_tui.config import EXAMPLE_CONFIG, Config, load_config
from royal_tui.export import FORMATS

FULL = """\
profile = "work"
theme = "nord"
auto_refresh = 30
page_size = 50
export_format = "socks5_url"

[keys]
"orders.refresh" = "f5"
orders.next_page = "n, right_square_bracket"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path):
    config, warnings = load_config(tmp_path / "missing.toml", env={})
    assert config == Config()
    assert warnings == []
    assert (config.profile, config.theme, config.auto_refresh) == ("default", "textual-dark", 0.0)
    assert (config.page_size, config.export_format, dict(config.keys)) == (
        25,
        "ip_port_user_pass",
        {},
    )


def test_default_path_is_the_user_config_file():
    # the autouse fixture points XDG_CONFIG_HOME into tmp; nothing there → defaults, silently
    assert load_config(env={}) == (Config(), [])


def test_a_full_file(tmp_path):
    config, warnings = load_config(write(tmp_path, FULL), env={})
    assert warnings == []
    assert config.profile == "work"
    assert config.theme == "nord"
    assert config.auto_refresh == 30.0 and isinstance(config.auto_refresh, float)
    assert config.page_size == 50
    assert config.export_format == "socks5_url"
    assert dict(config.keys) == {
        "orders.refresh": "f5",
        "orders.next_page": "n,right_square_bracket",
    }


def test_config_is_immutable(tmp_path):
    config, _ = load_config(write(tmp_path, FULL), env={})
    with pytest.raises(AttributeError):
        config.page_size = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.keys["x"] = "y"  # type: ignore[index]


@pytest.mark.parametrize(
    ("line", "field", "warning"),
    [
        ("page_size = 0", "page_size", "config.toml: page_size must be 1–100; using 25"),
        ("page_size = 101", "page_size", "config.toml: page_size must be 1–100; using 25"),
        ('page_size = "25"', "page_size", "config.toml: page_size must be 1–100; using 25"),
        ("page_size = true", "page_size", "config.toml: page_size must be 1–100; using 25"),
        ("auto_refresh = 2", "auto_refresh", "auto_refresh must be 0 (off) or at least 5 seconds"),
        ("auto_refresh = -1", "auto_refresh", "auto_refresh must be 0 (off) or 5–86400 seconds"),
        ("auto_refresh = nan", "auto_refresh", "; using 0"),
        ('auto_refresh = "60"', "auto_refresh", "auto_refresh must be a number of seconds"),
        ('export_format = "yaml"', "export_format", 'export_format must be one of ip_port_user'),
        ('theme = ""', "theme", 'theme must be a theme name'),
        ("theme = 3", "theme", 'using "textual-dark"'),
        ('profile = "a b"', "profile", 'config.toml: profile must be a profile name'),
    ],
)
def test_each_bad_value_warns_and_uses_the_default(tmp_path, line, field, warning):
    config, warnings = load_config(write(tmp_path, line + "\n"), env={})
    assert getattr(config, field) == getattr(Config(), field)
    assert len(warnings) == 1 and warning in warnings[0], warnings


def test_bad_values_do_not_spoil_good_ones(tmp_path):
    config, warnings = load_config(write(tmp_path, 'page_size = 0\ntheme = "nord"\n'), env={})
    assert (config.page_size, config.theme) == (25, "nord")
    assert len(warnings) == 1


def test_unknown_settings_and_bad_keys_warn(tmp_path):
    text = 'pagesize = 10\n[keys]\n"not an id" = "f5"\n"orders.refresh" = ""\n"app.quit" = 3\n'
    config, warnings = load_config(write(tmp_path, text), env={})
    assert dict(config.keys) == {}
    assert warnings[0] == "config.toml: unknown setting 'pagesize' ignored"
    assert "'not an id' is not a binding id" in warnings[1]
    assert "orders.refresh must be key names" in warnings[2]
    assert "app.quit must be key names" in warnings[3]
    _, warnings = load_config(write(tmp_path, 'keys = "f5"\n'), env={})
    assert warnings == ['config.toml: [keys] must be a table of binding-id = "key,key"; ignored']


def test_syntax_error_gives_defaults_and_names_the_line(tmp_path):
    config, warnings = load_config(write(tmp_path, 'theme = "nord"\npage_size = \n'), env={})
    assert config == Config()
    assert len(warnings) == 1
    assert warnings[0].startswith("config.toml: not valid TOML")
    assert "line 2" in warnings[0]


def test_unreadable_file_warns(tmp_path):
    folder = tmp_path / "config.toml"
    folder.mkdir()  # a folder where the file should be
    config, warnings = load_config(folder, env={})
    assert config == Config()
    assert len(warnings) == 1 and "cannot be read" in warnings[0]
    (tmp_path / "latin.toml").write_bytes(b'theme = "caf\xe9"\n')
    config, warnings = load_config(tmp_path / "latin.toml", env={})
    assert config == Config() and len(warnings) == 1


def test_env_overrides_win_over_the_file(tmp_path):
    env = {
        "ROYAL_TUI_THEME": "dracula",
        "ROYAL_TUI_PAGE_SIZE": "10",
        "ROYAL_TUI_AUTO_REFRESH": "off",
        "ROYAL_TUI_PROFILE": "ssh",
    }
    config, warnings = load_config(write(tmp_path, FULL), env=env)
    assert warnings == []
    assert (config.theme, config.page_size, config.auto_refresh, config.profile) == (
        "dracula",
        10,
        0.0,
        "ssh",
    )
    assert config.export_format == "socks5_url"  # not overridable, the file's value stays


def test_bad_env_values_warn_and_keep_the_file_value(tmp_path):
    env = {"ROYAL_TUI_PAGE_SIZE": "lots", "ROYAL_TUI_AUTO_REFRESH": "1", "ROYAL_TUI_THEME": " "}
    config, warnings = load_config(write(tmp_path, FULL), env=env)
    assert (config.page_size, config.auto_refresh, config.theme) == (50, 30.0, "nord")
    assert warnings == [
        "ROYAL_TUI_PAGE_SIZE: page_size must be a whole number; using 50",
        "ROYAL_TUI_AUTO_REFRESH: auto_refresh must be 0 (off) or at least 5 seconds; using 30",
    ]


def test_env_auto_refresh_number(tmp_path):
    config, warnings = load_config(tmp_path / "none.toml", env={"ROYAL_TUI_AUTO_REFRESH": "7.5"})
    assert (config.auto_refresh, warnings) == (7.5, [])


def test_os_environ_is_the_default_env(monkeypatch, tmp_path):
    monkeypatch.setenv("ROYAL_TUI_PAGE_SIZE", "99")
    assert load_config(tmp_path / "none.toml")[0].page_size == 99


def test_example_config_loads_clean(tmp_path):
    config, warnings = load_config(write(tmp_path, EXAMPLE_CONFIG), env={})
    assert warnings == []
    assert config.export_format in FORMATS
    assert "orders.refresh" in config.keys
    # every format key is documented in the example
    assert all(f'"{key}"' in EXAMPLE_CONFIG for key in FORMATS)


def test_paths_honour_xdg(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert paths.config_dir() == tmp_path / "cfg" / "royal-tui"
    assert paths.config_file() == tmp_path / "cfg" / "royal-tui" / "config.toml"
    assert paths.token_file() == tmp_path / "cfg" / "royal-tui" / "token"
    assert paths.log_dir().is_relative_to(tmp_path / "state" / "royal-tui")


def test_load_config_reads_the_xdg_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    (tmp_path / "cfg" / "royal-tui").mkdir(parents=True)
    (tmp_path / "cfg" / "royal-tui" / "config.toml").write_text("page_size = 7\n")
    assert load_config(env={})[0].page_size == 7
