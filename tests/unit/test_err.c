/*
 * test_err.c -- zk_strerror gives every zk_err code its own non-empty
 * message and "unknown error" for everything else.
 *
 * When a code is added to lib/util/err.h, add it to `codes` below; the scan
 * of unlisted codes fails if err.c knows a code this table does not.
 */
#include <limits.h>
#include <string.h>

#include "util/err.h"
#include "tap.h"

#define CODE(c) { c, #c }
static const struct {
    int code;
    const char *name;
} codes[] = {
    CODE(ZK_OK),          CODE(ZK_ENOMEM),       CODE(ZK_EINVAL),
    CODE(ZK_EIO),         CODE(ZK_EENCODING),    CODE(ZK_ERANGE),
    CODE(ZK_ENOTONCURVE), CODE(ZK_ENOTINGROUP),  CODE(ZK_EFORMAT),
    CODE(ZK_EVERIFY),     CODE(ZK_ENOTSQUARE),   CODE(ZK_EZERO),
    CODE(ZK_ETHREAD),     CODE(ZK_EUNSUPPORTED),
};
#undef CODE
#define NCODES (sizeof codes / sizeof codes[0])

static const char unknown[] = "unknown error";

static int listed(int code)
{
    for (size_t i = 0; i < NCODES; i++)
        if (codes[i].code == code)
            return 1;
    return 0;
}

int main(void)
{
    plan((int)(2 * NCODES + 4));

    for (size_t i = 0; i < NCODES; i++) {
        const char *s = zk_strerror(codes[i].code);
        ok(s != NULL && s[0] != '\0' && strcmp(s, unknown) != 0,
           "%s (%d) has its own message: \"%s\"", codes[i].name,
           codes[i].code, s ? s : "(null)");

        int unique = s != NULL;
        for (size_t j = 0; unique && j < NCODES; j++) {
            const char *t = zk_strerror(codes[j].code);
            if (j != i && t != NULL && strcmp(s, t) == 0) {
                diag("%s and %s share \"%s\"", codes[i].name, codes[j].name, s);
                unique = 0;
            }
        }
        ok(unique, "%s message is distinct from every other code's",
           codes[i].name);
    }

    /* Every unlisted code in a generous window is unknown. */
    int stray = 0;
    for (int c = -1000; c <= 1000; c++) {
        if (listed(c))
            continue;
        const char *s = zk_strerror(c);
        if (s == NULL || strcmp(s, unknown) != 0) {
            diag("code %d is not in the test table but maps to \"%s\"", c,
                 s ? s : "(null)");
            stray++;
        }
    }
    is_int(stray, 0, "codes -1000..1000 outside the table give \"%s\"",
           unknown);
    is_str(zk_strerror(1), unknown, "positive code 1 is unknown");
    is_str(zk_strerror(INT_MIN), unknown, "INT_MIN is unknown");
    is_str(zk_strerror(INT_MAX), unknown, "INT_MAX is unknown");

    return done_testing();
}
