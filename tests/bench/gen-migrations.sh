#!/bin/sh
# Write a drizzle-kit 0.31 style migrations folder of N migrations:
# <out>/NNNN_step_N.sql, <out>/meta/NNNN_snapshot.json (a chain of ids,
# each snapshot holding every table so far, up to TABLES), and
# <out>/meta/_journal.json, all as JSON.stringify(x, null, 2) without a
# trailing newline.
# usage: gen-migrations.sh OUT [N] [TABLES]
set -eu
out=${1:?usage: gen-migrations.sh OUT [N] [TABLES]}
n=${2:-1000}
tables=${3:-50}
mkdir -p "$out/meta"
awk -v out="$out" -v n="$n" -v tables="$tables" '
function uuid(i) {
	return sprintf("6f1c2a30-8b1e-4c5d-9a7f-%012x", i + 1)
}
function table(t,    s) {
	s = sprintf("    \"public.t%d\": {\n      \"name\": \"t%d\",\n", t, t)
	s = s "      \"schema\": \"\",\n      \"columns\": {\n"
	s = s "        \"id\": {\n          \"name\": \"id\",\n"
	s = s "          \"type\": \"uuid\",\n          \"primaryKey\": true,\n"
	s = s "          \"notNull\": true,\n"
	s = s "          \"default\": \"gen_random_uuid()\"\n        },\n"
	s = s "        \"organization_id\": {\n"
	s = s "          \"name\": \"organization_id\",\n"
	s = s "          \"type\": \"uuid\",\n          \"primaryKey\": false,\n"
	s = s "          \"notNull\": true\n        }\n      },\n"
	s = s "      \"indexes\": {},\n      \"foreignKeys\": {},\n"
	s = s "      \"compositePrimaryKeys\": {},\n"
	s = s "      \"uniqueConstraints\": {},\n      \"policies\": {},\n"
	s = s "      \"checkConstraints\": {},\n"
	s = s "      \"isRLSEnabled\": true\n    }"
	return s
}
BEGIN {
	journal = "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"entries\": ["
	body = ""
	for (i = 0; i < n; i++) {
		prefix = sprintf("%04d", i)
		tag = prefix "_step_" i
		t = i % tables
		sql = sprintf("CREATE TABLE \"t%d_%d\" (\n\t\"id\" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,\n\t\"organization_id\" uuid NOT NULL\n);\n--> statement-breakpoint\nALTER TABLE \"t%d_%d\" ENABLE ROW LEVEL SECURITY;", t, i, t, i)
		f = out "/" tag ".sql"
		printf "%s", sql > f
		close(f)
		if (i < tables)
			body = body (i ? ",\n" : "") table(i)
		prev = i ? uuid(i - 1) : "00000000-0000-0000-0000-000000000000"
		f = out "/meta/" prefix "_snapshot.json"
		printf "{\n  \"id\": \"%s\",\n  \"prevId\": \"%s\",\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n  \"tables\": {\n%s\n  },\n  \"enums\": {},\n  \"schemas\": {},\n  \"sequences\": {},\n  \"roles\": {},\n  \"policies\": {},\n  \"views\": {},\n  \"_meta\": {\n    \"columns\": {},\n    \"schemas\": {},\n    \"tables\": {}\n  }\n}", uuid(i), prev, body > f
		close(f)
		journal = journal sprintf("%s\n    {\n      \"idx\": %d,\n      \"version\": \"7\",\n      \"when\": %.0f,\n      \"tag\": \"%s\",\n      \"breakpoints\": true\n    }", i ? "," : "", i, 1700000000000 + i * 60000, tag)
	}
	journal = journal "\n  ]\n}"
	f = out "/meta/_journal.json"
	printf "%s", journal > f
	close(f)
}'
