/* luapat — how much work Lua's pattern matcher may do on a call, known from
 * the pattern's shape and the subject's length before the call runs. Lua
 * matches by backtracking, in C, where an instruction budget never looks:
 * `("a"):rep(40):match(("a*"):rep(40) .. "b")` would outlast the machine.
 * A sandbox that lets untrusted strings meet patterns (template.c) asks
 * first. Pure functions: no Lua, no allocation. */
#ifndef GEN_LUAPAT_H
#define GEN_LUAPAT_H
#include <stddef.h>

/* An upper bound on the steps (single-character tests, ~1-7 ns each) of
 * one call of Lua 5.4's string.find, match or gsub (anchorable = 1: a
 * leading '^' anchors the pattern) or gmatch (anchorable = 0: '^' is a
 * character there) with pattern p of lp bytes on a subject of n bytes. In
 * floating point; it may be infinite. A malformed pattern is costed up to
 * the point where Lua stops with an error. */
double luapat_cost(const char *p, size_t lp, size_t n, int anchorable);

/* 1 when p holds none of ^$*+?.([%- : string.find then searches for it as
 * plain text, as when asked to. */
int luapat_plain(const char *p, size_t lp);

#endif
