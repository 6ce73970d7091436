# Writes a git fast-import stream: a monorepo with one drizzle project of M
# migrations (journal layout of drizzle-kit 0.31, shaped like
# tests/fixtures/drizzle/step-06) and F unrelated files in a deep tree.
#
#   refs/heads/main             the repository (M migrations, F files)
#   refs/heads/bench-watched    main + one schema edit and migration M, complete
#   refs/heads/bench-unrelated  main + 3 edited files outside watched folders
#
# Variables: M (migrations), F (unrelated files), DOCS (doc pages).
# Output is deterministic; run under LC_ALL=C so length() counts bytes.

function blob(path, text) {
	printf "M 100644 inline %s\ndata %d\n%s\n", path, length(text), text
}

function uuid(n) {
	return sprintf("%08d-%04d-4%03d-8%03d-%012d", n, n % 10000,
		       n % 1000, (n * 7) % 1000, n * 7919 + 1)
}

function tname(k) {
	return sprintf("entity_%03d", k)
}

function col_json(name, type, pk, notnull, def,    s) {
	s = "        \"" name "\": {\n" \
	    "          \"name\": \"" name "\",\n" \
	    "          \"type\": \"" type "\",\n" \
	    "          \"primaryKey\": " pk ",\n" \
	    "          \"notNull\": " notnull
	if (def != "")
		s = s ",\n          \"default\": \"" def "\""
	return s "\n        }"
}

function idx_json(name, column) {
	return "        \"" name "\": {\n" \
	       "          \"name\": \"" name "\",\n" \
	       "          \"columns\": [\n" \
	       "            {\n" \
	       "              \"expression\": \"" column "\",\n" \
	       "              \"isExpression\": false,\n" \
	       "              \"asc\": true,\n" \
	       "              \"nulls\": \"last\"\n" \
	       "            }\n" \
	       "          ],\n" \
	       "          \"isUnique\": false,\n" \
	       "          \"concurrently\": false,\n" \
	       "          \"method\": \"btree\",\n" \
	       "          \"with\": {}\n" \
	       "        }"
}

function fk_json(name, from, to) {
	return "        \"" name "\": {\n" \
	       "          \"name\": \"" name "\",\n" \
	       "          \"tableFrom\": \"" from "\",\n" \
	       "          \"tableTo\": \"" to "\",\n" \
	       "          \"columnsFrom\": [\n" \
	       "            \"parent_id\"\n" \
	       "          ],\n" \
	       "          \"columnsTo\": [\n" \
	       "            \"id\"\n" \
	       "          ],\n" \
	       "          \"onDelete\": \"cascade\",\n" \
	       "          \"onUpdate\": \"no action\"\n" \
	       "        }"
}

function obj(body) {
	return body == "" ? "{}" : "{\n" body "\n      }"
}

function render(k) {
	block[k] = "    \"public." tname(k) "\": {\n" \
		   "      \"name\": \"" tname(k) "\",\n" \
		   "      \"schema\": \"\",\n" \
		   "      \"columns\": " obj(cols[k]) ",\n" \
		   "      \"indexes\": " obj(idxs[k]) ",\n" \
		   "      \"foreignKeys\": " obj(fks[k]) ",\n" \
		   "      \"compositePrimaryKeys\": {},\n" \
		   "      \"uniqueConstraints\": {},\n" \
		   "      \"policies\": {},\n" \
		   "      \"checkConstraints\": {},\n" \
		   "      \"isRLSEnabled\": false\n" \
		   "    }"
}

function add(list, item) {
	return list == "" ? item : list ",\n" item
}

function snapshot(i,    s, k, prev) {
	prev = i ? uuid(i - 1) : "00000000-0000-0000-0000-000000000000"
	s = "{\n  \"id\": \"" uuid(i) "\",\n  \"prevId\": \"" prev "\",\n" \
	    "  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n" \
	    "  \"tables\": {"
	for (k = 0; k < ntables; k++)
		s = s (k ? ",\n" : "\n") block[k]
	return s "\n  },\n  \"enums\": {},\n  \"schemas\": {},\n" \
		 "  \"sequences\": {},\n  \"roles\": {},\n  \"policies\": {},\n" \
		 "  \"views\": {},\n  \"_meta\": {\n    \"columns\": {},\n" \
		 "    \"schemas\": {},\n    \"tables\": {}\n  }\n}"
}

