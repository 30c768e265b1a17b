// Node-API bindings of the optimizer and model kernels: argument checks (the messages of
// src-main/core/kernels/arg-checks.ts, in the same order), then one call into the CPU path this
// thread uses. Optimizer kernels take their scalars packed into one Float64Array (the loader's
// JavaScript wrapper checks and packs the `s` object; reading ten properties through Node-API
// would cost more than a small step itself), in the order of `scalarLayouts`.
#include <node_api.h>

#include <cstring>
#include <string>

#include "args.h"
#include "elementwise.h"
#include "state.h"

namespace precond {

const ElementwisePath* elementwise_path(const char* name) {
  const ElementwisePath* const all[] = {
#if defined(__x86_64__) || defined(_M_X64)
      &kElementwiseAvx512,
      &kElementwiseAvx2,
#endif
      &kElementwiseGeneric,
  };
  for (const ElementwisePath* p : all)
    if (std::strcmp(p->name, name) == 0) return p;
  return &kElementwiseGeneric;
}

namespace {

State& state_of(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return *static_cast<State*>(data);
}

bool is_null(napi_env env, napi_value v) {
  napi_valuetype t;
  return napi_typeof(env, v, &t) == napi_ok && t == napi_null;
}

bool is_float(const View& v) { return v.type == napi_float32_array || v.type == napi_float64_array; }

// ---------------------------------------------------------------------------------------------
// Optimizer kernels.

struct Slot {
  const char* name;
  bool optional;
};

using StepRunner = void (*)(const ElementwisePath&, bool f32, void* const* buffers, int count, int64_t n,
                            const double* scalars);

struct StepKernel {
  const char* name;
  Slot slots[6];
  int slot_count;
  const char* const* scalars;
  int scalar_count;
  StepRunner run;
};

// buffers = params, grads, the state buffers, effLr (null when absent).
template <class T>
StepBuffers<T> step_buffers(void* const* b, int count, int64_t n) {
  StepBuffers<T> s{n, static_cast<T*>(b[0]), static_cast<const T*>(b[1]), {nullptr, nullptr, nullptr},
                   static_cast<T*>(b[count - 1])};
  for (int i = 2; i < count - 1; ++i) s.state[i - 2] = static_cast<T*>(b[i]);
  return s;
}

#define PRECOND_NAME_OF(name) #name,
#define PRECOND_NAMES(var, LIST, S)                          \
  const char* const var[] = {LIST(PRECOND_NAME_OF)};       \
  static_assert(sizeof(S) == sizeof(var) / sizeof(var[0]) * sizeof(double), "scalars of " #S);
PRECOND_NAMES(kSgdNames, PRECOND_SGD_SCALARS, SgdScalars)
PRECOND_NAMES(kAdagradNames, PRECOND_ADAGRAD_SCALARS, AdagradScalars)
PRECOND_NAMES(kRmspropNames, PRECOND_RMSPROP_SCALARS, RmspropScalars)
PRECOND_NAMES(kAdamNames, PRECOND_ADAM_SCALARS, AdamScalars)
PRECOND_NAMES(kAdamaxNames, PRECOND_ADAMAX_SCALARS, AdamaxScalars)
PRECOND_NAMES(kNadamNames, PRECOND_NADAM_SCALARS, NadamScalars)
PRECOND_NAMES(kRadamNames, PRECOND_RADAM_SCALARS, RadamScalars)
PRECOND_NAMES(kAdadeltaNames, PRECOND_ADADELTA_SCALARS, AdadeltaScalars)
PRECOND_NAMES(kRpropNames, PRECOND_RPROP_SCALARS, RpropScalars)
#undef PRECOND_NAMES
#undef PRECOND_NAME_OF

#define PRECOND_COUNT(a) int(sizeof(a) / sizeof(a[0]))
#define PRECOND_SCALARS(a) a, PRECOND_COUNT(a)
#define PRECOND_STEP_RUNNER(field, S)                                                                 \
  [](const ElementwisePath& p, bool f32, void* const* b, int count, int64_t n, const double* packed) { \
    S s;                                                                                              \
    std::memcpy(&s, packed, sizeof s);                                                                \
    if (f32)                                                                                          \
      p.optim_f32.field(step_buffers<float>(b, count, n), s);                                         \
    else                                                                                              \
      p.optim_f64.field(step_buffers<double>(b, count, n), s);                                        \
  }

const Slot kParams{"params", false}, kGrads{"grads", false}, kEffLr{"effLr", true};

const StepKernel kStepKernels[] = {
    {"sgdStep", {kParams, kGrads, {"momentumBuffer", true}, kEffLr}, 4, PRECOND_SCALARS(kSgdNames),
     PRECOND_STEP_RUNNER(sgd, SgdScalars)},
    {"adagradStep", {kParams, kGrads, {"sum", false}, kEffLr}, 4, PRECOND_SCALARS(kAdagradNames),
     PRECOND_STEP_RUNNER(adagrad, AdagradScalars)},
    {"rmspropStep",
     {kParams, kGrads, {"squareAvg", false}, {"gradAvg", true}, {"momentumBuffer", true}, kEffLr},
     6,
     PRECOND_SCALARS(kRmspropNames),
     PRECOND_STEP_RUNNER(rmsprop, RmspropScalars)},
    {"adamStep",
     {kParams, kGrads, {"expAvg", false}, {"expAvgSq", false}, {"maxExpAvgSq", true}, kEffLr},
     6,
     PRECOND_SCALARS(kAdamNames),
     PRECOND_STEP_RUNNER(adam, AdamScalars)},
    {"adamaxStep", {kParams, kGrads, {"expAvg", false}, {"expInf", false}, kEffLr}, 5,
     PRECOND_SCALARS(kAdamaxNames), PRECOND_STEP_RUNNER(adamax, AdamaxScalars)},
    {"nadamStep", {kParams, kGrads, {"expAvg", false}, {"expAvgSq", false}, kEffLr}, 5,
     PRECOND_SCALARS(kNadamNames), PRECOND_STEP_RUNNER(nadam, NadamScalars)},
    {"radamStep", {kParams, kGrads, {"expAvg", false}, {"expAvgSq", false}, kEffLr}, 5,
     PRECOND_SCALARS(kRadamNames), PRECOND_STEP_RUNNER(radam, RadamScalars)},
    {"adadeltaStep", {kParams, kGrads, {"squareAvg", false}, {"accDelta", false}, kEffLr}, 5,
     PRECOND_SCALARS(kAdadeltaNames), PRECOND_STEP_RUNNER(adadelta, AdadeltaScalars)},
    {"rpropStep", {kParams, kGrads, {"prev", false}, {"stepSize", false}, kEffLr}, 5, PRECOND_SCALARS(kRpropNames),
     PRECOND_STEP_RUNNER(rprop, RpropScalars)},
};
#undef PRECOND_STEP_RUNNER
#undef PRECOND_SCALARS

// <name>(buffers..., packed): the buffers in the kernel's order (arg-checks.ts checkStepBuffers),
// then the Float64Array of its scalars.
napi_value StepCallback(napi_env env, napi_callback_info info) {
  constexpr size_t kMaxArgs = 8;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  void* data = nullptr;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, &data) != napi_ok) return nullptr;
  const StepKernel& k = *static_cast<const StepKernel*>(data);
  const std::string name = k.name;
  const int nb = k.slot_count;
  Failure f(env);
  if (argc != size_t(nb + 1)) {
    f.fail(name + ": expected " + num(nb + 1) + " arguments (the buffers, then the packed scalars), got " +
           num(int64_t(argc)));
    return nullptr;
  }
  View packed;
  if (!typed_array(env, argv[nb], packed) || packed.type != napi_float64_array ||
      packed.length != size_t(k.scalar_count)) {
    f.fail(name + ": the last argument must be a Float64Array of the " + num(k.scalar_count) + " packed scalars");
    return nullptr;
  }
  View v[6];
  bool present[6];
  for (int i = 0; i < nb; ++i) {
    present[i] = true;
    if (typed_array(env, argv[i], v[i]) && is_float(v[i])) continue;
    present[i] = false;
    if (k.slots[i].optional && is_null(env, argv[i])) continue;
    f.fail(name + ": " + k.slots[i].name + " must be " +
           (k.slots[i].optional ? "a Float32Array, a Float64Array or null" : "a Float32Array or Float64Array") +
           " (got " + value_name(env, argv[i]) + ")");
    return nullptr;
  }
  const int64_t n = int64_t(v[0].length);
  for (int i = 1; i < nb; ++i) {
    if (!present[i]) continue;
    if (v[i].type != v[0].type) {
      f.fail(name + ": " + k.slots[i].name + " is a " + v[i].type_name + ", but params is a " + v[0].type_name +
             " (every buffer has one dtype)");
      return nullptr;
    }
    if (int64_t(v[i].length) != n) {
      f.fail(name + ": " + k.slots[i].name + " has " + num(int64_t(v[i].length)) + " elements, but params has " + num(n));
      return nullptr;
    }
  }
  const size_t elem = v[0].element_size();
  for (int i = 0; i < nb; ++i)
    for (int j = i + 1; j < nb; ++j)
      if (present[i] && present[j] && overlaps(v[i].data, n, elem, v[j].data, n, elem)) {
        f.fail(name + ": " + k.slots[i].name + " overlaps " + k.slots[j].name + " in memory");
        return nullptr;
      }
  void* buffers[6];
  for (int i = 0; i < nb; ++i) buffers[i] = present[i] ? v[i].data : nullptr;
  k.run(*state_of(env).elementwise, v[0].type == napi_float32_array, buffers, nb, n,
        static_cast<const double*>(packed.data));
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// Model kernels (MODEL_ARGS of arg-checks.ts).

enum class Kind { kSize, kActivation, kNumber, kFloat, kLabels };
enum class LabelRule { kNone, kClassIndex, kBinary };

struct ModelArg {
  Kind kind;
  const char* name;
  int need[2];  // indices of the size arguments whose product is the needed length (−1: none)
  bool writes;
  const char* may_be;  // the input this output may be exactly (nullptr: none)
};

struct Parsed {
  int64_t size[6];  // sizes and the activation code
  double number[6];
  View view[6];
  int64_t need[6];
  bool f32;
};

using ModelRunner = napi_value (*)(napi_env, const ElementwisePath&, const Parsed&);

struct ModelKernel {
  const char* name;
  ModelArg args[6];
  int count;
  LabelRule labels;
  ModelRunner run;
};

template <class T>
const T* in(const Parsed& a, int i) {
  return static_cast<const T*>(a.view[i].data);
}
template <class T>
T* out(const Parsed& a, int i) {
  return static_cast<T*>(a.view[i].data);
}
const int32_t* labels_of(const Parsed& a, int i) { return static_cast<const int32_t*>(a.view[i].data); }

napi_value number_value(napi_env env, double x) {
  napi_value v = nullptr;
  napi_create_double(env, x, &v);
  return v;
}

template <class T>
napi_value add_row_vector(napi_env, const ModelTable<T>& t, const Parsed& a) {
  t.add_row_vector(a.size[0], a.size[1], in<T>(a, 2), out<T>(a, 3));
  return nullptr;
}
template <class T>
napi_value column_sums(napi_env, const ModelTable<T>& t, const Parsed& a) {
  t.column_sums(a.size[0], a.size[1], in<T>(a, 2), out<T>(a, 3));
  return nullptr;
}
template <class T>
napi_value activation_forward(napi_env, const ModelTable<T>& t, const Parsed& a) {
  t.activation_forward(int(a.size[0]), a.size[1], in<T>(a, 2), out<T>(a, 3));
  return nullptr;
}
template <class T>
napi_value activation_backward(napi_env, const ModelTable<T>& t, const Parsed& a) {
  t.activation_backward(int(a.size[0]), a.size[1], in<T>(a, 2), in<T>(a, 3), in<T>(a, 4), out<T>(a, 5));
  return nullptr;
}
template <class T>
napi_value softmax_cross_entropy(napi_env env, const ModelTable<T>& t, const Parsed& a) {
  return number_value(env, t.softmax_cross_entropy(a.size[0], a.size[1], in<T>(a, 2), labels_of(a, 3), a.number[4],
                                                   out<T>(a, 5)));
}
template <class T>
napi_value sigmoid_cross_entropy(napi_env env, const ModelTable<T>& t, const Parsed& a) {
  return number_value(env, t.sigmoid_cross_entropy(a.size[0], in<T>(a, 1), labels_of(a, 2), a.number[3], out<T>(a, 4)));
}
template <class T>
napi_value squared_error(napi_env env, const ModelTable<T>& t, const Parsed& a) {
  return number_value(env, t.squared_error(a.size[0], in<T>(a, 1), in<T>(a, 2), a.number[3], out<T>(a, 4)));
}

#define PRECOND_MODEL_RUNNER(fn)                                                             \
  [](napi_env env, const ElementwisePath& p, const Parsed& a) {                              \
    return a.f32 ? fn<float>(env, p.model_f32, a) : fn<double>(env, p.model_f64, a);         \
  }

constexpr int kNone = -1;
constexpr ModelArg size_arg(const char* name) { return {Kind::kSize, name, {kNone, kNone}, false, nullptr}; }
constexpr ModelArg float_arg(const char* name, int n0, int n1 = kNone, bool writes = false,
                             const char* may_be = nullptr) {
  return {Kind::kFloat, name, {n0, n1}, writes, may_be};
}
constexpr ModelArg kActivationArg{Kind::kActivation, "activation", {kNone, kNone}, false, nullptr};
constexpr ModelArg kScaleArg{Kind::kNumber, "scale", {kNone, kNone}, false, nullptr};

const ModelKernel kModelKernels[] = {
    {"addRowVector",
     {size_arg("n"), size_arg("m"), float_arg("v", 1), float_arg("x", 0, 1, true)},
     4,
     LabelRule::kNone,
     PRECOND_MODEL_RUNNER(add_row_vector)},
    {"columnSums",
     {size_arg("n"), size_arg("m"), float_arg("x", 0, 1), float_arg("out", 1, kNone, true)},
     4,
     LabelRule::kNone,
     PRECOND_MODEL_RUNNER(column_sums)},
    {"activationForward",
     {kActivationArg, size_arg("len"), float_arg("z", 1), float_arg("h", 1, kNone, true, "z")},
     4,
     LabelRule::kNone,
     PRECOND_MODEL_RUNNER(activation_forward)},
    {"activationBackward",
     {kActivationArg, size_arg("len"), float_arg("z", 1), float_arg("h", 1), float_arg("dh", 1),
      float_arg("dz", 1, kNone, true, "dh")},
     6,
     LabelRule::kNone,
     PRECOND_MODEL_RUNNER(activation_backward)},
    {"softmaxCrossEntropy",
     {size_arg("n"), size_arg("k"), float_arg("logits", 0, 1), {Kind::kLabels, "labels", {0, kNone}, false, nullptr},
      kScaleArg, float_arg("grad", 0, 1, true, "logits")},
     6,
     LabelRule::kClassIndex,
     PRECOND_MODEL_RUNNER(softmax_cross_entropy)},
    {"sigmoidCrossEntropy",
     {size_arg("n"), float_arg("logits", 0), {Kind::kLabels, "labels", {0, kNone}, false, nullptr}, kScaleArg,
      float_arg("grad", 0, kNone, true, "logits")},
     5,
     LabelRule::kBinary,
     PRECOND_MODEL_RUNNER(sigmoid_cross_entropy)},
    {"squaredError",
     {size_arg("len"), float_arg("pred", 0), float_arg("target", 0), kScaleArg,
      float_arg("grad", 0, kNone, true, "pred")},
     5,
     LabelRule::kNone,
     PRECOND_MODEL_RUNNER(squared_error)},
};
#undef PRECOND_MODEL_RUNNER

std::string describe(napi_env env, napi_value v) { return describe_number(env, v, value_name); }

bool is_buffer(Kind k) { return k == Kind::kFloat || k == Kind::kLabels; }

napi_value ModelCallback(napi_env env, napi_callback_info info) {
  constexpr size_t kMaxArgs = 6;
  size_t argc = kMaxArgs;
  napi_value argv[kMaxArgs];
  void* data = nullptr;
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, &data) != napi_ok) return nullptr;
  const ModelKernel& k = *static_cast<const ModelKernel*>(data);
  const std::string name = k.name;
  Failure f(env);
  // Missing arguments read as undefined (Node-API fills argv so) and fail their check, as in JS.
  Parsed a{};
  int first = -1;  // the first float buffer: the dtype of the call
  for (int i = 0; i < k.count; ++i) {
    const ModelArg& spec = k.args[i];
    double d = 0;
    switch (spec.kind) {
      case Kind::kSize:
        if (napi_get_value_double(env, argv[i], &d) != napi_ok || !(d >= 0 && d < 2147483648.0) ||
            d != double(int64_t(d))) {
          f.fail(name + ": " + spec.name + " must be an integer in [0, 2^31) (got " + describe(env, argv[i]) + ")");
          return nullptr;
        }
        a.size[i] = int64_t(d);
        break;
      case Kind::kActivation:
        if (napi_get_value_double(env, argv[i], &d) != napi_ok || !(d == 0 || d == 1 || d == 2 || d == 3)) {
          f.fail(name + ": unknown activation code " + describe(env, argv[i]) + " (0 relu, 1 tanh, 2 sigmoid, 3 gelu)");
          return nullptr;
        }
        a.size[i] = int64_t(d);
        break;
      case Kind::kNumber:
        if (napi_get_value_double(env, argv[i], &a.number[i]) != napi_ok) {
          f.fail(name + ": " + spec.name + " must be a number (got " + value_name(env, argv[i]) + ")");
          return nullptr;
        }
        break;
      case Kind::kLabels:
        if (!typed_array(env, argv[i], a.view[i]) || a.view[i].type != napi_int32_array) {
          f.fail(name + ": " + spec.name + " must be an Int32Array (got " + value_name(env, argv[i]) + ")");
          return nullptr;
        }
        break;
      case Kind::kFloat:
        if (!typed_array(env, argv[i], a.view[i]) || !is_float(a.view[i])) {
          f.fail(name + ": " + spec.name + " must be a Float32Array or Float64Array (got " + value_name(env, argv[i]) +
                 ")");
          return nullptr;
        }
        if (first < 0) {
          first = i;
        } else if (a.view[i].type != a.view[first].type) {
          f.fail(name + ": " + spec.name + " is a " + a.view[i].type_name + ", but " + k.args[first].name + " is a " +
                 a.view[first].type_name + " (every buffer has one dtype)");
          return nullptr;
        }
        break;
    }
  }
  a.f32 = a.view[first].type == napi_float32_array;
  for (int i = 0; i < k.count; ++i) {
    const ModelArg& spec = k.args[i];
    if (!is_buffer(spec.kind)) continue;
    a.need[i] = 1;
    std::string formula;
    for (int s : spec.need)
      if (s != kNone) {
        a.need[i] *= a.size[s];
        formula += (formula.empty() ? "" : "·") + std::string(k.args[s].name);
      }
    if (int64_t(a.view[i].length) < a.need[i]) {
      f.fail(name + ": " + spec.name + " has " + num(int64_t(a.view[i].length)) + " elements, but " + formula + " = " +
             num(a.need[i]) + " are needed");
      return nullptr;
    }
  }
  for (int i = 0; i < k.count; ++i) {
    const ModelArg& w = k.args[i];
    if (w.kind != Kind::kFloat || !w.writes) continue;
    for (int j = 0; j < k.count; ++j) {
      const ModelArg& other = k.args[j];
      if (j == i || !is_buffer(other.kind)) continue;
      if (!overlaps(a.view[i].data, a.need[i], a.view[i].element_size(), a.view[j].data, a.need[j],
                    a.view[j].element_size()))
        continue;
      if (!w.may_be || std::strcmp(w.may_be, other.name) != 0) {
        f.fail(name + ": " + w.name + " overlaps " + other.name + " in memory");
        return nullptr;
      }
      if (a.view[i].data != a.view[j].data) {
        f.fail(name + ": " + w.name + " overlaps " + other.name + " in memory (" + w.name + " may be " + other.name +
               " itself, not a shifted view of it)");
        return nullptr;
      }
    }
  }
  if (k.labels != LabelRule::kNone) {
    int at = 0;
    while (k.args[at].kind != Kind::kLabels) ++at;
    const int32_t* labels = labels_of(a, at);
    const int64_t n = a.size[0];
    if (k.labels == LabelRule::kClassIndex) {
      const int64_t classes = a.size[1];
      for (int64_t i = 0; i < n; ++i)
        if (!(labels[i] >= 0 && labels[i] < classes)) {
          f.fail(name + ": labels[" + num(i) + "] = " + num(labels[i]) + " is not a class index in [0, " + num(classes) +
                 ")");
          return nullptr;
        }
    } else {
      for (int64_t i = 0; i < n; ++i)
        if (labels[i] != 0 && labels[i] != 1) {
          f.fail(name + ": labels[" + num(i) + "] = " + num(labels[i]) + " is not 0 or 1");
          return nullptr;
        }
    }
  }
  return k.run(env, *state_of(env).elementwise, a);
}

