// The WebAssembly part of the optimizers' plain steps (driver in ../step-wasm.ts), written with
// the encoder in ./encoder.ts. For float32 and for float64 buffers in the imported memory (byte
// addresses; `count` is even, the driver steps the odd last element itself):
//
//   adam32 / adam64(p, g, m, v, count, beta1, c1, beta2, c2, st, e)
//     m ← beta1·m + c1·g;  v ← beta2·v + (c2·g)·g;  θ ← θ − (st·m)/(√v + e)
//   rmsprop32 / rmsprop64(p, g, v, count, alpha, beta, lr, eps)
//     v ← alpha·v + (beta·g)·g;  θ ← θ − (lr·g)/(√v + eps)
//   adagrad32 / adagrad64(p, g, s, count, clr, eps)
//     s ← s + g·g;  θ ← θ − (clr·g)/(√s + eps)
//
// Two elements per f64x2 vector, in float64 and in exactly the order of the scalar loops in
// ../plain-loops.ts: the same roundings, so both paths give bit-identical results. The gain is
// the square root and the division, which run two lanes at a time.
import {
  FunctionBuilder,
  add,
  encodeModule,
  i32,
  lt,
  shl,
  vadd,
  vdiv,
  vload,
  vload32x2,
  vmul,
  vsplat,
  vsqrt,
  vstore,
  vstore32x2,
  vsub,
  whileLoop,
  type Expr,
  type Local,
  type Stmt,
  type ValType,
} from './encoder.ts';

const inc = (x: Local, by: number): Stmt => x.set(add(x.get, i32(by)));

/** What a step's loop body sees: two-lane loads and stores at a buffer's current address, and its scalars splatted. */
interface Lanes {
  load(buffer: Local): Expr;
  store(buffer: Local, value: Expr): Stmt;
  /** A v128 local for intermediate values. */
  temp(): Local;
}

/**
 * A function `name(buffer addresses…, count, scalars…)` that runs `body` over `count` elements,
 * two at a time, advancing every buffer address; the first buffer is θ.
 */
function stepFunction(
  name: string,
  bytes: 4 | 8,
  buffers: number,
  scalars: number,
  body: (lanes: Lanes, addresses: readonly Local[], splats: readonly Local[]) => Stmt[],
): FunctionBuilder {
  const types: ValType[] = [...Array<ValType>(buffers + 1).fill('i32'), ...Array<ValType>(scalars).fill('f64')];
  const f = new FunctionBuilder(name, types);
  const addresses = f.params.slice(0, buffers);
  const count = f.params[buffers];
  const splats = f.params.slice(buffers + 1).map(() => f.local('v128'));
  const end = f.local('i32');
  const lanes: Lanes = {
    load: (addr) => (bytes === 4 ? vload32x2(addr.get) : vload(addr.get)),
    store: (addr, value) => (bytes === 4 ? vstore32x2(addr.get, 0, value) : vstore(addr.get, 0, value)),
    temp: () => f.local('v128'),
  };
  const p = addresses[0];
  f.setBody([
    ...splats.map((vec, i) => vec.set(vsplat(f.params[buffers + 1 + i].get))),
    end.set(add(p.get, shl(count.get, i32(bytes === 4 ? 2 : 3)))),
    whileLoop(lt(p.get, end.get), [...body(lanes, addresses, splats), ...addresses.map((a) => inc(a, 2 * bytes))]),
  ]);
  return f;
}

/** m ← beta1·m + c1·g;  v ← beta2·v + (c2·g)·g;  θ ← θ − (st·m)/(√v + e) */
const adam = (bytes: 4 | 8) =>
  stepFunction(`adam${bytes * 8}`, bytes, 4, 6, ({ load, store, temp }, [p, g, m, v], [B1, C1, B2, C2, ST, E]) => {
    const gv = temp(), mv = temp(), vv = temp();
    return [
      gv.set(load(g)),
      mv.set(vadd(vmul(B1.get, load(m)), vmul(C1.get, gv.get))),
      vv.set(vadd(vmul(B2.get, load(v)), vmul(vmul(C2.get, gv.get), gv.get))),
      store(m, mv.get),
      store(v, vv.get),
      store(p, vsub(load(p), vdiv(vmul(ST.get, mv.get), vadd(vsqrt(vv.get), E.get)))),
    ];
  });

/** v ← alpha·v + (beta·g)·g;  θ ← θ − (lr·g)/(√v + eps) */
const rmsprop = (bytes: 4 | 8) =>
  stepFunction(`rmsprop${bytes * 8}`, bytes, 3, 4, ({ load, store, temp }, [p, g, v], [ALPHA, BETA, LR, EPS]) => {
    const gv = temp(), vv = temp();
    return [
      gv.set(load(g)),
      vv.set(vadd(vmul(ALPHA.get, load(v)), vmul(vmul(BETA.get, gv.get), gv.get))),
      store(v, vv.get),
      store(p, vsub(load(p), vdiv(vmul(LR.get, gv.get), vadd(vsqrt(vv.get), EPS.get)))),
    ];
  });

/** s ← s + g·g;  θ ← θ − (clr·g)/(√s + eps) */
const adagrad = (bytes: 4 | 8) =>
  stepFunction(`adagrad${bytes * 8}`, bytes, 3, 2, ({ load, store, temp }, [p, g, s], [CLR, EPS]) => {
    const gv = temp(), sv = temp();
    return [
      gv.set(load(g)),
      sv.set(vadd(load(s), vmul(gv.get, gv.get))),
      store(s, sv.get),
      store(p, vsub(load(p), vdiv(vmul(CLR.get, gv.get), vadd(vsqrt(sv.get), EPS.get)))),
    ];
  });

/** The module's bytes: the step functions over an imported memory (a group arena, or the driver's chunk buffer). */
export function stepModuleBytes(): Uint8Array {
  return encodeModule({ imported: 1 }, [adam(4), adam(8), rmsprop(4), rmsprop(8), adagrad(4), adagrad(8)]);
}
