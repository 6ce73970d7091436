/* mg_srcmap: byte offset <-> line:column, on any bytes and any offset. */
#include <stdlib.h>

#include "fuzz.h"
#include "migguard/srcmap.h"

/* The obvious way: count lines and characters from the start. */
static void naive_locate(const uint8_t *data, size_t size, size_t off,
			 unsigned *line, unsigned *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < size; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if ((data[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mg_srcmap map;
	unsigned line, col, prev_line = 1, want_line, want_col;
	size_t off;

	mg_srcmap_init(&map, (const char *)data, size);
	for (off = 0; off <= size + 1; off++) {
		mg_srcmap_locate(&map, off, &line, &col);
		naive_locate(data, size, off, &want_line, &want_col);
		if (line != want_line || col != want_col)
			abort();
		if (line < prev_line || line < 1 || col < 1 ||
		    line > map.nr)
			abort();
		/* The line starts at or before the offset. */
		if (off <= size && map.line_starts[line - 1] > off)
			abort();
		prev_line = line;
	}
	mg_srcmap_release(&map);
	return 0;
}
