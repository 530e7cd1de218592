# shellcheck shell=bash
# localstripe, the Stripe API emulator, on 127.0.0.1:$STRIPE_PORT. Its own CLI binds every interface,
# so localstripe/serve.py runs its aiohttp app on loopback, with the store (write-through, reloaded at
# start) in $STATE/localstripe/store.pickle instead of /tmp/localstripe.pickle.

LOCALSTRIPE_DIR=$STATE/localstripe

localstripe_unit() { echo python; }
localstripe_ports() { echo STRIPE_PORT; }
localstripe_match() { printf '%s' "/localstripe/serve.py"; }
localstripe_timeout() { echo 30; }

localstripe_start() {
  mkdir -p "$LOCALSTRIPE_DIR"
  spawn localstripe "$VENV/bin/python" -u "$STACK_DIR/localstripe/serve.py" "$HOST" "$STRIPE_PORT" \
    "$LOCALSTRIPE_DIR/store.pickle"
}

localstripe_ready() { http_ok "http://$HOST:$STRIPE_PORT/v1/customers" -u sk_test_local:; }
