// The baseline path of the elementwise kernels: SSE2 on every x86-64, NEON on arm64.
#define PRECOND_TARGET
#define PRECOND_EW_SYMBOL kElementwiseGeneric
#define PRECOND_EW_NAME "generic"
#define PRECOND_SUPPORTED [] { return true; }
#include "elementwise_kernel.inc"
