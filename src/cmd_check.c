/* cmd_check.c: placeholder until its issue lands. */
#include "tocalc/cmd.h"

const char cmd_check_help[] =
	"usage: tocalc check\n"
	"\n"
	"Not implemented yet.\n";

int cmd_check(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return tc_error("check: not implemented yet");
}
