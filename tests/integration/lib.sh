# Helpers for integration scenarios (sourced by run.sh).
# Every helper fails the scenario with a message on a mismatch.

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# expect_exit CODE CMD...: run CMD, capture stdout in $OUT, stderr in $ERR.
expect_exit() {
	want=$1
	shift
	set +e
	"$@" >"$MG_TMP/.out" 2>"$MG_TMP/.err"
	got=$?
	set -e
	OUT=$(cat "$MG_TMP/.out")
	ERR=$(cat "$MG_TMP/.err")
	if [ "$got" != "$want" ]; then
		echo "--- stdout" >&2
		cat "$MG_TMP/.out" >&2
		echo "--- stderr" >&2
		cat "$MG_TMP/.err" >&2
		fail "'$*' exited $got, expected $want"
	fi
}

# expect_out TEXT: $OUT must equal TEXT exactly.
expect_out() {
	if [ "$OUT" != "$1" ]; then
		printf '%s\n' "--- expected stdout" "$1" "--- got" "$OUT" >&2
		fail "stdout differs"
	fi
}

# expect_err TEXT: $ERR must equal TEXT exactly, less the lines that say
# which projects were checked ("migguard: checked ..."), which every run
# prints and t-pair-where.sh tests.
expect_err() {
	_err=$(printf '%s\n' "$ERR" | grep -v '^migguard: checked ' || true)
	if [ "$_err" != "$1" ]; then
		printf '%s\n' "--- expected stderr" "$1" "--- got" "$ERR" >&2
		fail "stderr differs"
	fi
}

# expect_contains HAYSTACK NEEDLE
expect_contains() {
	case "$1" in
	*"$2"*) ;;
	*) printf '%s\n' "--- text" "$1" >&2; fail "missing '$2'" ;;
	esac
}

expect_not_contains() {
	case "$1" in
	*"$2"*) printf '%s\n' "--- text" "$1" >&2; fail "unexpected '$2'" ;;
	*) ;;
	esac
}

# new_repo DIR: an empty repository with a fixed identity.
new_repo() {
	git init -q "$1"
}

# commit_all DIR MSG
commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q -m "$2"
}

# copy_step N DIR: copy real drizzle-kit fixture step N (00..) into DIR's
# packages/db, replacing what was there.
copy_step() {
	src="$MG_SOURCE_DIR/tests/fixtures/drizzle/step-$1"
	[ -d "$src" ] || fail "no fixture step $1 ($src)"
	rm -rf "$2/packages/db"
	mkdir -p "$2/packages"
	cp -R "$src" "$2/packages/db"
}

# plain_migration N TAG SQL: in the current folder, drizzle-kit 0.31's
# triple for migration N of packages/db (SQL, a snapshot chained to the
# previous one, the journal rebuilt from the .sql files), and a schema edit.
plain_migration() {
	n=$1 tag=$2 sql=$3
	m=packages/db/src/migrations
	mkdir -p $m/meta packages/db/src/schema
	printf '%s' "$sql" >"$m/${tag}.sql"
	id=$(printf '00000000-0000-4000-8000-%012d' $((n + 1)))
	prev=$(printf '00000000-0000-4000-8000-%012d' "$n")
	[ "$n" = 0 ] && prev=00000000-0000-0000-0000-000000000000
	printf '{\n  "id": "%s",\n  "prevId": "%s",\n  "version": "7",\n  "dialect": "postgresql",\n  "tables": {"public.t%s": {"name": "t%s"}},\n  "enums": {},\n  "schemas": {},\n  "sequences": {},\n  "roles": {},\n  "policies": {},\n  "views": {},\n  "_meta": {"columns": {}, "schemas": {}, "tables": {}}\n}' \
		"$id" "$prev" "$n" "$n" >"$m/meta/$(printf '%04d' "$n")_snapshot.json"
	entries=
	i=0
	for f in "$m"/*.sql; do
		t=$(basename "$f" .sql)
		entries="$entries${entries:+,}
    {
      \"idx\": $i,
      \"version\": \"7\",
      \"when\": $((1767603600000 + i * 1000)),
      \"tag\": \"$t\",
      \"breakpoints\": true
    }"
		i=$((i + 1))
	done
	printf '{\n  "version": "7",\n  "dialect": "postgresql",\n  "entries": [%s\n  ]\n}' \
		"$entries" >"$m/meta/_journal.json"
	printf 'export const step = %s;\n' "$n" >packages/db/src/schema/index.ts
}

# plain_conventions_repo DIR: a new repository DIR (cd into it) with one
# drizzle project whose two committed migrations follow none of the team
# conventions: a bare enum, FKs with ON DELETE no action, no guards, no
# RLS on the organization_id tables (plain drizzle-kit 0.31 output).
plain_conventions_repo() {
	new_repo "$1"
	cd "$1" || fail "cd $1"
	mkdir -p packages/db
	cat >packages/db/drizzle.config.ts <<'EOF'
import { defineConfig } from "drizzle-kit";
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/index.ts",
  out: "./src/migrations",
});
EOF
	plain_migration 0 0000_init 'CREATE TYPE "public"."status" AS ENUM('"'"'open'"'"', '"'"'closed'"'"');--> statement-breakpoint
CREATE TABLE "organization" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"status" "status" DEFAULT '"'"'open'"'"' NOT NULL
);
--> statement-breakpoint
ALTER TABLE "project" ADD CONSTRAINT "project_organization_id_organization_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organization"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "project_organization_id_idx" ON "project" USING btree ("organization_id");'
	commit_all . "init"
	plain_migration 1 0001_tasks 'CREATE TABLE "task" (
	"id" serial PRIMARY KEY NOT NULL,
	"organization_id" integer NOT NULL,
	"project_id" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task" ADD CONSTRAINT "task_project_id_project_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."project"("id") ON DELETE no action ON UPDATE no action;'
	commit_all . "tasks"
}

need() {
	command -v "$1" >/dev/null 2>&1 ||
		fail "$1 is missing: $2"
}
