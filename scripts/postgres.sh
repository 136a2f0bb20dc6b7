#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests of leadscore.compile's SQL (Debian's postgresql).
#
#   scripts/postgres.sh start DIR   starts a server whose files and socket are in DIR (made if
#                                   missing) and prints its connection string (libpq's form)
#   scripts/postgres.sh stop DIR    stops it
#
# The server listens on a Unix socket only (no TCP port), trusts its one user, and skips
# fsync: it holds nothing but what a test writes. Run as root (as CI is), the server runs as
# the postgres user, since PostgreSQL refuses to run as root.
set -euo pipefail
action=${1:?start or stop}
dir=$(realpath -m "${2:?a directory for the server}")
# The server's user may not enter the caller's directory (a private clone): work from /.
cd /
bin=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bin" ]; then
  echo "no PostgreSQL server here: apt-get install postgresql" >&2
  exit 1
fi
as_owner=()
if [ "$(id -u)" = 0 ]; then
  as_owner=(runuser -u postgres --)
fi
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      "${as_owner[@]}" "$bin/initdb" -D "$dir/data" -U leadscore -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
      -o "-c listen_addresses= -c unix_socket_directories=$dir -c fsync=off -c full_page_writes=off" start
    echo "host=$dir user=leadscore dbname=postgres"
    ;;
  stop)
    "${as_owner[@]}" "$bin/pg_ctl" -D "$dir/data" -w -s -m fast stop
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
