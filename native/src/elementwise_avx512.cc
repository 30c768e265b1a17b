// The elementwise kernels for AVX-512F (Skylake-SP, Ice Lake, Zen 4 and later): 8 doubles per vector.
#include "gemm.h"
#if PRECOND_X86
#include "cpu.h"
#define PRECOND_TARGET __attribute__((target("avx512f")))
#define PRECOND_EW_SYMBOL kElementwiseAvx512
#define PRECOND_EW_NAME "avx512f"
#define PRECOND_SUPPORTED [] { return cpu_features().avx512f; }
#include "elementwise_kernel.inc"
#endif
