# The checked tree is untrusted (a pull request writes it): its
# .migguard.json may name any environment variable as the database URL,
# and its .env files may be links to any file on the machine. Neither
# makes migguard-apply print a secret or contact a remote host.
. "$MG_SOURCE_DIR/tests/integration/pg.sh"
pg_start
psql_q "CREATE ROLE authenticated" >/dev/null
new_repo r
copy_step 01 r
pg_createdb app
SECRET=wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY
cd r
config() {
	printf '{"projects": [{"name": "db", "schema": "packages/db/src/schema", "migrations": "packages/db/src/migrations"}],\n "apply": {%s}}\n' "$1" >.migguard.json
}
no_secret() {
	expect_not_contains "$OUT$ERR" "$SECRET"
	expect_not_contains "$OUT$ERR" "PW9sekret"
}

# A variable that holds no database URL: exit 2, named, never shown.
config '"databaseUrlEnv": "AWS_SECRET_ACCESS_KEY"'
for f in text json github sarif; do
	expect_exit 2 env -u DATABASE_URL AWS_SECRET_ACCESS_KEY="$SECRET" \
		migguard-apply --format $f --dry-run
	no_secret
	expect_contains "$ERR" '$AWS_SECRET_ACCESS_KEY (named by apply.databaseUrlEnv) does not hold a postgres:// or postgresql:// URL (its value is not shown)'
done
expect_exit 2 env -u DATABASE_URL AWS_SECRET_ACCESS_KEY="postgres://x:$SECRET@[::1/db" \
	migguard-apply --fresh
no_secret
# An impossible variable name is a config error.
config '"databaseUrlEnv": "A B"'
expect_exit 2 env -u DATABASE_URL migguard-apply
expect_contains "$ERR" ".migguard.json:"
expect_contains "$ERR" "databaseUrlEnv"

# A URL the tree chose is refused off this machine even when the same
# tree says allowRemote.
config '"databaseUrlEnv": "PROD_URL", "allowRemote": true'
expect_exit 1 env -u DATABASE_URL PROD_URL="postgres://app:PW9sekret@192.0.2.20/app" \
	strace -f -qq -e trace=connect -o "$MG_TMP/trace" migguard-apply --fresh
expect_contains "$OUT" "[remote-database-refused]"
expect_not_contains "$(cat "$MG_TMP/trace")" "192.0.2"
no_secret
config '"allowRemote": true'
printf 'DATABASE_URL=postgres://app:PW9sekret@192.0.2.20/app\n' >.env
expect_exit 1 env -u DATABASE_URL strace -f -qq -e trace=connect \
	-o "$MG_TMP/trace" migguard-apply
expect_contains "$OUT" "[remote-database-refused]"
expect_not_contains "$(cat "$MG_TMP/trace")" "192.0.2"
no_secret
rm .env

# A .env that is a link to a file out of the repository is not read.
mkdir -p "$MG_TMP/outside"
printf 'DATABASE_URL=postgres://postgres:PW9sekret@127.0.0.1:%s/app\nSECRET=%s\n' \
	"$PGPORT" "$SECRET" >"$MG_TMP/outside/secrets.env"
rm .migguard.json
ln -s "$MG_TMP/outside/secrets.env" packages/db/.env
ln -s "$MG_TMP/outside/secrets.env" .env
expect_exit 2 env -u DATABASE_URL migguard-apply
expect_contains "$ERR" "warning: 'packages/db/.env' is a symbolic link: not read"
expect_contains "$ERR" "warning: '.env' is a symbolic link: not read"
expect_contains "$ERR" "no database URL"
no_secret
rm packages/db/.env .env
# Nor one reached through a linked folder.
mkdir -p "$MG_TMP/outside/db"
cp "$MG_TMP/outside/secrets.env" "$MG_TMP/outside/db/.env"
mv packages/db/src "$MG_TMP/outside/db/src"
ln -s "$MG_TMP/outside/db/src" packages/db/src
ln -s "$MG_TMP/outside/db" packages/dblink
printf '{"projects": [{"name": "db", "schema": "packages/dblink/src/schema", "migrations": "packages/dblink/src/migrations"}]}\n' >.migguard.json
rm packages/db/src
mv "$MG_TMP/outside/db/src" packages/db/src
expect_exit 2 env -u DATABASE_URL migguard-apply
no_secret

# A regular .env inside the repository is read as before.
rm -f .migguard.json packages/dblink
printf 'DATABASE_URL=%s\n' "$DB_URL" >packages/db/.env
expect_exit 0 env -u DATABASE_URL migguard-apply --dry-run
expect_contains "$OUT" "Database: $DB_URL (from DATABASE_URL in packages/db/.env:1)"
