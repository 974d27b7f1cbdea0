#!/usr/bin/env bash
# Shared by the bench/ scripts: a throwaway PostgreSQL cluster and a Release API on it. Source after setting OPS_NAME.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck source=ops/lib.sh
source "$ROOT/ops/lib.sh"

bench_work=""
bench_api_pid=""
bench_cleanup() {
    # BENCH_HOLD=1: leave the cluster and the API running after the bench (to query the loaded database); stop them by hand.
    if [[ -n ${BENCH_HOLD:-} && -n $bench_work ]]; then
        echo "held: $bench_work port=$bench_pg_port password=$bench_pg_password api=$bench_url" >&2
        return 0
    fi
    [[ -n ${BENCH_PG_STATS:-} && -n $bench_work && -n ${bench_db:-} ]] && bench_pg_stats
    [[ -n $bench_api_pid ]] && kill "$bench_api_pid" 2>/dev/null && wait "$bench_api_pid" 2>/dev/null
    [[ -n ${BENCH_KEEP_LOG:-} && -n $bench_work ]] && { cp "$bench_work"/api-*.log /tmp/ 2>/dev/null; as_root cp "$(pg_log_file "$bench_work/pg")" /tmp/bench-postgresql.log 2>/dev/null; }
    [[ -n $bench_work ]] && { stop_cluster "$bench_work/pg" >/dev/null 2>&1 || true; rm -rf -- "$bench_work"; }
    return 0
}

# bench_cluster: starts a cluster; sets bench_pg_port and bench_pg_password.
bench_cluster() {
    ensure_postgres
    bench_work=$(mktemp -d "${TMPDIR:-/tmp}/control-bench.XXXXXXXX")
    chmod 0755 "$bench_work"
    trap bench_cleanup EXIT
    PG_INITDB_OPTS="--no-sync"
    # Commit timestamps: a bench can tell when a transaction really committed (bench/offboarding's changes).
    PG_SERVER_OPTS="-c max_connections=300 -c track_commit_timestamp=on"
    # BENCH_PG_STATS=1: where PostgreSQL spent its time (pg_stat_statements, PL/pgSQL function timings), printed at the end.
    [[ -n ${BENCH_PG_STATS:-} ]] && PG_SERVER_OPTS+=" -c shared_preload_libraries=pg_stat_statements -c track_functions=pl"
    # BENCH_PG_OPTS: more server settings, e.g. "-c log_min_duration_statement=20" (the server log is kept with BENCH_KEEP_LOG).
    PG_SERVER_OPTS+=" ${BENCH_PG_OPTS:-}"
    bench_pg_port=$(free_port 20000 32000)
    start_cluster "$bench_work/pg" "$bench_pg_port" "$bench_work/pg-password" "$bench_work/pg-superuser-password" >/dev/null
    bench_pg_password=$(read_password "$bench_work/pg-password")
    # The API as ops/up runs it (ReadyToRun), in a folder of its own: a running ops/up API keeps its files.
    bench_api_dir="$ROOT/.build/bench/Control.Api"
    publish_api "$bench_api_dir" "$bench_work/api-build.log"
}

# bench_api DATABASE [extra env assignments...]: creates the database, starts the API on it, waits for ready;
# sets bench_api_pid, bench_url, bench_data.
bench_api() {
    local db=$1
    shift
    PGPASSWORD=$bench_pg_password psql -q -h 127.0.0.1 -p "$bench_pg_port" -U control -d control -c "create database $db" >/dev/null
    bench_db=$db
    bench_connection="Host=127.0.0.1;Port=$bench_pg_port;Database=$db;Username=control;Password=$bench_pg_password"
    [[ -n ${BENCH_PG_STATS:-} ]] && pg_admin_psql "$bench_work/pg" "$bench_pg_port" -d "$db" -c "create extension if not exists pg_stat_statements"
    bench_data="$bench_work/data-$db"
    mkdir -p "$bench_data"
    bench_url="http://127.0.0.1:$(free_port 12000 19999)"
    env ConnectionStrings__Control="$bench_connection" \
        Control__DataDirectory="$bench_data" Control__MasterKey="$(head -c 32 /dev/urandom | base64)" \
        ASPNETCORE_URLS="$bench_url" ASPNETCORE_ENVIRONMENT=Production "$@" \
        dotnet "$bench_api_dir/Control.Api.dll" >"$bench_work/api-$db.log" 2>&1 &
    bench_api_pid=$!
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "$bench_url/health/ready" || true) == 200 ]]; do
        kill -0 "$bench_api_pid" 2>/dev/null || { tail -20 "$bench_work/api-$db.log"; die "API exited during start"; }
        sleep 0.02
    done
}

bench_pg_stats() {
    pg_admin_psql "$bench_work/pg" "$bench_pg_port" -d "$bench_db" -c "
        select round(total_exec_time)::int as total_ms, calls, round(mean_exec_time::numeric, 3) as mean_ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
        from pg_stat_statements where query not ilike '%password%' order by total_exec_time desc limit 20" \
        -c "select funcname, calls, round(total_time)::int as total_ms, round(self_time)::int as self_ms from pg_stat_user_functions order by total_time desc limit 10" >&2 || true
}

bench_stop_api() {
    kill "$bench_api_pid" 2>/dev/null || true
    wait "$bench_api_pid" 2>/dev/null || true
    bench_api_pid=""
}

ms() { echo $(( $(date +%s%N) / 1000000 )); }
