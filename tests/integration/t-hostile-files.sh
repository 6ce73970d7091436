# Hostile migration files, as anyone on a team can commit them: each ends
# in a finding (or exit 2 with a clear message), never a crash, within
# bounded time and memory. migguard-lint from disk and in a repository,
# migguard-docs on the same change.
. "$MG_SOURCE_DIR/tests/integration/hostile.sh"

# Files from disk get the conventions .migguard.json configures: all of
# them, so that every rule reads these files.
cp "$MG_SOURCE_DIR/tests/golden/.migguard.json" .migguard.json

# A 100 MB SQL migration from disk: over the 64 MiB limit, a finding that
# names the file and the limit (not exit 2), and the other file is linted.
yes 'SELECT 1;' | head -c 100000000 >big.sql
printf 'DROP TABLE "a";\n' >drop.sql
expect_exit 1 bounded 20 256 migguard-lint big.sql drop.sql
expect_contains "$OUT" "big.sql:1:1: warning: migration is too large to review (over 64 MiB) [sql-parse-error]"
expect_contains "$OUT" "drop.sql:1:12: error: table \"a\" is dropped"
rm big.sql

# NUL bytes, invalid UTF-8, a BOM, CRLF line ends: findings at the byte.
printf 'CREATE TABLE IF NOT EXISTS "a" ("id" int);\nSELECT\0 1;\n' >nul.sql
printf 'CREATE TABLE IF NOT EXISTS "b" ("n" text DEFAULT \047\377\047);\n' >utf8.sql
printf '\357\273\277CREATE TABLE IF NOT EXISTS "c" ("id" int);\r\nDROP TABLE "c";\r\n' >bom.sql
expect_exit 1 bounded 20 256 migguard-lint nul.sql utf8.sql bom.sql
expect_contains "$OUT" "nul.sql:2:7: error: file holds a NUL byte [sql-parse-error]"
expect_contains "$OUT" "utf8.sql:1:51: error: invalid utf-8 byte 0xff [sql-parse-error]"
expect_contains "$OUT" "bom.sql:1:1: error: file starts with a byte order mark"
expect_contains "$OUT" "bom.sql:2:12: error: table \"c\" is dropped"

# Names that hold a newline, ESC, BEL: a quoted SQL identifier or a file
# name must not forge a report line or a GitHub workflow command, nor
# reach the terminal raw. Quoted as git quotes paths; GitHub's %-escapes.
nl='
'
printf 'DROP TABLE "a\n::error file=x.sql,line=1::forged\033[2J\007";\n' >"n${nl}::warning file=y::z.sql"
expect_exit 1 migguard-lint "n${nl}::warning file=y::z.sql"
expect_contains "$OUT" '"n\n::warning file=y::z.sql":1:12: error: table "a\n::error file=x.sql,line=1::forged\033[2J\a" is dropped [drop-table]'
expect_exit 1 migguard-lint --format github "n${nl}::warning file=y::z.sql"
case $OUT in
'::error file="n\n%3A%3Awarning file=y%3A%3Az.sql",line=1,col=12,title=drop-table::table "a\n::error file=x.sql,line=1::forged\033[2J\a" is dropped'*) ;;
*) fail "github line: $OUT" ;;
esac
[ "$(printf '%s\n' "$OUT" | grep -c '^::')" -eq 2 ] || fail "github: a forged line"
[ "$(printf '%s\n' "$OUT" | grep -c 'file=x.sql')" -eq 2 ] || fail "github: a forged line"
printf '%s' "$OUT$ERR" | LC_ALL=C grep -q "$(printf '[\033\007]')" && fail "a control byte reached the output"
expect_exit 1 migguard-lint --format json "n${nl}::warning file=y::z.sql"
printf '%s' "$OUT" | node -e 'JSON.parse(require("fs").readFileSync(0, "utf8"))' || fail "json does not parse"
rm "n${nl}::warning file=y::z.sql"
printf 'DROP TABLE "\377\376";\n' >"$(printf 'bad\377.sql')"
expect_exit 1 migguard-lint --format json "$(printf 'bad\377.sql')"
printf '%s' "$OUT" | node -e '
const b = require("fs").readFileSync(0);
if (Buffer.compare(Buffer.from(b.toString("utf8"), "utf8"), b)) process.exit(3);
const j = JSON.parse(b.toString("utf8"));
if (j.findings[0].path !== "bad\ufffd.sql") process.exit(4);' || fail "json is not valid UTF-8 ($?)"
expect_exit 1 migguard-lint --format sarif "$(printf 'bad\377.sql')"
printf '%s' "$OUT" | node -e '
const b = require("fs").readFileSync(0);
if (Buffer.compare(Buffer.from(b.toString("utf8"), "utf8"), b)) process.exit(3);
JSON.parse(b.toString("utf8"));' || fail "sarif is not valid UTF-8 ($?)"
rm "$(printf 'bad\377.sql')"

