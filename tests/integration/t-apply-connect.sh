# Connections: an unreachable server is exit 2 naming the host and port
# with a hint; a remote host is refused before any connection is tried.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
make_migrations m 2

# A local port with nothing listening.
port=$(( 20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000 ))
expect_exit 2 migguard-apply --migrations m \
	--database-url "postgres://u:hunter2@127.0.0.1:$port/app"
expect_contains "$ERR" "migguard-apply: error: cannot connect to PostgreSQL at 127.0.0.1:$port:"
expect_contains "$ERR" "is the database running? In the usual setup it is the Docker container on port 5433"
expect_not_contains "$OUT$ERR" "hunter2"
[ "$(printf '%s\n' "$ERR" | wc -l)" = 1 ] || fail "more than one line on stderr"
expect_exit 2 migguard-apply --migrations m \
	--database-url "postgresql:///app?host=$MG_TMP/nosock&port=$port"
expect_contains "$ERR" "cannot connect to PostgreSQL at $MG_TMP/nosock:$port"

# Remote hosts: refused at once (192.0.2.1 would hang until a timeout,
# db.example.com needs DNS). Nothing is resolved or contacted.
for url in "postgres://u:pw@192.0.2.1:5432/app" \
	"postgres://u:pw@db.example.com/app" \
	"host=db.example.com user=u password=pw dbname=app" \
	"postgres://localhost,192.0.2.1/app"; do
	start=$(date +%s)
	expect_exit 1 migguard-apply --migrations m --database-url "$url"
	[ $(( $(date +%s) - start )) -le 2 ] || fail "'$url' was contacted"
	expect_contains "$OUT" "error: refusing to connect to '"
	expect_contains "$OUT" "': not a local database (a unix socket, localhost, 127.0.0.0/8 or ::1) [remote-database-refused]"
	expect_contains "$OUT" "hint: pass --allow-remote"
	expect_not_contains "$OUT$ERR" "pw@"
	expect_not_contains "$OUT$ERR" "password=pw"
done
expect_contains "$OUT" "refusing to connect to '192.0.2.1'"
# --fresh creates nothing on a refused host either.
expect_exit 1 migguard-apply --migrations m --fresh \
	--database-url "postgres://u@192.0.2.1/app"
expect_contains "$OUT" "[remote-database-refused]"
expect_not_contains "$OUT" "Scratch database"

# A malformed connection string: exit 2.
expect_exit 2 migguard-apply --migrations m --database-url "host=x junk"
expect_contains "$ERR" "invalid connection string"

# Usage.
expect_exit 2 migguard-apply --dry-run --fresh
expect_contains "$ERR" "--dry-run and --fresh exclude each other"
expect_exit 0 migguard-apply --help
expect_contains "$OUT" "usage: migguard-apply [--database-url URL]"
