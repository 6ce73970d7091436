# Hostile repositories: each ends in a finding or exit 2 with a clear
# message, within bounded time and memory, never a crash or a silent pass.
. "$MG_SOURCE_DIR/tests/integration/hostile.sh"
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 2 r
cd r
m=packages/db/src/migrations
good=$(git rev-parse HEAD)
cfg='{"rules": {"enum-without-guard": "off", "rls-missing": "off", "rls-policy-missing": "off", "missing-if-not-exists": "off"}}'
printf '%s' "$cfg" > .migguard.json
git add .migguard.json && git commit -q -m config

# A journal of 50,000 entries (none of whose files exist): findings, fast.
awk 'BEGIN {
	printf "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": ["
	for (i = 0; i < 50000; i++)
		printf "%s\n    {\n      \"idx\": %d,\n      \"version\": \"7\",\n      \"when\": %d,\n      \"tag\": \"%04d_x\",\n      \"breakpoints\": true\n    }", (i ? "," : ""), i, 1700000000000 + i, i
	printf "\n  ]\n}"
}' > $m/meta/_journal.json
git add -A
bounded 60 512 migguard-journal >"$MG_TMP/out" 2>"$MG_TMP/err" && fail "50,000 entries passed"
[ $? -eq 1 ] || fail "50,000 entries: exit $? ($(tail -1 "$MG_TMP/err"))"
grep -q "journal-missing-sql" "$MG_TMP/out" || fail "no journal-missing-sql"
git reset -q --hard

# A journal nested 100,000 deep: journal-invalid saying so, not a crash.
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; }' > $m/meta/_journal.json
git add -A
expect_exit 1 bounded 30 256 migguard-journal
expect_contains "$OUT" "$m/meta/_journal.json:1:"
expect_contains "$OUT" "[journal-invalid]"
git reset -q --hard

# Tags that leave the folder: "..", "/", absolute, a leading "_".
for tag in '../../../etc/passwd' '/etc/passwd' '0003_a/../../b' '_hidden'; do
	sed "s|\"tag\": \"0002_plan_summary\"|\"tag\": \"$tag\"|" $m/meta/_journal.json > "$MG_TMP/j"
	cp "$MG_TMP/j" $m/meta/_journal.json
	git add -A
	expect_exit 1 bounded 30 256 migguard check
	expect_contains "$OUT" "[journal-invalid]"
	expect_not_contains "$OUT$ERR" "root:"
	git reset -q --hard
done

# Config paths outside the repository: exit 2 naming file, line and reason.
printf '{"projects": [{"schema": "/etc", "migrations": "packages/db/src/migrations"}]}' > .migguard.json
git add -A
expect_exit 2 migguard check
expect_contains "$ERR" ".migguard.json:1:26: \"schema\": '/etc' is outside the repository"
printf '{"projects": [{"schema": "packages/db/src/schema", "migrations": "../../x"}]}' > .migguard.json
git add -A
expect_exit 2 migguard check
expect_contains "$ERR" "\"migrations\" must be a folder inside the repository"
printf 'export default { dialect: "postgresql", schema: "../../../schema.ts", out: "./drizzle" }' > packages/db/drizzle.config.ts
rm .migguard.json
git add -A
expect_exit 2 migguard check
expect_contains "$ERR" "packages/db/drizzle.config.ts: schema path '../../../schema.ts' is outside the repository"
git reset -q --hard
rm -f .migguard.json
git checkout -q .migguard.json

# The migrations folder is a symbolic link: its files are not in git.
mv $m "$MG_TMP/elsewhere"
ln -s "$MG_TMP/elsewhere" $m
git add -A
expect_exit 1 bounded 30 256 migguard check
expect_contains "$OUT" "$m/meta/_journal.json:1:1: error: cannot read '_journal.json': '$m' is a symbolic link to a place outside the repository: not followed [journal-invalid]"
expect_contains "$OUT" "$m/0000_init.sql:1:1: error: published migration file '0000_init.sql' was deleted [migration-deleted]"
expect_not_contains "$OUT$ERR" "elsewhere"
git reset -q --hard
[ -d $m ] && [ ! -L $m ] || fail "the folder was not restored"

# The migrations folder is a submodule.
git init -q "$MG_TMP/sub"
git -C "$MG_TMP/sub" commit -q --allow-empty -m sub
git rm -q -r --cached $m
rm -rf $m
git -c protocol.file.allow=always submodule add -q "$MG_TMP/sub" $m 2>/dev/null
expect_exit 1 bounded 30 256 migguard check
expect_contains "$OUT" "$m"
git reset -q --hard "$good"
git submodule deinit -q -f $m 2>/dev/null || true
rm -rf $m .gitmodules .git/modules
git checkout -q -- .

# A corrupt index: exit 2 saying it is damaged and how to rebuild it,
# never "everything deleted".
git reset -q --hard
cp .git/index "$MG_TMP/index.bak"
head -c 500 "$MG_TMP/index.bak" > .git/index
expect_exit 2 bounded 30 256 migguard check
expect_contains "$ERR" "cannot read the index '$MG_TMP/r/.git/index' (its header claims 18 entries, more than its 500 bytes can hold): it is damaged"
expect_contains "$ERR" "git reset' rebuilds it from HEAD"
printf 'DIRC' > .git/index
expect_exit 2 bounded 30 256 migguard check
expect_contains "$ERR" "it is damaged"
cp "$MG_TMP/index.bak" .git/index
expect_exit 0 migguard check
