# CI: a 'Schema-Impact: none' trailer waives schema-without-migration for
# the schema edits of that commit, with a note; other commits' edits in
# the range still count. The staged check has no message yet: no waiver.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
s=packages/db/src/schema
git tag start

echo 'export const audit = pgTable("audit", {});' >>$s/research.ts
git add $s
git commit -q -m "Add the audit table

The table is created by the ops team's script.

Schema-Impact: none (created out of band by ops)"
c1=$(git rev-parse --short=7 HEAD)
expect_exit 0 migguard check --base HEAD~1
expect_not_contains "$OUT" "schema-without-migration"
expect_contains "$ERR" "pair: schema-without-migration waived by the 'Schema-Impact: none' trailer of commit $c1 (created out of band by ops)"

# Another commit without the trailer: its file counts, the waived one not.
echo 'export const extra = pgTable("extra", {});' >>$s/auth.ts
git add $s
git commit -q -m "Add extra"
expect_exit 1 migguard check --base start
expect_contains "$OUT" "$s/auth.ts:"
expect_not_contains "$OUT" "$s/research.ts"
expect_contains "$OUT" "add a 'Schema-Impact: none (reason)' trailer to the commit message"
expect_exit 1 migguard-pair --base start --each-commit
expect_contains "$OUT" "(in commit $(git rev-parse --short=7 HEAD) 'Add extra')"
expect_not_contains "$OUT" "$s/research.ts"

# The same edit in a commit without the trailer is blocked.
git reset -q --hard start
echo 'export const audit = pgTable("audit", {});' >>$s/research.ts
git commit -q -a -m "Add the audit table"
expect_exit 1 migguard check --base HEAD~1
expect_contains "$OUT" "schema-without-migration"
