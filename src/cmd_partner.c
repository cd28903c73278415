/*
** cmd_partner.c: partner names on the command line.  People write China,
** cn or CHN; the models number the partners (model_tariff.h).  One table here,
** so every command accepts the same spellings and prints the same codes.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_tariff.h"

#include <strings.h>

static const struct {
	const char *name;
	int k;
} aliases[] = {
	{ "CN", TARIFF_CN }, { "CHN", TARIFF_CN }, { "China", TARIFF_CN },
	{ "MX", TARIFF_MX }, { "MEX", TARIFF_MX }, { "Mexico", TARIFF_MX },
	{ "CA", TARIFF_CA }, { "CAN", TARIFF_CA }, { "Canada", TARIFF_CA },
	{ "ROW", TARIFF_ROW }, { "rest-of-world", TARIFF_ROW }, { "rest of world", TARIFF_ROW },
	{ "world", TARIFF_ROW },
};

int tc_partner_arg(const char *flag, const char *arg, int *k)
{
	for (size_t i = 0; i < TC_ARRAY_SIZE(aliases); i++)
		if (!strcasecmp(arg, aliases[i].name)) {
			*k = aliases[i].k;
			return 0;
		}
	tc_usage_error("%s: unknown partner '%s' (expected CN, MX, CA or ROW; China, Mexico, Canada "
		       "or the ISO codes CHN, MEX, CAN also work)", flag, arg);
	return -1;
}
