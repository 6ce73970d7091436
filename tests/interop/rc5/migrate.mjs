// Runs drizzle-orm 1.0.0-rc.5's own migrator (node-postgres driver) on a
// folder-layout migrations folder, exactly as a user's `db:migrate` would.
// The reference behaviour for migguard's folder-layout tests.
//
//   node migrate.mjs --url URL --folder DIR [--schema S] [--table T]
//
// Prints nothing on success; on failure prints the error message (and the
// PostgreSQL error it wraps) to stderr and exits 1 (2 on a usage error).
import { resolve } from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";

const usage = "usage: node migrate.mjs --url URL --folder DIR [--schema S] [--table T]";
const opts = {};
const names = { "--url": "url", "--folder": "folder", "--schema": "schema", "--table": "table" };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) {
	const key = names[argv[i]];
	if (key === undefined || i + 1 >= argv.length) {
		process.stderr.write(`migrate.mjs: bad argument '${argv[i]}'\n${usage}\n`);
		process.exit(2);
	}
	opts[key] = argv[++i];
}
if (!opts.url || !opts.folder) {
	process.stderr.write(`${usage}\n`);
	process.exit(2);
}

const config = { migrationsFolder: resolve(opts.folder) };
if (opts.schema !== undefined) config.migrationsSchema = opts.schema;
if (opts.table !== undefined) config.migrationsTable = opts.table;

const client = new pg.Client({ connectionString: opts.url });
client.on("notice", () => {});
let code = 0;
try {
	await client.connect();
	await migrate(drizzle({ client }), config);
} catch (err) {
	let msg = err && err.message ? err.message : String(err);
	if (err && err.cause) msg += `\n${err.cause.message ?? err.cause}`;
	process.stderr.write(`${msg.replace(/\n+$/, "")}\n`);
	code = 1;
} finally {
	await client.end().catch(() => {});
}
process.exit(code);
