/*
 * The docs text parsers: front matter `covers:`, mentions of a path or a
 * name (the needle is the input's first line, the page the rest), the
 * names migration SQL touches, the Docs-Impact waiver.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/docs.h"
#include "migguard/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size);
	struct mg_docs_covers covers = { NULL, 0, 0 };
	struct mg_strlist tables = MG_STRLIST_INIT, types = MG_STRLIST_INIT;
	char *needle, *message, *reason = NULL;
	size_t i, off, page_len;
	const char *page;

	mg_docs_front_matter_covers(&covers, buf, size);
	for (i = 0; i < covers.nr; i++)
		if (covers.items[i].offset > size)
			abort();
	mg_docs_covers_release(&covers);

	mg_docs_sql_names(&tables, &types, buf, size);
	mg_strlist_release(&tables);
	mg_strlist_release(&types);

	needle = mg_xstrndup(buf, nl ? (size_t)(nl - buf) : size);
	page = nl ? nl + 1 : buf + size;
	page_len = nl ? size - (size_t)(page - buf) : 0;
	if (*needle) {
		if (mg_docs_find_reference(&off, page, page_len, needle,
					   MG_DOCS_REF_PATH) && off > page_len)
			abort();
		if (mg_docs_find_reference(&off, page, page_len, needle,
					   MG_DOCS_REF_NAME) && off > page_len)
			abort();
		if (mg_docs_find_reference(&off, page, page_len, needle,
					   MG_DOCS_REF_NAME_IN_CODE) &&
		    off > page_len)
			abort();
	}
	free(needle);

	message = mg_xstrndup(buf, size);
	if (mg_docs_waiver(&reason, message) && !reason)
		abort();
	free(reason);
	free(message);
	return 0;
}
