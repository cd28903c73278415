/*
** model_tariff_search.c: the revenue-maximising tariff, the rate sweep and
** the sensitivity grid over the tariff models of model_tariff.c.  Pure:
** no I/O, no mutable globals (one constant table, the search's grid);
** every array is caller-owned.  The search evaluates the model through
** tariff_rev_at (model_tariff.c): revenue and the failure decision only.
** Methods: docs/tariff-methods.md, "Revenue maximum" and "Sensitivity grid".
*/
#include "tocalc/model_tariff.h"
#include "model_tariff_impl.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_min.h>
#include <math.h>
#include <string.h>

/* ---------------------------------------------------- revenue maximum */

struct revfn {
	struct tariff_rev c;	/* the model at the partner's rate, revenue only */
	int failed;
};

/* Minus total revenue at partner tariff t; +huge where the model fails (counted). */
static double neg_revenue(double t, void *ud)
{
	struct revfn *f = ud;
	double rev;

	if (tariff_rev_at(&f->c, t, &rev)) {
		f->failed++;
		return HUGE_VAL;
	}
	return -rev;
}

/*
** The grid of the search: 0, then 0.001 (100 / 0.001)^((i - 1) / 399) for
** i = 1..400, geometric from 0.1% to TARIFF_REVMAX_TOP (10,000%).  The
** values are those of that formula with glibc's pow() (correctly rounded
** here), written out because 400 pow() calls cost 50,000 instructions, a
** fifth of the search; test_model_tariff_search.c checks every one against
** the formula.
*/
const double tariff_revmax_grid[TARIFF_REVMAX_NGRID] = {
	0,
	0x1.0624dd2f1a9fcp-10, 0x1.0dd175f1c370fp-10, 0x1.15b7921060947p-10, 0x1.1dd8e090d4af7p-10,
	0x1.26371d173e335p-10, 0x1.2ed4104487d6dp-10, 0x1.37b19017bdc1ap-10, 0x1.40d180523c2b2p-10,
	0x1.4a35d2deccc41p-10, 0x1.53e0883bc8e7fp-10, 0x1.5dd3afe857361p-10, 0x1.681168d4dbd8fp-10,
	0x1.729be1d6b375ap-10, 0x1.7d755a1f516d9p-10, 0x1.88a021b6dad66p-10, 0x1.941e99fa584a9p-10,
	0x1.9ff3361d99794p-10, 0x1.ac207bb0e623ep-10, 0x1.b8a9032a990a4p-10, 0x1.c58f7874c218fp-10,
	0x1.d2d69b7eee0adp-10, 0x1.e08140d43291p-10, 0x1.ee9252359efcp-10, 0x1.fd0ccf393252bp-10,
	0x1.05f9e6f6bc5c6p-9, 0x1.0da53dc0f981ep-9, 0x1.158a0e7a36332p-9, 0x1.1daa07e1b190ep-9,
	0x1.2606e552d523bp-9, 0x1.2ea26f23b5d61p-9, 0x1.377e7b06592ccp-9, 0x1.409cec6cd3796p-9,
	0x1.49ffb4f0545edp-9, 0x1.53a8d4bb379dcp-9, 0x1.5d9a5af630c5ep-9, 0x1.67d66638a9109p-9,
	0x1.725f24fc67588p-9, 0x1.7d36d6149ad62p-9, 0x1.885fc92861ff3p-9, 0x1.93dc5f30e7a97p-9,
	0x1.9faf0afb31505p-9, 0x1.abda51adba2a3p-9, 0x1.b860cb51f787p-9, 0x1.c5452361e3c84p-9,
	0x1.d28a1959ae1eap-9, 0x1.e032814dae1a8p-9, 0x1.ee414484bb05ep-9, 0x1.fcb9621707edfp-9,
	0x1.05cef7c8d31c7p-8, 0x1.0d790ccf68d0fp-8, 0x1.155c925994bep-8, 0x1.1d7b36dffe136p-8,
	0x1.25d6b575655b7p-8, 0x1.2e70d62515f81p-8, 0x1.374b6e541b6a7p-8, 0x1.406861254f1cfp-8,
	0x1.49c99fe054043p-8, 0x1.53712a5b9609ap-8, 0x1.5d610f6963d87p-8, 0x1.679b6d483a4e1p-8,
	0x1.72227216597d6p-8, 0x1.7cf85c48bbe86p-8, 0x1.881f7b25894cp-8, 0x1.939a2f421f16ep-8,
	0x1.9f6aeb04c9697p-8, 0x1.ab94332a4845dp-8, 0x1.b8189f4f3d64ap-8, 0x1.c4fada7d9ffaep-8,
	0x1.d23da3be54974p-8, 0x1.dfe3ceaf081f4p-8, 0x1.edf0441c6dddfp-8, 0x1.fc6602a101849p-8,
	0x1.05a40fa4377a1p-7, 0x1.0d4ce31be1528p-7, 0x1.152f1dad4342cp-7, 0x1.1d4c6d8a781b6p-7,
	0x1.25a68d7da350ep-7, 0x1.2e3f454752fe7p-7, 0x1.371869ffa53fp-7, 0x1.4033de7a4591ep-7,
	0x1.499393ad579adp-7, 0x1.5339891b652dap-7, 0x1.5d27cd406639cp-7, 0x1.67607e01f9d32p-7,
	0x1.71e5c922e844fp-7, 0x1.7cb9ecba06cb5p-7, 0x1.87df37ac964e4p-7, 0x1.93580a2c37309p-7,
	0x1.9f26d6388d0dap-7, 0x1.ab4e2024ae06fp-7, 0x1.b7d07f207a13dp-7, 0x1.c4b09dc5f7983p-7,
	0x1.d1f13aaad365bp-7, 0x1.df9528f62329cp-7, 0x1.ed9f50fa8a34cp-7, 0x1.fc12b0d4e1768p-7,
	0x1.05792e87c23fep-6, 0x1.0d20c0a5332cbp-6, 0x1.1501b07409026p-6, 0x1.1d1dabdfddc2p-6,
	0x1.25766d6a43b0cp-6, 0x1.2e0dbc8917e2cp-6, 0x1.36e56e0797a85p-6, 0x1.3fff646a4d8f9p-6,
	0x1.495d9055eb469p-6, 0x1.5301f0f9264acp-6, 0x1.5cee9479adf61p-6, 0x1.672598645223cp-6,
	0x1.71a92a2072546p-6, 0x1.7c7b8766cdec6p-6, 0x1.879efebbcee02p-6, 0x1.9315efed68df3p-6,
	0x1.9ee2cc94a7d2bp-6, 0x1.ab08189b094cfp-6, 0x1.b7886ac3bd56bp-6, 0x1.c4666d38ebdb4p-6,
	0x1.d1a4de1d1cd14p-6, 0x1.df469020e21d4p-6, 0x1.ed4e6b1ce3166p-6, 0x1.fbbf6cb06a81cp-6,
	0x1.054e54724c68ap-5, 0x1.0cf4a56a2eb77p-5, 0x1.14d44aacad71p-5, 0x1.1ceef1deed552p-5,
	0x1.25465539fb5e2p-5, 0x1.2ddc3be90fd6bp-5, 0x1.36b27a6a93dddp-5, 0x1.3fcaf2f3fe087p-5,
	0x1.492795d89b68p-5, 0x1.52ca61f35ae08p-5, 0x1.5cb56513b15a8p-5, 0x1.66eabc6dae067p-5,
	0x1.716c950d56955p-5, 0x1.7c3d2c4d63ff4p-5, 0x1.875ed0517924p-5, 0x1.92d3e083ed559p-5,
	0x1.9e9ece17459b3p-5, 0x1.aac21c8b78463p-5, 0x1.b74062371740bp-5, 0x1.c41c48d47e52fp-5,
	0x1.d1588e1323774p-5, 0x1.def8042d2835cp-5, 0x1.ecfd92814bea1p-5, 0x1.fb6c36315fc26p-5,
	0x1.05238162af1fdp-4, 0x1.0cc89169a47c8p-4, 0x1.14a6ec55f8364p-4, 0x1.1cc03f8665577p-4,
	0x1.251644eb7f723p-4, 0x1.2daac365e6437p-4, 0x1.367f8f273b507p-4, 0x1.3f968a15ee2a5p-4,
	0x1.48f1a433f49ccp-4, 0x1.5292dc0884ad4p-4, 0x1.5c7c3f0ce6f4ap-4, 0x1.66afea1c7884p-4,
	0x1.713009e7f435cp-4, 0x1.7bfedb6c1bfe3p-4, 0x1.871eac6bdb84cp-4, 0x1.9291dbedfe115p-4,
	0x1.9e5adabe92968p-4, 0x1.aa7c2bf419702p-4, 0x1.b6f865789836bp-4, 0x1.c3d23096b0e1dp-4,
	0x1.d10c4a8ada4b4p-4, 0x1.dea98518d907fp-4, 0x1.ecacc72598726p-4, 0x1.fb190d5584b23p-4,
	0x1.04f8b557c3c0dp-3, 0x1.0c9c84a265374p-3, 0x1.1479956eb12cbp-3, 0x1.1c9194d504803p-3,
	0x1.24e63c7d853c9p-3, 0x1.2d7952fe46ca6p-3, 0x1.364cac3c2faa8p-3, 0x1.3f6229ceb55dfp-3,
	0x1.48bbbb6683bf3p-3, 0x1.525b5f3725adep-3, 0x1.5c432263c5926p-3, 0x1.6675216f1ce7cp-3,
	0x1.70f388aeaaa8p-3, 0x1.7bc094c14929bp-3, 0x1.86de93093cb5dp-3, 0x1.924fe229d4da7p-3,
	0x1.9e16f288bb408p-3, 0x1.aa3646d30b96dp-3, 0x1.b6b0748650ee8p-3, 0x1.c388247d85bdcp-3,
	0x1.d0c013823496dp-3, 0x1.de5b12e1d881p-3, 0x1.ec5c09079ccdp-3, 0x1.fac5f21a9d28fp-3,
	0x1.04cdf05063d79p-2, 0x1.0c707f1341d4dp-2, 0x1.144c45f5a0621p-2, 0x1.1c62f1c989bb6p-2,
	0x1.24b63beec242cp-2, 0x1.2d47eab0dd448p-2, 0x1.3619d1a812cfdp-2, 0x1.3f2dd21ceb475p-2,
	0x1.4885db6ed5e6bp-2, 0x1.5223eb7dc01e3p-2, 0x1.5c0a0f16c4425p-2, 0x1.663a626406bfap-2,
	0x1.70b7115fd9a27p-2, 0x1.7b82584b3f08ap-2, 0x1.869e8427e3b2cp-2, 0x1.920df335abc3cp-2,
	0x1.9dd31573ec61ep-2, 0x1.a9f06d266dd5cp-2, 0x1.b6688f5e526f3p-2, 0x1.c33e2486ff70fp-2,
	0x1.d073e8f725f97p-2, 0x1.de0cad860ae6dp-2, 0x1.ec0b58252d72bp-2, 0x1.fa72e47e6d5c6p-2,
	0x1.04a3324b69205p-1, 0x1.0c4480bb0b745p-1, 0x1.141efde98e176p-1, 0x1.1c345662b429ep-1,
	0x1.2486433dec40dp-1, 0x1.2d168a7c55c2ap-1, 0x1.35e6ff6986dd8p-1, 0x1.3ef982ff27c58p-1,
	0x1.4850044b78674p-1, 0x1.51ec80dad677ep-1, 0x1.5bd105245a532p-1, 0x1.65ffacf9a1dafp-1,
	0x1.707aa3f9e11ffp-1, 0x1.7b44260851679p-1, 0x1.865e7fc617bf6p-1, 0x1.91cc0f0fbd297p-1,
	0x1.9d8f437e530fap-1, 0x1.a9aa9eec5f965p-1, 0x1.b620b5feae113p-1, 0x1.c2f430b120d7bp-1,
	0x1.d027cae7a268ap-1, 0x1.ddbe550354d7p-1, 0x1.ebbab47c1f375p-1, 0x1.fa1fe47eb9dfp-1,
	0x1.04787b47ad875p+0, 0x1.0c1889989365ap+0, 0x1.13f1bd4942c09p+0, 0x1.1c05c29f43206p+0,
	0x1.24565269b928bp+0, 0x1.2ce5325f5c8cep+0, 0x1.35b4357f2e2a1p+0, 0x1.3ec53c7402f23p+0,
	0x1.481a35faf8d1ap+0, 0x1.51b51f4ceb73dp+0, 0x1.5b98048aff543p+0, 0x1.65c5012e5a4c2p+0,
	0x1.703e407b215f8p+0, 0x1.7b05fdf6d459ep+0, 0x1.861e85e22067ep+0, 0x1.918a35b643b32p+0,
	0x1.9d4b7ca61cab9p+0, 0x1.a964dc2300915p+0, 0x1.b5d8e865757dap+0, 0x1.c2aa48f9ed22fp+0,
	0x1.cfdbb9519e2fdp+0, 0x1.dd7009579b485p+0, 0x1.eb6a1e0a4749bp+0, 0x1.f9ccf21947a2p+0,
	0x1.044dcb440b292p+1, 0x1.0bec99aaab2b3p+1, 0x1.13c484138704dp+1, 0x1.1bd7367df628cp+1,
	0x1.24266970df227p+1, 0x1.2cb3e2589e239p+1, 0x1.358173e7ab454p+1, 0x1.3e90fe7a15229p+1,
	0x1.47e4707be4f36p+1, 0x1.517dc6d28208fp+1, 0x1.5b5f0d492b14ep+1, 0x1.658a5f009c677p+1,
	0x1.7001e6e1fae41p+1, 0x1.7ac7e0151c38dp+1, 0x1.85de967a45809p+1, 0x1.914867277a525p+1,
	0x1.9d07c0e976e3ep+1, 0x1.a91f24c870ce5p+1, 0x1.b5912690baaefp+1, 0x1.c2606d5f67d6bp+1,
	0x1.cf8fb4330df02p+1, 0x1.dd21ca80c389dp+1, 0x1.eb1994cd7b337p+1, 0x1.f97a0d4bdbf3dp+1,
	0x1.0423223f5c528p+2, 0x1.0bc0b0f024789p+2, 0x1.1397524723be2p+2, 0x1.1ba8b1fd8d017p+2,
	0x1.23f68852148c4p+2, 0x1.2c829a66c73e8p+2, 0x1.354ebaa1a0f83p+2, 0x1.3e5cc90ff6e69p+2,
	0x1.47aeb3cccad6cp+2, 0x1.5146776a1d6d2p+2, 0x1.5b261f5d55a51p+2, 0x1.654fc66ed4c35p+2,
	0x1.6fc5972cce74dp+2, 0x1.7a89cc617da3cp+2, 0x1.859eb18ccf25dp+2, 0x1.9106a3619c42bp+2,
	0x1.9cc410468fb3p+2, 0x1.a8d978dad0a34p+2, 0x1.b549707e8ff05p+2, 0x1.c2169ddf94ca3p+2,
	0x1.cf43bb89e6a09p+2, 0x1.dcd3987cb3427p+2, 0x1.eac918c390d96p+2, 0x1.f92736143c805p+2,
	0x1.03f880387b804p+3, 0x1.0b94cf67d132ep+3, 0x1.136a27e2e1f9cp+3, 0x1.1b7a351cc79d1p+3,
	0x1.23c6af0c0ffa3p+3, 0x1.2c515a8884ccep+3, 0x1.351c09abb2452p+3, 0x1.3e289c344108ep+3,
	0x1.4778ffec38c26p+3, 0x1.510f311241142p+3, 0x1.5aed3ac5f754dp+3, 0x1.6515377770387p+3,
	0x1.6f895159fd1dp+3, 0x1.7a4bc2da4d8p+3, 0x1.855ed71805bc4p+3, 0x1.90c4ea62e50a5p+3,
	0x1.9c806abb955ffp+3, 0x1.a893d85840b4fp+3, 0x1.b501c62d07de1p+3, 0x1.c1ccda787828p+3,
	0x1.cef7cf541d8dcp+3, 0x1.dc8573495071cp+3, 0x1.ea78a9ea5e7acp+3, 0x1.f8d46c702f51p+3,
	0x1.03cde52e435f6p+4, 0x1.0b68f5108370dp+4, 0x1.133d04e58af78p+4, 0x1.1b4bbfda6622cp+4,
	0x1.2396dd9d88367p+4, 0x1.2c2022bc83f5dp+4, 0x1.34e961048267ap+4, 0x1.3df477e58c8f8p+4,
	0x1.474354d8bd39ep+4, 0x1.50d7f3c970b06p+4, 0x1.5ab45f8188b45p+4, 0x1.64dab218dbe18p+4,
	0x1.6f4d1567e82bfp+4, 0x1.7a0dc37de0f91p+4, 0x1.851f071a31f05p+4, 0x1.90833c2990794p+4,
	0x1.9c3cd046b67ep+4, 0x1.a84e433ee1f67p+4, 0x1.b4ba279a35654p+4, 0x1.c1832328166dep+4,
	0x1.ceabef8fa85a2p+4, 0x1.dc375ae4816f4p+4, 0x1.ea28483fbab1dp+4, 0x1.f881b05d7acc9p+4,
	0x1.03a3511f8eccep+5, 0x1.0b3d21e90d7aap+5, 0x1.130fe94de82a9p+5, 0x1.1b1d523528ee3p+5,
	0x1.2367140534412p+5, 0x1.2beef3017217bp+5, 0x1.34b6c0aab4d44p+5, 0x1.3dc05c2272babp+5,
	0x1.470db290e6fd1p+5, 0x1.50a0bf8e30328p+5, 0x1.5a7b8d8e8293ep+5, 0x1.64a03651851b1p+5,
	0x1.6f10e354f134ap+5, 0x1.79cfce4a8d802p+5, 0x1.84df41919cb6cp+5, 0x1.904198b3daa9cp+5,
	0x1.9bf940e621eccp+5, 0x1.a808b98cd5a99p+5, 0x1.b47294c42bc3bp+5, 0x1.c13977ec746cfp+5,
	0x1.ce601c3a7cfdap+5, 0x1.dbe94f4c2ceaap+5, 0x1.e9d7f3c17c736p+5, 0x1.f82f01d9e5b75p+5,
	0x1.0378c40b38d5dp+6, 0x1.0b1155f041c9dp+6, 0x1.12e2d51ac338cp+6, 0x1.1aeeec2bd08f7p+6,
	0x1.23375241cb504p+6, 0x1.2bbdcb55fcc88p+6, 0x1.3484289ced38dp+6, 0x1.3d8c48e98d05fp+6,
	0x1.46d8191345087p+6, 0x1.5069945f03c99p+6, 0x1.5a42c4eb5e041p+6, 0x1.6465c41fd983fp+6,
	0x1.6ed4bb1f7a0e6p+6, 0x1.7991e33ea8ccap+6, 0x1.849f867c8f4cp+6, 0x1.9p+6,
};

