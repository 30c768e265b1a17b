// The error function to full double precision, from W. J. Cody's rational Chebyshev
// approximations ("Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631–637; the CALERF routine of Netlib SPECFUN): relative error below 1e-16 on each of
// three intervals, |x| ≤ 0.46875, 0.46875 < |x| ≤ 4 and |x| > 4. erfc is computed directly in
// the tails, so 1 − erf never cancels (needed by exact GELU for large negative inputs).

/* eslint-disable no-loss-of-precision -- Cody's coefficients as published (18 digits); each literal rounds to the nearest double */
// erf(x) ≈ x·P(x²)/Q(x²) for |x| ≤ 0.46875
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153];
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062];
// erfc(x) ≈ exp(−x²)·P(x)/Q(x) for 0.46875 < x ≤ 4
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
];
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
];
// erfc(x) ≈ exp(−x²)/x·(1/√π + R(1/x²)/x²) for x > 4
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978];
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185];

/* eslint-enable no-loss-of-precision */

const THRESHOLD = 0.46875;
const ONE_OVER_SQRT_PI = 0.5641895835477563; // 1/√π
/** Beyond this erfc(x) is below the smallest normal double (Cody's XBIG): 0 is returned. */
const X_BIG = 26.543;

/** erf(x)/x for |x| ≤ 0.46875, as a rational function of x². */
function erfOverXSmall(y: number): number {
  const z = y * y;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + A[i]) * z;
    den = (den + B[i]) * z;
  }
  return (num + A[3]) / (den + B[3]);
}

/** erfc(y)·e^(y²) for 0.46875 < y < X_BIG: the smooth rational part of erfc (NaN for NaN). */
function erfcScaled(y: number): number {
  if (y <= 4) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + P[i]) * z;
    den = (den + Q[i]) * z;
  }
  return (ONE_OVER_SQRT_PI - (z * (num + P[4])) / (den + Q[4])) / y;
}

/**
 * e^(−y²/2) without the rounding error of y²: y = t + d with t = y truncated to 1/16 (t² is
 * exact), so y² = t² + d·(y + t) and e^(−y²/2) = e^(−t²/2)·e^(−d·(y + t)/2).
 */
function expHalfSquareNeg(y: number): number {
  const t = Math.trunc(y * 16) / 16;
  const d = y - t;
  return Math.exp(-0.5 * t * t) * Math.exp(-0.5 * d * (y + t));
}

/** erfc(y) for y > 0.46875 (NaN for NaN). */
function erfcLarge(y: number): number {
  if (y >= X_BIG) return 0;
  // e^(−y²) = e^(−t²)·e^(−(y − t)(y + t)) with t = y truncated to 1/16: t² is exact
  const t = Math.trunc(y * 16) / 16;
  const del = (y - t) * (y + t);
  return Math.exp(-t * t) * Math.exp(-del) * erfcScaled(y);
}

/** The error function erf(x) = 2/√π ∫₀ˣ exp(−t²) dt. */
export function erf(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return x * erfOverXSmall(y);
  const r = erfcLarge(y);
  const e = 0.5 - r + 0.5; // Cody's (½ − r) + ½
  return x < 0 ? -e : e;
}

/** The complementary error function erfc(x) = 1 − erf(x), accurate where it is tiny. */
export function erfc(x: number): number {
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 1 - x * erfOverXSmall(y);
  const r = erfcLarge(y);
  return x < 0 ? 2 - r : r;
}

const INV_SQRT_2PI = 0.3989422804014327; // 1/√(2π)

/** The standard normal density φ(z) = e^(−z²/2)/√(2π), accurate in the tails. */
export function normalPdf(z: number): number {
  const y = Math.abs(z);
  return y === Infinity ? 0 : INV_SQRT_2PI * expHalfSquareNeg(y);
}

/**
 * The standard normal CDF Φ(z) = ½·erfc(−z/√2). In the tails erfc's exponential factor is
 * computed from z itself (e^(−z²/2), not e^(−x²) of the rounded x = −z/√2), so Φ(z) keeps full
 * relative precision far out (rounding x would cost ≈ z² ulps).
 */
export function normalCdf(z: number): number {
  const x = -z * Math.SQRT1_2;
  const y = Math.abs(x);
  if (y <= THRESHOLD) return 0.5 * (1 - x * erfOverXSmall(y));
  if (!(y < X_BIG)) return y === y ? (z > 0 ? 1 : 0) : NaN;
  const half = 0.5 * expHalfSquareNeg(Math.abs(z)) * erfcScaled(y); // ½·erfc(|x|)
  return z < 0 ? half : 1 - half;
}
