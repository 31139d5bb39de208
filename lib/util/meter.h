/*
 * meter.h -- how far a long computation has got, for progress displays.
 *
 * A meter holds the current phase: a name, the number of units of work it
 * will do (its total) and the number done so far.  The computation calls
 * zk_meter_begin when a phase starts and zk_meter_add as units complete,
 * from any thread (one relaxed atomic add: cheap enough for the inner
 * loops of an MSM every few thousand points); a display thread of the
 * application calls zk_meter_read whenever it likes.  Nothing calls back
 * into the application, so a slow display never slows the computation.
 *
 * The routines of libzkpar find the meter on the pool they run on
 * (zk_pool_set_meter, pool.h); every function here accepts a NULL meter
 * and then does nothing, so an unmetered run pays one test per call.
 *
 * What a unit is belongs to the phase: the routine that starts the phase
 * documents it (zk_msm_g1 adds one unit per point, zk_groth16_prove names
 * its phases in groth16.h).
 */
#ifndef ZK_METER_H
#define ZK_METER_H

#include <stdint.h>

#include "util/err.h"

typedef struct zk_meter zk_meter;

/* *out = a new meter with no phase.  ZK_ENOMEM (*out = NULL). */
ZK_WUR int zk_meter_new(zk_meter **out);

/* Free m (NULL is fine).  No thread may use it any more. */
void zk_meter_free(zk_meter *m);

/* Start phase `name` (a string that outlives the phase, e.g. a literal)
 * of `total` units, with none done; replaces the current phase.
 * Thread-safe against zk_meter_read; call it from one thread at a time. */
void zk_meter_begin(zk_meter *m, const char *name, uint64_t total);

/* Add units to the current phase's done count; any thread, any time.
 * Without a phase (before the first begin, after an end) units are not
 * counted. */
void zk_meter_add(zk_meter *m, uint64_t units);

/* End the current phase: zk_meter_read then returns NULL, with the ended
 * phase's counts (how a test checks that a phase added up). */
void zk_meter_end(zk_meter *m);

/*
 * The current phase's name, or NULL when none (or m is NULL); *done and
 * *total (either may be NULL) as of the call (done is not clamped: it
 * exceeds total only when a phase was begun with too small a total, or
 * when units of the previous phase land just after a begin: a display
 * clamps it);
 * *serial (may be NULL) a number that changes with every zk_meter_begin,
 * so that a reader can tell a phase that started again under the same
 * name.  Thread-safe.
 */
const char *zk_meter_read(zk_meter *m, uint64_t *done, uint64_t *total,
                          uint64_t *serial);

#endif
