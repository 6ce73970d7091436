# The man pages: they render without a troff warning, and together name
# every rule id and every command of `migguard help`.
need groff "apt-get install groff-base"
man="$MG_SOURCE_DIR/install/man"
for m in migguard migguard-pair migguard-journal migguard-lint \
	migguard-docs migguard-apply; do
	[ -f "$man/$m.1" ] || fail "no install/man/$m.1"
	expect_exit 0 env LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$man/$m.1"
	[ -z "$ERR" ] || fail "$m.1: $ERR"
done
expect_exit 0 migguard help rules
expect_contains "$OUT" "migration-edited               journal  error    "
rules=$(printf '%s\n' "$OUT" | awk 'NR > 1 && NF { print $1 }' | grep -- -)
[ "$(printf '%s\n' "$rules" | wc -l)" -ge 36 ] || fail "help rules: $OUT"
for r in $rules; do
	grep -q "^\.B $(printf '%s' "$r" | sed 's/-/\\\\-/g')\$" "$man"/*.1 ||
	grep -q "^\.B $r\$" "$man"/*.1 || fail "no man page lists rule $r"
done
for c in check hook install uninstall changes version help; do
	grep -q "$c" "$man/migguard.1" || fail "migguard.1 lacks $c"
done
expect_exit 0 migguard help install
expect_exit 0 migguard help hook
expect_exit 0 migguard help pair
expect_contains "$OUT" "usage: migguard pair"
expect_exit 2 migguard help frobnicate
expect_contains "$ERR" "migguard help: error: no help on 'frobnicate'"
