/*
 * tap.h -- a tiny header-only TAP producer for zkpar's C unit tests.
 *
 * Include it in exactly one file per test program (all state is static).
 *
 *   plan(n)                        print "1..n" up front (optional)
 *   plan_skip_all(fmt, ...)        print "1..0 # SKIP reason" and exit 0
 *   ok(cond, fmt, ...)             one test point; returns cond != 0
 *   is_int(got, expected, fmt, ...) ok(got == expected) with a diagnostic
 *   is_str(got, expected, fmt, ...) ok(strcmp(got, expected) == 0), NULL-safe
 *   skip(n, fmt, ...)              n points marked "# SKIP reason"
 *   diag(fmt, ...)                 a "# ..." comment line
 *   bail_out(fmt, ...)             "Bail out! reason", exit 255
 *   done_testing()                 print the plan if none was given; return
 *                                  the exit status (0 only if every point
 *                                  passed and the count matches the plan)
 *
 * Every line goes to stdout and is flushed, so a crash loses nothing that was
 * already reported.  No dependencies beyond the C standard library.
 */
#ifndef ZK_TESTS_TAP_H
#define ZK_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__)
#define TAP_PRINTF_(f, a) __attribute__((format(printf, f, a)))
#define TAP_NORETURN_ __attribute__((noreturn))
#else
#define TAP_PRINTF_(f, a)
#define TAP_NORETURN_
#endif

static int tap_planned_ = -1; /* -1: no plan yet */
static int tap_run_;
static int tap_failed_;

/* Print fmt/ap as one line, with '#' escaped and newlines flattened, so a
 * description can never be mistaken for a directive. */
static inline void tap_vdesc_(const char *fmt, va_list ap) TAP_PRINTF_(1, 0);
static inline void tap_vdesc_(const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    for (const char *p = buf; *p; p++) {
        if (*p == '#')
            fputs("\\#", stdout);
        else if (*p == '\n' || *p == '\r')
            putchar(' ');
        else
            putchar(*p);
    }
}

static inline void tap_vcomment_(const char *fmt, va_list ap) TAP_PRINTF_(1, 0);
static inline void tap_vcomment_(const char *fmt, va_list ap)
{
    char buf[4096];
    vsnprintf(buf, sizeof buf, fmt, ap);
    char *line = buf;
    for (;;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        printf("# %s\n", line);
        if (!nl || nl[1] == '\0')
            break;
        line = nl + 1;
    }
    fflush(stdout);
}

static inline void diag(const char *fmt, ...) TAP_PRINTF_(1, 2);
static inline void diag(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vcomment_(fmt, ap);
    va_end(ap);
}

static inline void plan(int n)
{
    if (tap_planned_ >= 0) {
        printf("Bail out! plan() called twice\n");
        fflush(stdout);
        exit(255);
    }
    tap_planned_ = n;
    printf("1..%d\n", n);
    fflush(stdout);
}

static inline void plan_skip_all(const char *fmt, ...) TAP_PRINTF_(1, 2) TAP_NORETURN_;
static inline void plan_skip_all(const char *fmt, ...)
{
    va_list ap;
    fputs("1..0 # SKIP ", stdout);
    va_start(ap, fmt);
    tap_vdesc_(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    exit(0);
}

static inline void bail_out(const char *fmt, ...) TAP_PRINTF_(1, 2) TAP_NORETURN_;
static inline void bail_out(const char *fmt, ...)
{
    va_list ap;
    fputs("Bail out! ", stdout);
    va_start(ap, fmt);
    tap_vdesc_(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    exit(255);
}

static inline int tap_vok_(int pass, const char *file, int line,
                           const char *fmt, va_list ap) TAP_PRINTF_(4, 0);
static inline int tap_vok_(int pass, const char *file, int line,
                           const char *fmt, va_list ap)
{
    tap_run_++;
    if (!pass)
        tap_failed_++;
    printf("%sok %d - ", pass ? "" : "not ", tap_run_);
    tap_vdesc_(fmt, ap);
    putchar('\n');
    if (!pass)
        printf("#   Failed test at %s line %d.\n", file, line);
    fflush(stdout);
    return pass;
}

static inline int tap_ok_(int pass, const char *file, int line,
                          const char *fmt, ...) TAP_PRINTF_(4, 5);
static inline int tap_ok_(int pass, const char *file, int line,
                          const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tap_vok_(pass, file, line, fmt, ap);
    va_end(ap);
    return pass;
}

static inline int tap_is_int_(long long got, long long expected,
                              const char *file, int line,
                              const char *fmt, ...) TAP_PRINTF_(5, 6);
static inline int tap_is_int_(long long got, long long expected,
                              const char *file, int line,
                              const char *fmt, ...)
{
    int pass = got == expected;
    va_list ap;
    va_start(ap, fmt);
    tap_vok_(pass, file, line, fmt, ap);
    va_end(ap);
    if (!pass)
        diag("       got: %lld\n  expected: %lld", got, expected);
    return pass;
}

static inline int tap_is_str_(const char *got, const char *expected,
                              const char *file, int line,
                              const char *fmt, ...) TAP_PRINTF_(5, 6);
static inline int tap_is_str_(const char *got, const char *expected,
                              const char *file, int line,
                              const char *fmt, ...)
{
    int pass = (got == NULL || expected == NULL)
                   ? got == expected
                   : strcmp(got, expected) == 0;
    va_list ap;
    va_start(ap, fmt);
    tap_vok_(pass, file, line, fmt, ap);
    va_end(ap);
    if (!pass)
        diag("       got: %s%s%s\n  expected: %s%s%s",
             got ? "'" : "", got ? got : "NULL", got ? "'" : "",
             expected ? "'" : "", expected ? expected : "NULL",
             expected ? "'" : "");
    return pass;
}

static inline void skip(int n, const char *fmt, ...) TAP_PRINTF_(2, 3);
static inline void skip(int n, const char *fmt, ...)
{
    for (int i = 0; i < n; i++) {
        va_list ap;
        tap_run_++;
        printf("ok %d # SKIP ", tap_run_);
        va_start(ap, fmt);
        tap_vdesc_(fmt, ap);
        va_end(ap);
        putchar('\n');
    }
    fflush(stdout);
}

static inline int done_testing(void)
{
    if (tap_planned_ < 0) {
        tap_planned_ = tap_run_;
        printf("1..%d\n", tap_run_);
    } else if (tap_planned_ != tap_run_) {
        diag("Looks like you planned %d tests but ran %d.", tap_planned_,
             tap_run_);
    }
    if (tap_failed_ > 0)
        diag("Looks like you failed %d test%s of %d.", tap_failed_,
             tap_failed_ == 1 ? "" : "s", tap_run_);
    fflush(stdout);
    return tap_failed_ == 0 && tap_planned_ == tap_run_ ? 0 : 1;
}

/* The description is required: ok(cond, "what is checked", ...). */
#define ok(cond, ...) tap_ok_(!!(cond), __FILE__, __LINE__, __VA_ARGS__)
#define is_int(got, expected, ...) \
    tap_is_int_((long long)(got), (long long)(expected), __FILE__, __LINE__, \
                __VA_ARGS__)
#define is_str(got, expected, ...) \
    tap_is_str_((got), (expected), __FILE__, __LINE__, __VA_ARGS__)

#endif
