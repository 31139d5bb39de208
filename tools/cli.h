/*
 * cli.h -- what the zk-* tools share: messages, exit codes, options that
 * every tool takes, reading and writing files with "-" for stdin/stdout,
 * the --progress and --json reports.
 *
 * Conventions (zkpar(7)):
 *   exit 0   success / valid;
 *   exit 1   invalid proof, or input content rejected (a point off the
 *            curve, a public value >= r, a witness that does not satisfy);
 *   exit 2   usage error, or input that cannot be read or parsed, for a
 *            reason that the same command will meet again: a missing file,
 *            no permission, a directory where a file is expected, text that
 *            is not JSON;
 *   exit 75  (EX_TEMPFAIL of sysexits.h) a failure that may pass when the
 *            same command is run again, here or elsewhere: an I/O error
 *            while reading or writing (EIO, ENOSPC, EDQUOT, EAGAIN, ...),
 *            out of memory, a thread that cannot start.
 * GNU parallel --retries and make can retry on 75 and give up on 1 and 2.
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

enum { CLI_OK = 0, CLI_INVALID = 1, CLI_USAGE = 2, CLI_TEMPFAIL = 75 };

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

/* Set the program name used in messages (basename of argv[0]) and start
 * the clock of the --json report's wall_s. */
void cli_init(const char *argv0);
const char *cli_prog(void);

/* "PROG: message\n" on stderr; errno is preserved.  The first message of
 * a run is the "error" of the --json report. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The same for a warning (not an error: never the report's "error"). */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "PROG: out of memory"; returns CLI_TEMPFAIL. */
int cli_oom(void);

/*
 * "PROG: PATH: what: zk_strerror(rc)", or for ZK_EIO with errno set
 * "PROG: PATH: what: strerror(errno)".  Returns cli_exit_code(rc) with the
 * errno of the call (errno is preserved).
 */
int cli_file_error(const char *path, int rc, const char *what);

/* The exit status of an errno value: CLI_USAGE for what the same command
 * meets again (ENOENT, ENOTDIR, EISDIR, EACCES, EPERM, EROFS, ELOOP,
 * ENAMETOOLONG, EEXIST, EINVAL, EBADF, EFBIG, ENXIO, ENODEV, EXDEV, ESPIPE,
 * ENOTEMPTY, EMLINK, EOVERFLOW), CLI_TEMPFAIL for any other (EIO, ENOSPC,
 * EDQUOT, EAGAIN, EINTR, ENOMEM, EMFILE, ENFILE, ESTALE, ETIMEDOUT, EBUSY,
 * ... and 0: an I/O failure without a cause). */
int cli_errno_status(int err);

/* The exit status of a library error: CLI_OK for ZK_OK; CLI_INVALID for
 * content that was read but is not acceptable (ZK_EVERIFY, ZK_ERANGE,
 * ZK_ENOTONCURVE, ZK_ENOTINGROUP); CLI_TEMPFAIL for ZK_ENOMEM and
 * ZK_ETHREAD; cli_errno_status(errno) for ZK_EIO (so call it before
 * anything that may change errno: cli_error and cli_file_error do not);
 * CLI_USAGE for everything else (bad encoding, format, argument). */
int cli_exit_code(int rc);

/* For input that cannot be used (a decoder's or a computation's error):
 * CLI_TEMPFAIL when cli_exit_code(rc) says so (no memory, a thread, an
 * I/O error), else CLI_USAGE. */
int cli_unusable(int rc);

/* What cli_option says about one option. */
enum { CLI_NEXT = -1, CLI_MINE = -2 };

/*
 * Handle getopt_long's return value c (with arg = optarg) for the options
 * every tool shares: -t/--threads N, --progress, --json, -q/--quiet,
 * -h/--help, -V/--version, and '?' (an unknown option or a missing
 * argument).  Returns CLI_NEXT when c was handled and parsing goes on;
 * CLI_MINE when c is not a common option (the tool's own); else the exit
 * status the tool returns at once: CLI_OK after --help (usage on stdout)
 * or --version, CLI_USAGE after a bad value or an unknown option (usage on
 * stderr).
 */
int cli_option(cli_opts *o, int c, const char *arg, void (*usage)(FILE *));

/* The getopt_long entries for the common options (append them to a
 * tool's table; see CLI_COMMON_LONGOPTS).  CLI_JSON_LONGOPT adds --json,
 * for the tools that end with cli_finish. */
#define CLI_COMMON_SHORTOPTS "t:qhV"
#define CLI_COMMON_LONGOPTS                              \
    { "threads", required_argument, NULL, 't' },        \
    { "progress", no_argument, NULL, 'P' },             \
    { "quiet", no_argument, NULL, 'q' },                \
    { "help", no_argument, NULL, 'h' },                 \
    { "version", no_argument, NULL, 'V' }
