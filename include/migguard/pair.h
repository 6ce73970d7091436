/*
 * The pair check's pieces that stand on their own. The check itself is
 * mg_pair_check in check.h.
 */
#ifndef MIGGUARD_PAIR_H
#define MIGGUARD_PAIR_H

#include "migguard/json.h"

/*
 * 1 when two drizzle snapshots describe the same schema: equal as JSON
 * values, object members in any order (drizzle-kit reorders keys when it
 * copies a snapshot for generate --custom), ignoring the top-level "id"
 * and "prevId" that every migration changes.
 */
int mg_pair_snapshots_equal(const struct mg_json *a, const struct mg_json *b);

#endif
