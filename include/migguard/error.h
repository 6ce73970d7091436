/* Error codes and the last error message of the calling thread. */
#ifndef MIGGUARD_ERROR_H
#define MIGGUARD_ERROR_H

#include <stdarg.h>

enum {
	MG_OK = 0,
	MG_ERROR = -1,     /* generic failure, message in mg_error_last() */
	MG_ENOTFOUND = -3, /* a path, ref or object does not exist */
	MG_EUSAGE = -4,    /* the caller asked for something impossible */
	MG_ETOOBIG = -5,   /* a file over MG_TREE_MAX_FILE, not read */
};

#if defined(__GNUC__)
#define MG_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define MG_PRINTF(f, a)
#endif

/* Record a message for mg_error_last(); always returns MG_ERROR. */
int mg_error_set(const char *fmt, ...) MG_PRINTF(1, 2);
int mg_error_setv(const char *fmt, va_list ap) MG_PRINTF(1, 0);
/* Same, with another error code returned (MG_ENOTFOUND, MG_EUSAGE). */
int mg_error_set_code(int code, const char *fmt, ...) MG_PRINTF(2, 3);
/* The last message set, or "unknown error"; valid until the next set. */
const char *mg_error_last(void);

#endif
