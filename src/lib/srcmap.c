#include <stdlib.h>

#include "migguard/srcmap.h"
#include "migguard/strbuf.h"

static int starts_char(char c)
{
	return ((unsigned char)c & 0xC0) != 0x80;
}

void mg_srcmap_init(struct mg_srcmap *map, const char *buf, size_t len)
{
	size_t i, alloc = 0;
	unsigned col = 1;

	map->buf = buf;
	map->len = len;
	map->line_starts = NULL;
	map->nr = 0;
	map->nr++;
	MG_ALLOC_GROW(map->line_starts, map->nr, alloc);
	map->line_starts[0] = 0;
	map->block_columns = mg_xmalloc((len / MG_SRCMAP_BLOCK + 1) *
					sizeof(*map->block_columns));
	for (i = 0; i < len; i++) {
		if (i % MG_SRCMAP_BLOCK == 0)
			map->block_columns[i / MG_SRCMAP_BLOCK] = col;
		if (starts_char(buf[i]))
			col++;
		if (buf[i] != '\n')
			continue;
		col = 1;
		map->nr++;
		MG_ALLOC_GROW(map->line_starts, map->nr, alloc);
		map->line_starts[map->nr - 1] = i + 1;
	}
	if (len % MG_SRCMAP_BLOCK == 0)
		map->block_columns[len / MG_SRCMAP_BLOCK] = col;
}

void mg_srcmap_release(struct mg_srcmap *map)
{
	free(map->line_starts);
	free(map->block_columns);
	map->line_starts = NULL;
	map->block_columns = NULL;
	map->nr = 0;
}

void mg_srcmap_locate(const struct mg_srcmap *map, size_t offset,
		      unsigned *line, unsigned *column)
{
	size_t lo = 0, hi = map->nr, i, block;
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
	i = map->line_starts[lo];
	block = offset - offset % MG_SRCMAP_BLOCK;
	if (block > i) {
		/* The line began before this block: start from its column. */
		i = block;
		col = map->block_columns[block / MG_SRCMAP_BLOCK];
	}
	for (; i < offset; i++)
		if (starts_char(map->buf[i]))
			col++;
	*line = (unsigned)(lo + 1);
	*column = col;
}

