/*
 * The pair check's pieces that stand on their own. The check itself is
 * mg_pair_check in check.h.
 */
#ifndef MIGGUARD_PAIR_H
#define MIGGUARD_PAIR_H

#include <stddef.h>

#include "migguard/json.h"

/*
 * 1 when two drizzle snapshots describe the same schema: equal as JSON
 * values, object members in any order (drizzle-kit reorders keys when it
 * copies a snapshot for generate --custom), ignoring the top-level "id"
 * and "prevId" that every migration changes.
 */
int mg_pair_snapshots_equal(const struct mg_json *a, const struct mg_json *b);
/*
 * The same comparison on the texts, without trees (mg_json_canonical): 1
 * equal, 0 different, MG_ERROR when either text is one the canonical
 * reader refuses (not strict JSON, a member named twice): parse both and
 * ask mg_pair_snapshots_equal. Numbers compare by value, as there: 1 and
 * 1.0 are equal.
 */
int mg_pair_snapshot_texts_equal(const char *a, size_t alen, const char *b,
				 size_t blen);

#endif
