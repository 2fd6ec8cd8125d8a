# Puts the project's Node.js (the current Active LTS) first on PATH, fetching it from the npm
# registry (package node-linux-<arch>) when the machine's node is another version. Source it:
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
unset _lp_root _lp_want _lp_arch _lp_prefix
