// Tiles of the AVX-512 path, shared by gemm_avx512.cc and its baseline twin
// gemm_avx512_layout.cc so the tests of the twin cover exactly the blocking AVX-512 runs.
// 32 zmm registers: an 8×2-vector accumulator tile (8×32 floats, 8×16 doubles).
#pragma once
#define PRECOND_VEC_BYTES 64
#define PRECOND_F32_MR 8
#define PRECOND_F32_NV 2
#define PRECOND_F64_MR 8
#define PRECOND_F64_NV 2
#define PRECOND_MC 96
#define PRECOND_KC 256
#define PRECOND_NC 2048
