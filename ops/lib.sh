#!/usr/bin/env bash
# Shared helpers for ops/up, ops/down and ops/test. Source it; do not run it.
#
# PostgreSQL runs as a private cluster (not the distribution's service) owned by the `postgres`
# system user: initdb refuses to run as root, so every server-side command goes through
# as_postgres. Layout for a cluster directory DIR:
#   DIR                     data directory (postgres, 0700)
#   DIR-run/                socket directory and postgres.log (postgres, 0700)
#   APP_PASSWORD_FILE       password of the login role `control` (0600, generated once)
#   SUPERUSER_PASSWORD_FILE password of the `postgres` superuser (0600, generated once)
# shellcheck shell=bash

OPS_NAME=${OPS_NAME:-ops}

# Database role and database the application uses.
PG_APP_ROLE=control
PG_APP_DB=control

# Extra options for initdb and for the server (-c name=value ...); ops/test makes them faster
# and less durable. Word-split on purpose.
PG_INITDB_OPTS=${PG_INITDB_OPTS:-}
PG_SERVER_OPTS=${PG_SERVER_OPTS:-}

info() { printf '%s: %s\n' "$OPS_NAME" "$*"; }
warn() { printf '%s: warning: %s\n' "$OPS_NAME" "$*" >&2; }
die() {
    printf '%s: error: %s\n' "$OPS_NAME" "$*" >&2
    exit 1
}

# Seconds since the epoch with decimals (bash 5), for timings.
now() { printf '%s' "${EPOCHREALTIME:-$(date +%s)}"; }
elapsed_since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# Run a command as root: directly when root, else through sudo.
as_root() {
    if ((EUID == 0)); then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo -- "$@"
    else
        die "root rights needed (not root and no sudo) to run: $*"
    fi
}

# Run a command as the postgres system user, from / (its home may not be our working directory).
as_postgres() {
    (
        cd /
        if ((EUID == 0)); then
            runuser -u postgres -- "$@"
        elif command -v sudo >/dev/null 2>&1; then
            sudo -u postgres -- "$@"
        else
            die "root rights needed (not root and no sudo) to run as postgres: $*"
        fi
    )
}

# Absolute path without requiring it to exist.
abs_path() { realpath -m -- "$1"; }

# ---------------------------------------------------------------------------------------------
# PostgreSQL installation

# Newest /usr/lib/postgresql/<version>/bin that has initdb, or nothing.
find_pg_bin() {
    local dir best="" best_ver=-1 ver
    for dir in /usr/lib/postgresql/*/bin; do
        [[ -x $dir/initdb ]] || continue
        ver=${dir#/usr/lib/postgresql/}
        ver=${ver%%/*}
        ver=${ver%%.*}
        [[ $ver =~ ^[0-9]+$ ]] || continue
        if ((ver > best_ver)); then
            best_ver=$ver
            best=$dir
        fi
    done
    [[ -n $best ]] && printf '%s\n' "$best"
}

# apt_install PACKAGE...: apt-get update, then install; on failure show apt's output and stop.
apt_install() {
    local aptlog
    aptlog=$(mktemp)
    if ! as_root apt-get -o DPkg::Lock::Timeout=300 update -q >"$aptlog" 2>&1; then
        cat "$aptlog" >&2
        rm -f "$aptlog"
        die "apt-get update failed"
    fi
    if ! as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "$@" >"$aptlog" 2>&1; then
        cat "$aptlog" >&2
        rm -f "$aptlog"
        die "apt-get install $* failed"
    fi
    rm -f "$aptlog"
}

# Install PostgreSQL from the distribution when missing; export PG_BIN.
ensure_postgres() {
    PG_BIN=$(find_pg_bin || true)
    if [[ -z $PG_BIN ]]; then
        command -v apt-get >/dev/null 2>&1 ||
            die "PostgreSQL is not installed and apt-get is not available: install PostgreSQL (initdb under /usr/lib/postgresql/<version>/bin)"
        info "installing PostgreSQL with apt-get (once per machine)..."
        local t0
        t0=$(now)
        apt_install postgresql
        PG_BIN=$(find_pg_bin || true)
        [[ -n $PG_BIN ]] || die "postgresql was installed but no /usr/lib/postgresql/*/bin/initdb was found"
        info "installed PostgreSQL ($PG_BIN) in $(elapsed_since "$t0") s"
    fi
    id postgres >/dev/null 2>&1 || die "the postgres system user does not exist (is the postgresql package installed?)"
    export PG_BIN
}

