// The WebAssembly part of Adam's plain step (driver in ../adam-wasm.ts), written with the
// encoder in ./encoder.ts. Two functions, for float32 and for float64 buffers in the imported
// memory (byte addresses; `count` is even, the driver steps the odd last element itself):
//
//   adam32(p, g, m, v, count, beta1, c1, beta2, c2, st, e)
//   adam64(p, g, m, v, count, beta1, c1, beta2, c2, st, e)
//     m ← beta1·m + c1·g;  v ← beta2·v + (c2·g)·g;  θ ← θ − (st·m)/(√v + e)
//
// Two elements per f64x2 vector, in float64 and in exactly the order of the scalar loop in
// ../optim-ts.ts (adamPlain): the same roundings, so both paths give bit-identical results. The
// gain is the square root and the division, which run two lanes at a time.
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
} from './encoder.ts';

const inc = (x: Local, by: number): Stmt => x.set(add(x.get, i32(by)));

function adamFunction(name: string, bytes: 4 | 8): FunctionBuilder {
  const f = new FunctionBuilder(name, ['i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64', 'f64', 'f64', 'f64', 'f64']);
  const [p, g, m, v, count, beta1, c1, beta2, c2, st, e] = f.params;
  const end = f.local('i32');
  const B1 = f.local('v128'), C1 = f.local('v128'), B2 = f.local('v128'), C2 = f.local('v128'), ST = f.local('v128'), E = f.local('v128');
  const gv = f.local('v128'), mv = f.local('v128'), vv = f.local('v128');
  const load = (addr: Local): Expr => (bytes === 4 ? vload32x2(addr.get) : vload(addr.get));
  const store = (addr: Local, value: Expr): Stmt => (bytes === 4 ? vstore32x2(addr.get, 0, value) : vstore(addr.get, 0, value));
  f.setBody([
    ...([[B1, beta1], [C1, c1], [B2, beta2], [C2, c2], [ST, st], [E, e]] as const).map(([vec, s]) => vec.set(vsplat(s.get))),
    end.set(add(p.get, shl(count.get, i32(bytes === 4 ? 2 : 3)))),
    whileLoop(lt(p.get, end.get), [
      gv.set(load(g)),
      mv.set(vadd(vmul(B1.get, load(m)), vmul(C1.get, gv.get))),
      vv.set(vadd(vmul(B2.get, load(v)), vmul(vmul(C2.get, gv.get), gv.get))),
      store(m, mv.get),
      store(v, vv.get),
      store(p, vsub(load(p), vdiv(vmul(ST.get, mv.get), vadd(vsqrt(vv.get), E.get)))),
      inc(p, 2 * bytes),
      inc(g, 2 * bytes),
      inc(m, 2 * bytes),
      inc(v, 2 * bytes),
    ]),
  ]);
  return f;
}

/** The module's bytes: `adam32` and `adam64` over an imported memory (a group arena, or the driver's chunk buffer). */
export function adamModuleBytes(): Uint8Array {
  return encodeModule({ imported: 1 }, [adamFunction('adam32', 4), adamFunction('adam64', 8)]);
}
