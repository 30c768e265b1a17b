// Per Node environment (the main thread and every worker thread get their own): the CPU path in
// use and gemm's packing buffers.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <cstdlib>

#include "elementwise.h"
#include "gemm.h"

namespace precond {

// A grow-only, 64-byte-aligned buffer: after the first call of a given size, gemm allocates nothing.
class Scratch {
 public:
  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() { std::free(raw_); }
  void* get(size_t bytes) {
    if (bytes <= size_) return aligned_;
    std::free(raw_);
    raw_ = std::malloc(bytes + 64);
    if (!raw_) {
      size_ = 0;
      aligned_ = nullptr;
      return nullptr;
    }
    aligned_ = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(raw_) + 63) & ~uintptr_t(63));
    size_ = bytes;
    return aligned_;
  }

 private:
  void* raw_ = nullptr;
  void* aligned_ = nullptr;
  size_t size_ = 0;
};

struct State {
  const GemmPath* path;
  // The elementwise kernels of the same name as `path` (generic for a test-only gemm path).
  const ElementwisePath* elementwise;
  Scratch packed_a, packed_b;
};

// The elementwise path named `name`, or the generic one when there is none of that name.
const ElementwisePath* elementwise_path(const char* name);

// Adds the optimizer and model kernels (and `scalarLayouts`) to `exports`; the bindings live as
// long as `state`. Returns false (with a JavaScript exception pending) on failure.
bool register_elementwise(napi_env env, napi_value exports, State* state);

}  // namespace precond