# The schema file of table k (drizzle-orm pg-core), as its columns stand.
function schema_ts(k,    s) {
	s = "import { index, pgTable, text, timestamp, uuid } from " \
	    "\"drizzle-orm/pg-core\";\n"
	if (k)
		s = s "import { " camel(k - 1) " } from \"./" tname(k - 1) \
		    "\";\n"
	return s "\nexport const " camel(k) " = pgTable(\"" tname(k) \
	       "\", {\n  id: uuid(\"id\").primaryKey().defaultRandom(),\n" \
	       "  createdAt: timestamp(\"created_at\", { withTimezone: " \
	       "true }).notNull().defaultNow(),\n" \
	       "  name: text(\"name\").notNull(),\n" tscols[k] "});\n"
}

function camel(k) {
	return sprintf("entity%03d", k)
}

# Migration i: its SQL, and the schema state after it.
function migrate(i, column_only,    k, c, sql, fk, ix) {
	if (i % 8 == 0 && !column_only) {
		k = ntables++
		cols[k] = col_json("id", "uuid", "true", "true",
				   "gen_random_uuid()")
		cols[k] = add(cols[k], col_json("created_at",
			"timestamp with time zone", "false", "true", "now()"))
		cols[k] = add(cols[k], col_json("name", "text", "false",
						"true", ""))
		sql = "CREATE TABLE \"" tname(k) "\" (\n" \
		      "\t\"id\" uuid PRIMARY KEY DEFAULT gen_random_uuid() " \
		      "NOT NULL,\n" \
		      "\t\"created_at\" timestamp with time zone DEFAULT " \
		      "now() NOT NULL,\n" \
		      "\t\"name\" text NOT NULL"
		if (k) {
			cols[k] = add(cols[k], col_json("parent_id", "uuid",
							"false", "false", ""))
			fk = tname(k) "_parent_id_" tname(k - 1) "_id_fk"
			ix = tname(k) "_parent_id_idx"
			fks[k] = fk_json(fk, tname(k), tname(k - 1))
			idxs[k] = idx_json(ix, "parent_id")
			tscols[k] = "  parentId: uuid(\"parent_id\")" \
				    ".references(() => " camel(k - 1) \
				    ".id, { onDelete: \"cascade\" }),\n"
			sql = sql ",\n\t\"parent_id\" uuid\n);\n" \
			      "--> statement-breakpoint\n" \
			      "ALTER TABLE \"" tname(k) "\" ADD CONSTRAINT \"" \
			      fk "\" FOREIGN KEY (\"parent_id\") REFERENCES " \
			      "\"public\".\"" tname(k - 1) "\"(\"id\") ON " \
			      "DELETE cascade ON UPDATE no action;" \
			      "--> statement-breakpoint\n" \
			      "CREATE INDEX \"" ix "\" ON \"" tname(k) \
			      "\" USING btree (\"parent_id\");"
		} else {
			sql = sql "\n);\n"
		}
	} else if (i % 8 == 4 && !column_only) {
		k = (i * 7) % ntables
		ix = sprintf("%s_m%04d_idx", tname(k), i)
		idxs[k] = add(idxs[k], idx_json(ix, "created_at"))
		sql = "CREATE INDEX \"" ix "\" ON \"" tname(k) "\" USING " \
		      "btree (\"created_at\");"
	} else {
		k = (i * 7) % ntables
		c = sprintf("c_%04d", i)
		cols[k] = add(cols[k], col_json(c, "text", "false", "false",
						""))
		tscols[k] = tscols[k] "  " c ": text(\"" c "\"),\n"
		sql = "ALTER TABLE \"" tname(k) "\" ADD COLUMN \"" c "\" text;"
	}
	render(k)
	changed = k
	return sql
}

function tag(i,    a, n) {
	a = adj[i % nadj + 1]
	n = noun[int(i / nadj) % nnoun + 1]
	return sprintf("%04d_%s_%s", i, a, n)
}

function journal_entry(i) {
	return "    {\n      \"idx\": " i ",\n      \"version\": \"7\",\n" \
	       "      \"when\": " sprintf("%.0f", 1700000000000 + i * 3600000 \
					      + (i * 7919) % 1000) ",\n" \
	       "      \"tag\": \"" tag(i) "\",\n" \
	       "      \"breakpoints\": true\n    }"
}

function journal(entries) {
	return "{\n  \"version\": \"7\",\n  \"dialect\": \"postgresql\",\n" \
	       "  \"entries\": [\n" entries "\n  ]\n}"
}

