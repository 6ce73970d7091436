/*
 * What every fuzz target shares: libFuzzer's entry point (the same one the
 * replay driver calls, so a crasher replays without clang) and an
 * in-memory tree (memtree.c) for the targets that read a folder.
 */
#ifndef MIGGUARD_FUZZ_H
#define MIGGUARD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "migguard/tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * A tree over one buffer: files follow each other, each after a header line
 *   "@@@ TYPE PATH\n"
 * where TYPE is f (file), l (symbolic link), s (submodule) or o (other);
 * the content runs to the next "\n@@@ " or the end (NUL bytes allowed).
 * Bytes before the first header are ignored. A path that is not safe
 * (mg_path_is_safe) or seen twice is kept: listing shows what a hostile
 * tree would show, reading picks the first.
 */
int mg_fuzz_memtree_open(struct mg_tree **out, const uint8_t *data,
			 size_t size);

#endif
