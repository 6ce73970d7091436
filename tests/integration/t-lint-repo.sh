# migguard-lint on a repository: only new or changed migrations of the
# change set; --all lints every migration; files from disk need no repo.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 4 r
cd r
m=packages/db/src/migrations

# Nothing staged: nothing to lint, exit 0, no output.
expect_exit 0 migguard-lint
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"

# Stage step 05 (the rename generated as drop + add): only 0005 is linted.
# No missing-if-not-exists: the team's published migrations use no IF NOT
# EXISTS guards yet (its workflow starts them at 0007).
copy_step 05 .
git add -A
expect_exit 1 migguard-lint --format json
expect_contains "$OUT" '"rule":"rename-as-drop","severity":"error","path":"packages/db/src/migrations/0005_rename_summary.sql","line":2,"column":41'
expect_not_contains "$OUT" "0004_research_step.sql"
expect_not_contains "$OUT" "missing-if-not-exists"
expect_err "migguard: 2 errors, 0 warnings"

# Config severities apply: drop-column off, rename-as-drop a warning.
printf '{"rules": {"drop-column": "off", "rename-as-drop": "warning"}}' > .migguard.json
git add .migguard.json
expect_exit 0 migguard-lint
expect_err "migguard: 0 errors, 1 warning"
git rm -q --cached .migguard.json
rm .migguard.json

# A suppression comment in the migration silences that statement.
sed -i 's/^ALTER TABLE "research_plan" DROP COLUMN/-- migguard-ignore drop-column,rename-as-drop renamed on purpose, data copied in 0004\nALTER TABLE "research_plan" DROP COLUMN/' $m/0005_rename_summary.sql
git add -A
expect_exit 0 migguard-lint
expect_err "migguard: 0 errors, 0 warnings"
git reset -q --hard

# --all: every migration of the committed tree. The team's enums are bare
# throughout: no enum-without-guard. Its tenant tables have RLS from 0001
# on, so "user" of 0000 is reported, as before.
expect_exit 1 migguard-lint --all --format github
expect_contains "$OUT" "::error file=$m/0000_init.sql,line=10,col=14,title=rls-missing::table \"user\" has \"organization_id\" but row level security is not enabled"
expect_not_contains "$OUT" "enum-without-guard"
expect_contains "$OUT" "::warning file=$m/0004_research_step.sql,line=13,col=164,title=fk-on-delete::"

# Files from disk, no repository needed: no history, so no convention
# but those the nearest .migguard.json configures.
cd "$MG_TMP"
cp "r/$m/0002_plan_summary.sql" plain.sql
expect_exit 0 migguard-lint plain.sql
expect_out ""
expect_err "migguard: 0 errors, 0 warnings"
printf '{"lint": {"guardsFromIndex": 0}}' >.migguard.json
expect_exit 0 migguard-lint plain.sql
expect_out "plain.sql:1:40: warning: ADD COLUMN \"research_plan\".\"summary\" has no IF NOT EXISTS [missing-if-not-exists]
  hint: add the guard so that the migration can run again on a database that has it, or keep it with '-- migguard-ignore missing-if-not-exists <reason>' on the line before the statement
plain.sql:2:14: warning: CREATE INDEX \"research_plan_status_idx\" has no IF NOT EXISTS [missing-if-not-exists]
  hint: add the guard so that the migration can run again on a database that has it, or keep it with '-- migguard-ignore missing-if-not-exists <reason>' on the line before the statement"
expect_exit 2 migguard-lint missing.sql
expect_contains "$ERR" "migguard-lint: error: cannot read 'missing.sql'"