/* The grid and Brent's iterations on f; rm's references are set. */
static int revmax_search(struct revfn *f, enum tariff_model model, const struct tariff_scenario *s,
			 int partner, const struct tariff_params *p, struct tariff_revmax *rm,
			 struct tc_err *err)
{
	enum { NGRID = TARIFF_REVMAX_NGRID };
	const double *grid = tariff_revmax_grid;
	double val[NGRID];
	gsl_min_fminimizer *mz;
	gsl_function F;
	size_t best = 0;
	int status, iter = 0, nok = 0;
	double a, b, m;

	for (int i = 0; i < NGRID; i++) {
		val[i] = neg_revenue(grid[i], f);
		if (isfinite(val[i]))
			nok++;
		if (val[i] < val[best])
			best = (size_t)i;
	}
	rm->failed = f->failed;
	if (!nok)
		return tc_fail(err, "revenue maximum: the %s model fails at every rate from 0 to %g%% "
			       "(import-demand elasticity %g, substitution %g)", tariff_model_name(model),
			       100 * TARIFF_REVMAX_TOP, p->eps, p->sigma);
	if (best == NGRID - 1) {	/* still rising where the search ends */
		rm->beyond_range = 1;
		return 0;
	}
	rm->exists = 1;
	if (best == 0 || !isfinite(val[best - 1]) || !isfinite(val[best + 1])) {
		rm->t_numeric = grid[best];
		rm->revenue = -val[best];
	} else {
		a = grid[best - 1];
		b = grid[best + 1];
		m = grid[best];
		mz = gsl_min_fminimizer_alloc(gsl_min_fminimizer_brent);
		if (!mz)
			return tc_fail(err, "revenue maximum: unable to allocate the minimiser");
		F.function = neg_revenue;
		F.params = f;
		status = gsl_min_fminimizer_set_with_values(mz, &F, m, val[best], a, val[best - 1],
							    b, val[best + 1]);
		if (status == GSL_EINVAL) {
			/* flat top (equal neighbours): the grid point is the answer */
			gsl_min_fminimizer_free(mz);
			rm->t_numeric = m;
			rm->revenue = -val[best];
		} else {
			/*
			** Revenue is flat at its maximum, so t is known to about
			** sqrt(machine epsilon) relative (Brent stalls near 4e-8 there):
			** stop when the bracket is 1e-6 + 1e-6 t wide (1e-4 points).
			*/
			status = GSL_CONTINUE;
			while (status == GSL_CONTINUE && iter < 200) {
				iter++;
				status = gsl_min_fminimizer_iterate(mz);
				if (status)
					break;
				m = gsl_min_fminimizer_x_minimum(mz);
				a = gsl_min_fminimizer_x_lower(mz);
				b = gsl_min_fminimizer_x_upper(mz);
				status = gsl_min_test_interval(a, b, 1e-6, 1e-6);
			}
			gsl_min_fminimizer_free(mz);
			if (status != GSL_SUCCESS)
				return tc_fail(err, "revenue maximum: minimiser failed: %s",
					       status == GSL_CONTINUE ? "too many iterations"
								      : gsl_strerror(status));
			rm->t_numeric = m;
		}
	}
	rm->iterations = iter;
	{
		/* the full model at the maximum (its revenue is the search's, bit for bit) */
		struct tariff_scenario q = *s;
		struct tariff_result r;
		q.m[partner].t1 = rm->t_numeric;
		if (tariff_eval(model, &q, p, &r, err))
			return -1;
		rm->revenue = r.total.rev1;
		rm->revenue_partner = r.p[partner].rev1;
	}
	return 0;
}

