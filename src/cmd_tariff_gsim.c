/*
** cmd_tariff_gsim.c: `tocalc tariff gsim FILE`: the multi-region GSIM
** (Francois and Hall) solved exactly: flags -> data_gsim reader ->
** gsim_solve -> out_doc.  Model and format: include/tocalc/model_gsim.h,
** docs/gsim.md.  Dispatched from cmd_tariff() in src/cmd_tariff.c.
*/
#include "tocalc/cmd.h"
#include "tocalc/model_gsim.h"
#include "tocalc/data_gsim.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char cmd_tariff_gsim_help[] =
	"usage: tocalc tariff gsim FILE [options]\n"
	"       tocalc tariff gsim --regions FILE --flows FILE --tariff-before FILE\n"
	"                          --tariff-after FILE [options]\n"
	"\n"
	"The multi-region GSIM of Francois and Hall (2003): N regions, each an importer\n"
	"and an exporter of one product (national varieties), a matrix of base trade\n"
	"flows, tariff matrices before and after, and per-region elasticities (import\n"
	"demand, substitution, export supply).  The world prices of all exporters are\n"
	"solved together, exactly in levels (GSL multiroot, hybridsj, starting from the\n"
	"linearised GSIM).  Prints per region the world-price change (exact and\n"
	"linearised), exports and imports before and after, the composite import price,\n"
	"producer surplus, consumer surplus, tariff revenue and net welfare, and the\n"
	"flow matrix after.  Flows are in the unit of the input (e.g. USD million) at\n"
	"base world prices; tariffs in percent.\n"
	"\n"
	"   FILE                    one file with the sections [regions], [flows],\n"
	"                           [tariff_before] and [tariff_after] (docs/gsim.md)\n"
	"   --regions FILE          region,demand_elasticity,substitution_elasticity,\n"
	"                           supply_elasticity (a number >= 0 or 'inf')\n"
	"   --flows FILE            exporter,<region>,...: one row per exporting region, one\n"
	"                           column per importing region\n"
	"   --tariff-before FILE    the same shape, ad valorem tariffs in percent\n"
	"   --tariff-after FILE     the same shape, ad valorem tariffs in percent\n"
	"\n"
	"common options: --json, --csv, --format F, --data-dir DIR, --quiet, --help\n"
	"exit codes: 0 ok, 1 bad data or failed computation, 2 usage error\n";

enum { OPT_REGIONS = TC_OPT_FIRST_FREE, OPT_FLOWS, OPT_T0, OPT_T1 };

static const struct option longopts[] = {
	{ "regions", required_argument, NULL, OPT_REGIONS },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "tariff-before", required_argument, NULL, OPT_T0 },
	{ "tariff-after", required_argument, NULL, OPT_T1 },
	{ NULL, 0, NULL, 0 }
};

static double pct(double ratio)
{
	return isfinite(ratio) ? (ratio - 1) * 100 + 0.0 : NAN;
}

