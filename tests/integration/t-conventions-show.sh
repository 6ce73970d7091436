# `migguard conventions`: what was inferred from the published migrations,
# where it came from, and the .migguard.json lines that pin it.
plain_conventions_repo plain

m=packages/db/src/migrations
expect_exit 0 migguard conventions
expect_out "packages/db ($m): 2 published migrations read, 0000_init.sql to 0001_tasks.sql
  enum-guards: off [enum-without-guard]
    0 of 1 enums created in a DO block that catches duplicate_object
  extension-guards: off [extension-without-guard]
    0 of 0 extensions created with IF NOT EXISTS
  ddl-guards: off [missing-if-not-exists]
    0 of 4 DDL statements with IF NOT EXISTS / IF EXISTS
  tenant-rls: off [rls-missing,rls-policy-missing]
    0 of 0 tables created with the tenant column that enable row level security with select, insert, update and delete policies
  fk-on-delete: off [fk-on-delete]
    0 of 2 foreign keys ON DELETE other than no action
  manual-header: off [manual-addition-without-header]
    0 of 0 hand-written statements under a '-- Manual addition:' header
  pin them in .migguard.json:
    \"lint\": {
      \"guardsFromIndex\": false,
      \"tenant\": false,
      \"fkOnDelete\": false,
      \"enumGuards\": false,
      \"extensionGuards\": false,
      \"manualHeader\": false
    }"

# A lint key or a rule's severity configures a convention, with its line.
printf '{\n  "rules": {"enum-without-guard": "warning"},\n  "lint": {"fkOnDelete": "cascade"}\n}\n' >.migguard.json
git add .migguard.json
expect_exit 0 migguard conventions --format json
expect_contains "$OUT" '{"name":"enum-guards","rules":["enum-without-guard"],"on":true,"value":true,"source":"rule","config":".migguard.json:2","shown":false,"follow":0,"total":1,"first":null,"shownBy":[]}'
expect_contains "$OUT" '{"name":"fk-on-delete","rules":["fk-on-delete"],"on":true,"value":"cascade","source":"configured","config":".migguard.json:3","shown":false,"follow":0,"total":2,"first":null,"shownBy":[]}'
expect_exit 0 migguard conventions
expect_contains "$OUT" "  enum-guards: on, its rule's severity is set at .migguard.json:2 [enum-without-guard]"
expect_contains "$OUT" "  fk-on-delete: ON DELETE cascade, configured at .migguard.json:3 [fk-on-delete]"
expect_exit 2 migguard conventions --format sarif
expect_err "migguard conventions: error: --format: text or json"
expect_exit 2 migguard conventions --staged
cd "$MG_TMP"

# The fixtures' team: its conventions are inferred from its migrations.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 6 team
cd team
expect_exit 0 migguard conventions
expect_out "packages/db ($m): 7 published migrations read, 0000_init.sql to 0006_drop_research_step.sql
  enum-guards: off [enum-without-guard]
    0 of 2 enums created in a DO block that catches duplicate_object
  extension-guards: on, inferred [extension-without-guard]
    1 of 1 extensions created with IF NOT EXISTS, first at $m/0003_enable_pgvector.sql:3
    shown by 0003_enable_pgvector.sql
  ddl-guards: off [missing-if-not-exists]
    0 of 16 DDL statements with IF NOT EXISTS / IF EXISTS
  tenant-rls: column \"organization_id\", role \"authenticated\", inferred [rls-missing,rls-policy-missing]
    2 of 2 tables created with the tenant column that enable row level security with select, insert, update and delete policies, first at $m/0001_research_plan.sql:2
    shown by 0001_research_plan.sql, 0004_research_step.sql
  fk-on-delete: ON DELETE cascade, inferred [fk-on-delete]
    3 of 4 foreign keys ON DELETE cascade, first at $m/0000_init.sql:20
    shown by 0000_init.sql, 0001_research_plan.sql, 0004_research_step.sql
  manual-header: on, inferred [manual-addition-without-header]
    1 of 1 hand-written statements under a '-- Manual addition:' header, first at $m/0003_enable_pgvector.sql:3
    shown by 0003_enable_pgvector.sql
  pin them in .migguard.json:
    \"lint\": {
      \"guardsFromIndex\": false,
      \"tenant\": {\"column\": \"organization_id\", \"role\": \"authenticated\"},
      \"fkOnDelete\": \"cascade\",
      \"enumGuards\": false,
      \"extensionGuards\": true,
      \"manualHeader\": true
    }"