# ---------------------------------------------------------------------------------------------
# Secrets

# 32 random URL-safe characters [A-Za-z0-9_-].
random_password() {
    local raw
    if command -v openssl >/dev/null 2>&1; then
        raw=$(openssl rand -base64 48)
    else
        raw=$(head -c 48 /dev/urandom | base64 -w0)
    fi
    raw=${raw//[$'\n\r']/}
    raw=${raw//+/-}
    raw=${raw//\//_}
    raw=${raw//=/}
    ((${#raw} >= 32)) || die "could not generate a random password"
    printf '%s' "${raw:0:32}"
}

# 32 random bytes, base64, one line.
random_key() {
    if command -v openssl >/dev/null 2>&1; then
        openssl rand -base64 32 | tr -d '\n'
    else
        head -c 32 /dev/urandom | base64 -w0
    fi
}

# ensure_secret_file FILE GENERATOR: create FILE (0600, one line) from GENERATOR's output unless
# it already has content; an existing file is never regenerated.
ensure_secret_file() {
    local file=$1 gen=$2 value tmp
    if [[ -s $file ]]; then
        chmod 600 "$file"
        return 0
    fi
    value=$("$gen")
    [[ -n $value ]] || die "empty secret from $gen"
    tmp="$file.tmp.$$"
    (
        umask 077
        printf '%s\n' "$value" >"$tmp"
    )
    mv -f -- "$tmp" "$file"
}

# read_password FILE: print the password in FILE; it must be URL-safe (it goes into SQL and into
# a connection string unquoted).
read_password() {
    local file=$1 value
    [[ -r $file ]] || die "cannot read password file $file"
    value=$(<"$file")
    value=${value%$'\r'}
    [[ $value =~ ^[A-Za-z0-9_.~-]{16,}$ ]] ||
        die "password in $file must be at least 16 characters from [A-Za-z0-9_.~-] (delete the file to generate a new one)"
    printf '%s' "$value"
}

# ---------------------------------------------------------------------------------------------
# Filesystem checks

# check_traversable DIR: DIR and each of its parents must be enterable by postgres. Checked from /
# downwards so that the error names the directory that actually blocks.
check_traversable() {
    local dir path=""
    local -a parts
    dir=$(abs_path "$1")
    IFS=/ read -r -a parts <<<"${dir#/}"
    for dir in "" "${parts[@]}"; do
        [[ -n $dir || -z $path ]] || continue
        path="${path%/}/$dir"
        if ! as_postgres test -x "$path"; then
            die "the postgres user cannot enter $path (the PostgreSQL cluster lives below it). Fix: chmod o+x '$path' (or move the repository below a directory every user can traverse)"
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# Cluster

# Socket directory for cluster DIR: DIR-run, or a short directory under /tmp when that path is
# too long for a Unix socket (107 bytes including "/.s.PGSQL.<port>").
pg_socket_dir() {
    local dir run
    dir=$(abs_path "$1")
    run="$dir-run"
    if ((${#run} > 90)); then
        run="/tmp/control-pg-$(printf '%s' "$dir" | cksum | cut -d' ' -f1)"
    fi
    printf '%s\n' "$run"
}

# Binaries for cluster DIR: those of the major version that created it (PG_VERSION), so that a
# newer PostgreSQL installed later does not try to run an older cluster; PG_BIN for a new one.
pg_bin_for() {
    local dir=$1 ver
    if as_root test -f "$dir/PG_VERSION"; then
        ver=$(as_root cat "$dir/PG_VERSION")
        if [[ -x /usr/lib/postgresql/$ver/bin/pg_ctl ]]; then
            printf '%s\n' "/usr/lib/postgresql/$ver/bin"
            return 0
        fi
        die "the cluster $dir was created by PostgreSQL $ver, which is not installed (apt-get install postgresql-$ver, or delete the cluster)"
    fi
    printf '%s\n' "$PG_BIN"
}

pg_run_dir() { printf '%s-run\n' "$(abs_path "$1")"; }
pg_log_file() { printf '%s/postgres.log\n' "$(pg_run_dir "$1")"; }

# pg_is_running DIR: true when a server is running on the cluster.
pg_is_running() {
    local dir=$1
    local bin
    [[ -n ${PG_BIN:-} ]] || return 1
    as_root test -f "$dir/PG_VERSION" || return 1
    bin=$(pg_bin_for "$dir") || return 1
    as_postgres "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1
}

# Port the running cluster listens on (4th line of postmaster.pid).
pg_running_port() {
    as_root sed -n '4p' "$1/postmaster.pid" 2>/dev/null
}

# psql as the postgres superuser over the Unix socket (peer authentication).
pg_admin_psql() {
    local dir=$1 port=$2 bin
    shift 2
    bin=$(pg_bin_for "$dir")
    as_postgres "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$(pg_socket_dir "$dir")" -p "$port" -U postgres -d postgres "$@"
}

# start_cluster DIR PORT APP_PASSWORD_FILE [SUPERUSER_PASSWORD_FILE]
# Creates the cluster when DIR/PG_VERSION is absent, starts it (unless running), and makes sure
# the login role `control` (CREATEDB, not superuser) with APP_PASSWORD_FILE's password and the
# database `control` owned by it exist. Password files are generated when missing.
# SUPERUSER_PASSWORD_FILE defaults to <parent of DIR>/pg-superuser-password.
start_cluster() {
    local dir port app_pw_file su_pw_file run sock log t0
    dir=$(abs_path "$1")
    port=$2
    app_pw_file=$3
    su_pw_file=${4:-$(dirname -- "$dir")/pg-superuser-password}
    if ! [[ $port =~ ^[1-9][0-9]{0,4}$ ]] || ((port > 65535)); then
        die "invalid PostgreSQL port: $port"
    fi
    [[ -n ${PG_BIN:-} ]] || ensure_postgres

    run=$(pg_run_dir "$dir")
    sock=$(pg_socket_dir "$dir")
    log=$(pg_log_file "$dir")

    ensure_secret_file "$app_pw_file" random_password
    ensure_secret_file "$su_pw_file" random_password

    as_root install -d -o postgres -g postgres -m 0700 "$dir" "$run"
    [[ $sock == "$run" ]] || as_root install -d -o postgres -g postgres -m 0700 "$sock"

    if ! as_root test -f "$dir/PG_VERSION"; then
        t0=$(now)
        local pwfile initlog rc=0
        pwfile=$(mktemp)
        initlog=$(mktemp)
        read_password "$su_pw_file" >"$pwfile"
        as_root chown postgres "$pwfile"
        # shellcheck disable=SC2086 # PG_INITDB_OPTS is a list of options
        as_postgres "$PG_BIN/initdb" -D "$dir" -U postgres --pwfile="$pwfile" \
            --encoding=UTF8 --locale=C.UTF-8 --auth-local=peer --auth-host=scram-sha-256 \
            $PG_INITDB_OPTS >"$initlog" 2>&1 || rc=$?
        as_root rm -f -- "$pwfile"
        if ((rc != 0)); then
            cat "$initlog" >&2
            rm -f -- "$initlog"
            die "initdb failed for $dir"
        fi
        rm -f -- "$initlog"
        info "created PostgreSQL cluster $dir in $(elapsed_since "$t0") s"
    fi

    local bin
    bin=$(pg_bin_for "$dir")
    if pg_is_running "$dir"; then
        local running_port
        running_port=$(pg_running_port "$dir")
        if [[ -n $running_port && $running_port != "$port" ]]; then
            die "the cluster $dir is already running on port $running_port, not $port: stop it first (ops/down) or use port $running_port"
        fi
    else
        t0=$(now)
        if port_in_use "$port"; then
            die "port $port (PostgreSQL) is already in use by another program: choose another port"
        fi
        # shellcheck disable=SC2086 # PG_SERVER_OPTS is a list of options
        if ! as_postgres "$bin/pg_ctl" -D "$dir" -l "$log" -w -t 60 -o \
            "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$sock $PG_SERVER_OPTS" \
            start >/dev/null 2>&1; then
            printf '%s\n' "--- last lines of $log ---" >&2
            as_root tail -n 30 "$log" >&2 || true
            die "PostgreSQL did not start (cluster $dir, port $port)"
        fi
        info "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') listening on 127.0.0.1:$port (started in $(elapsed_since "$t0") s)"
    fi

    local app_pw
    app_pw=$(read_password "$app_pw_file")
    # The password travels on stdin, never on a command line.
    pg_admin_psql "$dir" "$port" <<SQL
\\set app_pw '$app_pw'
SELECT 'CREATE ROLE $PG_APP_ROLE' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_APP_ROLE') \\gexec
ALTER ROLE $PG_APP_ROLE WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD :'app_pw';
SELECT 'CREATE DATABASE $PG_APP_DB OWNER $PG_APP_ROLE' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_APP_DB') \\gexec
SQL
}

# stop_cluster DIR: fast shutdown when running; silent otherwise.
stop_cluster() {
    local dir
    dir=$(abs_path "$1")
    [[ -n ${PG_BIN:-} ]] || PG_BIN=$(find_pg_bin || true)
    [[ -n $PG_BIN ]] || return 0
    pg_is_running "$dir" || return 0
    as_postgres "$(pg_bin_for "$dir")/pg_ctl" -D "$dir" -m fast -w -t 60 stop >/dev/null
    # A socket directory under /tmp (long paths) is removed when empty.
    local sock
    sock=$(pg_socket_dir "$dir")
    if [[ $sock != "$(pg_run_dir "$dir")" ]]; then
        as_root rmdir -- "$sock" 2>/dev/null || true
    fi
}

# ---------------------------------------------------------------------------------------------
# Processes, ports, HTTP

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
    local pid=$1 state
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r /proc/$pid/stat ]]; then
        state=$(sed -E 's/^.*\) ([A-Za-z]).*$/\1/' "/proc/$pid/stat" 2>/dev/null || true)
        [[ $state != Z ]] || return 1
    fi
    return 0
}

# port_in_use PORT: something listens on it (TCP, any local address).
port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        local out
        if out=$(ss -Hltn "sport = :$port" 2>/dev/null) && [[ -n $out ]]; then
            return 0
        fi
    fi
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# free_port [MIN] [MAX]: a TCP port nothing listens on, starting from a random point in
# [MIN, MAX] (default 20000-32000, below the kernel's ephemeral range).
free_port() {
    local min=${1:-20000} max=${2:-32000} span start i p
    span=$((max - min + 1))
    start=$(((RANDOM * 32768 + RANDOM) % span))
    for ((i = 0; i < span && i < 500; i++)); do
        p=$((min + (start + i) % span))
        if ! port_in_use "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
    done
    die "no free TCP port found in $min-$max"
}

# http_status URL: the HTTP status code, or 000 when nothing answers.
http_status() {
    local url=$1 code
    if command -v curl >/dev/null 2>&1; then
        code=$(curl -ks -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null) || true
        printf '%s\n' "${code:-000}"
        return 0
    fi
    # Fallback without curl: plain HTTP over bash's /dev/tcp.
    [[ $url == http://* ]] || {
        printf '000\n'
        return 0
    }
    # shellcheck disable=SC2016 # the script is expanded by the inner bash
    timeout 6 bash -c '
        url=${1#http://}
        hostport=${url%%/*}
        path=/
        [[ $url == */* ]] && path=/${url#*/}
        if [[ $hostport == \[*\]* ]]; then
            host=${hostport%%]*}; host=${host#[}; rest=${hostport#*]}; port=${rest#:}
        elif [[ $hostport == *:* ]]; then
            host=${hostport%:*}; port=${hostport##*:}
        else
            host=$hostport; port=""
        fi
        port=${port:-80}
        exec 3<>"/dev/tcp/$host/$port" || exit 1
        printf "GET %s HTTP/1.0\r\nHost: %s\r\nConnection: close\r\n\r\n" "$path" "$hostport" >&3
        IFS=" " read -r _ status _ <&3 || exit 1
        printf "%s\n" "$status"
    ' _ "$url" 2>/dev/null || printf '000\n'
}

# wait_http_200 URL TIMEOUT_SECONDS [PID]: wait until URL answers 200. Returns 1 on timeout,
# 2 when PID (if given) has exited.
wait_http_200() {
    local url=$1 timeout=$2 pid=${3:-} deadline
    deadline=$((SECONDS + timeout))
    while :; do
        [[ $(http_status "$url") == 200 ]] && return 0
        if [[ -n $pid ]] && ! pid_alive "$pid"; then
            return 2
        fi
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# publish_ready_to_run PROJECT DIR LOG: publishes src/PROJECT ReadyToRun (framework-dependent) into DIR: its code and
# its libraries' are compiled ahead of time, so its first requests after a start do not wait for the JIT.
publish_ready_to_run() {
    local project=$1 dir=$2 log=$3
    if ! dotnet publish "$ROOT/src/$project/$project.csproj" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true \
        -o "$dir" -nologo -v q >>"$log" 2>&1; then
        cat "$log" >&2
        die "publish of $project failed (log: $log)"
    fi
}

# publish_api DIR LOG: the API ReadyToRun into DIR (in bench/policy-fanout the JIT was ~130 ms of a first change's fan-out).
publish_api() { publish_ready_to_run Control.Api "$1" "$2"; }

# publish_clis LOG: publishes control NativeAOT (a native executable: no JIT, starts in milliseconds, which a
# technician feels on every `control exec`) and control-agent ReadyToRun (a long-running daemon) into .build/ (what bin/
# runs). NativeAOT links with clang against zlib: installed with apt-get when missing. Build output goes to LOG.
publish_clis() {
    local log=$1
    ensure_native_toolchain
    # A ReadyToRun publish of an earlier version left control.dll and friends there; the native executable needs none.
    rm -rf -- "$ROOT/.build/Control.Viewer"
    if ! dotnet publish "$ROOT/src/Control.Viewer/Control.Viewer.csproj" -c Release -r linux-x64 \
        -o "$ROOT/.build/Control.Viewer" -nologo -v q >>"$log" 2>&1; then
        cat "$log" >&2
        die "publish of Control.Viewer failed (log: $log)"
    fi
    publish_ready_to_run Control.Agent "$ROOT/.build/Control.Agent" "$log"
}

# ensure_native_toolchain: clang, lld and zlib's headers, which the NativeAOT compiler links the viewer with.
ensure_native_toolchain() {
    command -v clang >/dev/null 2>&1 && [[ -e /usr/include/zlib.h ]] && return 0
    command -v apt-get >/dev/null 2>&1 || die "clang and zlib1g-dev (needed to publish control NativeAOT) are missing and apt-get is not available: install them"
    info "installing clang, lld and zlib1g-dev with apt-get (once per machine; control is compiled ahead of time)..."
    as_root apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null 2>&1 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q clang lld zlib1g-dev >/dev/null 2>&1 ||
        die "apt-get install clang lld zlib1g-dev failed"
}

# ensure_openssl: the session tests check the agent's TLS rules with OpenSSL's s_client, a TLS stack other than the
# one serving. Debian images usually have it; install it when missing.
ensure_openssl() {
    command -v openssl >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || die "openssl is not installed and apt-get is not available: install openssl"
    info "installing openssl with apt-get (once per machine)..."
    as_root apt-get -o DPkg::Lock::Timeout=300 update -q >/dev/null 2>&1 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q openssl >/dev/null 2>&1 ||
        die "apt-get install openssl failed"
}

# ensure_node: Node.js and npm, which build the portal (ops/portal-build). Debian's packages when missing.
ensure_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && return 0
    command -v apt-get >/dev/null 2>&1 || die "node and npm (needed to build the portal) are missing and apt-get is not available: install them"
    info "installing nodejs and npm with apt-get (once per machine; they build the portal)..."
    apt_install nodejs npm
}

# ensure_chromium: Debian's Chromium, which the portal's browser tests drive (never a browser download of Playwright's).
ensure_chromium() {
    [[ -x /usr/bin/chromium ]] && return 0
    command -v apt-get >/dev/null 2>&1 || die "chromium (needed by the portal's browser tests) is missing and apt-get is not available: install it"
    info "installing chromium with apt-get (once per machine; the portal's browser tests drive it)..."
    local t0
    t0=$(now)
    apt_install chromium
    info "installed chromium in $(elapsed_since "$t0") s"
}
