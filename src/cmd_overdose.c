/* cmd_overdose.c: placeholder until its issue lands. */
#include "tocalc/cmd.h"

const char cmd_overdose_help[] =
	"usage: tocalc overdose\n"
	"\n"
	"Not implemented yet.\n";

int cmd_overdose(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return tc_error("overdose: not implemented yet");
}
