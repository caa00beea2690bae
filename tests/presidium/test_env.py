import subprocess
import sys

import pytest

from config.env import EnvError, env_bool, env_choice, env_int, env_list, env_str, env_url


def test_it_reads_booleans_in_the_usual_spellings():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True


def test_it_refuses_a_boolean_it_cannot_read_and_names_the_variable():
    with pytest.raises(EnvError, match="DJANGO_DEBUG='maybe'"):
        env_bool("DJANGO_DEBUG", False, environ={"DJANGO_DEBUG": "maybe"})


def test_it_refuses_a_non_number_and_a_number_below_the_minimum():
    with pytest.raises(EnvError, match="not a whole number"):
        env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": "twenty"})
    with pytest.raises(EnvError, match="below the minimum"):
        env_int("EMAIL_PORT", 25, minimum=1, environ={"EMAIL_PORT": "0"})
    assert env_int("EMAIL_PORT", 25, environ={"EMAIL_PORT": " 587 "}) == 587


def test_it_requires_required_strings():
    with pytest.raises(EnvError, match="SECRET_KEY must be set"):
        env_str("SECRET_KEY", required=True, environ={})


def test_it_splits_lists_and_checks_choices_and_url_schemes():
    assert env_list("ALLOWED_HOSTS", [], environ={"ALLOWED_HOSTS": "a.gov.cn, b.gov.cn,"}) == ["a.gov.cn", "b.gov.cn"]
    with pytest.raises(EnvError, match="must be one of"):
        env_choice("DJANGO_ENV", "development", ("development", "production"), environ={"DJANGO_ENV": "staging"})
    with pytest.raises(EnvError, match="must start with one of"):
        env_url("REDIS_URL", None, schemes=("redis",), environ={"REDIS_URL": "http://x"})
    assert env_url("REDIS_URL", None, schemes=("redis",), environ={}) is None


def _load_settings(env: dict) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "PORTAL_VAR_DIR": "/tmp/portal-settings-test"}
    return subprocess.run([sys.executable, "-c", "import config.settings"], env=base | env,
                          capture_output=True, text=True, timeout=60)


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = _load_settings({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_it_refuses_a_bad_database_url_with_a_clear_message():
    result = _load_settings({"DATABASE_URL": "mysql://x"})
    assert result.returncode != 0
    assert "DATABASE_URL must start with one of" in result.stderr


PII_KEY = "q3Zr2mW8f1yJc0vXkLp5sT7uHbN9aE4dG6iO2wRtYz0="  # 32 bytes, URL-safe base64


def test_it_starts_in_production_with_the_required_values():
    result = _load_settings({"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example",
                             "SECRET_KEY": "k" * 30 + "abcdefghijklmnopqrstuvwxyz", "PII_ENCRYPTION_KEYS": PII_KEY})
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_in_production_without_a_valid_personal_data_key():
    base = {"DJANGO_ENV": "production", "ALLOWED_HOSTS": "portal.example",
            "SECRET_KEY": "k" * 30 + "abcdefghijklmnopqrstuvwxyz"}
    missing = _load_settings(base)
    assert missing.returncode != 0 and "PII_ENCRYPTION_KEYS must hold at least one key" in missing.stderr
    bad = _load_settings(base | {"PII_ENCRYPTION_KEYS": "too-short"})
    assert bad.returncode != 0 and "32 random bytes" in bad.stderr
