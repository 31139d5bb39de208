/*
 * kernel.h -- which Montgomery multiplication kernel Fp and Fr use.
 *
 * At load time libzkpar picks the MULX/ADX assembly kernel when the CPU has
 * BMI2 and ADX, else the portable C kernel.  The environment variable
 * ZKPAR_FIELD_KERNEL=portable forces the portable one.  Both give identical
 * results; tests run every field test under each available kernel.
 *
 * Not thread-safe: select the kernel before starting threads.
 */
#ifndef ZK_KERNEL_H
#define ZK_KERNEL_H

#include "util/err.h"

typedef enum zk_field_kernel {
    ZK_KERNEL_PORTABLE = 0, /* C with unsigned __int128 products */
    ZK_KERNEL_ADX = 1       /* x86-64 MULX/ADCX/ADOX */
} zk_field_kernel;

/* ZK_EUNSUPPORTED when this CPU or build cannot run kernel k. */
ZK_WUR int zk_field_set_kernel(zk_field_kernel k);
zk_field_kernel zk_field_get_kernel(void);
/* 1 when kernel k can run here. */
int zk_field_kernel_available(zk_field_kernel k);
/* "portable" or "adx" */
const char *zk_field_kernel_name(zk_field_kernel k);

#endif
