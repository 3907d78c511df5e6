import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!k2p9-production-like-secret-with-enough-length-and-variety-Qz81",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
    "HTTPS": "1",
    "REDIS_URL": "redis://127.0.0.1:6379/0",  # read by the check, not connected to
}


def manage(*args, env):
    inherited = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {k: v for k, v in os.environ.items() if k not in inherited}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deploy_check_is_clean_with_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_deploy_check_flags_the_development_defaults():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr
