// What this CPU can run, detected once (cpuid + the OS's saved-state mask via the compiler's
// __builtin_cpu_supports, which checks both).
#pragma once

namespace precond {

struct CpuFeatures {
  const char* arch;  // "x86_64", "arm64", or "other"
  bool sse2, avx, avx2, fma, avx512f;
};

const CpuFeatures& cpu_features();

}  // namespace precond
