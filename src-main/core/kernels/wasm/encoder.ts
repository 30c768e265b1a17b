// A small WebAssembly binary encoder: enough of the format (types, an imported or own memory,
// functions, exports, code) and of the instruction set (i32 and f64 scalars, 128-bit SIMD on f64x2) to
// write the gemm kernel of gemm-module.ts as readable TypeScript. The module is assembled at
// run time from this source; there is no prebuilt binary and no external toolchain.
//
// Instructions are written as expression trees: an `Expr` emits the code that leaves one value
// on the stack, a `Stmt` emits code that leaves nothing. `whileLoop`, `doWhile` and `ifThen`
// nest blocks, so no instruction ever needs an explicit branch depth.

export type ValType = 'i32' | 'f64' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f64: 0x7c, v128: 0x7b };

/** Emits code into a function body. */
export type Emit = (out: number[]) => void;
export type Expr = Emit;
export type Stmt = Emit;

export function uleb(v: number): number[] {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function sleb(v: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

function f64Bytes(v: number): number[] {
  const b = new Uint8Array(new Float64Array([v]).buffer);
  return Array.from(b);
}

function utf8(s: string): number[] {
  return Array.from(new TextEncoder().encode(s));
}

const seq =
  (...parts: Emit[]): Emit =>
  (out) => {
    for (const p of parts) p(out);
  };
const bytes =
  (...b: number[]): Emit =>
  (out) => {
    out.push(...b);
  };
/** A SIMD instruction: the 0xfd prefix, then its opcode as a LEB128 u32. */
const simd = (op: number, ...imm: number[]): Emit => bytes(0xfd, ...uleb(op), ...imm);
/** Memory immediate: log2 of the alignment, then the constant byte offset. */
const memarg = (alignLog2: number, offset: number) => [...uleb(alignLog2), ...uleb(offset)];

// --- locals and constants -----------------------------------------------------------------

/** A local variable (or parameter) by index. */
export class Local {
  constructor(
    readonly index: number,
    readonly type: ValType,
  ) {}
  get: Expr = (out) => out.push(0x20, ...uleb(this.index));
  set(value: Expr): Stmt {
    return seq(value, bytes(0x21, ...uleb(this.index)));
  }
}

export const i32 = (v: number): Expr => bytes(0x41, ...sleb(v | 0));
export const f64 = (v: number): Expr => bytes(0x44, ...f64Bytes(v));

// --- i32 arithmetic and comparisons (signed: every size and address here is below 2^31) ----

const binary = (op: number) => (x: Expr, y: Expr): Expr => seq(x, y, bytes(op));
export const add = binary(0x6a);
export const sub = binary(0x6b);
export const mul = binary(0x6c);
export const and = binary(0x71);
export const shl = binary(0x74);
export const eq = binary(0x46);
export const lt = binary(0x48);
export const gt = binary(0x4a);
/** `a` when cond ≠ 0, else `b`. */
export const select = (a: Expr, b: Expr, cond: Expr): Expr => seq(a, b, cond, bytes(0x1b));
/** min(x, y) for i32 (x and y are evaluated twice: pass locals or constants). */
export const min = (x: Expr, y: Expr): Expr => select(x, y, lt(x, y));

// --- f64 scalars ---------------------------------------------------------------------------

export const fadd = binary(0xa0);
export const fmul = binary(0xa2);
export const feq = binary(0x61);
export const fload = (addr: Expr, offset = 0): Expr => seq(addr, bytes(0x2b, ...memarg(3, offset)));
export const fstore = (addr: Expr, offset: number, value: Expr): Stmt => seq(addr, value, bytes(0x39, ...memarg(3, offset)));
/** Stores an f64 value as float32, rounded to nearest even (f32.demote_f64, f32.store). */
export const fstore32 = (addr: Expr, offset: number, value: Expr): Stmt => seq(addr, value, bytes(0xb6, 0x38, ...memarg(2, offset)));

// --- f64x2 vectors -------------------------------------------------------------------------

export const vzero: Expr = simd(0x0c, ...new Array<number>(16).fill(0));
export const vload = (addr: Expr, offset = 0): Expr => seq(addr, simd(0x00, ...memarg(4, offset)));
export const vstore = (addr: Expr, offset: number, value: Expr): Stmt => seq(addr, value, simd(0x0b, ...memarg(4, offset)));
/** Both lanes = the f64 at addr + offset (v128.load64_splat). */
export const vloadSplat = (addr: Expr, offset = 0): Expr => seq(addr, simd(0x0a, ...memarg(3, offset)));
/** Both lanes = an f64 value (f64x2.splat). */
export const vsplat = (x: Expr): Expr => seq(x, simd(0x14));
export const vadd = (x: Expr, y: Expr): Expr => seq(x, y, simd(0xf0));
export const vsub = (x: Expr, y: Expr): Expr => seq(x, y, simd(0xf1));
export const vmul = (x: Expr, y: Expr): Expr => seq(x, y, simd(0xf2));
export const vdiv = (x: Expr, y: Expr): Expr => seq(x, y, simd(0xf3));
export const vsqrt = (x: Expr): Expr => seq(x, simd(0xef));
/** Two float32 at addr + offset, widened exactly to f64x2 (v128.load64_zero, f64x2.promote_low_f32x4). */
export const vload32x2 = (addr: Expr, offset = 0): Expr => seq(addr, simd(0x5d, ...memarg(3, offset)), simd(0x5f));
/** Stores both lanes as float32, rounded to nearest even (f32x4.demote_f64x2_zero, v128.store64_lane 0). */
export const vstore32x2 = (addr: Expr, offset: number, value: Expr): Stmt => seq(addr, value, simd(0x5e), simd(0x5b, ...memarg(3, offset), 0));

// --- control flow --------------------------------------------------------------------------

const EMPTY_BLOCK = 0x40;

/** while (cond) { body } */
export function whileLoop(cond: Expr, body: Stmt[]): Stmt {
  // block { loop { br_if 1 (!cond); body; br 0 } }
  return seq(bytes(0x02, EMPTY_BLOCK, 0x03, EMPTY_BLOCK), cond, bytes(0x45, 0x0d, 1), ...body, bytes(0x0c, 0, 0x0b, 0x0b));
}

/** do { body } while (cond) */
export function doWhile(body: Stmt[], cond: Expr): Stmt {
  return seq(bytes(0x03, EMPTY_BLOCK), ...body, cond, bytes(0x0d, 0, 0x0b));
}

/** if (cond) { then } else { otherwise } */
export function ifThen(cond: Expr, then: Stmt[], otherwise: Stmt[] = []): Stmt {
  const elsePart = otherwise.length > 0 ? [bytes(0x05), ...otherwise] : [];
  return seq(cond, bytes(0x04, EMPTY_BLOCK), ...then, ...elsePart, bytes(0x0b));
}

// --- functions and the module --------------------------------------------------------------

/** One function: declare its parameters, then its locals, then give it a body. */
export class FunctionBuilder {
  readonly params: Local[];
  private readonly locals: Local[] = [];
  private body: Stmt[] = [];

  constructor(
    readonly name: string,
    paramTypes: readonly ValType[],
  ) {
    this.params = paramTypes.map((t, i) => new Local(i, t));
  }

  local(type: ValType): Local {
    const l = new Local(this.params.length + this.locals.length, type);
    this.locals.push(l);
    return l;
  }

  setBody(body: Stmt[]): void {
    this.body = body;
  }

  /** The code section entry: locals (one run per local), the body, `end`. */
  encode(): number[] {
    const code: number[] = [...uleb(this.locals.length)];
    for (const l of this.locals) code.push(1, VALTYPE[l.type]);
    for (const s of this.body) s(code);
    code.push(0x0b);
    return [...uleb(code.length), ...code];
  }

  typeSignature(): number[] {
    return [0x60, ...uleb(this.params.length), ...this.params.map((p) => VALTYPE[p.type]), 0];
  }
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Where a module's one memory comes from. */
export type ModuleMemory =
  /** Its own, exported as "memory": `initialPages` × 64 KiB to start, growable. */
  | { readonly own: number }
  /** The importer's, as `env.memory` (at least `minPages` × 64 KiB), e.g. a group arena (core/arena.ts). */
  | { readonly imported: number };

/** A module with one memory and the given functions (no results; each exported under its name). */
export function encodeModule(memory: ModuleMemory, functions: readonly FunctionBuilder[]): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const types = section(1, vector(functions.map((f) => f.typeSignature())));
  const name = (s: string) => [...uleb(utf8(s).length), ...utf8(s)];
  // Limits without a maximum: 0x00, then the minimum in pages.
  const imports = 'imported' in memory ? section(2, vector([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(memory.imported)]])) : [];
  const funcs = section(3, vector(functions.map((_, i) => uleb(i))));
  const memories = 'own' in memory ? section(5, vector([[0x00, ...uleb(memory.own)]])) : [];
  const exports = section(
    7,
    vector([
      ...('own' in memory ? [[...name('memory'), 0x02, 0x00]] : []),
      ...functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]),
    ]),
  );
  const code = section(10, vector(functions.map((f) => f.encode())));
  return Uint8Array.from([...header, ...types, ...imports, ...funcs, ...memories, ...exports, ...code]);
}
