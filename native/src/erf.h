// The error function and the normal CDF/PDF of src-main/core/kernels/erf.ts, operation for
// operation (W. J. Cody's rational Chebyshev approximations, Netlib SPECFUN CALERF): only exp
// comes from the C library here, so native and TypeScript agree to an ulp or two of exp.
// Header-only and inline, so each CPU path's copy of the activation loops inlines its own.
#pragma once

#include <cmath>

namespace precond {
namespace erf_detail {

// erf(x) ≈ x·P(x²)/Q(x²) for |x| ≤ 0.46875
constexpr double A[] = {3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947,
                        0.185777706184603153};
constexpr double B[] = {23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062};
// erfc(x) ≈ exp(−x²)·P(x)/Q(x) for 0.46875 < x ≤ 4
constexpr double C[] = {0.564188496988670089, 8.88314979438837594, 66.1191906371416295,
                        298.635138197400131,  881.95222124176909,  1712.04761263407058,
                        2051.07837782607147,  1230.33935479799725, 2.15311535474403846e-8};
constexpr double D[] = {15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019,
                        3290.79923573345963, 4362.61909014324716, 3439.36767414372164, 1230.33935480374942};
// erfc(x) ≈ exp(−x²)/x·(1/√π + R(1/x²)/x²) for x > 4
constexpr double P[] = {0.305326634961232344, 0.360344899949804439, 0.125781726111229246,
                        0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978};
constexpr double Q[] = {2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191,
                        0.00233520497626869185};

constexpr double kThreshold = 0.46875;
constexpr double kOneOverSqrtPi = 0.5641895835477563;  // 1/√π
constexpr double kXBig = 26.543;  // beyond, erfc(x) is below the smallest normal double
constexpr double kInvSqrt2Pi = 0.3989422804014327;  // 1/√(2π)
constexpr double kSqrt1_2 = 0.7071067811865476;     // JavaScript's Math.SQRT1_2

// erf(y)/y for |y| ≤ 0.46875, as a rational function of y².
inline double erf_over_x_small(double y) {
  const double z = y * y;
  double num = A[4] * z, den = z;
  for (int i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (num + A[3]) / (den + B[3]);
}

// erfc(y)·e^(y²) for 0.46875 < y < kXBig.
inline double erfc_scaled(double y) {
  if (y <= 4) {
    double num = C[8] * y, den = y;
    for (int i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const double z = 1 / (y * y);
  double num = P[5] * z, den = z;
  for (int i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  return (kOneOverSqrtPi - (z * (num + P[4])) / (den + Q[4])) / y;
}

// e^(−y²/2) = e^(−t²/2)·e^(−d·(y + t)/2), y = t + d, t = y truncated to 1/16 (t² exact).
inline double exp_half_square_neg(double y) {
  const double t = std::trunc(y * 16) / 16;
  const double d = y - t;
  return std::exp(-0.5 * t * t) * std::exp(-0.5 * d * (y + t));
}

}  // namespace erf_detail

// φ(z) = e^(−z²/2)/√(2π), accurate in the tails.
inline double normal_pdf(double z) {
  const double y = std::fabs(z);
  return y == INFINITY ? 0 : erf_detail::kInvSqrt2Pi * erf_detail::exp_half_square_neg(y);
}

// Φ(z) = ½·erfc(−z/√2), with the tails' exponential computed from z itself.
inline double normal_cdf(double z) {
  using namespace erf_detail;
  const double x = -z * kSqrt1_2;
  const double y = std::fabs(x);
  if (y <= kThreshold) return 0.5 * (1 - x * erf_over_x_small(y));
  if (!(y < kXBig)) return y == y ? (z > 0 ? 1 : 0) : NAN;
  const double half = 0.5 * exp_half_square_neg(std::fabs(z)) * erfc_scaled(y);  // ½·erfc(|x|)
  return z < 0 ? half : 1 - half;
}

}  // namespace precond
