/* cmd_report.c: placeholder until its issue lands. */
#include "tocalc/cmd.h"

const char cmd_report_help[] =
	"usage: tocalc report\n"
	"\n"
	"Not implemented yet.\n";

int cmd_report(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return tc_error("report: not implemented yet");
}
