/*
 * mg_ts_scan and mg_ts_schema_effect: the input is two versions of a
 * schema file, split at the first "\n@@@@\n" (no marker: the input
 * against itself and against nothing). A version compared with itself
 * never changes the database; a change always points into the new text.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/tsscan.h"

static void check(const char *a, size_t alen, const char *b, size_t blen)
{
	struct mg_ts_file fa, fb;
	struct mg_ts_effect e;

	mg_ts_scan(&fa, a, alen);
	mg_ts_scan(&fb, b, blen);
	mg_ts_schema_effect(&e, &fa, &fb);
	if (e.changed && (!e.subject || !e.verb || (blen && e.offset >= blen)))
		abort();
	mg_ts_effect_release(&e);
	mg_ts_schema_effect(&e, &fb, &fb);
	if (e.changed)
		abort(); /* the same text cannot differ from itself */
	mg_ts_effect_release(&e);
	mg_ts_file_release(&fb);
	mg_ts_file_release(&fa);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char marker[] = "\n@@@@\n";
	const char *text = (const char *)data, *split = NULL;
	size_t i;

	for (i = 0; i + 6 <= size; i++)
		if (!memcmp(text + i, marker, 6)) {
			split = text + i;
			break;
		}
	if (!split) {
		check(text, size, text, size);
		check(text, size, "", 0);
		check("", 0, text, size);
		return 0;
	}
	check(text, (size_t)(split - text), split + 6,
	      size - (size_t)(split - text) - 6);
	return 0;
}
