// The WebAssembly part of the TypeScript gemm (driver in ../gemm-wasm.ts): two functions over
// float64 data in the module's memory, written with the encoder in ./encoder.ts.
//
//   pack(src, rs, ps, count, kc, w, dst)
//     Copies `count` rows of kc elements of a strided matrix, X[r, p] = src[r·rs + p·ps], into
//     panels of w rows: panel q holds X[q·w + t, p] at dst[q·w·kc + p·w + t]; rows past `count`
//     are zeros. (src and dst are byte addresses, strides are in elements.)
//
//   tiles(pa, pb, kc, mc, nc, c, ci, cj, alpha, beta)
//     C[i, j] = alpha·Σ_{p<kc} A[i, p]·B[p, j] + beta·C[i, j] for i < mc, j < nc, where A is
//     packed in panels of MR rows at pa, B (as Bᵀ) in panels of NR columns at pb, and
//     C[i, j] = c[i·ci + j·cj]. beta = 0 overwrites C (old NaN ignored).
//
//   demote(src, dst, count)
//     dst[i] = float32(src[i]) for i < count (float64 at src, float32 at dst, round to nearest
//     even, as a Float32Array store rounds): C's way back to a float32 caller, after which a
//     plain byte copy moves it out (TypedArray.set converting float64 → float32 itself is ~15×
//     slower than a same-type copy).
//
// The micro-kernel computes one MR×NR = 4×4 tile of C in 8 f64x2 accumulators (lanes run
// along j): per step of p, two vector loads of B, four broadcast loads of A, 8 multiplies and 8
// adds. Every element of C is still the float64 sum of its products in the order p = 0, 1, …
// (a multiply then an add, no fused multiply-add), exactly as the scalar loop computes it.
import {
  FunctionBuilder,
  add,
  and,
  doWhile,
  encodeModule,
  eq,
  f64,
  fadd,
  feq,
  fload,
  fmul,
  fstore,
  fstore32,
  gt,
  i32,
  ifThen,
  lt,
  mul,
  select,
  shl,
  sub,
  vadd,
  vload,
  vloadSplat,
  vmul,
  vsplat,
  vstore,
  vzero,
  whileLoop,
  type Local,
  type Stmt,
} from './encoder.ts';

/** Rows of a tile of C (and of a panel of A). */
export const MR = 4;
/** Columns of a tile of C (and of a panel of B). */
export const NR = 4;
/** Bytes at address 0 where a partial tile is spilled before its scalar store. */
export const TILE_BYTES = MR * NR * 8;

const inc = (x: Local, by: number | Local): Stmt => x.set(add(x.get, typeof by === 'number' ? i32(by) : by.get));

