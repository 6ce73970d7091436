# The shared options: usage errors exit 2 with one line on stderr,
# --help and --version exit 0.
expect_exit 0 migguard-journal --version
expect_out "migguard-journal 0.1.0"
expect_exit 0 migguard-pair --help
expect_contains "$OUT" "usage: migguard-pair [--staged"
expect_exit 2 migguard-lint --format yaml
expect_contains "$ERR" "migguard-lint: error: unknown format 'yaml'"
expect_exit 2 migguard-docs --staged --all
expect_err "migguard-docs: error: --staged, --base, --pre-push and --all exclude each other"
expect_exit 2 migguard-pair --color=sometimes
expect_contains "$ERR" "--color takes auto, always or never"

# Trailing file arguments (hook managers pass them) are accepted and
# ignored: the change set is computed, never taken from the arguments.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" r
cd r
expect_exit 1 migguard check packages/db/src/schema/auth.ts README.md
expect_contains "$OUT" "[schema-without-migration]"
expect_exit 1 migguard-pair --staged unrelated.txt
expect_contains "$OUT" "packages/db/src/schema/research.ts"
expect_exit 1 migguard hook pre-commit unrelated.txt
expect_contains "$ERR" "[schema-without-migration]"
