/*
** test_xmlcheck.c: the XML well-formedness checker (src/out_xmlcheck.c).
**
** - hand-written documents, each verdict taken from the XML 1.0 grammar
**   (fifth edition) and confirmed independently with Python's expat
**   (xml.parsers.expat, 2026-11-25): every one agreed; refusals must
**   name the problem (a substring) and, for one, the line and column;
** - the seeds of tests/fuzz/corpus/xmlcheck/ and any kept crash in
**   tests/fuzz/regressions/xmlcheck/ replayed through the harness, which
**   is included here (its properties abort on a violation).
*/
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tocalc/util.h"
#include "tocalc/out_xmlcheck.h"
#include "../fuzz/fuzz_xmlcheck.c"

struct xcase {
	const char *doc;
	size_t len;		/* 0: strlen(doc) */
	const char *refusal;	/* NULL: well-formed; else a substring of the message */
};

static const struct xcase cases[] = {
	{ "<a/>", 0, NULL },
	{ "<?xml version=\"1.0\"?><a b=\"1\" c='2'>t &lt; &#60; &#x263A; &amp;</a>", 0, NULL },
	{ "<a><![CDATA[ ]] > <x> & ]]></a>", 0, NULL },
	{ "<a><!-- c - d --></a>", 0, NULL },
	{ "\xef\xbb\xbf<a/>", 0, NULL },
	{ "<!DOCTYPE a [<!ENTITY x \"y\">]><a/>", 0, NULL },
	{ "<a>\xc3\xa9</a>", 0, NULL },
	{ "<a>&#x10FFFF;</a>", 0, NULL },
	{ "<a/>\n<!-- after -->\n<?pi?>", 0, NULL },
	/* the three strings of issue 19, item 3, as gnuplot copies them */
	{ "<a>]]></a>", 0, "\"]]>\" in text" },
	{ "<a>&#x3c b</a>", 0, "unfinished character reference" },
	{ "<a>&#xFFFF;</a>", 0, "character reference to a character XML does not allow" },
	{ "<a>&#0;</a>", 0, "character reference to a character XML does not allow" },
	{ "<a>&</a>", 0, "'&' that does not start" },
	{ "<a>&foo;</a>", 0, "'&' that does not start" },
	{ "<a>\x01</a>", 0, "a character XML does not allow" },
	{ "<a>\xff</a>", 0, "invalid UTF-8" },
	{ "<a>\xef\xbf\xbf</a>", 0, "a character XML does not allow" },
	{ "<a>\0</a>", 8, "a character XML does not allow" },
	{ "<a><b></a></b>", 0, "does not match its start tag" },
	{ "<a>", 0, "ends inside an element" },
	{ "<a/><b/>", 0, "a second root element" },
	{ "text<a/>", 0, "text outside the root element" },
	{ "<a b=\"1\" b=\"2\"/>", 0, "given twice" },
	{ "<a b=1/>", 0, "without quotes" },
	{ "<a b=\"<\"/>", 0, "'<' inside an attribute value" },
	{ "<a b=\"1\"c=\"2\"/>", 0, "no space before an attribute" },
	{ "<a><!-- x -- y --></a>", 0, "\"--\" inside a comment" },
	{ "<a><![CDATA[ x </a>", 0, "CDATA section without its end" },
	{ "<a/><?xml version=\"1.0\"?>", 0, "XML declaration that is not at the start" },
	{ "", 0, "no root element" },
	{ "<a>\n  ]]></a>", 0, "line 2, column 3: " },
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct xcase *c = &cases[i];
		size_t len = c->len ? c->len : strlen(c->doc);
		char msg[200];
		int rc = out_xml_check(c->doc, len, msg, sizeof(msg));

		if (!c->refusal) {
			if (rc)
				fail_msg("case %zu: refused: %s", i, msg);
		} else {
			if (!rc)
				fail_msg("case %zu: accepted, wanted \"%s\"", i, c->refusal);
			if (!strstr(msg, c->refusal) || strncmp(msg, "line ", 5))
				fail_msg("case %zu: \"%s\" lacks \"%s\"", i, msg, c->refusal);
		}
	}
}

/* A well-formed document with one character of text changed into each bad sequence. */
static void test_text_injection(void **state)
{
	static const char *const bad[] = { "]]>", "&#x3c", "&#xFFFF;", "<", "&", "\x1b" };
	char doc[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char msg[200];
		snprintf(doc, sizeof(doc), "<svg><g><text>a %s b</text></g></svg>", bad[i]);
		assert_int_equal(out_xml_check(doc, strlen(doc), msg, sizeof(msg)), -1);
	}
	snprintf(doc, sizeof(doc), "<svg><g><text>a b</text></g></svg>");
	assert_int_equal(out_xml_check(doc, strlen(doc), NULL, 0), 0);
}

static size_t replay_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[1024];
		char *buf = NULL;
		size_t len = 0, cap = 0, got;
		FILE *f;

		if (e->d_name[0] == '.' || !strcmp(e->d_name, "README.md"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		/* raw bytes, as libFuzzer reads them (tc_read_file refuses a missing final newline) */
		if (!(f = fopen(path, "rb")))
			fail_msg("cannot open %s", path);
		do {
			if (len + 4096 > cap)
				buf = xrealloc(buf, cap = 2 * cap + 4096);
			got = fread(buf + len, 1, cap - len, f);
			len += got;
		} while (got);
		fclose(f);
		LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_fuzz_replay(void **state)
{
	const char *d = getenv("TOCALC_TEST_DATA");
	char dir[512];
	size_t n;

	(void)state;
	if (!d || !*d)
		d = "tests/data";
	snprintf(dir, sizeof(dir), "%s/../fuzz/regressions/xmlcheck", d);
	n = replay_dir(dir);
	snprintf(dir, sizeof(dir), "%s/../fuzz/corpus/xmlcheck", d);
	n += replay_dir(dir);
	print_message("replayed %zu fuzz inputs\n", n);
	assert_true(n > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_text_injection),
		cmocka_unit_test(test_fuzz_replay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
