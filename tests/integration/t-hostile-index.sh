# A damaged index whose header claims more entries than the file can hold
# is refused before anything (libgit2 included) sizes tables from it: exit
# 2 naming the file and the repair, quickly and in little memory.
new_repo r
copy_step 01 r
commit_all r "step 01"
copy_step 02 r
git -C r add -A
index="$MG_TMP/r/.git/index"
for count in 7fffffff 04000000 00100000; do
	cp "$index" "$MG_TMP/index.good"
	# Bytes 8..11: the entry count, big-endian.
	printf "$(printf '%s' "$count" | sed 's/../\\x&/g')" |
		dd of="$index" bs=1 seek=8 count=4 conv=notrunc 2>/dev/null
	for cmd in "migguard check" "migguard-pair" "migguard-journal" "migguard check --staged"; do
		expect_exit 2 /usr/bin/time -f '%M' -o "$MG_TMP/rss" $cmd --repo r
		expect_contains "$ERR" "cannot read the index '$index'"
		expect_contains "$ERR" "more than its"
		expect_contains "$ERR" "rm $index && git reset"
		# Max RSS in KiB: far below what the count would make libgit2 take.
		[ "$(tail -1 "$MG_TMP/rss")" -lt 400000 ] ||
			fail "$cmd took $(tail -1 "$MG_TMP/rss") KiB"
	done
	cp "$MG_TMP/index.good" "$index"
done
expect_exit 0 migguard check --repo r
