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
