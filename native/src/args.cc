#include "args.h"

namespace precond {

const char* typeof_name(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return "unknown";
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "object";
    case napi_boolean: return "boolean";
    case napi_number: return "number";
    case napi_string: return "string";
    case napi_symbol: return "symbol";
    case napi_function: return "function";
    case napi_bigint: return "bigint";
    default: return "object";
  }
}

const char* typed_array_name(napi_typedarray_type t) {
  switch (t) {
    case napi_int8_array: return "Int8Array";
    case napi_uint8_array: return "Uint8Array";
    case napi_uint8_clamped_array: return "Uint8ClampedArray";
    case napi_int16_array: return "Int16Array";
    case napi_uint16_array: return "Uint16Array";
    case napi_int32_array: return "Int32Array";
    case napi_uint32_array: return "Uint32Array";
    case napi_float32_array: return "Float32Array";
    case napi_float64_array: return "Float64Array";
    case napi_bigint64_array: return "BigInt64Array";
    case napi_biguint64_array: return "BigUint64Array";
    default: return "TypedArray";
  }
}

bool typed_array(napi_env env, napi_value v, View& out) {
  // napi_get_typedarray_info fails (napi_invalid_arg, no exception) on anything else.
  if (napi_get_typedarray_info(env, v, &out.type, &out.length, &out.data, nullptr, nullptr) != napi_ok) return false;
  out.type_name = typed_array_name(out.type);
  return true;
}

std::string value_name(napi_env env, napi_value v) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) == napi_ok && t == napi_null) return "null";
  View view;
  if (typed_array(env, v, view)) return view.type_name;
  bool is_view = false;
  napi_is_dataview(env, v, &is_view);
  return is_view ? "DataView" : typeof_name(env, v);
}

std::string describe_number(napi_env env, napi_value v, std::string (*other)(napi_env, napi_value)) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) == napi_ok && t == napi_number) {
    napi_value s;
    char buf[64];
    size_t len = 0;
    if (napi_coerce_to_string(env, v, &s) == napi_ok &&
        napi_get_value_string_utf8(env, s, buf, sizeof buf, &len) == napi_ok)
      return std::string(buf, len);
  }
  return other(env, v);
}

bool overlaps(const void* x, int64_t n, size_t x_elem, const void* y, int64_t m, size_t y_elem) {
  if (n == 0 || m == 0) return false;
  const uintptr_t a0 = reinterpret_cast<uintptr_t>(x), a1 = a0 + n * x_elem;
  const uintptr_t b0 = reinterpret_cast<uintptr_t>(y), b1 = b0 + m * y_elem;
  return a0 < b1 && b0 < a1;
}

}  // namespace precond
