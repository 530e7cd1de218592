# shellcheck shell=bash
# stripe-mock (optional piece: `stack.sh up stripe-mock`), Stripe's stateless request validator, on
# 127.0.0.1:$STRIPE_MOCK_PORT. Every request is checked against Stripe's OpenAPI spec; answers are
# fixtures. For the billing adapter's contract tests.

unit_stripe_mock_installed() {
  marker_ok "$BIN/.stripe-mock.installed" "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" && [[ -x $BIN/stripe-mock ]]
}
unit_stripe_mock_install() { go_install stripe-mock github.com/stripe/stripe-mock "$STRIPE_MOCK_VERSION"; }

stripe_mock_unit() { echo stripe-mock; }
stripe_mock_ports() { echo STRIPE_MOCK_PORT; }
stripe_mock_match() { printf '%s' "$BIN/stripe-mock -http-addr"; }
stripe_mock_timeout() { echo 30; }

stripe_mock_start() { spawn stripe-mock "$BIN/stripe-mock" -http-addr "$HOST:$STRIPE_MOCK_PORT"; }

stripe_mock_ready() {
  http_ok "http://$HOST:$STRIPE_MOCK_PORT/v1/customers" -H 'Authorization: Bearer sk_test_123'
}