#define CLI_JSON_LONGOPT { "json", no_argument, NULL, 'J' }

/* After the options: turn --progress on when stderr is a terminal, unless
 * -q was given. */
void cli_progress_auto(cli_opts *o);

/* Print "PROG (zkpar) VERSION" on stdout. */
void cli_version(void);

/* A pool of o->threads threads; prints a message and returns NULL on error. */
zk_pool *cli_pool(const cli_opts *o);

/* The same, returning the exit status: 0, or CLI_TEMPFAIL (no memory, a
 * thread that cannot start) / CLI_USAGE after a message.  With
 * o->progress the pool carries the display's meter (util/meter.h): the
 * long phases of what runs on it show their percentage on stderr, a
 * status line redrawn in place on a terminal, a line each tenth
 * elsewhere, sampled every ZKPAR_PROGRESS_INTERVAL seconds (0.001 to 60;
 * default 0.25) once a phase has run two intervals. */
int cli_pool_new(zk_pool **out, const cli_opts *o);

/* --progress callback (ctx: the cli_opts): "PROG: PHASE  1.234 s" when
 * o->progress; with --json, also adds the phase's seconds to the report
 * (a phase reported twice is summed). */
void cli_progress(void *ctx, const char *phase, double seconds);

/* Seconds on the monotonic clock. */
double cli_now(void);

/*
 * The --json report: with --json, cli_finish(status) prints on stderr one
 * line {"tool": PROG, "status": status, "wall_s": seconds since cli_init,
 * "phases": {PHASE: seconds, ...}, the fields set by cli_report_*, and,
 * when status != 0, "error": the first message of cli_error}.  Without
 * --json it prints nothing.  Returns status, so that a tool ends with
 * `return cli_finish(status)`.  Setting a field twice keeps the last value.
 * The report is best effort: out of memory, fields are left out.
 */
void cli_report_int(const char *key, long long v);
void cli_report_str(const char *key, const char *v);
void cli_report_bool(const char *key, int v);
int cli_finish(int status);

/*
 * Read a JSON document from path ("-": stdin): *out = the document, 0; or
 * *out = NULL and the exit status after a message: CLI_USAGE for a file
 * that cannot be opened for a permanent reason (missing, no permission, a
 * directory) or is not JSON ("PROG: PATH: line L column C: ..."),
 * CLI_TEMPFAIL for a read error (EIO, ...) or no memory.
 */
int cli_json_load(json_t **out, const char *path);

/* The same, returning the document or NULL (after the message). */
json_t *cli_json_read(const char *path);

/*
 * Read all of standard input (any kind of descriptor: file, pipe, socket)
 * into a malloc'ed buffer.  Returns 0, or ZK_EIO (errno kept) / ZK_ENOMEM
 * after printing a message (cli_exit_code gives the exit status).
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
 * written under a temporary name "PATH.tmp.XXXXXX" in its directory
 * (atomic.h), locked with flock(2) while it is written; only when all were
 * written are they renamed into place.  An existing device, FIFO or
 * socket is written in place (never replaced), after the temporary files
 * and before the renames, so that a failure there (/dev/full) leaves no
 * file.  A symbolic link has its target replaced (atomic.h).  "-" writes
 * to stdout (once the files are in place), followed by a newline for the
 * terminal's sake.
 * Afterwards the temporary files that killed writers of these paths left
 * behind are removed (cli_remove_stale).
 * Returns 0, or the exit status after a message, having removed its own
 * temporary files: CLI_USAGE when a file cannot be created for a permanent
 * reason (no such directory, no permission, a directory in the way, a
 * read-only file system), CLI_TEMPFAIL for an I/O error (ENOSPC, EDQUOT,
 * EIO, ...) or no memory.
 */
int cli_write_all(size_t n, const char *const paths[], const char *const bufs[],
                  const size_t lens[]);

/* The same, file i getting modes[i] (e.g. 0600 for secrets: it is never
 * readable by others, not even while empty; atomic.h) instead of 0644;
 * modes NULL: all 0644. */
int cli_write_all_mode(size_t n, const char *const paths[], const char *const bufs[],
                       const size_t lens[], const unsigned modes[]);

/*
 * Remove "PATH.tmp.XXXXXX" files (the temporary names of atomic.h) that
 * writers killed before their rename left next to each of the n paths.  A
 * temporary file is removed only when no process holds its flock(2), i.e.
 * only when its writer (cli_write_all) is gone; where locks are not
 * supported nothing is removed.  Best effort, silent.
 */
void cli_remove_stale(size_t n, const char *const paths[]);

#endif
