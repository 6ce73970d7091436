/* mg_push_updates_parse: git's pre-push stdin, as read by the CLI. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "migguard/changeset.h"
#include "migguard/strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_push_update *u = NULL;
	char *text = mg_xmalloc(size + 1);
	size_t nr = 0, i;

	/* The CLI reads stdin into a NUL-terminated buffer, NULs kept. */
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';
	if (mg_push_updates_parse(&u, &nr, text) == 0) {
		for (i = 0; i < nr; i++) {
			size_t n = strlen(u[i].local_oid);

			if ((n != 40 && n != 64) || !u[i].local_ref[0] ||
			    !u[i].remote_ref[0])
				abort();
			(void)mg_oid_is_zero(u[i].remote_oid);
		}
	}
	mg_push_updates_free(u, nr);
	free(text);
	return 0;
}
