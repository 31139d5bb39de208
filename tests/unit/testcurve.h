/*
 * testcurve.h -- random points for the tests: [k] G for a random k from
 * libsodium (variable time: test data only).
 */
#ifndef ZK_TEST_CURVE_H
#define ZK_TEST_CURVE_H

#include "curve/g1.h"
#include "curve/g2.h"
#include "field/fr.h"

static inline void rand_g1(zk_g1 *r)
{
    zk_g1 g;
    zk_g1j gj, t;
    zk_fr k;
    zk_g1_generator(&g);
    zk_g1j_from_affine(&gj, &g);
    zk_fr_random(&k);
    zk_g1j_mul_var(&t, &gj, &k);
    zk_g1_from_jacobian(r, &t);
}

static inline void rand_g2(zk_g2 *r)
{
    zk_g2 g;
    zk_g2j gj, t;
    zk_fr k;
    zk_g2_generator(&g);
    zk_g2j_from_affine(&gj, &g);
    zk_fr_random(&k);
    zk_g2j_mul_var(&t, &gj, &k);
    zk_g2_from_jacobian(r, &t);
}

#endif
