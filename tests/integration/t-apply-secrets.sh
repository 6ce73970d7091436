# The password of a database URL is never printed, whatever the URL's form
# and whatever happens (parse error, refusal, connect error, success), in
# every format, --fresh and --dry-run included. A service or the
# environment naming a remote host is refused before any connection.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
make_migrations m 2
pg_createdb app
need strace "apt-get install -y strace"
PW=PW9sekret

no_secret() {
	case "$OUT$ERR" in
	*"$PW"*) printf '%s\n' "--- stdout" "$OUT" "--- stderr" "$ERR" >&2
		fail "the password shows: $*" ;;
	esac
}

# run_all URL: every format and mode, whatever the exit code.
run_all() {
	for f in text json github sarif; do
		for mode in "" --dry-run --fresh; do
			set +e
			migguard-apply --migrations m --database-url "$1" \
				--format "$f" $mode >"$MG_TMP/.out" 2>"$MG_TMP/.err"
			set -e
			OUT=$(cat "$MG_TMP/.out")
			ERR=$(cat "$MG_TMP/.err")
			no_secret "$1 $f $mode"
		done
	done
}

port=$PGPORT
for url in \
	"postgres://postgres:$PW@127.0.0.1:$port/app" \
	"postgresql://postgres:$PW@[::1/app" \
	"POSTGRES://postgres:$PW@127.0.0.1:$port/app" \
	"Postgresql://postgres:$PW@127.0.0.1:$port/app" \
	"postgres://postgres:$PW@x@127.0.0.1:$port/app" \
	"postgres://postgres:PW9/sekret@127.0.0.1:$port/app" \
	"postgres://127.0.0.1:$port/app?user=postgres&pass%77ord=$PW" \
	"postgres://127.0.0.1:$port/app?user=postgres&password=$PW&nope=1" \
	"postgres://127.0.0.1:$port/app?user=postgres&sslpassword=$PW" \
	"host=127.0.0.1 port=$port dbname=app user=postgres password=$PW" \
	"host=127.0.0.1 port=$port dbname=app user=postgres password=PW9\\ sekret" \
	"host=127.0.0.1 port=$port dbname=app user=postgres password='$PW" \
	"host=127.0.0.1 port=$port dbname=app PASSWORD=$PW" \
	"host=127.0.0.1 port=$port dbname=app user=postgres password=$PW bogus" \
	"postgres://postgres:$PW@127.0.0.1:1/app" \
	"postgres://postgres:$PW@192.0.2.1:$port/app"; do
	run_all "$url"
done
# The password from the environment and from a .env file too.
expect_exit 2 env DATABASE_URL="postgresql://postgres:$PW@[::1/app" \
	migguard-apply --migrations m
no_secret "DATABASE_URL"
printf 'DATABASE_URL=POSTGRES://postgres:%s@127.0.0.1:%s/app\n' "$PW" "$port" >.env
expect_exit 2 env -u DATABASE_URL migguard-apply --migrations m
no_secret ".env"
rm .env

# A service file naming a remote host: refused, never connected to.
cat >services <<SVC
[prod]
host=192.0.2.10
port=5432
[here]
host=127.0.0.1
port=$port
SVC
export PGSERVICEFILE="$MG_TMP/services"
for url in "postgres:///app?service=prod" "service=prod dbname=app" \
	"postgres://postgres@/app?service=prod"; do
	for mode in "" --fresh --dry-run; do
		expect_exit 1 strace -f -qq -e trace=connect -o "$MG_TMP/trace" \
			migguard-apply --migrations m --database-url "$url" $mode
		expect_contains "$OUT" "refusing to connect to '192.0.2.10' (from service 'prod')"
		expect_contains "$OUT" "[remote-database-refused]"
		expect_not_contains "$(cat "$MG_TMP/trace")" "192.0.2"
		expect_not_contains "$OUT" "default unix socket"
	done
done
# PGSERVICE, PGHOST and PGHOSTADDR: libpq's environment counts too.
for var in PGSERVICE=prod PGHOST=192.0.2.10 PGHOSTADDR=192.0.2.10; do
	expect_exit 1 env "$var" strace -f -qq -e trace=connect -o "$MG_TMP/trace" \
		migguard-apply --migrations m --database-url "postgres:///app?user=postgres&port=$port" --fresh
	expect_contains "$OUT" "[remote-database-refused]"
	expect_not_contains "$(cat "$MG_TMP/trace")" "192.0.2"
done
# A local service is used as libpq uses it.
pg_createdb svc
expect_exit 0 migguard-apply --migrations m --database-url "service=here dbname=svc user=postgres"
expect_contains "$OUT" "Migration state: 0 applied, 2 expected, 2 pending"
unset PGSERVICEFILE