static void build_doc(struct out_doc *doc, const char *source, const struct gsim_input *in,
		      const struct gsim_result *r)
{
	size_t n = in->n;
	struct out_table *t;
	double world = 0, dcs = 0, dps = 0, drev = 0;

	out_meta_str(doc, "model", "gsim (Francois-Hall, multi-region, exact in levels)");
	out_meta_str(doc, "input", source);
	out_meta_int(doc, "region_count", (long long)n);
	out_meta_str(doc, "solver", "gsl_multiroot hybridsj in ln P*, started from the linearised GSIM");
	out_meta_int(doc, "iterations", r->iterations);
	out_meta_num(doc, "max_residual", r->residual, 17);

	t = out_table_add(doc, "regions", "by region (flows' unit, e.g. USD million; prices in %)");
	out_col(t, "region", "region");
	out_col(t, "demand_elasticity", "demand el.");
	out_col(t, "substitution_elasticity", "subst. el.");
	out_col(t, "supply_elasticity", "supply el.");
	out_col(t, "world_price_change_pct", "world price %");
	out_col(t, "world_price_change_linear_pct", "linearised %");
	out_col(t, "import_price_index_change_pct", "import price %");
	out_col(t, "exports_before", "exports before");
	out_col(t, "exports_after", "exports after");
	out_col(t, "imports_before", "imports before");
	out_col(t, "imports_after", "imports after");
	out_col(t, "producer_surplus", "producer surplus");
	out_col(t, "consumer_surplus", "consumer surplus");
	out_col(t, "tariff_revenue_before", "revenue before");
	out_col(t, "tariff_revenue_after", "revenue after");
	out_col(t, "tariff_revenue_change", "revenue change");
	out_col(t, "net_welfare", "net welfare");
	for (size_t v = 0; v < n; v++) {
		out_row(t);
		out_str(t, in->names[v]);
		out_num(t, in->eps_m[v], 3);
		out_num(t, in->sigma[v], 3);
		if (isfinite(in->eps_x[v]))
			out_num(t, in->eps_x[v], 3);
		else
			out_str(t, "inf");
		out_num(t, pct(r->pw[v]), 4);
		out_num(t, isfinite(r->pw_lin[v]) ? r->pw_lin[v] * 100 + 0.0 : NAN, 4);
		out_num(t, pct(r->pindex[v]), 4);
		out_num(t, r->exports0[v], 3);
		out_num(t, r->exports1[v], 3);
		out_num(t, r->imports0[v], 3);
		out_num(t, r->imports1[v], 3);
		out_num(t, r->ps[v], 3);
		out_num(t, r->cs[v], 3);
		out_num(t, r->rev0[v], 3);
		out_num(t, r->rev1[v], 3);
		out_num(t, r->rev1[v] - r->rev0[v] + 0.0, 3);
		out_num(t, r->net[v], 3);
		world += r->net[v];
		dcs += r->cs[v];
		dps += r->ps[v];
		drev += r->rev1[v] - r->rev0[v];
	}
	out_meta_num(doc, "world_producer_surplus", dps + 0.0, 3);
	out_meta_num(doc, "world_consumer_surplus", dcs + 0.0, 3);
	out_meta_num(doc, "world_tariff_revenue_change", drev + 0.0, 3);
	out_meta_num(doc, "world_net_welfare", world + 0.0, 3);

	t = out_table_add(doc, "flows", "flows by exporter and importer (value at world prices)");
	out_col(t, "exporter", "exporter");
	out_col(t, "importer", "importer");
	out_col(t, "tariff_before_pct", "tariff before %");
	out_col(t, "tariff_after_pct", "tariff after %");
	out_col(t, "flow_before", "flow before");
	out_col(t, "flow_after", "flow after");
	out_col(t, "quantity_change_pct", "quantity %");
	for (size_t e = 0; e < n; e++)
		for (size_t v = 0; v < n; v++) {
			size_t i = e * n + v;
			if (!(in->flow[i] > 0))
				continue;
			out_row(t);
			out_str(t, in->names[e]);
			out_str(t, in->names[v]);
			out_num(t, in->t0[i] * 100, 3);
			out_num(t, in->t1[i] * 100, 3);
			out_num(t, in->flow[i], 3);
			out_num(t, r->flow1[i], 3);
			out_num(t, pct(r->q[i]), 4);
		}
	{
		size_t worst = n;
		double gap = 0;
		for (size_t v = 0; v < n; v++)
			if (isfinite(r->pw[v]) && fabs(pct(r->pw[v]) - r->pw_lin[v] * 100) > gap) {
				gap = fabs(pct(r->pw[v]) - r->pw_lin[v] * 100);
				worst = v;
			}
		if (worst < n && gap > 1)
			out_note(doc, "the linearised GSIM is off by %.2f percentage points for the world price "
				 "of '%s' (exact %.4f%%, linearised %.4f%%): the change is not small, use the "
				 "exact figures", gap, in->names[worst], pct(r->pw[worst]),
				 r->pw_lin[worst] * 100);
	}
	out_note(doc, "world prices are exporters' prices net of tariffs (1 in the base); welfare "
		 "is measured in the unit of the flows: consumer surplus under each importer's "
		 "composite import demand, producer surplus above each exporter's supply curve");
}

int cmd_tariff_gsim(int argc, char **argv, struct tc_ctx *ctx)
{
	const char *files[4] = { NULL, NULL, NULL, NULL }, *file = NULL;
	struct gsim_input in;
	struct gsim_result res;
	struct tc_err err;
	struct out_doc *doc;
	int c, nfiles = 0, rc;

	ctx->help = cmd_tariff_gsim_help;
	ctx->cmd_name = "tariff gsim";
	tc_getopt_reset();
	while ((c = tc_getopt(argc, argv, "", longopts, ctx)) != -1) {
		switch (c) {
		case OPT_REGIONS:
		case OPT_FLOWS:
		case OPT_T0:
		case OPT_T1:
			files[c - OPT_REGIONS] = tc_input_file(
				(const char *const[]){ "--regions", "--flows", "--tariff-before",
						       "--tariff-after" }[c - OPT_REGIONS], optarg);
			if (!files[c - OPT_REGIONS])
				return TC_EXIT_USAGE;
			break;
		case TC_OPT_HELP:
			return TC_EXIT_OK;
		default:
			return TC_EXIT_USAGE;
		}
	}
	if (optind < argc && !(file = tc_input_file("tariff gsim FILE", argv[optind++])))
		return TC_EXIT_USAGE;
	if (optind < argc)
		return tc_usage_error("tariff gsim: unexpected argument '%s'", argv[optind]);
	for (int k = 0; k < 4; k++)
		nfiles += files[k] != NULL;
	if (file && nfiles)
		return tc_usage_error("tariff gsim: give FILE or --regions, --flows, --tariff-before and "
				      "--tariff-after, not both");
	if (!file && nfiles != 4) {
		if (!nfiles)
			return tc_usage_error("tariff gsim: expected a GSIM FILE (docs/gsim.md)");
		for (int k = 0; k < 4; k++)
			if (!files[k])
				return tc_usage_error("tariff gsim: --%s is missing (the four tables go "
						      "together)", longopts[k].name);
	}
	tc_err_init(&err);
	if (file ? gsim_read_file(file, &in, &err)
		 : gsim_read_files(files[0], files[1], files[2], files[3], &in, &err))
		return tc_report(&err);
	if (gsim_solve(&in, &res, &err)) {
		gsim_input_release(&in);
		tc_err_prefix(&err, "%s", file ? file : files[1]);
		return tc_report(&err);
	}
	doc = out_doc_new("tariff gsim");
	build_doc(doc, file ? file : files[1], &in, &res);
	rc = tc_emit(ctx, doc);
	out_doc_free(doc);
	gsim_result_release(&res);
	gsim_input_release(&in);
	return rc;
}
