// The precond native kernels on Node-API (NAPI_VERSION 8: one binary for Node and Electron).
// Exports: gemm (the signature of src-main/core/kernels/types.ts), the optimizer and model
// kernels with their `scalarLayouts` (elementwise_binding.cc), cpuFeatures(), selectPath(name),
// abiVersion, napiVersion. The kernels are raw Node-API callbacks (no node-addon-api wrappers,
// no allocation per call: gemm's packing buffers live in per-environment state, so each worker
// thread has its own).
#include <napi.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include "args.h"
#include "cpu.h"
#include "elementwise.h"
#include "gemm.h"
#include "state.h"

namespace {

using precond::describe_number;
using precond::GemmArgs;
using precond::GemmKernel;
using precond::GemmPath;
using precond::num;
using precond::State;
using precond::typed_array_name;
using precond::typeof_name;

// Bumped whenever an export changes meaning, so the loader rejects a stale build.
// 2: the optimizer and model kernels, scalars packed in a Float64Array (scalarLayouts).
constexpr int kAbiVersion = 2;

// Automatic choice, best first; then the test-only paths (selectable, never automatic).
const GemmPath* const kAutoPaths[] = {
#if PRECOND_X86
    &precond::kGemmAvx512,
    &precond::kGemmAvx2,
#endif
    &precond::kGemmGeneric,
};
const GemmPath* const kTestPaths[] = {&precond::kGemmAvx512Layout};

const GemmPath* auto_path() {
  for (const GemmPath* p : kAutoPaths)
    if (p->supported()) return p;
  return &precond::kGemmGeneric;
}

struct Matrix {
  napi_typedarray_type type;
  void* data;
  size_t length;
  const char* dtype_name;
};

class ArgReader {
 public:
  ArgReader(napi_env env, const napi_value* argv) : env_(env), argv_(argv) {}
  bool failed() const { return failed_; }

  bool boolean(int i, const char* name) {
    bool out = false;
    if (!failed_ && napi_get_value_bool(env_, argv_[i], &out) != napi_ok)
      fail(std::string("gemm: ") + name + " must be a boolean (got " + typeof_name(env_, argv_[i]) + ")");
    return out;
  }

  // A size or row stride: an integer in [0, 2^31).
  int64_t size(int i, const char* name) {
    double d = 0;
    if (failed_) return 0;
    if (napi_get_value_double(env_, argv_[i], &d) != napi_ok || !(d >= 0 && d < 2147483648.0) ||
        d != static_cast<double>(static_cast<int64_t>(d))) {
      fail(std::string("gemm: ") + name + " must be an integer in [0, 2^31) (got " +
           describe_number(env_, argv_[i], [](napi_env e, napi_value v) { return std::string(typeof_name(e, v)); }) + ")");
      return 0;
    }
    return static_cast<int64_t>(d);
  }

  double number(int i, const char* name) {
    double d = 0;
    if (!failed_ && napi_get_value_double(env_, argv_[i], &d) != napi_ok)
      fail(std::string("gemm: ") + name + " must be a number (got " + typeof_name(env_, argv_[i]) + ")");
    return d;
  }

  Matrix matrix(int i, const char* name) {
    Matrix m{napi_float64_array, nullptr, 0, ""};
    if (failed_) return m;
    // napi_get_typedarray_info fails (napi_invalid_arg) on anything but a typed array.
    if (napi_get_typedarray_info(env_, argv_[i], &m.type, &m.length, &m.data, nullptr, nullptr) == napi_ok) {
      m.dtype_name = typed_array_name(m.type);
      if (m.type == napi_float32_array || m.type == napi_float64_array) return m;
      fail(std::string("gemm: ") + name + " must be a Float32Array or Float64Array (got " + m.dtype_name + ")");
      return m;
    }
    bool is_view = false;
    napi_is_dataview(env_, argv_[i], &is_view);
    fail(std::string("gemm: ") + name + " must be a Float32Array or Float64Array (got " +
         (is_view ? "DataView" : typeof_name(env_, argv_[i])) + ")");
    return m;
  }

  void fail(const std::string& message) {
    if (failed_) return;
    failed_ = true;
    napi_throw_type_error(env_, nullptr, message.c_str());
  }