int tariff_revenue_max(enum tariff_model model, const struct tariff_scenario *s, int partner,
		       const struct tariff_params *p, struct tariff_revmax *rm, struct tc_err *err)
{
	struct revfn f;
	double phi;
	int rc;

	memset(rm, 0, sizeof(*rm));
	rm->t_numeric = rm->t_closed = rm->revenue = rm->revenue_partner = NAN;
	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "revenue maximum: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	phi = tariff_phi(p, p->eps);
	/* Single-market references. */
	if (model != TARIFF_SMART) {
		if (p->eps > 1 && phi > 0)
			rm->t_closed = 1 / (phi * (p->eps - 1));
	} else if (phi > 0) {
		/* R = t M0 (1 - eps phi (t - t0)/(1+t0)) -> t* = (1 + t0 + eps phi t0)/(2 eps phi) */
		double t0 = s->m[partner].t0;
		rm->t_closed = (1 + t0 + p->eps * phi * t0) / (2 * p->eps * phi);
	}
	/*
	** Every rate through tariff_rev_at: the checks once, revenue and the
	** failure decision only, bit for bit those of tariff_eval.
	*/
	if (tariff_rev_init(&f.c, model, s, partner, p, err))
		return -1;
	f.failed = 0;
	rc = revmax_search(&f, model, s, partner, p, rm, err);
	tariff_rev_free(&f.c);
	return rc;
}

