# Puts the project's Node.js (the current Active LTS) first on PATH, fetching it from the npm
# registry (package node-linux-<arch>) when the machine's node is another version, and makes sure
# Debian's Chromium is there for the review pack's browser test. Source it:
#   . ./.ci/node.sh
# The version lives in .nvmrc, which the workflows' setup-node reads too.
# Sourced from the repository's root (README, .ci/run); POSIX sh, so it works from bash, dash or zsh.
_lp_root="$(git rev-parse --show-toplevel 2>/dev/null || pwd)"
_lp_want="$(tr -d ' \n' < "$_lp_root/.nvmrc")"
if [ "$(node --version 2>/dev/null)" != "v$_lp_want" ]; then
    case "$(uname -m)" in
        x86_64) _lp_arch=x64 ;;
        aarch64 | arm64) _lp_arch=arm64 ;;
        *) echo "no Node.js $_lp_want package for $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
    esac
    _lp_prefix="${XDG_CACHE_HOME:-$HOME/.cache}/learning-platform/node-$_lp_want-$_lp_arch"
    if [ ! -x "$_lp_prefix/node_modules/node-linux-$_lp_arch/bin/node" ]; then
        echo "fetching Node.js $_lp_want (node-linux-$_lp_arch) from the npm registry into $_lp_prefix" >&2
        mkdir -p "$_lp_prefix"
        npm install --prefix "$_lp_prefix" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts "node-linux-$_lp_arch@$_lp_want" >&2
    fi
    export PATH="$_lp_prefix/node_modules/node-linux-$_lp_arch/bin:$PATH"
fi
echo "node $(node --version), npm $(npm --version)" >&2
# The review pack's diagram renderer and its browser test (tests/review/browser.test.ts, part of
# `npm test`) drive the system Chromium, Debian's package: installed here when missing and possible.
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing Chromium (Debian package chromium) for the review pack's browser test" >&2
        { apt-get update -qq && apt-get install -y -qq chromium; } >&2 || echo "Chromium could not be installed: npm test's browser test will fail" >&2
    else
        echo "no chromium on PATH: install Debian's chromium package (npm test's browser test needs it)" >&2
    fi
fi
unset _lp_root _lp_want _lp_arch _lp_prefix
