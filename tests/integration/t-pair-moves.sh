# Schema files that move (vercel/ai-chatbot f23c73f6: db/schema.ts moved
# byte for byte to lib/db/schema.ts, the config's "schema" updated): the
# head's config does not watch the old paths, so the change set sees the
# files added; they are compared with the base's schema (the base's
# config), and a pure move changes nothing. A real change made in the
# same commit still counts.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
s=packages/db/src/schema
n=packages/db/src/tables

git mv $s $n
sed -i 's|"./src/schema/index.ts"|"./src/tables/index.ts"|' packages/db/drizzle.config.ts
git add -A
expect_exit 0 migguard-pair
expect_out ""
expect_err "pair: '$n/auth.ts' and 9 more schema files changed, but nothing drizzle-kit turns into SQL (comments, formatting, types, relations, zod, ...): no migration needed
migguard: 0 errors, 0 warnings"

# The move with a column added: the table changed, at its token.
sed -i "s|status: planStatus(\"status\")|summary: text(\"summary\"), status: planStatus(\"status\")|" $n/research.ts
git add -A
expect_exit 1 migguard-pair
expect_contains "$OUT" "$n/research.ts:10:5: error: schema file '$n/research.ts' added without a generated migration: pgTable \"research_plan\" changed; no new .sql"
expect_contains "$OUT" "$s/research.ts:1:1: error: schema file '$s/research.ts' deleted without a generated migration: pgTable \"research_plan\" changed; no new .sql"
expect_not_contains "$OUT" "auth.ts"
git reset -q --hard

# The move leaving a table behind: the table is removed.
git mv $s $n
sed -i 's|"./src/schema/index.ts"|"./src/tables/index.ts"|' packages/db/drizzle.config.ts
git rm -q -f $n/research.ts
sed -i '/research/d' $n/index.ts
git add -A
expect_exit 1 migguard-pair
expect_contains "$OUT" "$s/research.ts:1:1: error: schema file '$s/research.ts' deleted without a generated migration: pgTable \"research_plan\" removed; no new .sql"
git reset -q --hard
