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