# Nesting: 100,000 parentheses (the parser runs out of stack, says so),
# 600 chained operators (a parse tree deeper than we read), 100,000 of
# them (libpg_query's tree output would overflow the stack), a DO block
# nested 5,000 times, one line of 200,000 statements (quadratic before
# srcmap kept block columns: minutes; 5,000 under the sanitizers, where
# every allocation is unwound).
awk 'BEGIN { s = "SELECT "; for (i = 0; i < 100000; i++) s = s "(";
	s = s "1"; for (i = 0; i < 100000; i++) s = s ")"; print s ";" }' >paren.sql
awk 'BEGIN { s = "SELECT 1"; for (i = 0; i < 600; i++) s = s "+1";
	print s ";" }' >chain.sql
awk 'BEGIN { s = "SELECT 1"; for (i = 0; i < 100000; i++) s = s "+1";
	print s ";" }' >chain100k.sql
awk 'BEGIN { s = "DO $$ BEGIN "; for (i = 0; i < 5000; i++) s = s "BEGIN ";
	s = s "NULL; "; for (i = 0; i < 5000; i++) s = s "END; ";
	print s "END $$;" }' >do.sql
n=200000
if sanitized; then
	n=5000
fi
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "SELECT 1;"; print "" }' >line.sql
expect_exit 1 bounded 120 2048 migguard-lint paren.sql chain.sql chain100k.sql do.sql line.sql
expect_contains "$OUT" "paren.sql:1:10004: error: memory exhausted at or near \"(\" [sql-parse-error]"
expect_contains "$OUT" "chain.sql:1:1: warning: statement too deeply nested to review"
expect_contains "$OUT" "chain100k.sql:1:20009: warning: statement too deeply nested to review (over 10000 operators in a row) [sql-parse-error]"
expect_contains "$OUT" "do.sql:1:7: error: in DO block: memory exhausted"
expect_contains "$OUT" "line.sql:1:1: warning: hand-written SELECT"

# 100,000 breakpoints: the chunk search was quadratic under the
# sanitizers (their strstr reads the rest of the file on every call).
n=100000
if sanitized; then
	n=2000
fi
awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) print "SELECT 1;--> statement-breakpoint" }' >bp.sql
expect_exit 0 bounded 120 2048 migguard-lint bp.sql
expect_contains "$OUT" "bp.sql:$n:1: warning: hand-written SELECT"

# Not a file: a folder, a missing file, /dev/zero: exit 2, clear message.
mkdir dir.sql
expect_exit 2 bounded 20 256 migguard-lint dir.sql
expect_err "migguard-lint: error: cannot read 'dir.sql': 'dir.sql' is not a regular file"
expect_exit 2 bounded 20 256 migguard-lint /dev/zero
expect_contains "$ERR" "is not a regular file"

# In a repository: a 100 MB and a 500 MB migration (sparse, made without
# the bytes on disk), a symbolic link and a submodule where migrations
# are, all staged at once. lint: a finding each; docs: not stopped.
sh "$MG_SOURCE_DIR/tests/fixtures/demo/make-demo.sh" --clean --upto 3 r
cd r
m=packages/db/src/migrations
oid=$(yes 'SELECT 1;' | head -c 100000000 | git hash-object -w --stdin)
git update-index --add --cacheinfo "100644,$oid,$m/0004_big.sql"
oid=$(head -c 500000000 /dev/zero | git hash-object -w --stdin)
git update-index --add --cacheinfo "100644,$oid,$m/0005_huge.sql"
ln -s /etc/passwd "$m/0006_link.sql"
git add "$m/0006_link.sql"
git update-index --add --cacheinfo \
	"160000,$(git rev-parse HEAD),$m/0007_sub.sql"
expect_exit 0 bounded 30 512 migguard-lint
expect_out "$m/0004_big.sql:1:1: warning: migration is too large to review (over 64 MiB) [sql-parse-error]
  hint: split it into migrations under the limit: migguard reads no larger file
$m/0005_huge.sql:1:1: warning: migration is too large to review (over 64 MiB) [sql-parse-error]
  hint: split it into migrations under the limit: migguard reads no larger file
$m/0006_link.sql:1:1: warning: '$m/0006_link.sql' is not a regular file (a symbolic link or submodule) [sql-parse-error]
  hint: a migration must be a regular text file
$m/0007_sub.sql:1:1: warning: '$m/0007_sub.sql' is not a regular file (a symbolic link or submodule) [sql-parse-error]
  hint: a migration must be a regular text file"
expect_exit 0 bounded 30 512 migguard-docs
git commit -q -m "hostile migrations" --no-verify
expect_exit 1 bounded 60 512 migguard-lint --all --format json
expect_contains "$OUT" '"path":"packages/db/src/migrations/0005_huge.sql","line":0,"column":0,"message":"migration is too large to review (over 64 MiB)"'