 private:
  napi_env env_;
  const napi_value* argv_;
  bool failed_ = false;
};

// Elements a row-major rows×cols matrix with row stride ld spans: (rows−1)·ld + cols (0 if empty).
int64_t span(int64_t rows, int64_t cols, int64_t ld) { return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0; }

// Checks that one stored operand fits its array; throws (through `r`) if not.
void check_operand(ArgReader& r, const char* array, const char* matrix, const char* ld_name, const char* trans,
                   int64_t rows, int64_t cols, int64_t ld, size_t length) {
  if (r.failed()) return;
  if (ld < cols) {
    r.fail(std::string("gemm: ") + ld_name + " = " + num(ld) + " is less than the " + num(cols) + " columns of " +
           matrix + " as stored" + trans);
    return;
  }
  const int64_t need = span(rows, cols, ld);
  if (static_cast<int64_t>(length) < need)
    r.fail(std::string("gemm: ") + array + " has " + num(static_cast<int64_t>(length)) + " elements, but " + matrix +
           " as stored (" + num(rows) + "×" + num(cols) + ", " + ld_name + " = " + num(ld) + ") needs " + num(need));
}


template <class T>
bool run_gemm(napi_env env, State& state, const GemmKernel<T>& kernel, const GemmArgs<T>& g) {
  auto round_up = [](int64_t x, int64_t to) { return (x + to - 1) / to * to; };
  const int64_t kc = std::min(g.k, kernel.kc);
  const size_t bytes_a = sizeof(T) * round_up(std::min(g.m, kernel.mc), kernel.mr) * kc;
  const size_t bytes_b = sizeof(T) * kc * round_up(std::min(g.n, kernel.nc), kernel.nr);
  T* pa = static_cast<T*>(state.packed_a.get(bytes_a > 0 ? bytes_a : 64));
  T* pb = static_cast<T*>(state.packed_b.get(bytes_b > 0 ? bytes_b : 64));
  if (!pa || !pb) {
    napi_throw_error(env, nullptr, "gemm: out of memory for the packing buffers");
    return false;
  }
  kernel.run(g, pa, pb);
  return true;
}

// gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc): C = alpha·op(A)·op(B) + beta·C.
napi_value Gemm(napi_env env, napi_callback_info info) {
  constexpr size_t kArgs = 13;
  size_t argc = kArgs;
  napi_value argv[kArgs];
  void* data = nullptr;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, &data) != napi_ok) return nullptr;
  State& state = *static_cast<State*>(data);
  ArgReader r(env, argv);
  if (argc != kArgs) {
    r.fail("gemm: expected 13 arguments, got " + num(static_cast<int64_t>(argc)));
    return nullptr;
  }
  const bool trans_a = r.boolean(0, "transA");
  const bool trans_b = r.boolean(1, "transB");
  const int64_t m = r.size(2, "m"), n = r.size(3, "n"), k = r.size(4, "k");
  const double alpha = r.number(5, "alpha");
  const Matrix a = r.matrix(6, "a");
  const int64_t lda = r.size(7, "lda");
  const Matrix b = r.matrix(8, "b");
  const int64_t ldb = r.size(9, "ldb");
  const double beta = r.number(10, "beta");
  const Matrix c = r.matrix(11, "c");
  const int64_t ldc = r.size(12, "ldc");
  if (r.failed()) return nullptr;
  if (a.type != b.type || a.type != c.type) {
    r.fail(std::string("gemm: a, b and c must have the same dtype (got ") + a.dtype_name + ", " + b.dtype_name +
           ", " + c.dtype_name + ")");
    return nullptr;
  }
  // As stored, A is (transA ? k×m : m×k) and B is (transB ? n×k : k×n).
  const int64_t rows_a = trans_a ? k : m, cols_a = trans_a ? m : k;
  const int64_t rows_b = trans_b ? n : k, cols_b = trans_b ? k : n;
  check_operand(r, "a", "A", "lda", trans_a ? " (transA)" : "", rows_a, cols_a, lda, a.length);
  check_operand(r, "b", "B", "ldb", trans_b ? " (transB)" : "", rows_b, cols_b, ldb, b.length);
  check_operand(r, "c", "C", "ldc", "", m, n, ldc, c.length);
  if (r.failed()) return nullptr;
  const size_t elem = c.type == napi_float32_array ? 4 : 8;
  const int64_t span_c = span(m, n, ldc);
  if (precond::overlaps(c.data, span_c, elem, a.data, span(rows_a, cols_a, lda), elem)) {
    r.fail("gemm: c overlaps a in memory; C must not share elements with A or B");
    return nullptr;
  }
  if (precond::overlaps(c.data, span_c, elem, b.data, span(rows_b, cols_b, ldb), elem)) {
    r.fail("gemm: c overlaps b in memory; C must not share elements with A or B");
    return nullptr;
  }
  if (c.type == napi_float32_array) {
    const GemmArgs<float> g{trans_a, trans_b, m, n, k, alpha, static_cast<const float*>(a.data), lda,
                            static_cast<const float*>(b.data), ldb, beta, static_cast<float*>(c.data), ldc};
    run_gemm(env, state, state.path->f32, g);
  } else {
    const GemmArgs<double> g{trans_a, trans_b, m, n, k, alpha, static_cast<const double*>(a.data), lda,
                             static_cast<const double*>(b.data), ldb, beta, static_cast<double*>(c.data), ldc};
    run_gemm(env, state, state.path->f64, g);
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------

std::string tile(int64_t mr, int64_t nr) { return num(mr) + "x" + num(nr); }

// cpuFeatures(): what the CPU has, which kernel paths are compiled in and runnable, which runs.
Napi::Value CpuFeatures(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const State& state = *static_cast<State*>(info.Data());
  const precond::CpuFeatures& f = precond::cpu_features();
  Napi::Object out = Napi::Object::New(env);
  out.Set("arch", f.arch);
  Napi::Object features = Napi::Object::New(env);
  features.Set("sse2", f.sse2);
  features.Set("avx", f.avx);
  features.Set("avx2", f.avx2);
  features.Set("fma", f.fma);
  features.Set("avx512f", f.avx512f);
  out.Set("features", features);
  Napi::Array paths = Napi::Array::New(env);
  uint32_t i = 0;
  auto add = [&](const GemmPath* p, bool test_only) {
    Napi::Object o = Napi::Object::New(env);
    o.Set("name", p->name);
    o.Set("supported", p->supported());
    o.Set("testOnly", test_only);
    o.Set("float32Tile", tile(p->f32.mr, p->f32.nr));
    o.Set("float64Tile", tile(p->f64.mr, p->f64.nr));
    o.Set("elementwise", precond::elementwise_path(p->name)->name);
    paths.Set(i++, o);
  };
  for (const GemmPath* p : kAutoPaths) add(p, false);
  for (const GemmPath* p : kTestPaths) add(p, true);
  out.Set("paths", paths);
  out.Set("auto", auto_path()->name);
  out.Set("active", state.path->name);
  out.Set("activeElementwise", state.elementwise->name);
  return out;
}

// selectPath(name): "auto" or a compiled path this CPU supports; returns the active path's name.
Napi::Value SelectPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  State& state = *static_cast<State*>(info.Data());
  if (info.Length() != 1 || !info[0].IsString()) {
    Napi::TypeError::New(env, "selectPath: expected one string").ThrowAsJavaScriptException();
    return env.Undefined();
  }
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  std::string known = "auto";
  const GemmPath* chosen = name == "auto" ? auto_path() : nullptr;
  auto consider = [&](const GemmPath* p) {
    known += std::string(", ") + p->name;
    if (!chosen && name == p->name) chosen = p;
  };
  for (const GemmPath* p : kAutoPaths) consider(p);
  for (const GemmPath* p : kTestPaths) consider(p);
  if (!chosen) {
    Napi::Error::New(env, "selectPath: unknown kernel path \"" + name + "\" (compiled: " + known + ")")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  if (!chosen->supported()) {
    Napi::Error::New(env, "selectPath: this CPU cannot run the \"" + name + "\" kernels")
        .ThrowAsJavaScriptException();
    return env.Undefined();
  }
  state.path = chosen;
  state.elementwise = precond::elementwise_path(chosen->name);
  return Napi::String::New(env, chosen->name);
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  State* state = new State();
  state->path = auto_path();
  state->elementwise = precond::elementwise_path(state->path->name);
  env.SetInstanceData(state);  // deleted when this environment (thread) shuts down
  napi_value gemm;
  NAPI_THROW_IF_FAILED(env, napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, state, &gemm), exports);
  exports.Set("gemm", gemm);
  exports.Set("cpuFeatures", Napi::Function::New(env, CpuFeatures, "cpuFeatures", state));
  exports.Set("selectPath", Napi::Function::New(env, SelectPath, "selectPath", state));
  if (!precond::register_elementwise(env, exports, state)) return exports;
  exports.Set("abiVersion", kAbiVersion);
  exports.Set("napiVersion", NAPI_VERSION);
  return exports;
}

}  // namespace

NODE_API_MODULE(precond_native, Init)
