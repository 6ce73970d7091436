# migguard up-check on the real fixtures: before drizzle-kit up (the 0.31
# journal layout of tests/fixtures/drizzle: what rc.5's up would write,
# why it refuses, what it leaves behind) and after it (the rc.5 output of
# tests/fixtures/drizzle-1.0/up against the journal at the commit before).
need node "apt-get install -y nodejs npm"
FX=$MG_SOURCE_DIR/tests/fixtures
UP=$FX/drizzle-1.0/up
m=packages/db/src/migrations

# The folder names up wrote (one a line) and those up-check predicts.
folders_of() {
	ls "$1" | grep -v '\.sql$'
}
predicted() {
	printf '%s\n' "$OUT" | sed -n 's|^  [^ ]* *-> [^ ]*/\([^/]*\)/$|\1|p'
}

# 1. step-06 as committed: 0002 and 0003 were generated in one second and
# "<sec>_enable_pgvector" sorts before its parent "<sec>_plan_summary":
# rc.5 refuses (up/step-06.refused.out), and so does the prediction.
new_repo a
copy_step 06 a
commit_all a "step 06"
cd a
expect_exit 1 migguard up-check
expect_out "packages/db: 'packages/db/src/migrations' is in the journal layout (drizzle-kit 0.31), 7 migrations
drizzle-kit up would write (each folder named after \`when\` in UTC seconds):
  0000_init               -> $m/20261125234438_init/
  0001_research_plan      -> $m/20261125234438_research_plan/
  0002_plan_summary       -> $m/20261125234439_plan_summary/
  0003_enable_pgvector    -> $m/20261125234439_enable_pgvector/
  0004_research_step      -> $m/20261125234440_research_step/
  0005_rename_summary     -> $m/20261125234441_rename_summary/
  0006_drop_research_step -> $m/20261125234442_drop_research_step/
drizzle-kit up would refuse and change no file: 1 reason, in the order up checks them (it stops at the first; details below):
  1. 0003_enable_pgvector: its folder sorts before its parent's (same second) [journal-when-order]
$m/meta/_journal.json:26:1: error: after drizzle-kit up moves the migrations into folders, migration 0003_enable_pgvector sorts before its parent 0002_plan_summary, so migrate can run it first ('20261125234439_enable_pgvector' <= '20261125234439_plan_summary': drizzle-kit up names each folder after the time in \`when\` of its journal entry) [journal-when-order]
  hint: in $m/meta/_journal.json, set \`when\` of 0003_enable_pgvector to a time at least one second after \`when\` of 0002_plan_summary (1795650280342 or later), then run drizzle-kit up again"
expect_err "migguard: 1 error, 0 warnings"
# rc.5's own words, as up printed them.
refused=$(cat "$UP/step-06.refused.out")
expect_contains "$refused" "migration 0003_enable_pgvector sorts before its parent 0002_plan_summary, so migrate can run it first"
expect_contains "$OUT" "migration 0003_enable_pgvector sorts before its parent 0002_plan_summary, so migrate can run it first"
expect_contains "$refused" "set \`when\` of 0003_enable_pgvector to a time at least one second after \`when\` of 0002_plan_summary"
expect_contains "$OUT" "set \`when\` of 0003_enable_pgvector to a time at least one second after \`when\` of 0002_plan_summary"
expect_contains "$refused" "exit 1"
# JSON: the same, one document.
expect_exit 1 migguard up-check --format json
printf '%s' "$OUT" | node -e '
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
const j = JSON.parse(s), p = j.projects[0];
if (p.layout !== "journal" || p.converts !== false || p.refusals !== 1 ||
    p.folders.length !== 7 || p.folders[3].folder !== "20261125234439_enable_pgvector" ||
    j.findings.length !== 1 || j.findings[0].rule !== "journal-when-order" ||
    j.findings[0].line !== 26 || j.summary.errors !== 1)
	throw new Error("unexpected JSON " + s);
});' || fail "up-check --format json"

# 2. With 0003's `when` one second after 0002's, as the message says: up
# converts, and the folders are named as rc.5 named them (up/step-06).
sed -i 's/"when": 1795650279768/"when": 1795650280342/' $m/meta/_journal.json
expect_exit 0 migguard up-check
expect_contains "$OUT" "drizzle-kit up converts it cleanly. Next: run it, then \`migguard up-check --against HEAD\`"
[ "$(predicted)" = "$(folders_of "$UP/step-06/src/migrations")" ] ||
	fail "predicted folders differ from up/step-06: $(predicted)"
expect_err "migguard: 0 errors, 0 warnings"
# The committed tree (--rev) still refuses.
expect_exit 1 migguard up-check --rev HEAD
commit_all . "0003 one second after 0002"

# 3. After up: the journal layout replaced by rc.5's output (up/step-06).
rm -rf $m
cp -R "$UP/step-06/src/migrations" $m
expect_exit 0 migguard up-check
expect_out "packages/db: 'packages/db/src/migrations' is already in the folder layout (drizzle 1.0), 7 folders: \`migguard up-check --against REV\` compares it with the journal layout at REV, the commit before drizzle-kit up"
expect_exit 0 migguard up-check --against HEAD
expect_out "packages/db: 'packages/db/src/migrations' is in the folder layout (drizzle 1.0), 7 folders; compared with the journal layout at HEAD, 7 migrations
every migration is in the folder drizzle-kit up names it, same SQL bytes, ids and order, nothing lost. Next: \`migguard-apply --dry-run\` on a database migrated by drizzle-orm 0.45 shows how the 1.0 migrator upgrades its table"
expect_err "migguard: 0 errors, 0 warnings"
commit_all . "drizzle-kit up"
expect_exit 0 migguard up-check --rev HEAD --against HEAD~1
expect_exit 0 migguard up-check --against HEAD~1 --format json
printf '%s' "$OUT" | node -e '
let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
const j = JSON.parse(s), p = j.projects[0];
if (p.layout !== "folder" || p.against !== "HEAD~1" || p.differences !== 0 ||
    p.journalMigrations !== 7 || p.folders !== 7 || j.findings.length !== 0)
	throw new Error("unexpected JSON " + s);
});' || fail "up-check --against --format json"
# A migration generated after up is newer than the journal: fine.
mkdir $m/20261203080553_next
printf 'SELECT 1;' >$m/20261203080553_next/migration.sql
cp $m/20261125234442_drop_research_step/snapshot.json $m/20261203080553_next/
expect_exit 0 migguard up-check --against HEAD~1
expect_contains "$OUT" "1 folder is newer than the journal at HEAD~1"
rm -rf $m/20261203080553_next

# 4. Broken conversions, each a finding naming both files.
# An SQL byte changed.
printf ' ' >>$m/20261125234439_plan_summary/migration.sql
expect_exit 1 migguard up-check --against HEAD~1
expect_out "packages/db: 'packages/db/src/migrations' is in the folder layout (drizzle 1.0), 7 folders; compared with the journal layout at HEAD~1, 7 migrations
1 difference from what drizzle-kit up writes (below)
$m/20261125234439_plan_summary/migration.sql:2:1: error: '$m/20261125234439_plan_summary/migration.sql' differs from '$m/0002_plan_summary.sql' at HEAD~1: drizzle-kit up moves the SQL byte for byte, and a database migrated by 0.45 holds the hash of the old bytes [migration-edited]
  hint: restore it: git show 'HEAD~1:$m/0002_plan_summary.sql' >'$m/20261125234439_plan_summary/migration.sql'"
git checkout -q -- .
# A folder lost.
rm -r $m/20261125234441_rename_summary
expect_exit 1 migguard up-check --against HEAD~1
expect_contains "$OUT" "$m/0005_rename_summary.sql:1:1: error: 0005_rename_summary ('$m/0005_rename_summary.sql' at HEAD~1) has no folder: drizzle-kit up writes it to '$m/20261125234441_rename_summary/', and no folder holds its snapshot id or its SQL [migration-deleted]"
expect_contains "$OUT" "1 difference from"
git checkout -q -- .
# A snapshot id changed.
sed -i 's/"id": "8af2b24a-/"id": "ffffffff-/' $m/20261125234438_research_plan/snapshot.json
expect_exit 1 migguard up-check --against HEAD~1
expect_contains "$OUT" "$m/20261125234438_research_plan/snapshot.json:5:3: error: snapshot id 'ffffffff-6894-49ef-829b-9c5958649dd7' of '$m/20261125234438_research_plan/snapshot.json' is not '8af2b24a-6894-49ef-829b-9c5958649dd7', the id of 0001_research_plan ('$m/meta/0001_snapshot.json' at HEAD~1) [snapshot-chain-broken]"
expect_contains "$OUT" "1 difference from"
git checkout -q -- .
# A folder renamed so that it runs before the migration it followed.
mv $m/20261125234440_research_step $m/20261125234439_research_step
expect_exit 1 migguard up-check --against HEAD~1
expect_contains "$OUT" "1 difference from"
expect_contains "$OUT" "$m/20261125234439_research_step:1:1: error: 0004_research_step ran after 0003_enable_pgvector under drizzle-orm 0.45 (journal order at HEAD~1), but folder '20261125234439_research_step' sorts before '20261125234440_enable_pgvector', so the 1.0 migrator runs it first [journal-when-order]
  hint: name the folder '20261125234440_research_step', as drizzle-kit up does"
rm -rf $m/20261125234439_research_step
git checkout -q -- .
# A folder that is no journal entry, among them: it would run after newer ones.
mkdir $m/20261125234439_zz_by_hand
printf 'SELECT 1;' >$m/20261125234439_zz_by_hand/migration.sql
expect_exit 1 migguard up-check --against HEAD~1
expect_contains "$OUT" "$m/20261125234439_zz_by_hand:1:1: error: folder '20261125234439_zz_by_hand' is no migration of the journal at HEAD~1, yet sorts among them (before '20261125234442_drop_research_step'): on a database migrated by 0.45 the 1.0 migrator runs it after newer ones [journal-when-order]
  hint: give it a name that sorts after '20261125234442_drop_research_step' (drizzle-kit generate names new folders after the current time)"
expect_contains "$OUT" "1 difference from"
rm -rf $m/20261125234439_zz_by_hand

# 5. Both layouts: an unfinished up.
mkdir $m/meta
git show HEAD~1:$m/meta/_journal.json >$m/meta/_journal.json
expect_exit 1 migguard up-check --against HEAD~1
expect_out "packages/db: 'packages/db/src/migrations' holds both layouts: drizzle-kit up was not finished (below)
$m/meta/_journal.json:1:1: error: migrations in both drizzle layouts at once: '$m/meta/_journal.json' (drizzle-kit 0.31) and 7 migration folders such as '$m/20261125234438_init/migration.sql' (drizzle-kit 1.0) [journal-invalid]
  hint: an unfinished \`drizzle-kit up\`: the 1.0 migrator refuses to run while meta/_journal.json exists, and 0.45 ignores the folders; run \`drizzle-kit up\` with drizzle-kit 1.0 and commit its result (meta/ removed), or remove the folders to stay on 0.31"
rm -rf $m/meta

# 6. Could not run: exit 2, one line.
expect_exit 2 migguard up-check --against nosuch
expect_err "migguard up-check: error: --against: unknown revision 'nosuch'"
expect_exit 2 migguard up-check --against HEAD:packages
expect_err "migguard up-check: error: --against: 'HEAD:packages' does not name a commit"
expect_exit 2 migguard up-check --against HEAD
expect_err "migguard up-check: error: --against HEAD: 'packages/db/src/migrations' is in the folder layout there, not the journal layout: name the commit before drizzle-kit up"
expect_exit 2 migguard up-check --project nope
expect_err "migguard up-check: error: no project named 'nope' in drizzle.config discovery"
expect_exit 2 migguard up-check --bogus
expect_contains "$ERR" "migguard up-check: error: unknown option '--bogus'"
expect_exit 2 migguard up-check --rev nosuch
expect_err "migguard up-check: error: unknown revision 'nosuch'"
expect_exit 0 migguard help up-check
expect_contains "$OUT" "usage: migguard up-check [--against REV]"
cd ..

# 7. step-02 and a .sql the journal does not list: up converts and leaves
# it at the root (up/orphan-sql), where the 1.0 migrator never runs it.
new_repo b
copy_step 02 b
cp "$UP/orphan-sql/src/migrations/0003_hand_written.sql" b/$m/
commit_all b "step 02 and a hand-written file"
cd b
expect_exit 1 migguard up-check
expect_out "packages/db: 'packages/db/src/migrations' is in the journal layout (drizzle-kit 0.31), 3 migrations
drizzle-kit up would write (each folder named after \`when\` in UTC seconds):
  0000_init          -> $m/20261125234438_init/
  0001_research_plan -> $m/20261125234438_research_plan/
  0002_plan_summary  -> $m/20261125234439_plan_summary/
drizzle-kit up would convert it and leave 1 .sql file behind (below)
$m/0003_hand_written.sql:1:1: error: '$m/0003_hand_written.sql' is not in the journal: drizzle-kit up leaves it at the root of the folder, where the 1.0 migrator never runs it [orphan-sql]
  hint: make it a migration (drizzle-kit generate --custom, then move the SQL into it) or delete it, before drizzle-kit up"
[ "$(predicted)" = "$(folders_of "$UP/orphan-sql/src/migrations")" ] ||
	fail "predicted folders differ from up/orphan-sql"
[ -f "$UP/orphan-sql/src/migrations/0003_hand_written.sql" ] ||
	fail "rc.5 did not leave the orphan behind"
# After up (rc.5's output): the orphan is still there, still never run.
rm -rf $m
cp -R "$UP/orphan-sql/src/migrations" $m
expect_exit 1 migguard up-check --against HEAD
expect_contains "$OUT" "$m/0003_hand_written.sql:1:1: error: '$m/0003_hand_written.sql' is not a migration folder's migration.sql: the 1.0 migrator never runs it (drizzle-kit up leaves a .sql the journal did not list at the root) [orphan-sql]"
expect_contains "$OUT" "1 difference from"
cd ..

# 8. Every reason, in up's order: a snapshot lost, an SQL file lost.
new_repo c
copy_step 02 c
rm c/$m/meta/0001_snapshot.json c/$m/0002_plan_summary.sql
commit_all c "broken history"
cd c
expect_exit 1 migguard up-check
expect_contains "$OUT" "drizzle-kit up would refuse and change no file: 2 reasons, in the order up checks them (it stops at the first; details below):
  1. 0001_research_plan: no snapshot [journal-missing-snapshot]
  2. 0002_plan_summary: no SQL file [journal-missing-sql]
"
expect_contains "$OUT" "$m/meta/_journal.json:12:1: error: journal entry 0001_research_plan has no snapshot '$m/meta/0001_snapshot.json' (drizzle-kit up stops: \"No snapshot was found\") [journal-missing-snapshot]"
expect_contains "$OUT" "$m/meta/_journal.json:19:1: error: journal entry 0002_plan_summary has no SQL file: drizzle-kit expects it at $m/0002_plan_summary.sql [journal-missing-sql]"
expect_err "migguard: 2 errors, 0 warnings"
# Restored, 0001's snapshot is not 0002's parent any more: a deleted
# migration in the middle, then two first migrations.
cp "$FX/drizzle/step-02/src/migrations/meta/0001_snapshot.json" $m/meta/
cp "$FX/drizzle/step-02/src/migrations/0002_plan_summary.sql" $m/
commit_all . "restored"
sed -i 's/"id": "8af2b24a-/"id": "ffffffff-/' $m/meta/0001_snapshot.json
sed -i 's/"prevId": "874842d0-[^"]*"/"prevId": "00000000-0000-0000-0000-000000000000"/' $m/meta/0001_snapshot.json
expect_exit 1 migguard up-check
expect_contains "$OUT" "drizzle-kit up would refuse and change no file: 2 reasons, in the order up checks them (it stops at the first; details below):
  1. 0002_plan_summary: its parent snapshot is gone [snapshot-chain-broken]
  2. 0001_research_plan: a second first migration [snapshot-chain-broken]
"
expect_contains "$OUT" "$m/meta/0002_snapshot.json:3:3: error: a migration was deleted in the middle of the history: migration 0002_plan_summary follows the snapshot 8af2b24a-6894-49ef-829b-9c5958649dd7, and no migration in the folder has this snapshot [snapshot-chain-broken]"
expect_contains "$OUT" "$m/meta/0001_snapshot.json:3:3: error: the folder has two first migrations, 0000_init and 0001_research_plan, and a folder must have one [snapshot-chain-broken]"
# A snapshot that is not JSON.
git checkout -q -- .
printf '{"id": ' >$m/meta/0001_snapshot.json
expect_exit 1 migguard up-check
expect_contains "$OUT" "  1. 0001_research_plan: snapshot not JSON [snapshot-invalid]
"
expect_contains "$OUT" "$m/meta/0001_snapshot.json:1:1: error: $m/meta/0001_snapshot.json data is malformed (not JSON): drizzle-kit up cannot convert 0001_research_plan [snapshot-invalid]"
expect_err "migguard: 1 error, 0 warnings"
cd ..

# 9. A journal up cannot read: up stops at once; nothing to compare with.
new_repo e
copy_step 02 e
printf '{"entries": [' >e/$m/meta/_journal.json
commit_all e "a truncated journal"
cd e
expect_exit 1 migguard up-check
expect_out "packages/db: 'packages/db/src/migrations' is in the journal layout (drizzle-kit 0.31)
drizzle-kit up would stop at once: it cannot read the journal (below)
$m/meta/_journal.json:1:1: error: '$m/meta/_journal.json' is not a journal drizzle-kit up can read: unexpected end of JSON (truncated file?) [journal-invalid]
  hint: fix the JSON or restore it from git"
rm -rf $m
cp -R "$UP/orphan-sql/src/migrations" $m
expect_exit 2 migguard up-check --against HEAD
expect_err "migguard up-check: error: --against HEAD: '$m/meta/_journal.json' there is not a journal (unexpected end of JSON (truncated file?)): nothing to compare with"
git rm -rq $m
git commit -qm "no migrations"
cp -R "$UP/orphan-sql/src/migrations" $m
expect_exit 2 migguard up-check --against HEAD
expect_err "migguard up-check: error: --against HEAD: '$m' holds no migrations there: name the commit before drizzle-kit up"
cd ..

# 10. No migrations at all: said, not a silent pass.
new_repo d
mkdir -p d/db
printf 'export default { dialect: "postgresql", schema: "./schema.ts", out: "./drizzle" };\n' >d/db/drizzle.config.ts
commit_all d "config only"
cd d
expect_exit 0 migguard up-check
expect_out "db: no migrations found in 'db/drizzle' (neither meta/_journal.json nor migration folders): nothing to check"
cd ..
