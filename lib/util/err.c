#include "util/err.h"

const char *zk_strerror(int code)
{
    switch (code) {
    case ZK_OK: return "success";
    case ZK_ENOMEM: return "out of memory";
    case ZK_EINVAL: return "invalid argument";
    case ZK_EIO: return "input/output error";
    case ZK_EENCODING: return "malformed encoding";
    case ZK_ERANGE: return "value out of range (not below the modulus)";
    case ZK_ENOTONCURVE: return "point is not on the curve";
    case ZK_ENOTINGROUP: return "point is not in the prime-order subgroup";
    case ZK_EFORMAT: return "unknown or unsupported file format";
    case ZK_EVERIFY: return "verification failed";
    case ZK_ENOTSQUARE: return "not a square";
    case ZK_EZERO: return "division by zero";
    case ZK_ETHREAD: return "could not start a thread";
    case ZK_EUNSUPPORTED: return "not supported";
    }
    return "unknown error";
}