bool set_function(napi_env env, napi_value exports, const char* name, napi_callback cb, const void* data) {
  napi_value fn;
  return napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, const_cast<void*>(data), &fn) == napi_ok &&
         napi_set_named_property(env, exports, name, fn) == napi_ok;
}

}  // namespace

bool register_elementwise(napi_env env, napi_value exports, State*) {
  napi_value layouts;
  if (napi_create_object(env, &layouts) != napi_ok) return false;
  for (const StepKernel& k : kStepKernels) {
    if (!set_function(env, exports, k.name, StepCallback, &k)) return false;
    napi_value names;
    if (napi_create_array_with_length(env, k.scalar_count, &names) != napi_ok) return false;
    for (int i = 0; i < k.scalar_count; ++i) {
      napi_value s;
      if (napi_create_string_utf8(env, k.scalars[i], NAPI_AUTO_LENGTH, &s) != napi_ok ||
          napi_set_element(env, names, i, s) != napi_ok)
        return false;
    }
    if (napi_set_named_property(env, layouts, k.name, names) != napi_ok) return false;
  }
  for (const ModelKernel& k : kModelKernels)
    if (!set_function(env, exports, k.name, ModelCallback, &k)) return false;
  return napi_set_named_property(env, exports, "scalarLayouts", layouts) == napi_ok;
}

}  // namespace precond
