/*
** shipped.h: the shipped scenarios (scenarios/) resolved against the shipped
** datasets, for the unit tests of the tariff models.  Header-only; include
** after <cmocka.h> and the tocalc headers run_tariff.h, scenario.h and
** scenario_resolve.h.  shipped_load() fills sh->w[0 .. sh->n) or fails the
** test; shipped_release() frees them and the inputs.
*/
#ifndef TOCALC_TESTS_SHIPPED_H
#define TOCALC_TESTS_SHIPPED_H

#include <stdio.h>
#include <stdlib.h>

#ifndef DATA_DIR
#define DATA_DIR "datasets"
#endif
#ifndef SCENARIO_DIR
#define SCENARIO_DIR "scenarios"
#endif

struct shipped {
	struct tariff_inputs in;
	struct scenario *sc;	/* kept: a what-if may point into its scenario */
	struct whatif **w;
	size_t n;
};

static void shipped_load(struct shipped *sh)
{
	struct tc_err err;
	char **names = NULL;

	if (whatif_scenario_files(SCENARIO_DIR, &names, &sh->n, &err) ||
	    tariff_inputs_load(&sh->in, DATA_DIR, TI_ALL, &err))
		fail_msg("%s", err.msg);
	sh->w = calloc(sh->n ? sh->n : 1, sizeof(*sh->w));
	sh->sc = calloc(sh->n ? sh->n : 1, sizeof(*sh->sc));
	assert_non_null(sh->w);
	assert_non_null(sh->sc);
	for (size_t i = 0; i < sh->n; i++) {
		char path[512];
		sh->w[i] = malloc(sizeof(*sh->w[i]));
		assert_non_null(sh->w[i]);
		snprintf(path, sizeof(path), "%s/%s", SCENARIO_DIR, names[i]);
		if (scenario_parse_file(&sh->sc[i], path, &err) ||
		    whatif_resolve(&sh->sc[i], NULL, &sh->in, sh->w[i], &err))
			fail_msg("%s: %s", path, err.msg);
		free(names[i]);
	}
	free(names);
}

static void shipped_release(struct shipped *sh)
{
	for (size_t i = 0; i < sh->n; i++) {
		whatif_release(sh->w[i]);
		free(sh->w[i]);
		scenario_release(&sh->sc[i]);
	}
	free(sh->w);
	free(sh->sc);
	tariff_inputs_release(&sh->in);
}

#endif
