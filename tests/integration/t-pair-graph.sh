# The schema is what drizzle-kit reads: the config's schema file and what
# it imports (relative imports, workspace packages). Files beside it that
# nothing imports (query helpers, the db client) need no migration.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 1 r
cd r
s=packages/db/src/schema
r=$s/research.ts

# Query helpers in the schema folder, imported by nothing drizzle reads.
cat >$s/queries.ts <<'TS'
import { eq } from "drizzle-orm";
import { researchPlan } from "./research";
export const byId = (id: string) => eq(researchPlan.id, id);
export const extra = pgTable("not_read", {});
TS
git add $s/queries.ts
expect_exit 0 migguard-pair
expect_out ""
expect_contains "$ERR" "pair: '$s/queries.ts' changed beside the schema: drizzle-kit does not read it (nothing imports it from 'packages/db/src/schema/index.ts')"
git commit -q -m "Query helpers"

# A column helper outside the folder, imported relatively (.js -> .ts),
# and a workspace package imported by name (exports resolved).
mkdir -p packages/db/src/shared packages/common/src
cat >packages/db/src/shared/columns.ts <<'TS'
import { text } from "drizzle-orm/pg-core";
export const note = () => text("note");
TS
cat >packages/common/package.json <<'JSON'
{"name": "@repo/common", "exports": {"./labels": {"types": "./src/labels.ts", "default": "./dist/labels.js"}}}
JSON
cat >packages/common/src/labels.ts <<'TS'
export const labelColumn = { label: "x" };
TS
sed -i '1a import { note } from "../shared/columns.js";\nimport { labelColumn } from "@repo/common/labels";' $r
sed -i 's|    ...tenantColumns,|    ...tenantColumns,\n    note: note(),\n    ...labelColumn,|' $r
git add -A
# Files newly read by drizzle-kit count, wherever they are.
expect_exit 1 migguard-pair
expect_contains "$OUT" "packages/db/src/shared/columns.ts:2:1: error: schema file 'packages/db/src/shared/columns.ts' added without a generated migration: 'note' added"
expect_contains "$OUT" "packages/common/src/labels.ts:1:1: error"
git commit -q -m "Import shared helpers"

# Now the helpers change, together with a harmless edit in the folder:
# the imported files outside it are found and count.
sed -i 's|text("note")|text("note").notNull()|' packages/db/src/shared/columns.ts
sed -i 's|label: "x"|label: "y"|' packages/common/src/labels.ts
echo "// touched" >>$r
git add -A
expect_exit 1 migguard-pair
expect_contains "$OUT" "packages/db/src/shared/columns.ts:2:39: error: schema file 'packages/db/src/shared/columns.ts' modified without a generated migration: 'note' changed"
expect_contains "$OUT" "packages/common/src/labels.ts:1:37: error: schema file 'packages/common/src/labels.ts' modified without a generated migration: 'labelColumn' changed"
expect_not_contains "$OUT" "$r"
git commit -q -m "Helpers changed"

# In a file the schema reaches only through imports, only what it uses
# counts (vercel/ai-chatbot 81f909ac): the names imported and, in turn,
# what they reference. A query function beside them, and the files only
# it imports, are not schema.
cat >packages/db/src/shared/client.ts <<'TS'
export const db = { url: "postgres://" };
TS
cat >>packages/db/src/shared/columns.ts <<'TS'
import { db } from "./client";
export async function byNote(n: string) { return [db.url, n]; }
TS
echo "// and a comment" >>$r
git add -A
expect_exit 0 migguard-pair
expect_out ""
expect_err "pair: '$r' and 1 more schema files changed, but nothing drizzle-kit turns into SQL (comments, formatting, types, relations, zod, ...): no migration needed
migguard: 0 errors, 0 warnings"
git commit -q -m "A query beside the helpers"
sed -i 's|return \[db.url, n\]|return [n]|' packages/db/src/shared/columns.ts
sed -i 's|postgres://|postgres://db|' packages/db/src/shared/client.ts
echo "// and another" >>$r
git add -A
expect_exit 0 migguard-pair
expect_out ""

# What the used helper references, through the file, still counts.
git reset -q --hard
sed -i 's|export const note = () => text("note").notNull();|const kind = "note";\nexport const note = () => text(kind).notNull();|' packages/db/src/shared/columns.ts
echo "// a third" >>$r
git add -A
expect_exit 1 migguard-pair # migguard does not evaluate the constant
expect_contains "$OUT" "'kind' added"
git commit -q -m "The column's name in a constant"
sed -i 's|const kind = "note";|const kind = "remark";|' packages/db/src/shared/columns.ts
echo "// a fourth" >>$r
git add -A
expect_exit 1 migguard-pair
expect_out "packages/db/src/shared/columns.ts:2:14: error: schema file 'packages/db/src/shared/columns.ts' modified without a generated migration: 'kind' changed; no new .sql, snapshot and journal entry in 'packages/db/src/migrations' [schema-without-migration]
  hint: run 'npm run db:generate' in 'packages/db', then git add packages/db/src/migrations; if the edit cannot change the database, generate writes nothing; bypass once: MIGGUARD_SKIP=pair git commit ..."
