/* Shared by the regression programs: CHECK() prints a failure and counts
 * it; main() returns check_result() so that any failure fails the test. */
#ifndef REGRESSION_CHECK_H
#define REGRESSION_CHECK_H
#include <stdio.h>

static int failures;

#define CHECK(cond, ...)                                                       \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("FAIL %s:%d: ", __FILE__, __LINE__);                    \
            printf(__VA_ARGS__);                                           \
            printf("\n");                                                  \
            fflush(stdout);                                                \
            failures++;                                                    \
        }                                                                  \
    } while (0)

static inline int check_result(const char *name)
{
    printf("%s: %s (%d failures)\n", name, failures ? "FAILED" : "ok", failures);
    fflush(stdout);
    return failures ? 1 : 0;
}
#endif
