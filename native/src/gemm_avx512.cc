// AVX-512F (Skylake-SP, Ice Lake, Zen 4 and later), picked at run time when the CPU and OS
// support it.
#include "gemm.h"
#if PRECOND_X86
#include "cpu.h"
#include "gemm_avx512_tiles.h"
#define PRECOND_TARGET __attribute__((target("avx512f")))
#define PRECOND_PATH_SYMBOL kGemmAvx512
#define PRECOND_PATH_NAME "avx512f"
#define PRECOND_SUPPORTED [] { return cpu_features().avx512f; }
#include "gemm_kernel.inc"
#endif
