# shellcheck shell=bash disable=SC2034 # its variables are used by the scripts that source it
# Helpers shared by stack.sh and pieces/*.sh. Sourced by stack.sh, never run on its own.
#
# A piece (pieces/<name>.sh) defines, with <fn> = its name with '-' turned into '_':
#   <fn>_unit     the install unit it needs (see unit_* below)
#   <fn>_ports    names of its port variables (from ports.env), the main one first
#   <fn>_match    a string that its process's command line contains (tells our process from a stranger)
#   <fn>_start    launch it (normally through `spawn`), without waiting for readiness
#   <fn>_ready    one quick readiness probe: 0 when it answers
#   <fn>_verify   optional, a deeper one-shot check run once the probe passes; may print one line
#   <fn>_signal   optional, the signal for a graceful stop (default TERM)
#   <fn>_timeout  seconds to wait for readiness
# An install unit <u> defines unit_<u>_installed (fast marker check) and unit_<u>_install.

# shellcheck source-path=SCRIPTDIR
STACK_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
. "$STACK_DIR/versions.env"
# shellcheck source=ports.env
. "$STACK_DIR/ports.env"

HOST=127.0.0.1
: "${HOME:=$(getent passwd "$(id -u)" | cut -d: -f6)}"
CACHE=${CRM_STACK_CACHE:-$HOME/.cache/crm-admin-stack}
STATE=${CRM_STACK_STATE:-/var/tmp/crm-admin-stack}
LOGS=$STATE/logs
RUN=$STATE/run
BIN=$CACHE/bin
VENV=$CACHE/venv
STOP_TIMEOUT=${CRM_STACK_STOP_TIMEOUT:-30}

# Pieces in start order; the optional ones are started only when named.
PIECES=(postgres kafka temporal localstripe mailpit stripe-mock)
DEFAULT_PIECES=(postgres kafka temporal localstripe mailpit)

# ---------------------------------------------------------------- output

say() { printf '[stack] %s\n' "$*" >&2; }
warn() { printf '[stack] WARNING: %s\n' "$*" >&2; }
die() {
  printf '[stack] ERROR: %s\n' "$*" >&2
  exit 1
}

# Microseconds since the epoch (EPOCHREALTIME's separator follows the locale, so keep digits only).
now_us() { printf '%s' "${EPOCHREALTIME//[!0-9]/}"; }
# Seconds since a now_us value, one decimal: "12.3s".
since() {
  local d=$((($(now_us) - $1) / 100000))
  printf '%d.%ds' $((d / 10)) $((d % 10))
}

# ---------------------------------------------------------------- pieces

fn() { printf '%s_%s' "${1//-/_}" "$2"; }
has_fn() { declare -F "$(fn "$1" "$2")" >/dev/null; }
call() {
  local piece=$1 action=$2
  shift 2
  "$(fn "$piece" "$action")" "$@"
}

is_piece() {
  local p
  for p in "${PIECES[@]}"; do [[ $p == "$1" ]] && return 0; done
  return 1
}
is_default_piece() {
  local p
  for p in "${DEFAULT_PIECES[@]}"; do [[ $p == "$1" ]] && return 0; done
  return 1
}
check_pieces() {
  local p
  for p in "$@"; do
    is_piece "$p" || die "unknown piece '$p' — known pieces: ${PIECES[*]} (default: ${DEFAULT_PIECES[*]})"
  done
}

log_file() { printf '%s/%s.log' "$LOGS" "$1"; }
pid_file() { printf '%s/%s.pid' "$RUN" "$1"; }
conf_file() { printf '%s/%s.ports' "$RUN" "$1"; }

# "VAR=port ..." for a piece's current configuration.
ports_conf() {
  local v out=()
  for v in $(call "$1" ports); do out+=("$v=${!v}"); done
  printf '%s' "${out[*]}"
}
main_port() {
  local v
  v=$(call "$1" ports | awk '{print $1}')
  printf '%s' "${!v}"
}
all_ports() {
  local v out=()
  for v in $(call "$1" ports); do out+=("${!v}"); done
  printf '%s' "${out[*]}"
}

# ---------------------------------------------------------------- processes

pid_alive() {
  local state
  [[ -r /proc/$1/stat ]] || return 1
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# The pid of our running process for a piece (alive and its command line matches), or failure.
our_pid() {
  local f pid cmd
  f=$(pid_file "$1")
  [[ -s $f ]] || return 1
  pid=$(<"$f")
  [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"$(call "$1" match)"* ]] || return 1
  printf '%s' "$pid"
}

