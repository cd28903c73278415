/* cmd_data.c: placeholder. */
#include "tocalc/cmd.h"

const char cmd_data_help[] = "usage: tocalc data list|show|validate|import-vsrr\n";

int cmd_data(int argc, char **argv, struct tc_ctx *ctx)
{
	(void)argc; (void)argv; (void)ctx;
	return tc_error("data: not implemented yet");
}

int tocalc_print_version(const struct tc_ctx *ctx);
int tocalc_print_version(const struct tc_ctx *ctx)
{
	(void)ctx;
	printf("tocalc 0.1.0\n");
	return 0;
}
