/* cmd_tariff.c: placeholder until its issue lands. */
#include "tocalc/cmd.h"

const char cmd_tariff_help[] =
	"usage: tocalc tariff\n"
	"\n"
	"Not implemented yet.\n";

int cmd_tariff(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return tc_error("tariff: not implemented yet");
}
