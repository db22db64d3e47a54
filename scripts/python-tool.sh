# python_tool PACKAGE VERSION EXECUTABLE: a pinned PyPI tool in a virtualenv of its own in the per-user
# cache, installed on first use (and again after an interrupted install); prints the executable's path.
python_tool() {
  local package="$1" version="$2" executable="$3"
  local venv="${DF_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/datafibers}/$package-$version"
  if [[ ! -x "$venv/bin/$executable" || ! -f "$venv/.installed" ]]; then
    echo "[$package] installing $package $version from PyPI into $venv" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "$package==$version" >&2
    touch "$venv/.installed"
  fi
  echo "$venv/bin/$executable"
}
