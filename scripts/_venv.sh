# Sourced by scripts/run and scripts/test: make .venv and install the locked dependencies into it
# when it is missing or pyproject.toml / requirements-dev.lock changed since the last install.
# Python 3.11, 3.12 or 3.13 (3.11 first: it is what CI runs); GRIDDESK_PYTHON picks another.
GRIDDESK_PYTHONS="3.11 3.12 3.13"

_supported_python() {
  "$1" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null
}

find_python() {
  local version candidate
  if [ -n "${GRIDDESK_PYTHON:-}" ]; then
    _supported_python "$GRIDDESK_PYTHON" && { echo "$GRIDDESK_PYTHON"; return 0; }
    echo "GRIDDESK_PYTHON=$GRIDDESK_PYTHON is not Python 3.11-3.13." >&2
    return 1
  fi
  for version in $GRIDDESK_PYTHONS; do
    candidate="python$version"
    if command -v "$candidate" >/dev/null 2>&1 && _supported_python "$candidate"; then
      echo "$candidate"; return 0
    fi
    if command -v pyenv >/dev/null 2>&1; then
      candidate="$(PYENV_VERSION="$(pyenv versions --bare | grep "^$version\." | tail -1)" \
                   pyenv which python 2>/dev/null || true)"
      if [ -n "$candidate" ] && _supported_python "$candidate"; then
        echo "$candidate"; return 0
      fi
    fi
  done
  if command -v python3 >/dev/null 2>&1 && _supported_python python3; then
    echo python3; return 0
  fi
  echo "GridDesk needs Python 3.11, 3.12 or 3.13 (set GRIDDESK_PYTHON to its path)." >&2
  return 1
}

ensure_venv() {
  local root python stamp want
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  stamp="$root/.venv/.griddesk-installed"
  want="$(cat "$root/pyproject.toml" "$root/requirements-dev.lock" | sha256sum | cut -d' ' -f1)"
  if [ ! -x "$root/.venv/bin/python" ]; then
    python="$(find_python)" || return 1
    echo "Creating $root/.venv with $python ..." >&2
    "$python" -m venv "$root/.venv" || return 1
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "Installing GridDesk's locked dependencies into .venv (first run takes a minute) ..." >&2
    # The lock pins every package with its hashes; the project itself adds nothing to it.
    "$root/.venv/bin/python" -m pip install --quiet --require-hashes \
      -r "$root/requirements-dev.lock" || return 1
    "$root/.venv/bin/python" -m pip install --quiet --no-deps -e "$root" || return 1
    if ! "$root/.venv/bin/python" -m pip check >&2; then
      echo "The lock no longer covers pyproject.toml: run scripts/lock and commit the result." >&2
      return 1
    fi
    echo "$want" > "$stamp"
  fi
}
