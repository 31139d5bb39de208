/*
 * cli.h -- what the zk-* tools share: messages, exit codes, options that
 * every tool takes, reading and writing files with "-" for stdin/stdout.
 *
 * Conventions (zkpar(7)):
 *   exit 0  success / valid;
 *   exit 1  invalid proof, or input content rejected (a point off the
 *           curve, a public value >= r, a witness that does not satisfy);
 *   exit 2  usage error, or input that cannot be read or parsed.
 * Messages go to stderr as "PROG: FILE: what is wrong"; tools are quiet
 * on success unless they print a verdict (zk-verify) or --progress is on.
 */
#ifndef ZK_TOOLS_CLI_H
#define ZK_TOOLS_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "util/pool.h"

enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2 };

/* The options every tool takes (filled by cli_option). */
typedef struct {
    unsigned threads;   /* 0: ZKPAR_THREADS or the number of CPUs */
    int progress;       /* --progress: phase timings on stderr */
    int quiet;          /* -q: no verdict or warning on stdout/stderr */
} cli_opts;

/*
 * For tools that allocate and free large buffers one after another (the
 * MSMs of a proof): have glibc serve every allocation above 256 KiB with
 * its own mmap, returned to the system on free, instead of letting its
 * dynamic threshold move them onto the heap, where freed memory stays
 * resident.  No-op elsewhere.
 */
void cli_malloc_policy(void);

/* Set the program name used in messages (basename of argv[0]). */
void cli_init(const char *argv0);
const char *cli_prog(void);

/* "PROG: message\n" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: PATH: what (zk_strerror(rc)[: strerror(errno) for ZK_EIO])". */
void cli_file_error(const char *path, int rc, const char *what);

/* The exit code of a library error: CLI_INVALID for content that was read
 * but is not acceptable (ZK_EVERIFY, ZK_ERANGE, ZK_ENOTONCURVE,
 * ZK_ENOTINGROUP), CLI_USAGE for everything else. */
int cli_exit_code(int rc);

/* What cli_option says about one option. */
enum { CLI_NEXT = -1, CLI_MINE = -2 };

/*
 * Handle getopt_long's return value c (with arg = optarg) for the options
 * every tool shares: -t/--threads N, --progress, -q/--quiet, -h/--help,
 * -V/--version, and '?' (an unknown option or a missing argument).
 * Returns CLI_NEXT when c was handled and parsing goes on; CLI_MINE when c
 * is not a common option (the tool's own); else the exit status the tool
 * returns at once: CLI_OK after --help (usage on stdout) or --version,
 * CLI_USAGE after a bad value or an unknown option (usage on stderr).
 */
int cli_option(cli_opts *o, int c, const char *arg, void (*usage)(FILE *));

/* The getopt_long entries for the common options (append them to a
 * tool's table; see CLI_COMMON_LONGOPTS). */
#define CLI_COMMON_SHORTOPTS "t:qhV"
#define CLI_COMMON_LONGOPTS                              \
    { "threads", required_argument, NULL, 't' },        \
    { "progress", no_argument, NULL, 'P' },             \
    { "quiet", no_argument, NULL, 'q' },                \
    { "help", no_argument, NULL, 'h' },                 \
    { "version", no_argument, NULL, 'V' }

/* Print "PROG (zkpar) VERSION" on stdout. */
void cli_version(void);

/* A pool of o->threads threads; prints a message and returns NULL on error. */
zk_pool *cli_pool(const cli_opts *o);

/* --progress callback (ctx: the cli_opts): "PROG: PHASE  1.234 s". */
void cli_progress(void *ctx, const char *phase, double seconds);

/* Seconds on the monotonic clock. */
double cli_now(void);

/*
 * Read a JSON document from path ("-": stdin).  On error prints
 * "PROG: PATH: line L column C: ..." and returns NULL.
 */
json_t *cli_json_read(const char *path);

/*
 * Read all of standard input (any kind of descriptor: file, pipe, socket)
 * into a malloc'ed buffer.  Returns 0, or ZK_EIO (errno kept) / ZK_ENOMEM
 * after printing a message.
 */
int cli_read_stdin(uint8_t **buf, size_t *len);

/*
 * Serialize j as snarkjs does (JSON.stringify with a one-space indent, keys
 * in insertion order, no final newline), so that our files are byte-
 * identical to snarkjs's, to a malloc'ed string.  NULL when out of memory.
 */
char *cli_json_dump(const json_t *j);

/*
 * Write n buffers to n paths, all or none: each non-"-" path is first
 * written under a temporary name in its directory; only when all were
 * written are they renamed into place.  "-" writes to stdout (once the
 * files are in place), followed by a newline for the terminal's sake.  Prints a message and returns ZK_EIO / ZK_ENOMEM on
 * error, having removed its temporary files.
 */
int cli_write_all(size_t n, const char *const paths[], const char *const bufs[],
                  const size_t lens[]);

#endif
