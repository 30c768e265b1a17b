// The baseline path: 128-bit vectors (SSE2 on every x86-64, NEON on arm64).
#define PRECOND_TARGET
#define PRECOND_VEC_BYTES 16
#define PRECOND_F32_MR 4
#define PRECOND_F32_NV 2
#define PRECOND_F64_MR 4
#define PRECOND_F64_NV 2
#define PRECOND_MC 128
#define PRECOND_KC 256
#define PRECOND_NC 2048
#define PRECOND_PATH_SYMBOL kGemmGeneric
#define PRECOND_PATH_NAME "generic"
#define PRECOND_SUPPORTED [] { return true; }
#include "gemm_kernel.inc"
