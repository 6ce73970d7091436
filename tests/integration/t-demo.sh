# The README's quick start demo: the bad commit is stopped, the good passes.
expect_exit 0 sh "$MG_SOURCE_DIR/install/demo.sh"
expect_contains "$OUT" "packages/db/src/schema/research.ts:1:1: error: schema file 'packages/db/src/schema/research.ts' modified without a generated migration"
expect_contains "$OUT" "migguard stopped the incomplete commit and passed the complete one."