function packFunction(): FunctionBuilder {
  const f = new FunctionBuilder('pack', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32']);
  const [src, rs, ps, count, kc, w, dst] = f.params;
  const r0 = f.local('i32'), t = f.local('i32'), p = f.local('i32');
  const s = f.local('i32'), d = f.local('i32'), base = f.local('i32');
  const rsB = f.local('i32'), psB = f.local('i32'), wB = f.local('i32');
  f.setBody([
    rsB.set(shl(rs.get, i32(3))),
    psB.set(shl(ps.get, i32(3))),
    wB.set(shl(w.get, i32(3))),
    base.set(dst.get),
    r0.set(i32(0)),
    whileLoop(lt(r0.get, count.get), [
      t.set(i32(0)),
      whileLoop(lt(t.get, w.get), [
        d.set(add(base.get, shl(t.get, i32(3)))),
        p.set(i32(0)),
        ifThen(
          lt(add(r0.get, t.get), count.get),
          [
            s.set(add(src.get, mul(add(r0.get, t.get), rsB.get))),
            whileLoop(lt(p.get, kc.get), [fstore(d.get, 0, fload(s.get)), inc(s, psB), inc(d, wB), inc(p, 1)]),
          ],
          [whileLoop(lt(p.get, kc.get), [fstore(d.get, 0, f64(0)), inc(d, wB), inc(p, 1)])],
        ),
        inc(t, 1),
      ]),
      base.set(add(base.get, mul(wB.get, kc.get))),
      inc(r0, w),
    ]),
  ]);
  return f;
}

function tilesFunction(): FunctionBuilder {
  const f = new FunctionBuilder('tiles', ['i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'i32', 'f64', 'f64']);
  const [pa, pb, kc, mc, nc, c, ci, cj, alpha, beta] = f.params;
  const jr = f.local('i32'), ir = f.local('i32'), rows = f.local('i32'), cols = f.local('i32');
  const a = f.local('i32'), b = f.local('i32'), end = f.local('i32');
  const cAddr = f.local('i32'), row = f.local('i32'), r = f.local('i32'), t = f.local('i32'), d = f.local('i32');
  const ciB = f.local('i32'), cjB = f.local('i32');
  const alphaV = f.local('v128'), betaV = f.local('v128'), b0 = f.local('v128'), b1 = f.local('v128'), x = f.local('v128');
  // acc[r][h]: row r of the tile, columns 2h and 2h + 1
  const acc = Array.from({ length: MR }, () => [f.local('v128'), f.local('v128')]);

  // One step of p: acc[r][h] += A[r, p]·B[p, 2h … 2h + 1].
  const step: Stmt[] = [b0.set(vload(b.get, 0)), b1.set(vload(b.get, 16))];
  for (let i = 0; i < MR; i++)
    step.push(
      x.set(vloadSplat(a.get, 8 * i)),
      acc[i][0].set(vadd(acc[i][0].get, vmul(x.get, b0.get))),
      acc[i][1].set(vadd(acc[i][1].get, vmul(x.get, b1.get))),
    );
  step.push(inc(a, 8 * MR), inc(b, 8 * NR));

  // A whole tile with contiguous rows (cj = 1): vector stores, row by row.
  const fullTile = (withBeta: boolean): Stmt[] => {
    const out: Stmt[] = [row.set(cAddr.get)];
    for (let i = 0; i < MR; i++) {
      for (let h = 0; h < 2; h++) {
        const scaled = vmul(alphaV.get, acc[i][h].get);
        out.push(vstore(row.get, 16 * h, withBeta ? vadd(scaled, vmul(betaV.get, vload(row.get, 16 * h))) : scaled));
      }
      out.push(inc(row, ciB));
    }
    return out;
  };

  // Any other tile: spill it to address 0, then store its rows × cols elements one by one.
  const partialTile: Stmt[] = [];
  for (let i = 0; i < MR; i++) partialTile.push(vstore(i32(0), 32 * i, acc[i][0].get), vstore(i32(0), 32 * i + 16, acc[i][1].get));
  const tileValue = fmul(alpha.get, fload(shl(add(shl(r.get, i32(2)), t.get), i32(3))));
  partialTile.push(
    r.set(i32(0)),
    whileLoop(lt(r.get, rows.get), [
      d.set(add(cAddr.get, mul(r.get, ciB.get))),
      t.set(i32(0)),
      whileLoop(lt(t.get, cols.get), [
        ifThen(feq(beta.get, f64(0)), [fstore(d.get, 0, tileValue)], [fstore(d.get, 0, fadd(tileValue, fmul(beta.get, fload(d.get))))]),
        inc(d, cjB),
        inc(t, 1),
      ]),
      inc(r, 1),
    ]),
  );

  f.setBody([
    ciB.set(shl(ci.get, i32(3))),
    cjB.set(shl(cj.get, i32(3))),
    alphaV.set(vsplat(alpha.get)),
    betaV.set(vsplat(beta.get)),
    jr.set(i32(0)),
    whileLoop(lt(jr.get, nc.get), [
      cols.set(select(i32(NR), sub(nc.get, jr.get), gt(sub(nc.get, jr.get), i32(NR)))),
      ir.set(i32(0)),
      whileLoop(lt(ir.get, mc.get), [
        rows.set(select(i32(MR), sub(mc.get, ir.get), gt(sub(mc.get, ir.get), i32(MR)))),
        a.set(add(pa.get, shl(mul(ir.get, kc.get), i32(3)))),
        b.set(add(pb.get, shl(mul(jr.get, kc.get), i32(3)))),
        end.set(add(a.get, mul(kc.get, i32(8 * MR)))),
        ...acc.flat().map((v) => v.set(vzero)),
        doWhile(step, lt(a.get, end.get)),
        cAddr.set(add(c.get, add(mul(ir.get, ciB.get), mul(jr.get, cjB.get)))),
        ifThen(
          and(and(eq(rows.get, i32(MR)), eq(cols.get, i32(NR))), eq(cj.get, i32(1))),
          [ifThen(feq(beta.get, f64(0)), fullTile(false), fullTile(true))],
          partialTile,
        ),
        inc(ir, MR),
      ]),
      inc(jr, NR),
    ]),
  ]);
  return f;
}

function demoteFunction(): FunctionBuilder {
  const f = new FunctionBuilder('demote', ['i32', 'i32', 'i32']);
  const [src, dst, count] = f.params;
  const end = f.local('i32');
  f.setBody([
    end.set(add(src.get, shl(count.get, i32(3)))),
    whileLoop(lt(src.get, end.get), [fstore32(dst.get, 0, fload(src.get)), inc(src, 8), inc(dst, 4)]),
  ]);
  return f;
}

/** The module's bytes: memory (1 page to start; the driver grows it), `pack`, `tiles` and `demote`. */
export function gemmModuleBytes(): Uint8Array {
  return encodeModule({ own: 1 }, [packFunction(), tilesFunction(), demoteFunction()]);
}
