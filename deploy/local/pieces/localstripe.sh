# shellcheck shell=bash
# localstripe, the Stripe API emulator, on 127.0.0.1:$STRIPE_PORT. Its own CLI binds every interface,
# so we start its aiohttp app ourselves on loopback. State is in memory: a restart forgets it.

localstripe_unit() { echo python; }
localstripe_ports() { echo STRIPE_PORT; }
localstripe_match() { printf '%s' "from localstripe.server import app"; }
localstripe_timeout() { echo 30; }

localstripe_start() {
  spawn localstripe "$VENV/bin/python" -c \
    "from aiohttp import web; from localstripe.server import app; web.run_app(app, host='$HOST', port=$STRIPE_PORT)"
}

localstripe_ready() { http_ok "http://$HOST:$STRIPE_PORT/v1/customers" -u sk_test_local:; }