# Resident memory in MB of a process and all its descendants (postgres forks its workers into
# sessions of their own, so the process group would miss them).
rss_mb() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      for (p in parent) { x = p; while ((x in parent) && x != root && x > 1) x = parent[x]; if (x == root) sum += rss[p] }
      printf "%d", sum / 1024
    }'
}

rotate_log() {
  if [[ -s $1 ]]; then mv -f "$1" "$1.1"; fi
  : >"$1"
}

# spawn PIECE CMD...: run CMD detached in its own session (it outlives the calling shell, and its
# process group is ours to clean up), output appended to the piece's log, pid in the pid file.
# fd 9 is the stack lock: the daemon must not inherit it.
spawn() {
  local piece=$1
  shift
  setsid nohup "$@" >>"$(log_file "$piece")" 2>&1 </dev/null 9>&- &
  printf '%s\n' "$!" >"$(pid_file "$piece")"
}

# Stop a piece: graceful signal, wait, then SIGKILL to its whole process group after STOP_TIMEOUT.
stop_piece() {
  local piece=$1 pid pgid sig=TERM t0 deadline
  t0=$(now_us)
  if ! pid=$(our_pid "$piece"); then
    rm -f "$(pid_file "$piece")" "$(conf_file "$piece")"
    return 0
  fi
  has_fn "$piece" signal && sig=$(call "$piece" signal)
  pgid=$(awk '{print $5}' "/proc/$pid/stat" 2>/dev/null || true)
  kill "-$sig" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while pid_alive "$pid" && ((SECONDS < deadline)); do sleep 0.1; done
  if pid_alive "$pid"; then
    warn "$piece (pid $pid) still running ${STOP_TIMEOUT}s after SIG$sig: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # Leftover children in its process group (it leads its own session, so the group is only ours).
  if [[ $pgid == "$pid" ]]; then kill -KILL -- "-$pgid" 2>/dev/null || true; fi
  while pid_alive "$pid"; do sleep 0.1; done
  rm -f "$(pid_file "$piece")" "$(conf_file "$piece")"
  say "$piece: stopped (pid $pid) in $(since "$t0")"
}

# ---------------------------------------------------------------- network

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Who listens on a port: "name pid N", or "unknown process" (ss missing or not permitted).
port_owner() {
  local line
  line=$(ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'users:(("[^"]*",pid=[0-9]*' | head -1 || true)
  if [[ $line =~ \"([^\"]*)\",pid=([0-9]+) ]]; then
    printf '%s pid %s' "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
  else
    printf 'unknown process'
  fi
}

# http_ok URL [curl args...]: 0 when the URL answers 2xx within 2 s.
http_ok() {
  local url=$1
  shift
  curl -fsS -o /dev/null --max-time 2 "$@" "$url" 2>/dev/null
}

# ---------------------------------------------------------------- installs

as_root_or_die() {
  ((EUID == 0)) || die "$* is missing and installing it needs root: run 'sudo apt-get install $*' and retry"
}

# apt_install PKG...: apt-get update (once per run) and install; serialised across parallel installs.
apt_install() {
  as_root_or_die "$@"
  mkdir -p "$STATE"
  (
    flock -w 600 8 || die "timed out waiting for another apt-get"
    # Once per stack.sh run ($$ is the top-level shell's pid, also in subshells).
    if [[ ! -e $STATE/.apt-updated.$$ ]]; then
      say "apt-get update (needed for: $*)"
      DEBIAN_FRONTEND=noninteractive apt-get update -qq
      : >"$STATE/.apt-updated.$$"
    fi
    say "apt-get install $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends --no-upgrade "$@"
  ) 8>"$STATE/.apt.lock"
}

need_cmd() { # need_cmd COMMAND DEBIAN_PACKAGE...
  local c=$1
  shift
  command -v "$c" >/dev/null 2>&1 && return 0
  apt_install "$@"
  command -v "$c" >/dev/null 2>&1 || die "'$c' still missing after apt-get install $*"
}

# marker_ok FILE EXPECTED: the install marker exists and records exactly EXPECTED.
marker_ok() { [[ -f $1 && "$(<"$1")" == "$2" ]]; }

# go_install NAME MODULE VERSION: build a Go command into $BIN (GOBIN); the module cache stays Go's own.
go_install() {
  local name=$1 mod=$2 ver=$3
  need_cmd go golang-go
  mkdir -p "$BIN"
  GOBIN=$BIN go install "$mod@$ver"
  [[ -x $BIN/$name ]] || die "go install $mod@$ver did not produce $BIN/$name"
  printf '%s\n' "$mod@$ver" >"$BIN/.$name.installed"
}
