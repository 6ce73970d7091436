# migguard up-check against the real `drizzle-kit up` of 1.0.0-rc.5
# (tests/interop/rc5): it refuses where up-check says it would, writes
# exactly the folders up-check predicts, and what it wrote passes
# `up-check --against` the commit before it.
need node "apt-get install -y nodejs npm"
sh "$MG_SOURCE_DIR/tests/interop/rc5/setup.sh" ||
	fail "tests/interop/rc5/setup.sh failed"
# drizzle.config.ts imports drizzle-kit: node finds it above the repos.
ln -s "$MG_SOURCE_DIR/tests/interop/rc5/node_modules" node_modules
kit_up() { # project folder; rc.5's output in $MG_TMP/up.out
	set +e
	(cd "$1" && node "$MG_TMP/node_modules/drizzle-kit/bin.cjs" up) \
		</dev/null >"$MG_TMP/up.out" 2>&1
	kit_status=$?
	set -e
}
predicted() {
	printf '%s\n' "$OUT" | sed -n 's|^  [^ ]* *-> [^ ]*/\([^/]*\)/$|\1|p'
}
m=packages/db/src/migrations

new_repo a
copy_step 06 a
commit_all a "step 06"
cd a

# As committed, up refuses, naming what up-check names, and changes nothing.
expect_exit 1 migguard up-check
kit_up packages/db
[ "$kit_status" = 1 ] || fail "drizzle-kit up exited $kit_status: $(cat "$MG_TMP/up.out")"
expect_contains "$(cat "$MG_TMP/up.out")" "migration 0003_enable_pgvector sorts before its parent 0002_plan_summary, so migrate can run it first"
expect_contains "$OUT" "migration 0003_enable_pgvector sorts before its parent 0002_plan_summary, so migrate can run it first"
[ -z "$(git status --porcelain)" ] || fail "a refused up changed files"

# 0003 one second after 0002: up converts, into the predicted folders.
sed -i 's/"when": 1795650279768/"when": 1795650280342/' $m/meta/_journal.json
commit_all . "0003 one second after 0002"
expect_exit 0 migguard up-check
want=$(predicted)
[ "$(printf '%s\n' "$want" | wc -l)" = 7 ] || fail "no prediction: $OUT"
kit_up packages/db
[ "$kit_status" = 0 ] || fail "drizzle-kit up exited $kit_status: $(cat "$MG_TMP/up.out")"
got=$(ls $m)
[ "$got" = "$want" ] || fail "up wrote
$got
up-check predicted
$want"
# What it wrote is the journal at HEAD, moved intact.
expect_exit 0 migguard up-check --against HEAD
expect_contains "$OUT" "every migration is in the folder drizzle-kit up names it, same SQL bytes, ids and order, nothing lost"
commit_all . "drizzle-kit up"
expect_exit 0 migguard up-check --rev HEAD --against HEAD~1
cd ..

# A .sql the journal does not list: up leaves it, as up-check says.
new_repo b
copy_step 02 b
printf 'CREATE TABLE "hand_written" ("id" integer);\n' >b/$m/0003_hand_written.sql
commit_all b "step 02 and a hand-written file"
cd b
expect_exit 1 migguard up-check
expect_contains "$OUT" "'$m/0003_hand_written.sql' is not in the journal: drizzle-kit up leaves it at the root of the folder, where the 1.0 migrator never runs it [orphan-sql]"
want=$(predicted)
kit_up packages/db
[ "$kit_status" = 0 ] || fail "drizzle-kit up exited $kit_status: $(cat "$MG_TMP/up.out")"
[ "$(ls $m | grep -v '\.sql$')" = "$want" ] || fail "up wrote $(ls $m)"
[ -f $m/0003_hand_written.sql ] || fail "up did not leave the orphan"
expect_exit 1 migguard up-check --against HEAD
expect_contains "$OUT" "1 difference from what drizzle-kit up writes (below)
$m/0003_hand_written.sql:1:1: error: '$m/0003_hand_written.sql' is not a migration folder's migration.sql: the 1.0 migrator never runs it (drizzle-kit up leaves a .sql the journal did not list at the root) [orphan-sql]"
cd ..

# Broken histories: rc.5 refuses each (exit 1, no file changed) for the
# reason up-check puts first. refused NAME PHRASE: the repository NAME
# (made by the caller) and what both must say.
refused() {
	cd "$1"
	commit_all . "broken"
	expect_exit 1 migguard up-check
	first=$(printf '%s\n' "$OUT" | sed -n 's/^  1\. //p')
	[ -n "$first" ] || fail "$1: up-check names no first reason: $OUT"
	kit_up packages/db
	[ "$kit_status" = 1 ] || fail "$1: drizzle-kit up exited $kit_status: $(cat "$MG_TMP/up.out")"
	[ -z "$(git status --porcelain)" ] || fail "$1: a refused up changed files"
	expect_contains "$(cat "$MG_TMP/up.out")" "$2"
	expect_contains "$OUT" "$2"
	cd ..
}
broken() {
	new_repo "$1"
	copy_step 02 "$1"
}
broken nosnap
rm nosnap/$m/meta/0001_snapshot.json
refused nosnap "No snapshot was found"
broken nosql
rm nosql/$m/0002_plan_summary.sql
refused nosql "journal entry 0002_plan_summary has no SQL file"
broken twosql
mv twosql/$m/0001_research_plan.sql twosql/$m/0001_x.sql
cp twosql/$m/0001_x.sql twosql/$m/0001_y.sql
refused twosql "Several sql files were found"
broken notjson
printf '{"id": ' >notjson/$m/meta/0001_snapshot.json
refused notjson "src/migrations/meta/0001_snapshot.json data is malformed"
broken gone
sed -i 's/"id": "8af2b24a-/"id": "ffffffff-/' gone/$m/meta/0001_snapshot.json
refused gone "0002_plan_summary follows the snapshot 8af2b24a-6894-49ef-829b-9c5958649dd7, and no migration in the folder has this snapshot"
broken firsts
sed -i 's/"prevId": "8af2b24a-[^"]*"/"prevId": "00000000-0000-0000-0000-000000000000"/' firsts/$m/meta/0002_snapshot.json
refused firsts "the folder has two first migrations, 0000_init and 0002_plan_summary, and a folder must have one"
