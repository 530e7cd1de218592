#!/usr/bin/env bash
# The local infrastructure of the CRM admin platform, without Docker: install, start, stop, check.
# `bash deploy/local/stack.sh help` for usage; README.md beside this file for the details.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
for piece_file in "$STACK_DIR"/pieces/*.sh; do
  # shellcheck source=/dev/null
  . "$piece_file"
done
unset piece_file

usage() {
  cat <<EOF
Usage: bash deploy/local/stack.sh COMMAND [PIECE...]

Commands:
  install [piece...]  install what is missing (default: every piece); idempotent, cached
  up [piece...]       install if missing, start, wait until really ready, write stack.env
                      (default: ${DEFAULT_PIECES[*]}); pieces already running are left alone
  down [piece...]     stop what this stack started (default: every piece)
  status              one line per piece; exit status 1 if a default piece is not running
  env                 print the 'export' lines that apps and tests need
  logs [piece]        list the log files, or print the last 50 lines of one piece's log

Pieces:  ${PIECES[*]}
         (stripe-mock is optional: installed by 'install', started only by 'up stripe-mock')
Cache:   $CACHE  (CRM_STACK_CACHE)
State:   $STATE  (CRM_STACK_STATE: data, logs, pid files, stack.env)
Ports:   deploy/local/ports.env; override any from the environment, e.g. PG_PORT=5433
EOF
}

# ---------------------------------------------------------------- helpers

lock() {
  mkdir -p "$STATE" "$LOGS" "$RUN"
  exec 9>"$STATE/.lock"
  if ! flock -n 9; then
    say "waiting for another stack.sh (lock $STATE/.lock)"
    flock -w 600 9 || die "another stack.sh has held $STATE/.lock for 10 minutes"
  fi
}

# The install units that some pieces need, each once, in order.
units_for() {
  local p u seen=" "
  for p in "$@"; do
    u=$(call "$p" unit)
    [[ $seen == *" $u "* ]] && continue
    seen+="$u "
    printf '%s\n' "$u"
  done
}

unit_fn() { printf 'unit_%s_%s' "${1//-/_}" "$2"; }

# Print one failure block: a clear line, then the last lines of the log.
report_failure() { # report_failure HEADLINE LOGFILE
  local block
  block=$(
    printf '[stack] ERROR: %s\n' "$1"
    if [[ -s $2 ]]; then
      printf '[stack] last 20 lines of %s:\n' "$2"
      tail -n 20 "$2" | sed 's/^/    | /'
    else
      printf '[stack] (%s is empty)\n' "$2"
    fi
  )
  printf '%s\n' "$block" >&2
}

install_one() { # runs in the background
  local u=$1 t0 rc=0 log=$LOGS/install-$1.log
  t0=$(now_us)
  say "install $u: installing (log $log)"
  "$(unit_fn "$u" install)" >"$log" 2>&1 &
  wait $! || rc=$?
  if ((rc != 0)); then
    report_failure "install of '$u' failed after $(since "$t0") (exit $rc) — log: $log" "$log"
    return 1
  fi
  say "install $u: done in $(since "$t0")"
}

install_units() {
  local u t0 pids=() rc=0 pid
  t0=$(now_us)
  mkdir -p "$LOGS" "$CACHE"
  for u in "$@"; do
    if "$(unit_fn "$u" installed)"; then
      say "install $u: cached"
      continue
    fi
    install_one "$u" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  ((${#pids[@]} == 0)) || say "install: finished in $(since "$t0")"
  return "$rc"
}

# up_piece PIECE start|wait — runs in the background; start it (unless it is already starting),
# wait for the quick probe, then run the deep check. On failure: one clear line + log tail, and
# the half-started process is stopped.
up_piece() {
  local p=$1 mode=$2 t0 log timeout deadline rc=0 detail="" pid
  t0=$(now_us)
  log=$(log_file "$p")
  timeout=${CRM_STACK_READY_TIMEOUT:-$(call "$p" timeout)}
  deadline=$((SECONDS + timeout))
  local where
  where="$HOST:$(all_ports "$p" | sed 's/ /,/g')"
  if [[ $mode == start ]]; then
    rotate_log "$log"
    ports_conf "$p" >"$(conf_file "$p")"
    say "$p: starting on $where"
    call "$p" start &
    wait $! || rc=$?
    if ((rc != 0)); then
      report_failure "$p failed to start on $where (start command exit $rc) — log: $log" "$log"
      stop_piece "$p" >/dev/null 2>&1 || true
      return 1
    fi
  else
    say "$p: process is up but not answering yet; waiting"
  fi
  while ! call "$p" ready >/dev/null 2>&1; do
    if ! pid=$(our_pid "$p"); then
      sleep 0.3 # let the log catch up with the exit
      report_failure "$p failed to start on $where (process exited after $(since "$t0")) — log: $log" "$log"
      rm -f "$(pid_file "$p")" "$(conf_file "$p")"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      report_failure "$p failed to start on $where (not ready after ${timeout}s; CRM_STACK_READY_TIMEOUT raises it) — log: $log" "$log"
      stop_piece "$p" >/dev/null 2>&1 || true
      return 1
    fi
    sleep 0.2
  done
  if has_fn "$p" verify; then
    rc=0
    detail=$(call "$p" verify "$((deadline > SECONDS ? deadline - SECONDS : 5))" 2>&1) || rc=$?
    if ((rc != 0)); then
      printf '%s\n' "$detail" >>"$log"
      report_failure "$p failed its readiness check on $where: ${detail##*$'\n'} — log: $log" "$log"
      stop_piece "$p" >/dev/null 2>&1 || true
      return 1
    fi
    detail=" — ${detail##*$'\n'}"
  fi
  pid=$(our_pid "$p" || echo '?')
  say "$p: ready in $(since "$t0") (pid $pid, $where)$detail"
}

write_env_file() {
  local tmp=$STATE/stack.env.tmp
  cmd_env >"$tmp"
  mv -f "$tmp" "$STATE/stack.env"
}

pieces_or_default() { # sets PICKED
  if (($# > 0)); then
    check_pieces "$@"
    PICKED=("$@")
  else
    PICKED=("${DEFAULT_PIECES[@]}")
  fi
}

# ---------------------------------------------------------------- commands

cmd_install() {
  local t0 units
  t0=$(now_us)
  if (($# > 0)); then check_pieces "$@"; else set -- "${PIECES[@]}"; fi
  lock
  mapfile -t units < <(units_for "$@")
  install_units "${units[@]}" || die "install failed (see above); fix the cause and re-run: bash deploy/local/stack.sh install"
  say "install: all done in $(since "$t0")"
}

cmd_up() {
  local t0 p pid v port units to_start=() to_wait=() conflicts=() pids=() rc=0
  t0=$(now_us)
  pieces_or_default "$@"
  lock
  mapfile -t units < <(units_for "${PICKED[@]}")
  install_units "${units[@]}" || die "install failed (see above); nothing was started"

  for p in "${PICKED[@]}"; do
    if pid=$(our_pid "$p"); then
      if [[ -f $(conf_file "$p") && "$(<"$(conf_file "$p")")" != "$(ports_conf "$p")" ]]; then
        die "$p is running (pid $pid) with $(<"$(conf_file "$p")"), but the environment now says $(ports_conf "$p"): run 'bash deploy/local/stack.sh down $p' first, then up again"
      fi
      if call "$p" ready >/dev/null 2>&1; then
        say "$p: already running (pid $pid, $HOST:$(main_port "$p"))"
      else
        to_wait+=("$p")
      fi
      continue
    fi
    rm -f "$(pid_file "$p")" "$(conf_file "$p")"
    for v in $(call "$p" ports); do
      port=${!v}
      if port_open "$port"; then
        conflicts+=("$p: port $port ($v) on $HOST is already taken by $(port_owner "$port"), which this stack did not start. Stop that process, or choose another port for every stack.sh call and the apps, e.g. 'export $v=$((port + 1))' then 'bash deploy/local/stack.sh up'")
      fi
    done
    to_start+=("$p")
  done
  if ((${#conflicts[@]} > 0)); then
    for v in "${conflicts[@]}"; do printf '[stack] ERROR: %s\n' "$v" >&2; done
    exit 1
  fi

  for p in "${to_start[@]}"; do
    up_piece "$p" start &
    pids+=("$!")
  done
  for p in "${to_wait[@]}"; do
    up_piece "$p" wait &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
  write_env_file
  if ((rc != 0)); then
    die "up failed (see above); pieces that did start are left running — 'bash deploy/local/stack.sh status' shows them"
  fi
  say "up: ${PICKED[*]} ready in $(since "$t0"); environment in $STATE/stack.env ('set -a; . $STATE/stack.env; set +a', or 'eval \"\$(bash deploy/local/stack.sh env)\"')"
}

cmd_down() {
  local p pids=() pid v port
  if (($# > 0)); then check_pieces "$@"; else set -- "${PIECES[@]}"; fi
  lock
  local stopped=()
  for p in "$@"; do
    if our_pid "$p" >/dev/null; then stopped+=("$p"); fi
    stop_piece "$p" &
    pids+=("$!")
  done
  for pid in "${pids[@]}"; do wait "$pid" || true; done
  ((${#stopped[@]} > 0)) || say "down: nothing of ours was running"
  # What we stopped must have let go of its ports.
  for p in "${stopped[@]}"; do
    for v in $(call "$p" ports); do
      port=${!v}
      for _ in 1 2 3 4 5 6 7 8 9 10; do port_open "$port" || break; sleep 0.2; done
      if port_open "$port"; then
        warn "$p: port $port ($v) still answers after stopping it, held by $(port_owner "$port")"
      fi
    done
  done
}

cmd_status() {
  local p pid state rc=0 where mem total=0
  printf '%-12s %-19s %-22s %-8s %-7s %s\n' PIECE STATE ADDRESS PID RSS_MB LOG
  for p in "${PIECES[@]}"; do
    where="$HOST:$(all_ports "$p" | sed 's/ /,/g')"
    mem=-
    if pid=$(our_pid "$p"); then
      if call "$p" ready >/dev/null 2>&1; then state=running; else state=unhealthy; fi
      mem=$(rss_mb "$pid")
      total=$((total + mem))
    else
      pid=-
      state=stopped
      if port_open "$(main_port "$p")"; then
        state="stopped (port $(main_port "$p") held by $(port_owner "$(main_port "$p")"))"
      fi
    fi
    if ! is_default_piece "$p"; then
      [[ $state == stopped ]] && state="stopped (optional)"
    elif [[ $state != running ]]; then
      rc=1
    fi
    printf '%-12s %-19s %-22s %-8s %-7s %s\n' "$p" "$state" "$where" "$pid" "$mem" "$(log_file "$p")"
  done
  printf '%-12s %-19s %-22s %-8s %-7s\n' total "" "" "" "$total"
  return "$rc"
}

# The ports that running pieces were started with win over the environment, so that the printed
# endpoints are where things really are.
use_running_ports() {
  local p pair
  for p in "${PIECES[@]}"; do
    if ! our_pid "$p" >/dev/null || [[ ! -f $(conf_file "$p") ]]; then continue; fi
    for pair in $(<"$(conf_file "$p")"); do
      [[ $pair =~ ^([A-Z_]+_PORT)=([0-9]+)$ ]] && printf -v "${BASH_REMATCH[1]}" '%s' "${BASH_REMATCH[2]}"
    done
  done
  PG_URL="postgres://postgres:$PG_PASSWORD@$HOST:$PG_PORT/postgres"
}

cmd_env() {
  use_running_ports
  cat <<EOF
# Local stack endpoints (deploy/local/stack.sh env). Ports: as started for running pieces, else
# deploy/local/ports.env with environment overrides.
export DATABASE_URL='$PG_URL'
export KAFKA_BROKERS='$HOST:$KAFKA_PORT'
export TEMPORAL_ADDRESS='$HOST:$TEMPORAL_PORT'
export TEMPORAL_UI_URL='http://$HOST:$TEMPORAL_UI_PORT'
export STRIPE_API_BASE='http://$HOST:$STRIPE_PORT'
export STRIPE_MOCK_BASE='http://$HOST:$STRIPE_MOCK_PORT'
export SMTP_URL='smtp://$HOST:$SMTP_PORT'
export MAILPIT_URL='http://$HOST:$MAILPIT_PORT'
export TEMPORAL_TEST_SERVER_PATH='$TEMPORAL_TEST_SERVER_BIN'
export GATEWAY_URL='http://$HOST:$GATEWAY_PORT'
EOF
}

cmd_logs() {
  local p
  if (($# == 0)); then
    for p in "${PIECES[@]}"; do printf '%-12s %s\n' "$p" "$(log_file "$p")"; done
    for p in "$LOGS"/install-*.log; do
      [[ -e $p ]] && printf '%-12s %s\n' install "$p"
    done
    return 0
  fi
  check_pieces "$1"
  [[ -f $(log_file "$1") ]] || die "no log yet for $1 ($(log_file "$1")); it has not been started"
  tail -n 50 "$(log_file "$1")"
}

main() {
  [[ $STATE != *[[:space:]]* && $CACHE != *[[:space:]]* ]] ||
    die "CRM_STACK_STATE and CRM_STACK_CACHE must not contain spaces ('$STATE', '$CACHE')"
  local cmd=${1:-help}
  (($# == 0)) || shift
  trap 'rm -f "$STATE/.apt-updated.$$"' EXIT
  case $cmd in
    install) cmd_install "$@" ;;
    up | start) cmd_up "$@" ;;
    down | stop) cmd_down "$@" ;;
    status)
      (($# == 0)) || die "'status' takes no arguments (it always shows every piece)"
      cmd_status
      ;;
    env)
      (($# == 0)) || die "'env' takes no arguments"
      cmd_env
      ;;
    logs) cmd_logs "$@" ;;
    help | -h | --help) usage ;;
    *)
      usage >&2
      die "unknown command '$cmd' — use one of: install, up, down, status, env, logs, help"
      ;;
  esac
}

main "$@"
