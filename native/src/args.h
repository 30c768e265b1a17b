// Helpers for reading and checking Node-API arguments, shared by the gemm and elementwise
// bindings. Messages follow src-main/core/kernels/check.ts and arg-checks.ts word for word.
#pragma once

#include <node_api.h>

#include <cstdint>
#include <string>

namespace precond {

// JavaScript's `typeof` of a value ("object" for null), as check.ts reports it for gemm.
const char* typeof_name(napi_env env, napi_value v);

// "Float32Array", "Int8Array", …, "DataView", "null", or typeof: arg-checks.ts's valueName.
std::string value_name(napi_env env, napi_value v);

// String(v) for a number (JavaScript's own formatting), else `other(v)`.
std::string describe_number(napi_env env, napi_value v, std::string (*other)(napi_env, napi_value));

const char* typed_array_name(napi_typedarray_type t);

inline std::string num(int64_t v) { return std::to_string(v); }

// A typed array's element type, data and length (data null for an absent optional buffer).
struct View {
  napi_typedarray_type type = napi_float64_array;
  void* data = nullptr;
  size_t length = 0;
  const char* type_name = "";
  size_t element_size() const { return type == napi_float32_array || type == napi_int32_array ? 4 : 8; }
};

// Is `v` a typed array? Fills `out` if so.
bool typed_array(napi_env env, napi_value v, View& out);

// Do the first n elements of x and the first m of y share memory?
bool overlaps(const void* x, int64_t n, size_t x_elem, const void* y, int64_t m, size_t y_elem);

// Throws a TypeError once; later failures of the same call are ignored.
class Failure {
 public:
  explicit Failure(napi_env env) : env_(env) {}
  bool failed() const { return failed_; }
  void fail(const std::string& message) {
    if (failed_) return;
    failed_ = true;
    napi_throw_type_error(env_, nullptr, message.c_str());
  }

 private:
  napi_env env_;
  bool failed_ = false;
};

}  // namespace precond
