# Sourced by scripts/run and scripts/test: make .venv and install the project
# into it when it is missing or pyproject.toml changed since the last install.
ensure_venv() {
  local root python stamp want
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  python="${GRIDDESK_PYTHON:-}"
  if [ -z "$python" ]; then
    for candidate in python3.11 python3; do
      if command -v "$candidate" >/dev/null 2>&1 &&
         "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
        python="$candidate"; break
      fi
    done
  fi
  if [ -z "$python" ] && command -v pyenv >/dev/null 2>&1; then
    python="$(PYENV_VERSION="$(pyenv versions --bare | grep '^3\.11' | tail -1)" pyenv which python 2>/dev/null || true)"
  fi
  if [ -z "$python" ]; then
    echo "GridDesk needs Python 3.11 (set GRIDDESK_PYTHON to its path)." >&2
    return 1
  fi
  stamp="$root/.venv/.griddesk-installed"
  want="$(cat "$root/pyproject.toml" | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$root/.venv/bin/python" ]; then
    echo "Creating $root/.venv with $python ..." >&2
    "$python" -m venv "$root/.venv"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing GridDesk and its dependencies into .venv (first run takes a minute) ..." >&2
    "$root/.venv/bin/python" -m pip install --quiet --upgrade pip
    "$root/.venv/bin/python" -m pip install --quiet -e "$root[dev]"
    echo "$want" > "$stamp"
  fi
}