/* ---------------------------------------------------------------- sweep */

int tariff_sweep(enum tariff_model model, const struct tariff_scenario *s, int partner,
		 const struct tariff_params *p, const double *rates, size_t n,
		 struct tariff_result *rows, int *ok, struct tc_err *why, struct tc_err *err)
{
	struct tariff_scenario q = *s;

	if (partner < 0 || partner >= TARIFF_NPARTNERS || !s->m[partner].present)
		return tc_fail(err, "sweep: partner not in the scenario");
	if (tariff_params_check(p, err) || tariff_scenario_check(s, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(rates[i]) || rates[i] < 0 || rates[i] > TARIFF_MAX_RATE)
			return tc_fail(err, "sweep: rate %g%% is outside [0, %g%%]", 100 * rates[i],
				       100 * TARIFF_MAX_RATE);
	for (size_t i = 0; i < n; i++) {
		struct tc_err e;
		q.m[partner].t1 = rates[i];
		tc_err_init(&e);
		ok[i] = !tariff_eval(model, &q, p, &rows[i], &e);
		if (why)
			why[i] = e;
	}
	return 0;
}

/* ----------------------------------------------------------------- grid */

size_t tariff_grid_size(const struct tariff_grid_axes *ax)
{
	return ax->neps * ax->nsigma * ax->nex * ax->npt;
}

int tariff_grid(enum tariff_model model, const struct tariff_scenario *s,
		const struct tariff_params *base, const struct tariff_grid_axes *ax,
		struct tariff_grid_row *rows, struct tc_err *err)
{
	gsl_multiroot_fdfsolver *ws = NULL;
	size_t row = 0;
	int n = 0;

