#include <stdio.h>
#include <string.h>

#include "migguard/error.h"

static _Thread_local char last_error[1024];

int mg_error_setv(const char *fmt, va_list ap)
{
	char buf[sizeof(last_error)];
	size_t len;

	/*
	 * Format aside: callers wrap the last message in a new one
	 * ("context: %s", mg_error_last()), and vsnprintf must not read
	 * the buffer it writes.
	 */
	vsnprintf(buf, sizeof(buf), fmt, ap);
	memcpy(last_error, buf, sizeof(last_error));
	/* libpq and libgit2 messages often end in a newline: strip it. */
	len = strlen(last_error);
	while (len > 0 && (last_error[len - 1] == '\n' ||
			   last_error[len - 1] == '\r' ||
			   last_error[len - 1] == '.'))
		last_error[--len] = '\0';
	return MG_ERROR;
}

int mg_error_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mg_error_setv(fmt, ap);
	va_end(ap);
	return MG_ERROR;
}

int mg_error_set_code(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	mg_error_setv(fmt, ap);
	va_end(ap);
	return code;
}

const char *mg_error_last(void)
{
	return last_error[0] ? last_error : "unknown error";
}

