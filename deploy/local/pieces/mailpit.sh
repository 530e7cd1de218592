# shellcheck shell=bash
# Mailpit, the SMTP catcher: SMTP on 127.0.0.1:$SMTP_PORT, web UI and API on $MAILPIT_PORT.
# Mail is kept in $STATE/mailpit/mailpit.db across restarts.

MAILPIT_DIR=$STATE/mailpit

unit_mailpit_installed() {
  marker_ok "$BIN/.mailpit.installed" "github.com/axllent/mailpit@$MAILPIT_VERSION" && [[ -x $BIN/mailpit ]]
}
unit_mailpit_install() { go_install mailpit github.com/axllent/mailpit "$MAILPIT_VERSION"; }

mailpit_unit() { echo mailpit; }
mailpit_ports() { echo MAILPIT_PORT SMTP_PORT; }
mailpit_match() { printf '%s' "--database $MAILPIT_DIR/mailpit.db"; }
mailpit_timeout() { echo 30; }

mailpit_start() {
  mkdir -p "$MAILPIT_DIR"
  spawn mailpit "$BIN/mailpit" --smtp "$HOST:$SMTP_PORT" --listen "$HOST:$MAILPIT_PORT" \
    --disable-version-check --database "$MAILPIT_DIR/mailpit.db"
}

mailpit_ready() { http_ok "http://$HOST:$MAILPIT_PORT/api/v1/info" && port_open "$SMTP_PORT"; }
