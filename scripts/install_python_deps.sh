#!/usr/bin/env bash
# Create .venv with the machine's python3 (3.11) and install exactly config/requirements.lock.
#
#   scripts/install_python_deps.sh [PYTHON]        (make does this: `make install`)
#
# --no-deps: the lock is complete (pip-compile), so nothing unpinned is ever pulled in, and pip
# itself is left as the venv ships it. Wheels are tried first; only if a package then fails to
# *build* from source are build-essential and python3-dev installed (a network failure is not
# mistaken for that).
set -euo pipefail

PYTHON="${1:-python3}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
VENV="$ROOT/.venv"
LOCK="$ROOT/config/requirements.lock"
PIP_ARGS=(--disable-pip-version-check --no-input --no-deps -r "$LOCK")

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
    echo "需要 Python 3.11（pyproject.toml: requires-python），$PYTHON 是 $("$PYTHON" -V 2>&1 || echo '不存在')。" \
         "可用 make PYTHON=python3.11 …" >&2
    exit 1
fi

if ! "$VENV/bin/python" -c '' 2>/dev/null; then  # missing, or made by a Python that is gone
    rm -rf "$VENV"
    echo ">>> creating .venv with $("$PYTHON" -V)"
    "$PYTHON" -m venv "$VENV"
fi

echo ">>> installing Python packages from config/requirements.lock"
if ! "$VENV/bin/python" -m pip install --quiet --only-binary=:all: "${PIP_ARGS[@]}"; then
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    echo ">>> not every package has a wheel here: trying source builds"
    if ! "$VENV/bin/python" -m pip install --quiet --prefer-binary "${PIP_ARGS[@]}" 2>&1 | tee "$log"; then
        if grep -qE 'Failed to build|subprocess-exited-with-error|error: command .*(gcc|cc)|Python\.h' "$log"; then
            echo ">>> a package needs a C compiler: installing build tools"
            bash "$HERE/system_packages.sh" build
            "$VENV/bin/python" -m pip install --quiet --prefer-binary "${PIP_ARGS[@]}"
        else
            exit 1  # not a build problem (network, a missing version): pip said why above
        fi
    fi
fi
"$VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null || {
    "$VENV/bin/python" -m pip check --disable-pip-version-check
    exit 1
}
