# Shared by the t-hostile-*.sh scenarios (sourced after lib.sh).

# sanitized: the binaries are built with ASan + UBSan (10-50 times slower).
sanitized() {
	grep -q '^MIGGUARD_SANITIZE:BOOL=ON' "$MG_BUILD_DIR/CMakeCache.txt" \
		2>/dev/null
}

# bounded SECONDS MEGABYTES CMD...: run CMD with a time limit and, unless
# the binaries are built with AddressSanitizer (which maps terabytes of
# shadow memory), an address-space limit. Exit 124 on a timeout.
bounded() {
	secs=$1
	mb=$2
	shift 2
	(
		if ! sanitized; then
			ulimit -v $((mb * 1024))
		fi
		exec timeout "$secs" "$@"
	)
}
