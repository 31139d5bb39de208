/* meter.c -- progress meters (meter.h).
 *
 * begin, end and read take a mutex, so a reader sees a phase's name and
 * total together; add is a relaxed atomic add on done, which begin resets
 * under the mutex, made only while a phase is on (an add racing a begin
 * or an end may land on the wrong side of it: a few units of a progress
 * display, never a correctness matter). */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "util/meter.h"

struct zk_meter {
    pthread_mutex_t mu;
    const char *name;
    uint64_t total;
    uint64_t serial;
    _Atomic uint64_t done;
    atomic_int active;  /* a phase is on: adds count */
};

int zk_meter_new(zk_meter **out)
{
    zk_meter *m = calloc(1, sizeof *m);
    *out = NULL;
    if (m == NULL)
        return ZK_ENOMEM;
    if (pthread_mutex_init(&m->mu, NULL) != 0) {
        free(m);
        return ZK_ENOMEM;
    }
    atomic_init(&m->done, 0);
    atomic_init(&m->active, 0);
    *out = m;
    return ZK_OK;
}

void zk_meter_free(zk_meter *m)
{
    if (m == NULL)
        return;
    pthread_mutex_destroy(&m->mu);
    free(m);
}

void zk_meter_begin(zk_meter *m, const char *name, uint64_t total)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->mu);
    m->name = name;
    m->total = total;
    m->serial++;
    atomic_store_explicit(&m->done, 0, memory_order_relaxed);
    atomic_store_explicit(&m->active, name != NULL, memory_order_relaxed);
    pthread_mutex_unlock(&m->mu);
}

void zk_meter_add(zk_meter *m, uint64_t units)
{
    if (m != NULL && atomic_load_explicit(&m->active, memory_order_relaxed))
        atomic_fetch_add_explicit(&m->done, units, memory_order_relaxed);
}

void zk_meter_end(zk_meter *m)
{
    if (m == NULL)
        return;
    pthread_mutex_lock(&m->mu);
    m->name = NULL;
    m->serial++;
    atomic_store_explicit(&m->active, 0, memory_order_relaxed);
    pthread_mutex_unlock(&m->mu);
}

const char *zk_meter_read(zk_meter *m, uint64_t *done, uint64_t *total, uint64_t *serial)
{
    uint64_t d = 0, t = 0, s = 0;
    const char *name = NULL;
    if (m != NULL) {
        pthread_mutex_lock(&m->mu);
        name = m->name;
        t = m->total;
        s = m->serial;
        d = atomic_load_explicit(&m->done, memory_order_relaxed);
        pthread_mutex_unlock(&m->mu);
    }
    if (done != NULL)
        *done = d;
    if (total != NULL)
        *total = t;
    if (serial != NULL)
        *serial = s;
    return name;
}