function commit(ref, msg, from, mark) {
	printf "commit %s\n", ref
	if (mark != "")
		printf "mark %s\n", mark
	printf "committer Bench <bench@example.com> 1700000000 +0000\n"
	printf "data %d\n%s\n", length(msg), msg
	if (from != "")
		printf "from %s\n", from
}

function unrelated(n,    d, path) {
	d = sprintf("%05d", n)
	path = sprintf("apps/app-%s/src/modules/mod-%s/feature-%s/part-%s",
		       substr(d, 1, 1), substr(d, 2, 1), substr(d, 3, 1),
		       substr(d, 4, 1))
	return sprintf("%s/file-%s.ts", path, substr(d, 5, 1) \
		       (n >= 100000 ? "-" int(n / 100000) : ""))
}

BEGIN {
	nadj = split("odd brave calm dark eager fancy giant happy icy jolly " \
		     "keen lazy merry nice proud quick rich shy tidy vast " \
		     "warm young zany bold", adj, " ")
	nnoun = split("wolverine cable hulk storm rogue magneto gambit " \
		      "bishop cyclops havok banshee sunfire thunderbird " \
		      "nightcrawler colossus phoenix", noun, " ")
	db = "packages/db"
	mig = db "/src/migrations"

	commit("refs/heads/main", "monorepo with " M " migrations", "", ":1")
	blob("package.json", "{\n  \"name\": \"bench-monorepo\",\n" \
	     "  \"private\": true,\n  \"workspaces\": [\"apps/*\", " \
	     "\"packages/*\"]\n}\n")
	blob("pnpm-lock.yaml", "lockfileVersion: '9.0'\n")
	blob("README.md", "# bench monorepo\n")
	blob(db "/package.json", "{\n  \"name\": \"@repo/db\",\n" \
	     "  \"private\": true,\n  \"scripts\": {\n" \
	     "    \"db:generate\": \"drizzle-kit generate\"\n  }\n}\n")
	blob(db "/drizzle.config.ts", "import { defineConfig } from " \
	     "\"drizzle-kit\";\n\nexport default defineConfig({\n" \
	     "  dialect: \"postgresql\",\n" \
	     "  schema: \"./src/schema/index.ts\",\n" \
	     "  out: \"./src/migrations\",\n" \
	     "  dbCredentials: {\n" \
	     "    url: process.env[\"DATABASE_URL\"] ?? \"\",\n  },\n" \
	     "  verbose: true,\n  strict: true,\n});\n")
	entries = ""
	for (i = 0; i < M; i++) {
		sql = migrate(i, 0)
		blob(mig "/" tag(i) ".sql", sql)
		blob(mig "/meta/" sprintf("%04d", i) "_snapshot.json",
		     snapshot(i))
		entries = add(entries, journal_entry(i))
	}
	blob(mig "/meta/_journal.json", journal(entries))
	index_ts = "// Re-exports all schemas (drizzle-kit reads this file).\n"
	for (k = 0; k < ntables; k++) {
		blob(db "/src/schema/" tname(k) ".ts", schema_ts(k))
		index_ts = index_ts "export * from \"./" tname(k) "\";\n"
	}
	blob(db "/src/schema/index.ts", index_ts)
	for (p = 0; p < DOCS; p++)
		blob(sprintf("docs/guide/page-%03d.md", p),
		     sprintf("# Page %d\n\nHow `%s` is used by the apps.\n",
			     p, tname(p % (ntables ? ntables : 1))))
	for (n = 0; n < F; n++)
		blob(unrelated(n), sprintf("export const v%d = %d;\n", n, n))

	# One more migration, complete: schema edit, SQL, snapshot, journal.
	commit("refs/heads/bench-watched", "add migration " M, ":1")
	sql = migrate(M, 1)
	blob(mig "/" tag(M) ".sql", sql)
	blob(mig "/meta/" sprintf("%04d", M) "_snapshot.json", snapshot(M))
	blob(mig "/meta/_journal.json", journal(add(entries,
						    journal_entry(M))))
	blob(db "/src/schema/" tname(changed) ".ts", schema_ts(changed))

	commit("refs/heads/bench-unrelated", "edit three app files", ":1")
	for (n = 1; n <= 3; n++)
		blob(unrelated(int(F * n / 4)),
		     sprintf("export const edited%d = %d;\n", n, n))
}
