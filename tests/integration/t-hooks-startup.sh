# A hook reads the repository and nothing else of the machine: libgit2 1.5
# as Debian builds it (mbedTLS) parses the system's whole CA bundle when it
# starts, a third of a pre-commit hook on a large repository, for TLS that
# migguard never uses (it never fetches or pushes). Neither the hook nor a
# check opens a certificate file.
need strace "apt-get install -y strace"
# LeakSanitizer cannot run under ptrace: off for the strace runs.
nolsan="ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
new_repo r
copy_step 01 r
commit_all r "init"
cd r
copy_step 02 .
git add -A
expect_exit 0 env "$nolsan" strace -f -qq -e trace=openat,open -o "$MG_TMP/trace" \
	migguard hook pre-commit
grep -q '\.git/index' "$MG_TMP/trace" ||
	fail "the trace shows no file of the repository read: $(head -5 "$MG_TMP/trace")"
if grep -E '/etc/ssl|certs|\.crt|\.pem' "$MG_TMP/trace" >&2; then
	fail "the pre-commit hook opened a certificate file"
fi
# (the fixture's tables have organization_id without row level security)
expect_exit 1 env "$nolsan" strace -f -qq -e trace=openat,open -o "$MG_TMP/trace" \
	migguard check --all
if grep -E '/etc/ssl|certs|\.crt|\.pem' "$MG_TMP/trace" >&2; then
	fail "migguard check opened a certificate file"
fi
