/*
** cmd_dispatch.c: the one subcommand idiom (issue 17 item 5).
**
** A command with subcommands parses its flags, then hands argv (argv[0]
** the subcommand) to tc_subcommand_run() with a NULL-terminated table of
** struct tc_subcommand { name, fn, help } (include/tocalc/cmd.h).  The
** dispatcher finds the entry, calls fn(argc, argv, ctx, opts) with the
** command's parsed options, and words the two usage errors the same way
** for every command:
**   "CMD: expected a subcommand: a, b or c"
**   "CMD: unknown subcommand 'x' (did you mean 'y'?); expected a, b or c"
** Nothing here allocates anything the caller must free.
*/
#include "tocalc/cmd.h"

#include <stdio.h>
#include <string.h>

const struct tc_subcommand *tc_subcommand_find(const struct tc_subcommand *subs, const char *name)
{
	for (; subs->name; subs++)
		if (!strcmp(subs->name, name))
			return subs;
	return NULL;
}

/* "a, b or c" into buf. */
static void names_text(const struct tc_subcommand *subs, char *buf, size_t size)
{
	size_t n = 0, used = 0;

	while (subs[n].name)
		n++;
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < size; i++) {
		int k = snprintf(buf + used, size - used, "%s%s", i == 0 ? "" : i + 1 == n ? " or " : ", ",
				 subs[i].name);
		if (k < 0)
			break;
		used += (size_t)k;
	}
}

int tc_subcommand_unknown(const char *cmd, const struct tc_subcommand *subs, const char *word)
{
	const char *cands[64];
	char names[512], hint[160];
	size_t n = 0;

	names_text(subs, names, sizeof(names));
	if (!word)
		return tc_usage_error("%s: expected a subcommand: %s", cmd, names);
	while (subs[n].name && n < TC_ARRAY_SIZE(cands)) {
		cands[n] = subs[n].name;
		n++;
	}
	tc_suggest(word, cands, n, NULL, hint, sizeof(hint));
	return tc_usage_error("%s: unknown subcommand '%s'%s; expected %s", cmd, word, hint, names);
}

int tc_subcommand_run(const char *cmd, const struct tc_subcommand *subs, int argc, char **argv,
		      struct tc_ctx *ctx, void *opts)
{
	const struct tc_subcommand *s;

	if (argc < 1)
		return tc_subcommand_unknown(cmd, subs, NULL);
	if (!(s = tc_subcommand_find(subs, argv[0])))
		return tc_subcommand_unknown(cmd, subs, argv[0]);
	return s->fn(argc, argv, ctx, opts);
}
