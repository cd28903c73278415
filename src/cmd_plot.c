/* cmd_plot.c: placeholder until its issue lands. */
#include "tocalc/cmd.h"

const char cmd_plot_help[] =
	"usage: tocalc plot\n"
	"\n"
	"Not implemented yet.\n";

int cmd_plot(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc;
	(void)argv;
	(void)ctx;
	return tc_error("plot: not implemented yet");
}
