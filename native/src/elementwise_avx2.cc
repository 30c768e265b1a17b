// The elementwise kernels for AVX2 + FMA (Haswell, Zen and later): 4 doubles per vector. FMA is
// enabled like the gemm path's, but never used for arithmetic (-ffp-contract=off).
#include "gemm.h"
#if PRECOND_X86
#include "cpu.h"
#define PRECOND_TARGET __attribute__((target("avx2,fma")))
#define PRECOND_EW_SYMBOL kElementwiseAvx2
#define PRECOND_EW_NAME "avx2"
#define PRECOND_SUPPORTED [] { return cpu_features().avx2 && cpu_features().fma; }
#include "elementwise_kernel.inc"
#endif
