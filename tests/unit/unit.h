#ifndef CRM_UNIT_H
#define CRM_UNIT_H

/*
 * Unit tests use cmocka (Debian's libcmocka-dev).  UNIT_MAIN runs the
 * tests and ends with the line "N passed, N failed" that tests/run-all
 * adds up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define UNIT_MAIN(tests) \
int main(void) \
{ \
	size_t total = sizeof(tests) / sizeof((tests)[0]); \
	int failed = cmocka_run_group_tests(tests, NULL, NULL); \
	printf("%zu passed, %d failed\n", total - (size_t)failed, failed); \
	return failed != 0; \
}

#endif
