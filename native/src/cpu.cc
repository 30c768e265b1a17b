#include "cpu.h"

#include "gemm.h"

namespace precond {

static CpuFeatures detect() {
  CpuFeatures f{"other", false, false, false, false, false};
#if PRECOND_X86
  f.arch = "x86_64";
  __builtin_cpu_init();
  f.sse2 = __builtin_cpu_supports("sse2");
  f.avx = __builtin_cpu_supports("avx");
  f.avx2 = __builtin_cpu_supports("avx2");
  f.fma = __builtin_cpu_supports("fma");
  f.avx512f = __builtin_cpu_supports("avx512f");
#elif defined(__aarch64__) || defined(_M_ARM64)
  f.arch = "arm64";
#endif
  return f;
}

const CpuFeatures& cpu_features() {
  static const CpuFeatures features = detect();  // thread-safe static init
  return features;
}

}  // namespace precond
