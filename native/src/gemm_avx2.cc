// AVX2 + FMA: 16 ymm registers hold a 6×2-vector accumulator tile (6×16 floats, 6×8 doubles).
#include "gemm.h"
#if PRECOND_X86
#include "cpu.h"
#define PRECOND_TARGET __attribute__((target("avx2,fma")))
#define PRECOND_VEC_BYTES 32
#define PRECOND_F32_MR 6
#define PRECOND_F32_NV 2
#define PRECOND_F64_MR 6
#define PRECOND_F64_NV 2
#define PRECOND_MC 96
#define PRECOND_KC 256
#define PRECOND_NC 2048
#define PRECOND_PATH_SYMBOL kGemmAvx2
#define PRECOND_PATH_NAME "avx2"
#define PRECOND_SUPPORTED [] { return cpu_features().avx2 && cpu_features().fma; }
#include "gemm_kernel.inc"
#endif
