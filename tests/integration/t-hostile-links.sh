# Symbolic links in the checked tree (mode 120000). drizzle's fs follows
# them, so migguard follows a link inside the repository (its target read
# from the link's folder, as git stores it) and refuses one leaving it;
# neither passes silently. A migration's .sql committed as a link is named.
new_repo r
copy_step 01 r
commit_all r "step 01"
expect_exit 1 migguard check --all --repo r --format json
base_rules=$(printf '%s' "$OUT" | grep -o '"rule":"[a-z-]*"' | sort | uniq -c)
[ -n "$base_rules" ] || fail "no findings to compare with"

# The migrations folder is a link to the real one, inside the repository.
git -C r mv packages/db/src/migrations real-migrations
ln -s ../../../real-migrations r/packages/db/src/migrations
commit_all r "migrations folder linked"
expect_exit 1 migguard check --all --repo r --format json
got=$(printf '%s' "$OUT" | grep -o '"rule":"[a-z-]*"' | sort | uniq -c)
[ "$got" = "$base_rules" ] || { printf '%s\n' "--- expected" "$base_rules" "--- got" "$got" >&2; fail "the linked folder is not checked like the real one"; }
expect_contains "$OUT" '"path":"real-migrations/0000_init.sql"'
# The index too (pre-commit), and the lint of a new migration through it.
printf 'DROP TABLE "user";\n' >r/real-migrations/0002_drop.sql
git -C r add real-migrations/0002_drop.sql
expect_exit 1 migguard check --repo r
expect_contains "$OUT" "real-migrations/0002_drop.sql"
expect_contains "$OUT" "[orphan-sql]"
git -C r rm -q --cached real-migrations/0002_drop.sql
rm r/real-migrations/0002_drop.sql
# apply --rev reads the real folder too (no database needed to say so).
expect_exit 2 env -u DATABASE_URL migguard-apply --repo r --rev HEAD
expect_contains "$ERR" "no database URL"

# A link leaving the repository: a finding, not an empty folder.
for target in /etc ../../../../outside ../../../real-migrations/../..; do
	rm r/packages/db/src/migrations
	ln -s "$target" r/packages/db/src/migrations
	commit_all r "migrations folder linked to $target"
	expect_exit 1 migguard check --all --repo r
	expect_contains "$OUT" "[journal-invalid]"
	expect_contains "$OUT" "outside the repository"
	# In a change set only the first link that leaves is new; later
	# ones change a problem that was already there at the base.
	if [ "$target" = /etc ]; then
		expect_exit 1 migguard check --repo r --base HEAD~1
	else
		expect_exit 0 migguard check --repo r --base HEAD~1
		expect_contains "$ERR" "1 problem was already there before this change"
	fi
done
# A loop, and a link to nothing: findings.
rm r/packages/db/src/migrations
ln -s migrations r/packages/db/src/migrations
commit_all r "a loop"
expect_exit 1 migguard check --all --repo r
expect_contains "$OUT" "too many symbolic links"
rm r/packages/db/src/migrations
ln -s ../../../nothing-here r/packages/db/src/migrations
commit_all r "a link to nothing"
expect_exit 1 migguard check --all --repo r
expect_contains "$OUT" "which holds no file"

# A migration's .sql committed as a link (to a file in the repository).
rm r/packages/db/src/migrations
git -C r mv real-migrations packages/db/src/migrations
mkdir -p r/sql
git -C r mv packages/db/src/migrations/0001_research_plan.sql sql/
ln -s ../../../../sql/0001_research_plan.sql r/packages/db/src/migrations/0001_research_plan.sql
commit_all r "a linked migration"
for f in text json; do
	expect_exit 1 migguard check --all --repo r --format $f
	expect_contains "$OUT" "0001_research_plan.sql' is a symbolic link, not a file"
done
expect_contains "$OUT" '"rule":"journal-missing-sql"'
# lint --all names it too (it went through only regular files).
expect_contains "$OUT" '"rule":"sql-parse-error","severity":"warning","path":"packages/db/src/migrations/0001_research_plan.sql"'
# And a linked .sql that no journal lists (lint alone, no journal rules).
ln -s ../../../../sql/0001_research_plan.sql r/packages/db/src/migrations/0009_extra.sql
commit_all r "an orphan linked migration"
# Exit 0: the unreadable files are warnings, and the one readable
# migration (0000) shows no convention to hold it to: its enum is bare,
# its DDL unguarded, its tenant table without RLS (0001 is the link).
expect_exit 0 migguard-lint --all --repo r
expect_contains "$OUT" "packages/db/src/migrations/0009_extra.sql:1:1: warning: 'packages/db/src/migrations/0009_extra.sql' is not a regular file (a symbolic link or submodule)"
expect_contains "$OUT" "[sql-parse-error]"
