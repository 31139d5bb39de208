/*
 * testmpz.h -- conversions between Fp and GMP's mpz for the tests that use
 * GMP as their oracle (test_curve, test_tower).  Header-only; failures
 * bail out through tap.h.  Include after tap.h.
 */
#ifndef ZK_TESTS_UNIT_TESTMPZ_H
#define ZK_TESTS_UNIT_TESTMPZ_H

#include <gmp.h>
#include <stdint.h>

#include "field/constants.h"
#include "field/fp.h"
#include "tap.h"

/* z = the integer a represents (0 <= z < p). */
static inline void z_of_fp(mpz_t z, const zk_fp *a)
{
    uint64_t v[4];
    zk_fp_to_limbs(v, a);
    mpz_import(z, 4, -1, 8, 0, 0, v);
}

/* a = z mod p, for any integer z. */
static inline void fp_of_z(zk_fp *a, const mpz_t z)
{
    static const uint64_t pl[4] = ZK_FP_MODULUS;
    uint64_t v[4] = {0, 0, 0, 0};
    mpz_t t, p;
    mpz_inits(t, p, NULL);
    mpz_import(p, 4, -1, 8, 0, 0, pl);
    mpz_mod(t, z, p);
    mpz_export(v, NULL, -1, 8, 0, 0, t);
    mpz_clears(t, p, NULL);
    if (zk_fp_from_limbs(a, v) != 0)
        bail_out("fp_of_z: value out of range");
}

#endif
