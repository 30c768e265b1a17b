// Test-only: the AVX-512 path's tiles compiled for the baseline ISA (64-byte vectors lowered
// to SSE2/NEON), so the equivalence tests cover that blocking on CPUs without AVX-512.
// Never picked by "auto".
#include "gemm_avx512_tiles.h"
#define PRECOND_TARGET
#define PRECOND_PATH_SYMBOL kGemmAvx512Layout
#define PRECOND_PATH_NAME "avx512f-layout"
#define PRECOND_SUPPORTED [] { return true; }
#include "gemm_kernel.inc"
