/*
 * Path globs with git's wildmatch meaning (pathspec ":(glob)" style):
 * '*' and '?' stop at '/'; a whole "**" component spans any number of
 * folders (a trailing one, a leading one, or one in the middle); "[...]"
 * classes with '!' or '^' negation and ranges.
 */
#ifndef MIGGUARD_GLOB_H
#define MIGGUARD_GLOB_H

/* 1 when path matches pattern, 0 otherwise. */
int mg_glob_match(const char *pattern, const char *path);
/* 1 when s contains a glob meta character. */
int mg_glob_has_magic(const char *s);
/*
 * 1 when path is at or below the folder or file `watch` (no glob), or
 * matches it as a glob. "a/b" watches "a/b", "a/b/c", not "a/bc".
 */
int mg_path_watched(const char *watch, const char *path);

#endif