	if (!ax->neps || !ax->nsigma || !ax->nex || !ax->npt)
		return tc_fail(err, "sensitivity grid: every list needs at least one value");
	if (tariff_scenario_check(s, err))
		return -1;
	for (int k = 0; k < TARIFF_NPARTNERS; k++)
		n += s->m[k].present;
	for (size_t i = 0; i < ax->nex; i++)
		if (isfinite(ax->ex[i]) && model != TARIFF_SMART) {
			ws = tariff_gsim_solver_alloc(n);	/* one solver for the whole grid */
			if (!ws)
				return tc_fail(err, "sensitivity grid: unable to allocate the solver");
			break;
		}
	for (size_t a = 0; a < ax->neps; a++)
		for (size_t b = 0; b < ax->nsigma; b++)
			for (size_t c = 0; c < ax->nex; c++)
				for (size_t d = 0; d < ax->npt; d++) {
					struct tariff_grid_row *g = &rows[row++];
					struct tariff_result r;
					g->p = *base;
					g->p.eps = ax->eps[a];
					g->p.sigma = ax->sigma[b];
					g->p.ex = ax->ex[c];
					g->p.pass_through = ax->pass_through[d];
					tc_err_init(&g->why);
					g->ok = !tariff_eval_ws(model, s, &g->p, ws, &r, &g->why);
					if (g->ok) {
						g->total = r.total;
						g->iterations = r.iterations;
					} else {
						memset(&g->total, 0, sizeof(g->total));
						g->iterations = 0;
					}
				}
	if (ws)
		gsl_multiroot_fdfsolver_free(ws);
	return 0;
}
