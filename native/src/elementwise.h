// The elementwise kernels: fused optimizer steps and the models' activation/loss loops (the
// contracts of src-main/core/kernels/types.ts; formulas mirrored from optim-ts.ts and
// model-ts.ts operation by operation, in float64 per element like the TypeScript reference, so
// both give the same bits wherever the math library is not involved). One source,
// elementwise_kernel.inc, is compiled once per CPU path; an ElementwisePath names one copy.
#pragma once

#include <cstddef>
#include <cstdint>

namespace precond {

// ---------------------------------------------------------------------------------------------
// Optimizer scalars: per kernel, the float64 values JavaScript packs into one Float64Array, in
// this order (exported to JS as `scalarLayouts`; the loader checks them against
// src-main/core/kernels/step-layout.ts). Each X-list also declares the struct the kernel reads.

#define PRECOND_BASE_SCALARS(X) X(maximize) X(l2) X(decay)
#define PRECOND_SGD_SCALARS(X) PRECOND_BASE_SCALARS(X) X(lr) X(momentum) X(dampening) X(nesterov) X(first)
#define PRECOND_ADAGRAD_SCALARS(X) PRECOND_BASE_SCALARS(X) X(clr) X(eps) X(epsInside) X(zeroGuard)
#define PRECOND_RMSPROP_SCALARS(X) PRECOND_BASE_SCALARS(X) X(lr) X(alpha) X(eps) X(epsInside) X(momentum)
#define PRECOND_ADAM_SCALARS(X) \
  PRECOND_BASE_SCALARS(X) X(lr) X(beta1) X(beta2) X(stepSize) X(bc2Sqrt) X(eps) X(amsgrad)
#define PRECOND_ADAMAX_SCALARS(X) PRECOND_BASE_SCALARS(X) X(lr) X(beta1) X(beta2) X(stepSize) X(eps) X(epsInside)
#define PRECOND_NADAM_SCALARS(X) \
  PRECOND_BASE_SCALARS(X) X(lr) X(beta1) X(beta2) X(bc2) X(eps) X(coefGrad) X(coefAvg)
#define PRECOND_RADAM_SCALARS(X) \
  PRECOND_BASE_SCALARS(X) X(lr) X(beta1) X(beta2) X(rectified) X(rect) X(stepSize) X(bc2Sqrt) X(eps)
#define PRECOND_ADADELTA_SCALARS(X) PRECOND_BASE_SCALARS(X) X(lr) X(rho) X(eps)
#define PRECOND_RPROP_SCALARS(X) PRECOND_BASE_SCALARS(X) X(etaMinus) X(etaPlus) X(stepMin) X(stepMax)

#define PRECOND_SCALAR_FIELD(name) double name;
struct SgdScalars { PRECOND_SGD_SCALARS(PRECOND_SCALAR_FIELD) };
struct AdagradScalars { PRECOND_ADAGRAD_SCALARS(PRECOND_SCALAR_FIELD) };
struct RmspropScalars { PRECOND_RMSPROP_SCALARS(PRECOND_SCALAR_FIELD) };
struct AdamScalars { PRECOND_ADAM_SCALARS(PRECOND_SCALAR_FIELD) };
struct AdamaxScalars { PRECOND_ADAMAX_SCALARS(PRECOND_SCALAR_FIELD) };
struct NadamScalars { PRECOND_NADAM_SCALARS(PRECOND_SCALAR_FIELD) };
struct RadamScalars { PRECOND_RADAM_SCALARS(PRECOND_SCALAR_FIELD) };
struct AdadeltaScalars { PRECOND_ADADELTA_SCALARS(PRECOND_SCALAR_FIELD) };
struct RpropScalars { PRECOND_RPROP_SCALARS(PRECOND_SCALAR_FIELD) };
#undef PRECOND_SCALAR_FIELD

// The buffers of one step, all of length n, pairwise disjoint (the binding checks). The state
// slots are the kernel's state buffers in its argument order (e.g. Adam: m, v, vmax; SGD: the
// momentum buffer); an absent optional buffer is null.
template <class T>
struct StepBuffers {
  int64_t n;
  T* p;
  const T* g;
  T* state[3];
  T* eff;
};

template <class T>
struct OptimizerTable {
  void (*sgd)(const StepBuffers<T>&, const SgdScalars&);
  void (*adagrad)(const StepBuffers<T>&, const AdagradScalars&);
  void (*rmsprop)(const StepBuffers<T>&, const RmspropScalars&);
  void (*adam)(const StepBuffers<T>&, const AdamScalars&);
  void (*adamax)(const StepBuffers<T>&, const AdamaxScalars&);
  void (*nadam)(const StepBuffers<T>&, const NadamScalars&);
  void (*radam)(const StepBuffers<T>&, const RadamScalars&);
  void (*adadelta)(const StepBuffers<T>&, const AdadeltaScalars&);
  void (*rprop)(const StepBuffers<T>&, const RpropScalars&);
};

// ---------------------------------------------------------------------------------------------
// Model kernels (ModelKernels of types.ts). Outputs may equal (never partly overlap) the inputs
// the contract allows; every other pair of buffers is disjoint (the binding checks).

enum Activation : int { kRelu = 0, kTanh = 1, kSigmoid = 2, kGelu = 3 };

template <class T>
struct ModelTable {
  void (*add_row_vector)(int64_t n, int64_t m, const T* v, T* x);
  void (*column_sums)(int64_t n, int64_t m, const T* x, T* out);
  void (*activation_forward)(int activation, int64_t len, const T* z, T* h);
  void (*activation_backward)(int activation, int64_t len, const T* z, const T* h, const T* dh, T* dz);
  double (*softmax_cross_entropy)(int64_t n, int64_t k, const T* logits, const int32_t* labels, double scale,
                                  T* grad);
  double (*sigmoid_cross_entropy)(int64_t n, const T* logits, const int32_t* labels, double scale, T* grad);
  double (*squared_error)(int64_t len, const T* pred, const T* target, double scale, T* grad);
};

struct ElementwisePath {
  const char* name;     // "avx512f", "avx2", "generic"
  bool (*supported)();  // can this CPU run it?
  OptimizerTable<float> optim_f32;
  OptimizerTable<double> optim_f64;
  ModelTable<float> model_f32;
  ModelTable<double> model_f64;
};

extern const ElementwisePath kElementwiseGeneric;
#if defined(__x86_64__) || defined(_M_X64)
extern const ElementwisePath kElementwiseAvx2;
extern const ElementwisePath kElementwiseAvx512;
#endif

}  // namespace precond
