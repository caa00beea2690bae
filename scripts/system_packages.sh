#!/usr/bin/env bash
# Install the Debian 12 packages the portal needs, only those that are missing.
#
#   scripts/system_packages.sh base     # make run / make test: venv, WeasyPrint libraries, CJK fonts, gettext, node
#   scripts/system_packages.sh build    # a C toolchain, only when pip has to compile something
#   scripts/system_packages.sh stack    # PostgreSQL 15 and Redis (make stack, .ci/run)
#   scripts/system_packages.sh browser  # Chromium for the browser tests (.ci/run)
#   scripts/system_packages.sh --list GROUP   # print the group's packages and exit
#
# A package counts as present when dpkg says it is installed, or when the command it provides is
# already on PATH (node and npm often come from elsewhere than Debian). `apt-get update` runs at
# most once per call and only when something has to be installed. Not root: sudo if there is one,
# otherwise the script names the packages to install and fails.
set -euo pipefail

group_packages() {
    case "$1" in
        base)
            # python3-venv: Debian's python3 has no ensurepip without it.
            # libpango/libpangoft2/libharfbuzz-subset0: WeasyPrint (without harfbuzz-subset a
            # one-page Chinese PDF takes ~20 s instead of ~0.35 s); fonts-noto-cjk: 宋体/黑体.
            # fonts-arphic-ukai: AR PL UKai, a 楷体-like face, the 仿宋 stand-in of official documents
            # (GB/T 9704 bodies are 仿宋; Debian packages no free FangSong).
            # gettext: msgfmt compiles the translations (config/locale/*/LC_MESSAGES/*.po).
            echo python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-arphic-ukai gettext nodejs npm ;;
        build) echo build-essential python3-dev ;;
        stack) echo postgresql-15 redis-server ;;
        # chromium-l10n: the browser's own controls (date pickers, "选择文件") in Chinese, as users see them.
        browser) echo chromium chromium-l10n ;;
        *) echo "unknown package group: $1 (base, build, stack, browser)" >&2; return 2 ;;
    esac
}

# The command or file whose presence is as good as the package being installed.
provides() {
    case "$1" in
        nodejs) command -v node >/dev/null 2>&1 ;;
        npm) command -v npm >/dev/null 2>&1 ;;
        gettext) command -v msgfmt >/dev/null 2>&1 ;;
        python3-venv)
            # Debian: the venv module exists without the package, ensurepip's wheels do not.
            # A python3 that is not Debian's (pyenv, a distribution build) ships its own ensurepip.
            [ "$(command -v python3 || true)" != /usr/bin/python3 ] && python3 -c 'import ensurepip' >/dev/null 2>&1 ;;
        postgresql-15) [ -x /usr/lib/postgresql/15/bin/initdb ] ;;
        redis-server) command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 ;;
        chromium) [ -x /usr/bin/chromium ] ;;
        *) return 1 ;;
    esac
}

is_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$' || provides "$1"
}

main() {
    if [ "${1:-}" = "--list" ]; then
        group_packages "${2:?group}"
        return 0
    fi
    [ $# -ge 1 ] || { echo "usage: $0 GROUP..." >&2; return 2; }

    local missing=() group pkg
    for group in "$@"; do
        for pkg in $(group_packages "$group"); do
            is_installed "$pkg" || missing+=("$pkg")
        done
    done
    if [ ${#missing[@]} -eq 0 ]; then
        return 0
    fi

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            sudo=(sudo)
        else
            echo "需要安装系统软件包（请以 root 执行）: apt-get install -y --no-install-recommends ${missing[*]}" >&2
            return 1
        fi
    fi
    echo ">>> installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -qq
    "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

main "$@"
