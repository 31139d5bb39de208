/* kernel.c -- run-time choice of the Montgomery multiplication kernel. */
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#endif

#include "field/kernel.h"
#include "field/mont.h"

int zk_mont_use_adx_ = 0;

static int cpu_has_adx(void)
{
#ifdef ZK_HAVE_ADX_KERNEL
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    (void)a; (void)c; (void)d;
    return (b & (1u << 8)) && (b & (1u << 19)); /* BMI2, ADX */
#else
    return 0;
#endif
}

__attribute__((constructor)) static void kernel_init(void)
{
    const char *env = getenv("ZKPAR_FIELD_KERNEL");
    zk_mont_use_adx_ = cpu_has_adx() && !(env && strcmp(env, "portable") == 0);
}

int zk_field_kernel_available(zk_field_kernel k)
{
    return k == ZK_KERNEL_PORTABLE || (k == ZK_KERNEL_ADX && cpu_has_adx());
}

int zk_field_set_kernel(zk_field_kernel k)
{
    if (!zk_field_kernel_available(k))
        return ZK_EUNSUPPORTED;
    zk_mont_use_adx_ = k == ZK_KERNEL_ADX;
    return ZK_OK;
}

zk_field_kernel zk_field_get_kernel(void)
{
    return zk_mont_use_adx_ ? ZK_KERNEL_ADX : ZK_KERNEL_PORTABLE;
}

const char *zk_field_kernel_name(zk_field_kernel k)
{
    return k == ZK_KERNEL_ADX ? "adx" : "portable";
}
