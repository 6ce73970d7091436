#include <stdlib.h>

#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

void mg_srcmap_init(struct mg_srcmap *map, const char *buf, size_t len)
{
	size_t i, alloc = 0;

	map->buf = buf;
	map->len = len;
	map->line_starts = NULL;
	map->nr = 0;
	map->nr++;
	MG_ALLOC_GROW(map->line_starts, map->nr, alloc);
	map->line_starts[0] = 0;
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		map->nr++;
		MG_ALLOC_GROW(map->line_starts, map->nr, alloc);
		map->line_starts[map->nr - 1] = i + 1;
	}
}

void mg_srcmap_release(struct mg_srcmap *map)
{
	free(map->line_starts);
	map->line_starts = NULL;
	map->nr = 0;
}

void mg_srcmap_locate(const struct mg_srcmap *map, size_t offset,
		      unsigned *line, unsigned *column)
{
	size_t lo = 0, hi = map->nr, i;
	unsigned col = 1;

	if (offset > map->len)
		offset = map->len;
	/* Last line start <= offset. */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (map->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	for (i = map->line_starts[lo]; i < offset; i++)
		if (((unsigned char)map->buf[i] & 0xC0) != 0x80)
			col++;
	*line = (unsigned)(lo + 1);
	*column = col;
}

size_t mg_srcmap_line_offset(const struct mg_srcmap *map, unsigned line)
{
	if (line == 0)
		return 0;
	if (line > map->nr)
		return map->len;
	return map->line_starts[line - 1];
}
