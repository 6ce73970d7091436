# migguard-docs on real repositories: the three mechanisms, the waiver
# trailer in a range, a page changed in the same commit, a missing page.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
mkdir -p docs/database docs/api
cat > docs/database/migrations.md <<'DOC'
# Migrations

How we generate and apply migrations.
DOC
cat > docs/api/plans.md <<'DOC'
---
title: Plans
covers:
  - packages/db/src/schema/research.ts
---
# Research plans
DOC
cat > docs/api/status.md <<'DOC'
# Status

The `research_plan` table holds one row per plan.
DOC
printf '# Unrelated\n\nNothing about the database.\n' > docs/api/other.md
cat > .migguard.json <<'CFG'
{
  "docs": [
    {"when": ["packages/db/src/schema/**"],
     "pages": ["docs/database/migrations.md", "docs/database/missing.md"]}
  ]
}
CFG
git add -A
git commit -q -m "docs and config"

# Step 02 touches research.ts and the research_plan table.
copy_step 02 .
git add -A
expect_exit 0 migguard-docs
expect_out ".migguard.json:3:1: warning: the mapped page 'docs/database/missing.md' does not exist [doc-needs-update]
  hint: fix the page path in the docs rule, or create the page
docs/api/plans.md:4:5: warning: page may be out of date: changed 'packages/db/src/schema/research.ts' (front matter covers; mentioned) [doc-needs-update]
  hint: update the page in this change, or, if it needs no update, add a 'Docs-Impact: none (reason)' trailer to the commit message (pre-push and CI honour it)
docs/api/status.md:3:6: warning: page may be out of date: changed table 'research_plan' (mentioned) [doc-needs-update]
  hint: update the page in this change, or, if it needs no update, add a 'Docs-Impact: none (reason)' trailer to the commit message (pre-push and CI honour it)
docs/database/migrations.md:1:1: warning: page may be out of date: changed 'packages/db/src/schema/research.ts' (docs rule at .migguard.json:3) [doc-needs-update]
  hint: update the page in this change, or, if it needs no update, add a 'Docs-Impact: none (reason)' trailer to the commit message (pre-push and CI honour it)"
expect_err "migguard: 0 errors, 4 warnings"

# The rule as an error: exit 1.
sed -i 's/^{/{\n  "rules": {"doc-needs-update": "error"},/' .migguard.json
git add .migguard.json
expect_exit 1 migguard-docs
git checkout -q HEAD -- .migguard.json

# A page edited in the same commit is not flagged.
echo "Plans now have a summary." >> docs/api/plans.md
git add docs/api/plans.md
expect_exit 0 migguard-docs
expect_not_contains "$OUT" "docs/api/plans.md"
expect_contains "$OUT" "docs/api/status.md"

# In a range, a Docs-Impact: none trailer waives the check, and says so.
git commit -q -m "Add plan summary

Docs-Impact: none (internal column)"
expect_exit 0 migguard-docs --base HEAD~1
expect_out ""
expect_contains "$ERR" "waived by the 'Docs-Impact: none' trailer of commit $(git rev-parse --short=7 HEAD)"
# Without the trailer, the same range is flagged.
git commit -q --amend -m "Add plan summary"
expect_exit 0 migguard-docs --base HEAD~1
expect_contains "$OUT" "docs/api/status.md:3:6: warning: page may be out of date"

# Nothing watched changed: nothing read, nothing said.
echo "x" > README.txt
git add README.txt
expect_exit 0 migguard-docs
expect_out ""

# A docs tree of 5,000 pages: nothing watched changed, nothing said; a
# table change finds the one page among them that mentions it.
mkdir -p docs/big
i=0
while [ $i -lt 5000 ]; do
	printf '# Page %d\n\nGeneral text about the product, page %d.\n' $i $i \
		> docs/big/page-$i.md
	i=$((i + 1))
done
printf '# Steps\n\nThe `research_step` table is gone.\n' > docs/big/page-4321.md
git add docs
git commit -q -m "many pages"
echo "y" > README.txt
git add README.txt
expect_exit 0 migguard-docs
expect_out ""
git reset -q --hard
copy_step 04 .
git add -A
git commit -q --no-verify -m "step 04"
copy_step 05 .
git add -A
git commit -q --no-verify -m "step 05"
copy_step 06 .
git add -A
expect_exit 0 migguard-docs
expect_contains "$OUT" "docs/big/page-4321.md:3:6: warning: page may be out of date: changed table 'research_step' (mentioned) [doc-needs-update]"
[ "$(printf '%s\n' "$OUT" | grep -c 'docs/big/')" = 1 ] || fail "other pages flagged"

# An English word that names a table counts only as code: `service user
# key` and "every user" are prose, `public.user` and a code block token
# are the table (step 00 creates "user" and "organization").
cd "$MG_TMP"
new_repo w
cd w
mkdir -p docs
printf '# Keys\n\nKeep the `service user key` secret: every user signs in.\n' >docs/keys.md
printf '# Users\n\nThe `public.user` table.\n' >docs/users.md
printf '# Query\n\n```sql\nselect id from "user";\n```\n' >docs/query.md
git add -A
git commit -q -m pages
copy_step 00 .
git add -A
expect_exit 0 migguard-docs
expect_not_contains "$OUT" "docs/keys.md"
expect_contains "$OUT" "docs/users.md:3:13: warning: page may be out of date: changed table 'user' (mentioned) [doc-needs-update]"
expect_contains "$OUT" "docs/query.md:4:17: warning: page may be out of date: changed table 'user' (mentioned) [doc-needs-update]"
