// Dense matrix multiply, C = alpha · op(A) · op(B) + beta · C on row-major matrices (the
// contract of src-main/core/kernels/types.ts). One blocked algorithm (gemm_kernel.inc) is
// compiled once per CPU path; a GemmPath names one compiled copy and its tile sizes.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__x86_64__) || defined(_M_X64)
#define PRECOND_X86 1
#else
#define PRECOND_X86 0
#endif

namespace precond {

template <class T>
struct GemmArgs {
  bool trans_a, trans_b;
  int64_t m, n, k;
  double alpha;  // kept in double: the TS reference multiplies in double too
  const T* a;
  int64_t lda;
  const T* b;
  int64_t ldb;
  double beta;
  T* c;
  int64_t ldc;
};

// One dtype's kernel of a path: register tile mr×nr, cache blocks mc×kc (A) and kc×nc (B).
template <class T>
struct GemmKernel {
  int64_t mr, nr, mc, kc, nc;
  // `packed_a` holds round_up(min(m, mc), mr) · min(k, kc) elements, `packed_b`
  // min(k, kc) · round_up(min(n, nc), nr); both 64-byte aligned, owned by the caller.
  void (*run)(const GemmArgs<T>& g, T* packed_a, T* packed_b);
};

struct GemmPath {
  const char* name;        // "avx512f", "avx2", "generic", ...
  bool (*supported)();     // can this CPU run it?
  GemmKernel<float> f32;
  GemmKernel<double> f64;
};

// Baseline ISA (SSE2 on x86-64, NEON on arm64): runs everywhere.
extern const GemmPath kGemmGeneric;
#if PRECOND_X86
extern const GemmPath kGemmAvx2;     // AVX2 + FMA (Haswell, Zen and later)
extern const GemmPath kGemmAvx512;   // AVX-512F (Skylake-SP, Ice Lake, Zen 4 and later)
#endif
// The AVX-512 path's tiles and vector width compiled for the baseline ISA: lets the tests
// exercise that blocking on machines without AVX-512. Never picked automatically.
extern const GemmPath kGemmAvx512Layout;

}  // namespace precond
