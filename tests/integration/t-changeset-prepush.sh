# --pre-push REMOTE: git's stdin lines, each ref on its own.
git init -q --bare remote.git
new_repo r
cd r
git remote add origin "$MG_TMP/remote.git"
mkdir db
echo 1 > db/one.sql
commit_all . one
git push -q origin main
echo 2 > db/two.sql
commit_all . two
z=0000000000000000000000000000000000000000
head=$(git rev-parse HEAD)
remote=$(git rev-parse origin/main)
short() { git rev-parse --short=7 "$1"; }

# An update of an existing branch: remote..local.
printf 'refs/heads/main %s refs/heads/main %s\n' "$head" "$remote" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out "# $(short "$remote")..$(short "$head")
A	db/two.sql"

# git push --all / --mirror: 10,000 refs at one commit are one change set,
# opened and checked once (each ref cost a full check: 30 s and more under
# the sanitizers), in the order of the lines; a new branch at the same
# commit has the same range.
awk -v h="$head" -v r="$remote" -v z="$z" 'BEGIN {
	for (i = 0; i < 10000; i++)
		printf "refs/heads/b%d %s refs/heads/b%d %s\n", i, h, i, (i % 2 ? r : z)
}' >"$MG_TMP/in"
expect_exit 0 timeout 60 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out "# $(short "$remote")..$(short "$head")
A	db/two.sql"
expect_exit 0 timeout 60 migguard check --pre-push origin <"$MG_TMP/in"

# Empty stdin (nothing to push): nothing to check.
expect_exit 0 migguard changes --pre-push origin </dev/null
expect_out ""

# A deletion is skipped.
printf '(delete) %s refs/heads/old %s\n' "$z" "$remote" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out ""

# A new branch: only commits no remote-tracking ref has.
git checkout -q -b feature
echo 3 > db/three.sql
commit_all . three
fhead=$(git rev-parse HEAD)
printf 'refs/heads/feature %s refs/heads/feature %s\n' "$fhead" "$z" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out "# $(short "$remote")..$(short "$fhead")
A	db/three.sql
A	db/two.sql"

# Several lines: each is checked.
printf 'refs/heads/main %s refs/heads/main %s\nrefs/heads/feature %s refs/heads/feature %s\n' \
	"$head" "$remote" "$fhead" "$z" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_contains "$OUT" "# $(short "$remote")..$(short "$head")"
expect_contains "$OUT" "# $(short "$remote")..$(short "$fhead")"

# A remote oid we never fetched (someone else pushed): like a new branch.
unknown=1234567890123456789012345678901234567890
printf 'refs/heads/feature %s refs/heads/feature %s\n' "$fhead" "$unknown" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out "# $(short "$remote")..$(short "$fhead")
A	db/three.sql
A	db/two.sql"

# An annotated tag is peeled to its commit.
git tag -a -m "release" v1 "$fhead"
tag=$(git rev-parse v1)
printf 'refs/tags/v1 %s refs/tags/v1 %s\n' "$tag" "$z" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_contains "$OUT" "A	db/three.sql"

# A local ref expression with spaces is split from the right.
printf 'HEAD~0 with space %s refs/heads/feature %s\n' "$fhead" "$z" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_contains "$OUT" "A	db/three.sql"

# Garbage on stdin: exit 2 naming the line.
printf 'refs/heads/main %s\nnot a line\n' "$head" >"$MG_TMP/in"
expect_exit 2 migguard changes --pre-push origin <"$MG_TMP/in"
expect_contains "$ERR" "pre-push input line 1 is not"

# Everything already on the remote: nothing to check.
printf 'refs/heads/main %s refs/heads/main %s\n' "$remote" "$remote" >"$MG_TMP/in"
expect_exit 0 migguard changes --pre-push origin <"$MG_TMP/in"
expect_out ""

# The real thing: git push runs the hook with the lines on stdin.
cat > .git/hooks/pre-push <<'HOOK'
#!/bin/sh
migguard changes --pre-push "$1" > "$MG_TMP/seen" 2>&1
HOOK
chmod +x .git/hooks/pre-push
git push -q origin feature
[ "$(cat "$MG_TMP/seen")" = "# $(short "$remote")..$(short "$fhead")
A	db/three.sql
A	db/two.sql" ] || fail "git push: $(cat "$MG_TMP/seen")"

# stdin a terminal (lefthook without use_stdin: true): do not wait for
# input; say why nothing was checked.
need script "apt-get install -y util-linux"
script -qec "migguard-journal --pre-push origin; echo exit=\$?" /dev/null \
	</dev/null >"$MG_TMP/tty.out" 2>&1 &
pid=$!
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null && { kill "$pid"; fail "pre-push waited on a terminal"; }
grep -q "stdin is a terminal" "$MG_TMP/tty.out" || fail "no terminal message: $(cat "$MG_TMP/tty.out")"
grep -q "use_stdin: true" "$MG_TMP/tty.out" || fail "no lefthook hint"
grep -q "exit=0" "$MG_TMP/tty.out" || fail "$(cat "$MG_TMP/tty.out")"
