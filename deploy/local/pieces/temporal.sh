# shellcheck shell=bash
# Temporal dev server (Server + Web UI in one process, SQLite file in $STATE/temporal) on
# 127.0.0.1:$TEMPORAL_PORT, UI on $TEMPORAL_UI_PORT. The `default` namespace is created by the
# server; the custom search attribute AccountId (Keyword) is registered at every start.

TEMPORAL_DIR=$STATE/temporal
TEMPORAL_DB=$TEMPORAL_DIR/temporal.db

temporal_unit() { echo python; }
temporal_ports() { echo TEMPORAL_PORT TEMPORAL_UI_PORT; }
temporal_match() { printf '%s' "--db-filename $TEMPORAL_DB"; }
temporal_timeout() { echo 60; }

temporal_start() {
  mkdir -p "$TEMPORAL_DIR"
  # shellcheck disable=SC2153 # TEMPORAL_BIN comes from pieces/python-venv.sh
  spawn temporal "$TEMPORAL_BIN" server start-dev --db-filename "$TEMPORAL_DB" \
    --ip "$HOST" --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --search-attribute AccountId=Keyword
}

temporal_cli() { "$TEMPORAL_BIN" --address "$HOST:$TEMPORAL_PORT" --color never "$@"; }

temporal_ready() {
  temporal_cli operator cluster health >/dev/null 2>&1 &&
    http_ok "http://$HOST:$TEMPORAL_UI_PORT/"
}
temporal_verify() {
  local err
  err=$(temporal_cli operator namespace describe --namespace default 2>&1 >/dev/null) || {
    echo "namespace 'default' not described: $err" >&2
    return 1
  }
  temporal_cli operator search-attribute list --namespace default 2>/dev/null | grep -q 'AccountId' || {
    echo "search attribute AccountId is not registered" >&2
    return 1
  }
  echo "cluster health SERVING; namespace default and search attribute AccountId present; UI answers"
}
