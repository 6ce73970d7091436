# CI: --verify-generate decides schema-without-migration by the project's
# own drizzle-kit generate (the real 0.31.11 of tests/interop) on a
# scratch copy of the head commit: an edit it writes nothing for passes
# with a note, a real column addition fails with the missing SQL; never
# at pre-commit; the work tree is never written.
need node "apt-get install nodejs npm"
sh "$MG_SOURCE_DIR/tests/interop/setup.sh" ||
	fail "tests/interop/setup.sh could not install drizzle-kit"
nm="$MG_SOURCE_DIR/tests/interop/node_modules"
TMPDIR="$MG_TMP/scratch"
mkdir -p "$TMPDIR"
export TMPDIR

# The classic mistake, committed: step 2's schema edit (a column and an
# index) without its migration.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --upto 1 r
cd r
s=packages/db/src/schema
m=packages/db/src/migrations
git commit -q -m "Add the summary column"
git tag bad

# Without node_modules: exit 2, says what to install.
expect_exit 2 migguard check --base HEAD~1 --verify-generate
expect_contains "$ERR" "needs the project's node_modules installed (npm ci / pnpm install)"

# The project's node_modules, untracked as in any checkout.
ln -s "$nm" packages/db/node_modules
echo node_modules >>.git/info/exclude

expect_exit 1 migguard check --base HEAD~1 --verify-generate
expect_contains "$OUT" "$s/research.ts:"
expect_contains "$OUT" "drizzle-kit generate writes a new migration in '$m' [schema-without-migration]"
expect_contains "$OUT" "the missing SQL: ALTER TABLE \"research_plan\" ADD COLUMN \"summary\" text; CREATE INDEX \"research_plan_status_idx\""
expect_exit 1 migguard-pair --base HEAD~1 --verify-generate --format json
expect_contains "$OUT" '"rule":"schema-without-migration"'
expect_contains "$OUT" 'ADD COLUMN \"summary\" text;'
# Nothing written into the work tree, nothing left in TMPDIR.
[ -z "$(git status --porcelain)" ] || fail "the work tree changed: $(git status --porcelain)"
[ -z "$(ls "$TMPDIR")" ] || fail "scratch left behind: $(ls "$TMPDIR")"

# node_modules at the repository's top (a workspace) serves as well,
# and a pre-push range is verified like --base.
rm packages/db/node_modules
ln -s "$nm" node_modules
expect_exit 1 migguard check --base HEAD~1 --verify-generate
expect_contains "$OUT" "the missing SQL: ALTER TABLE \"research_plan\" ADD COLUMN \"summary\" text;"
git init -q --bare ../remote.git
git remote add origin ../remote.git
git push -q origin HEAD~1:refs/heads/main
printf 'refs/heads/main %s refs/heads/main %s\n' "$(git rev-parse HEAD)" \
	"$(git rev-parse HEAD~1)" >../push-lines
expect_exit 1 sh -c 'migguard check --pre-push origin --verify-generate <../push-lines'
expect_contains "$OUT" "the missing SQL: ALTER TABLE"
rm node_modules
ln -s "$nm" packages/db/node_modules

# An edit the static scanner counts but that changes no table: passes,
# with the note.
git reset -q --hard HEAD~1
echo 'export const planLimit = 10;' >>$s/research.ts
git commit -q -a -m "A constant beside the tables"
expect_exit 1 migguard check --base HEAD~1
expect_contains "$OUT" "schema-without-migration"
expect_exit 0 migguard check --base HEAD~1 --verify-generate
expect_not_contains "$OUT" "schema-without-migration"
expect_contains "$ERR" "pair: drizzle-kit generate wrote nothing for packages/db: the schema edit needs no migration"
expect_exit 0 migguard-pair --base HEAD~1 --verify-generate
[ -z "$(ls "$TMPDIR")" ] || fail "scratch left behind: $(ls "$TMPDIR")"

# A schema drizzle-kit cannot load: 0.31 exits 0 then, and writes
# nothing; that is no pass: exit 2 with its error line.
echo 'export const planLimit = 11;' >>$s/research.ts
git commit -q -a -m "Declared twice"
expect_exit 2 migguard check --base HEAD~1 --verify-generate
expect_contains "$ERR" "drizzle-kit generate in 'packages/db' wrote no migration and did not say 'No schema changes': Error: Transform failed"
git reset -q --hard HEAD~1

# A rename: drizzle-kit asks whether it is one, and has no terminal.
sed 's/title: text("title")/heading: text("heading")/' $s/research.ts >$s/r.tmp
mv $s/r.tmp $s/research.ts
git commit -q -a -m "Rename the title"
expect_exit 2 migguard check --base HEAD~1 --verify-generate
expect_contains "$ERR" "drizzle-kit generate in 'packages/db' asks a question (a rename, or what to do with a table or column?) and has no terminal here"
git reset -q --hard HEAD~1
[ -z "$(ls "$TMPDIR")" ] || fail "scratch left behind: $(ls "$TMPDIR")"

# drizzle-kit runs the commit's config and schema (code): it gets PATH,
# HOME and the locale, not the CI's secrets. A config that fails says so
# (exit 2, its error line).
c=packages/db/drizzle.config.ts
{
	head -n 1 $c
	echo 'if (process.env["MG_SECRET_PROBE"] !== undefined) throw new Error("probe saw the secret");'
	echo 'throw new Error("probe: no secret in reach");'
	tail -n +2 $c
} >$c.tmp
mv $c.tmp $c
echo 'export const planLimit = 10;' >>$s/research.ts
git commit -q -a -m "A probing config"
MG_SECRET_PROBE=s3cret expect_exit 2 migguard check --base HEAD~1 --verify-generate
expect_contains "$ERR" "drizzle-kit generate failed in 'packages/db' (exit 1):"
expect_contains "$ERR" "probe: no secret in reach"
expect_not_contains "$ERR" "probe saw the secret"
git reset -q --hard HEAD~1
[ -z "$(ls "$TMPDIR")" ] || fail "scratch left behind: $(ls "$TMPDIR")"

# Never at pre-commit, nor in a hook, nor with --all.
echo 'export const other = 1;' >>$s/research.ts
git add $s
expect_exit 2 migguard check --staged --verify-generate
expect_contains "$ERR" "never at pre-commit (--staged)"
expect_exit 2 migguard-pair --verify-generate
expect_contains "$ERR" "never at pre-commit (--staged)"
expect_exit 2 migguard hook pre-commit --verify-generate
expect_contains "$ERR" "never at pre-commit"
expect_exit 2 migguard check --all --verify-generate
expect_exit 0 migguard-pair --help
expect_contains "$OUT" "--verify-generate"
