// Argument checks of gemm, shared by every kernel set: the native addon (native/src/addon.cc)
// throws the same TypeErrors word for word, so one test suite covers both. A bad call fails
// loudly instead of reading past an array (TS would read undefined and compute NaN; C++ would
// read foreign memory).

const MAX_SIZE = 2 ** 31;

function checkBoolean(v: unknown, name: string): void {
  if (typeof v !== 'boolean') throw new TypeError(`gemm: ${name} must be a boolean (got ${typeof v})`);
}

function checkSize(v: unknown, name: string): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= MAX_SIZE)
    throw new TypeError(`gemm: ${name} must be an integer in [0, 2^31) (got ${typeof v === 'number' ? String(v) : typeof v})`);
}

function checkNumber(v: unknown, name: string): void {
  if (typeof v !== 'number') throw new TypeError(`gemm: ${name} must be a number (got ${typeof v})`);
}

/** "Float32Array", "Int8Array", "DataView", or typeof for anything that is not a view. */
function viewName(v: unknown): string {
  if (!ArrayBuffer.isView(v)) return typeof v;
  if (v instanceof DataView) return 'DataView';
  // The base type's tag, as the addon reports it (a Buffer is a Uint8Array).
  return (v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
}

function checkMatrix(v: unknown, name: string): void {
  if (!(v instanceof Float32Array || v instanceof Float64Array))
    throw new TypeError(`gemm: ${name} must be a Float32Array or Float64Array (got ${viewName(v)})`);
}

/** Elements a row-major rows×cols matrix with row stride ld spans: (rows − 1)·ld + cols (0 if empty). */
function span(rows: number, cols: number, ld: number): number {
  return rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
}

function checkOperand(array: string, matrix: string, ldName: string, trans: string, rows: number, cols: number, ld: number, length: number): void {
  if (ld < cols) throw new TypeError(`gemm: ${ldName} = ${ld} is less than the ${cols} columns of ${matrix} as stored${trans}`);
  const need = span(rows, cols, ld);
  if (length < need)
    throw new TypeError(`gemm: ${array} has ${length} elements, but ${matrix} as stored (${rows}×${cols}, ${ldName} = ${ld}) needs ${need}`);
}

/** Do elements [0, n) of x and [0, m) of y share memory? */
function overlaps(x: ArrayBufferView, n: number, y: ArrayBufferView, m: number, bytesPerElement: number): boolean {
  if (n === 0 || m === 0 || x.buffer !== y.buffer) return false;
  const x0 = x.byteOffset, x1 = x0 + n * bytesPerElement;
  const y0 = y.byteOffset, y1 = y0 + m * bytesPerElement;
  return x0 < y1 && y0 < x1;
}

/**
 * Throws a TypeError naming the argument unless the call is a well-formed gemm (the contract of
 * MatrixKernels.gemm): booleans, sizes and strides integers in [0, 2^31), alpha and beta numbers,
 * a, b, c Float32Arrays or Float64Arrays of one dtype, each ld at least its stored matrix's
 * column count, each array long enough for its matrix, and C sharing no element with A or B.
 */
export function checkGemmArgs(
  transA: unknown, transB: unknown, m: unknown, n: unknown, k: unknown, alpha: unknown,
  a: unknown, lda: unknown, b: unknown, ldb: unknown, beta: unknown, c: unknown, ldc: unknown,
): void {
  checkBoolean(transA, 'transA');
  checkBoolean(transB, 'transB');
  checkSize(m, 'm');
  checkSize(n, 'n');
  checkSize(k, 'k');
  checkNumber(alpha, 'alpha');
  checkMatrix(a, 'a');
  checkSize(lda, 'lda');
  checkMatrix(b, 'b');
  checkSize(ldb, 'ldb');
  checkNumber(beta, 'beta');
  checkMatrix(c, 'c');
  checkSize(ldc, 'ldc');
  // The checks above narrowed every argument; restate the types for the arithmetic below.
  const [M, N, K, LDA, LDB, LDC] = [m, n, k, lda, ldb, ldc] as number[];
  const [A, B, C] = [a, b, c] as (Float32Array | Float64Array)[];
  if (viewName(A) !== viewName(B) || viewName(A) !== viewName(C))
    throw new TypeError(`gemm: a, b and c must have the same dtype (got ${viewName(A)}, ${viewName(B)}, ${viewName(C)})`);
  // As stored, A is (transA ? k×m : m×k) and B is (transB ? n×k : k×n).
  const rowsA = transA ? K : M, colsA = transA ? M : K;
  const rowsB = transB ? N : K, colsB = transB ? K : N;
  checkOperand('a', 'A', 'lda', transA ? ' (transA)' : '', rowsA, colsA, LDA, A.length);
  checkOperand('b', 'B', 'ldb', transB ? ' (transB)' : '', rowsB, colsB, LDB, B.length);
  checkOperand('c', 'C', 'ldc', '', M, N, LDC, C.length);
  const spanC = span(M, N, LDC), size = C.BYTES_PER_ELEMENT;
  if (overlaps(C, spanC, A, span(rowsA, colsA, LDA), size))
    throw new TypeError('gemm: c overlaps a in memory; C must not share elements with A or B');
  if (overlaps(C, spanC, B, span(rowsB, colsB, LDB), size))
    throw new TypeError('gemm: c overlaps b in memory; C must not share elements with A or B');
}
