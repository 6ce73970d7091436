/*
 * Byte offset -> 1-based line and column, the one place that maps them.
 * Columns count UTF-8 characters (a continuation byte does not start one),
 * so a column points at the character an editor shows.
 */
#ifndef MIGGUARD_SRCMAP_H
#define MIGGUARD_SRCMAP_H

#include <stddef.h>

struct mg_srcmap {
	const char *buf; /* borrowed: must outlive the map */
	size_t len;
	size_t *line_starts; /* offset of the first byte of each line */
	size_t nr;
	/*
	 * The column of every MG_SRCMAP_BLOCK-th byte, so that locating
	 * counts at most a block of characters, even on a 10 MB line.
	 */
	unsigned *block_columns;
};

#define MG_SRCMAP_BLOCK 4096

void mg_srcmap_init(struct mg_srcmap *map, const char *buf, size_t len);
void mg_srcmap_release(struct mg_srcmap *map);
/* Offsets past the end map to the end. */
void mg_srcmap_locate(const struct mg_srcmap *map, size_t offset,
		      unsigned *line, unsigned *column);

#endif
