# shellcheck shell=bash
# PostgreSQL 15 on 127.0.0.1:$PG_PORT. Data in $STATE/postgres/data, owned by the `postgres` user
# (initdb and pg_ctl refuse to run as root). Auth: scram-sha-256 over TCP, superuser
# postgres/postgres (DATABASE_URL carries it); trust on the Unix socket in $STATE/postgres/socket.

PG_DIR=$STATE/postgres
PG_DATA=$PG_DIR/data
PG_SOCKET=$PG_DIR/socket
PG_PASSWORD=postgres
PG_URL="postgres://postgres:$PG_PASSWORD@$HOST:$PG_PORT/postgres"

# Directory holding this major version's server binaries, or nothing.
pg_bin_dir() {
  local d c
  for d in "/usr/lib/postgresql/$PG_MAJOR/bin" "/usr/pgsql-$PG_MAJOR/bin"; do
    [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl ]] && { printf '%s' "$d"; return 0; }
  done
  c=$(command -v postgres 2>/dev/null) || return 1
  c=$(readlink -f "$c")
  d=$(dirname "$c")
  [[ -x $d/initdb && -x $d/pg_ctl ]] || return 1
  [[ $("$c" --version 2>/dev/null) =~ \ $PG_MAJOR\.[0-9]+ ]] || return 1
  printf '%s' "$d"
}

# A client tool (psql, pg_isready): next to the server if there, else from PATH.
pg_tool() {
  local d
  d=$(pg_bin_dir) && [[ -x $d/$1 ]] && { printf '%s' "$d/$1"; return 0; }
  command -v "$1"
}

# Run a command as the database owner: the `postgres` user when we are root, else ourselves.
PG_AS=()
if ((EUID == 0)); then PG_AS=(runuser -u postgres --); fi
as_pg() { "${PG_AS[@]}" "$@"; }

unit_postgres_installed() {
  pg_bin_dir >/dev/null && pg_tool psql >/dev/null && pg_tool pg_isready >/dev/null
}
unit_postgres_install() {
  apt_install "postgresql-$PG_MAJOR" "postgresql-client-$PG_MAJOR"
  # Debian's package may create and start its own cluster on 5432: stop it, ours owns the port.
  if command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | grep -q ' online '; then
    say "stopping the cluster that Debian's package started (ours runs from $PG_DATA)"
    pg_lsclusters -h | awk '$4 == "online" {print $1, $2}' | while read -r ver name; do
      pg_ctlcluster "$ver" "$name" stop || true
    done
  fi
  unit_postgres_installed || die "PostgreSQL $PG_MAJOR binaries still not found after apt-get install"
}

postgres_unit() { echo postgres; }
postgres_ports() { echo PG_PORT; }
postgres_match() { printf '%s' "-D $PG_DATA"; }
postgres_signal() { echo INT; } # fast shutdown: does not wait for clients to disconnect
postgres_timeout() { echo 60; }

postgres_init() {
  local bin pwfile
  bin=$(pg_bin_dir)
  if ((EUID == 0)); then
    id postgres >/dev/null 2>&1 || useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    mkdir -p "$PG_DIR"
    chown postgres:postgres "$PG_DIR"
    as_pg test -w "$PG_DIR" ||
      die "postgres: user 'postgres' cannot write $PG_DIR (is CRM_STACK_STATE=$STATE inside a private home directory?); use a state dir under /var/tmp"
  else
    mkdir -p "$PG_DIR"
  fi
  as_pg mkdir -p "$PG_SOCKET"
  if [[ -f $PG_DATA/PG_VERSION ]]; then
    [[ $(<"$PG_DATA/PG_VERSION") == "$PG_MAJOR" ]] ||
      die "postgres: $PG_DATA holds a PostgreSQL $(<"$PG_DATA/PG_VERSION") cluster, not $PG_MAJOR; move it away (or 'rm -rf $PG_DATA' to start empty)"
    return 0
  fi
  say "postgres: initdb $PG_DATA"
  pwfile=$PG_DIR/.pwfile
  printf '%s\n' "$PG_PASSWORD" >"$pwfile"
  ((EUID == 0)) && chown postgres:postgres "$pwfile"
  if ! (cd / && as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --pwfile="$pwfile" \
    --auth-host=scram-sha-256 --auth-local=trust -E UTF8 --locale=C.UTF-8) >>"$(log_file postgres)" 2>&1; then
    rm -f "$pwfile"
    return 1
  fi
  rm -f "$pwfile"
}

# After a crash or a reboot, postmaster.pid may name a pid that now belongs to another process,
# and the postmaster would then refuse to start. stack.sh only starts postgres once it knows that
# no postmaster of ours runs and that the port is free, so a lock file whose pid is not a
# postmaster on this data dir is stale.
postgres_clear_stale_lock() {
  local lock=$PG_DATA/postmaster.pid pid
  [[ -f $lock ]] || return 0
  pid=$(head -1 "$lock")
  if [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" &&
    [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"$(postgres_match)"* ]]; then
    return 0
  fi
  say "postgres: removing stale $lock (pid $pid is not running it)"
  rm -f "$lock"
}

postgres_start() {
  local bin log
  bin=$(pg_bin_dir)
  log=$(log_file postgres)
  postgres_init || return 1
  ((EUID == 0)) && chown postgres:postgres "$log"
  postgres_clear_stale_lock
  # pg_ctl daemonises the postmaster; setsid puts it in its own session, away from our terminal.
  # shellcheck disable=SC2094 # pg_ctl and the postmaster append to the same log, on purpose
  (cd / && setsid -w "${PG_AS[@]}" "$bin/pg_ctl" start -D "$PG_DATA" -l "$log" -w -t 60 \
    -o "-c listen_addresses=$HOST -p $PG_PORT -k $PG_SOCKET") >>"$log" 2>&1 </dev/null 9>&- || return 1
  head -1 "$PG_DATA/postmaster.pid" >"$(pid_file postgres)"
}

postgres_ready() {
  "$(pg_tool pg_isready)" -q -h "$HOST" -p "$PG_PORT" -t 2
}
postgres_verify() {
  local out
  out=$(PGCONNECT_TIMEOUT=5 "$(pg_tool psql)" "$PG_URL" -XAtqc 'SELECT 1' 2>&1) || true
  if [[ $out != 1 ]]; then
    echo "psql SELECT 1 failed: $out" >&2
    return 1
  fi
  echo "pg_isready ok; psql SELECT 1 over TCP as postgres ok"
}
