# migguard baseline: the findings of check --all accepted once, left out
# of check --all from then on; an entry that matches nothing is stale.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 6 r
cd r
m=packages/db/src/migrations

expect_exit 1 migguard check --all
expect_contains "$OUT" "[drop-table]"
all=$OUT

expect_exit 0 migguard baseline
expect_out ""
expect_contains "$ERR" "migguard baseline: wrote .migguard-baseline.json:"
[ -f .migguard-baseline.json ] || fail "no .migguard-baseline.json"
cp .migguard-baseline.json "$MG_TMP/first"
expect_exit 0 migguard baseline
cmp -s .migguard-baseline.json "$MG_TMP/first" || fail "baseline not deterministic"
expect_contains "$(cat .migguard-baseline.json)" '"rule": "drop-table", "path": "packages/db/src/migrations/0006_drop_research_step.sql", "fingerprint": "'
expect_not_contains "$(cat .migguard-baseline.json)" '"line"'

# Read from the checked tree, like the config: until it is committed,
# nothing changes.
expect_exit 1 migguard check --all
expect_out "$all"
git add .migguard-baseline.json
git commit -q -n -m "baseline"
expect_exit 0 migguard check --all
expect_out ""

# Lines move: the entries still match (no line numbers in them).
{ printf '%s\n' '-- dropping the steps: they moved to the plan'; cat $m/0006_drop_research_step.sql; } >"$MG_TMP/s"
cp "$MG_TMP/s" $m/0006_drop_research_step.sql
git commit -q -n -a -m "comment"
expect_exit 0 migguard check --all
expect_out ""

# The problem is fixed: its entry is stale (a warning at its line).
printf 'SELECT 1;\n' >$m/0006_drop_research_step.sql
git commit -q -n -a -m "no drop"
expect_exit 0 migguard check --all
expect_contains "$OUT" ".migguard-baseline.json:"
expect_contains "$OUT" ": warning: baseline entry drop-table in '$m/0006_drop_research_step.sql' matches no finding [baseline-stale]"
expect_exit 0 migguard help baseline
expect_contains "$OUT" "usage: migguard baseline"

# A broken baseline is exit 2, with the place.
printf '{"version": 1, "findings": [' >.migguard-baseline.json
git commit -q -n -a -m "broken"
expect_exit 2 migguard check --all
expect_contains "$ERR" ".migguard-baseline.json:1:"
expect_exit 2 migguard baseline --base HEAD
