// Writes src/kernels/gemm-f32-simd.wat: a register-blocked float32 GEMM in 128-bit WebAssembly
// SIMD, C (m x n) = A B (+ C), where A's element (i, p) sits at a + 4 (i aRow + p aCol) (any
// strides: A or A^T) and B (k x n) and C are row-major with leading dimensions ldb and ldc. The
// micro-kernels are unrolled here (4 rows x 8 columns of accumulators, then 1 x 8 and scalar
// edges; the module stays under the 4 KiB that browsers compile synchronously), so the .wat is generated; run this, then generate-wasm-kernels.mjs.
// Run: node scripts/generate-gemm-wat.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A micro-kernel for `rows` rows of C and `vecs` 4-float vectors of columns: for each p, load
 * `vecs` vectors of B's row p, broadcast A(i, p) for each row i and accumulate. Locals: $pa<i>
 * (A pointers), $pb, $acc<i>_<v>.
 */
function microKernel(rows, vecs) {
  const name = `block${rows}x${vecs * 4}`; // e.g. block4x8
  const accs = [];
  for (let i = 0; i < rows; i++) for (let v = 0; v < vecs; v++) accs.push(`$acc${i}_${v}`);
  const lines = [];
  lines.push(`  ;; C[i0 .. i0+${rows}, j0 .. j0+${vecs * 4}] (+)= A[i0 .., :] B[:, j0 ..]`);
  lines.push(
    `  (func $${name} (param $pa i32) (param $aRow i32) (param $aCol i32) (param $pb i32) (param $ldb i32) (param $pc i32) (param $ldc i32) (param $k i32) (param $accumulate i32)`,
  );
  for (let i = 0; i < rows; i++) lines.push(`    (local $pa${i} i32)`);
  lines.push('    (local $p i32) (local $s v128)');
  for (let v = 0; v < vecs; v++) lines.push(`    (local $b${v} v128)`);
  for (const a of accs) lines.push(`    (local ${a} v128)`);
  lines.push('    (local.set $pa0 (local.get $pa))');
  for (let i = 1; i < rows; i++)
    lines.push(`    (local.set $pa${i} (i32.add (local.get $pa${i - 1}) (local.get $aRow)))`);
  lines.push('    (block $done (loop $next');
  lines.push('      (br_if $done (i32.ge_u (local.get $p) (local.get $k)))');
  for (let v = 0; v < vecs; v++)
    lines.push(`      (local.set $b${v} (v128.load offset=${v * 16} align=4 (local.get $pb)))`);
  for (let i = 0; i < rows; i++) {
    lines.push(`      (local.set $s (v128.load32_splat (local.get $pa${i})))`);
    for (let v = 0; v < vecs; v++) {
      lines.push(
        `      (local.set $acc${i}_${v} (f32x4.add (local.get $acc${i}_${v}) (f32x4.mul (local.get $s) (local.get $b${v}))))`,
      );
    }
    lines.push(`      (local.set $pa${i} (i32.add (local.get $pa${i}) (local.get $aCol)))`);
  }
  lines.push('      (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))');
  lines.push('      (local.set $p (i32.add (local.get $p) (i32.const 1)))');
  lines.push('      (br $next)))');
  for (let i = 0; i < rows; i++) {
    for (let v = 0; v < vecs; v++) {
      const acc = `$acc${i}_${v}`;
      lines.push(
        `    (if (local.get $accumulate) (then (local.set ${acc} (f32x4.add (local.get ${acc}) (v128.load offset=${v * 16} align=4 (local.get $pc))))))`,
      );
      lines.push(`    (v128.store offset=${v * 16} align=4 (local.get $pc) (local.get ${acc}))`);
    }
    if (i + 1 < rows) lines.push('    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))');
  }
  lines.push('  )');
  return lines.join('\n');
}

/** Rows of C in blocks of 4 then 1, for one column block of `vecs` vectors. */
function rowLoop(vecs, block = ROW_BLOCK) {
  const w = vecs * 4;
  return `      (local.set $i (i32.const 0))
      (block $rows4 (loop $row4
        (br_if $rows4 (i32.gt_u (i32.add (local.get $i) (i32.const ${block})) (local.get $m)))
        (call $block${block}x${w} (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))) (local.get $aRow) (local.get $aCol)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))) (local.get $ldc)
          (local.get $k) (local.get $accumulate))
        (local.set $i (i32.add (local.get $i) (i32.const ${block})))
        (br $row4)))
      (block $rows1 (loop $row1
        (br_if $rows1 (i32.ge_u (local.get $i) (local.get $m)))
        (call $block1x${w} (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))) (local.get $aRow) (local.get $aCol)
          (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))) (local.get $ldb)
          (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))) (local.get $ldc)
          (local.get $k) (local.get $accumulate))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row1)))`;
}

/**
 * A dot-product micro-kernel for C = A B^T: `rows` rows of A (contiguous in p) against `cols`
 * rows of B, four p at a time, then the k mod 4 tail in scalars, then each accumulator's lanes
 * summed.
 */
function dotKernel(rows, cols) {
  const name = `dot${rows}x${cols}`;
  const lines = [];
  lines.push(
    `  (func $${name} (param $pa i32) (param $aRow i32) (param $pb i32) (param $bRow i32) (param $pc i32) (param $ldc i32) (param $k i32) (param $accumulate i32)`,
  );
  lines.push('    (local $p i32) (local $k4 i32) (local $t f32)');
  for (let i = 0; i < rows; i++) lines.push(`    (local $pa${i} i32) (local $va${i} v128)`);
  for (let j = 0; j < cols; j++) lines.push(`    (local $pb${j} i32) (local $vb${j} v128)`);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) lines.push(`    (local $acc${i}_${j} v128) (local $s${i}_${j} f32)`);
  lines.push('    (local.set $pa0 (local.get $pa)) (local.set $pb0 (local.get $pb))');
  for (let i = 1; i < rows; i++)
    lines.push(`    (local.set $pa${i} (i32.add (local.get $pa${i - 1}) (local.get $aRow)))`);
  for (let j = 1; j < cols; j++)
    lines.push(`    (local.set $pb${j} (i32.add (local.get $pb${j - 1}) (local.get $bRow)))`);
  lines.push('    (local.set $k4 (i32.and (local.get $k) (i32.const -4)))');
  lines.push('    (block $done (loop $next');
  lines.push('      (br_if $done (i32.ge_u (local.get $p) (local.get $k4)))');
  for (let i = 0; i < rows; i++)
    lines.push(
      `      (local.set $va${i} (v128.load align=4 (i32.add (local.get $pa${i}) (i32.shl (local.get $p) (i32.const 2)))))`,
    );
  for (let j = 0; j < cols; j++)
    lines.push(
      `      (local.set $vb${j} (v128.load align=4 (i32.add (local.get $pb${j}) (i32.shl (local.get $p) (i32.const 2)))))`,
    );
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      lines.push(
        `      (local.set $acc${i}_${j} (f32x4.add (local.get $acc${i}_${j}) (f32x4.mul (local.get $va${i}) (local.get $vb${j}))))`,
      );
  lines.push('      (local.set $p (i32.add (local.get $p) (i32.const 4)))');
  lines.push('      (br $next)))');
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const acc = `(local.get $acc${i}_${j})`;
      lines.push(
        `    (local.set $s${i}_${j} (f32.add (f32.add (f32x4.extract_lane 0 ${acc}) (f32x4.extract_lane 1 ${acc})) (f32.add (f32x4.extract_lane 2 ${acc}) (f32x4.extract_lane 3 ${acc}))))`,
      );
    }
  lines.push('    (block $tailDone (loop $tail');
  lines.push('      (br_if $tailDone (i32.ge_u (local.get $p) (local.get $k)))');
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++)
      lines.push(
        `      (local.set $s${i}_${j} (f32.add (local.get $s${i}_${j}) (f32.mul (f32.load (i32.add (local.get $pa${i}) (i32.shl (local.get $p) (i32.const 2)))) (f32.load (i32.add (local.get $pb${j}) (i32.shl (local.get $p) (i32.const 2)))))))`,
      );
  lines.push('      (local.set $p (i32.add (local.get $p) (i32.const 1)))');
  lines.push('      (br $tail)))');
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const at = `(i32.add (local.get $pc) (i32.const ${j * 4}))`;
      lines.push(`    (local.set $t (local.get $s${i}_${j}))`);
      lines.push(
        `    (if (local.get $accumulate) (then (local.set $t (f32.add (local.get $t) (f32.load ${at})))))`,
      );
      lines.push(`    (f32.store ${at} (local.get $t))`);
    }
    if (i + 1 < rows) lines.push('    (local.set $pc (i32.add (local.get $pc) (local.get $ldc)))');
  }
  lines.push('  )');
  return lines.join('\n');
}

/** C = A B^T: row blocks of 2 then 1, column blocks of 4 then single dot products. */
function gemmNt() {
  // Dot-product kernel of r x c at row i + di, column j.
  const call = (r, c, di = 0) => {
    const row = di === 0 ? '(local.get $i)' : `(i32.add (local.get $i) (i32.const ${di}))`;
    return `(call $dot${r}x${c} (i32.add (local.get $a) (i32.mul ${row} (local.get $aRow))) (local.get $aRow)
            (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $bRow))) (local.get $bRow)
            (i32.add (local.get $c) (i32.add (i32.mul ${row} (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))) (local.get $ldc)
            (local.get $k) (local.get $accumulate))`;
  };
  const colLoop = (r) => `        (local.set $j (i32.const 0))
        (block $c4done (loop $c4
          (br_if $c4done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
          ${call(r, 4)}
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $c4)))
        (block $c1done (loop $c1
          (br_if $c1done (i32.ge_u (local.get $j) (local.get $n)))
          ${Array.from({ length: r }, (_, di) => call(1, 1, di)).join('\n          ')}
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $c1)))`;
  return `  ;; C (m x n) (+)= A B^T with A rows at byte stride aRow (contiguous in p) and B stored n x k
  ;; with byte stride bRow (contiguous in p): dot products four p at a time.
  (func (export "gemmNt") (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $aRow i32)
        (param $b i32) (param $bRow i32) (param $c i32) (param $ldc i32) (param $accumulate i32)
    (local $i i32) (local $j i32)
    (block $r2done (loop $r2
      (br_if $r2done (i32.gt_u (i32.add (local.get $i) (i32.const 2)) (local.get $m)))
${colLoop(2)}
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br $r2)))
    (block $r1done (loop $r1
      (br_if $r1done (i32.ge_u (local.get $i) (local.get $m)))
${colLoop(1)}
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $r1)))
  )`;
}

/** Element-wise passes and the column-sum reduction, four floats at a time with scalar tails. */
function elementwise() {
  return `  ;; c[r, :] += v for r < rows (c rows x cols at byte address c, v at byte address v)
  (func (export "addRowVector") (param $c i32) (param $rows i32) (param $cols i32) (param $v i32)
    (local $r i32) (local $j i32) (local $cols4 i32) (local $pc i32)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $pc (local.get $c))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $cols4)))
        (v128.store align=4 (i32.add (local.get $pc) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (v128.load align=4 (i32.add (local.get $pc) (i32.shl (local.get $j) (i32.const 2))))
                     (v128.load align=4 (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (i32.add (local.get $pc) (i32.shl (local.get $j) (i32.const 2)))
          (f32.add (f32.load (i32.add (local.get $pc) (i32.shl (local.get $j) (i32.const 2))))
                   (f32.load (i32.add (local.get $v) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sloop)))
      (local.set $pc (i32.add (local.get $pc) (i32.shl (local.get $cols) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop)))
  )
  ;; out[j] = sum_r a[r, j] (a rows x cols at byte address a)
  (func (export "columnSums") (param $a i32) (param $rows i32) (param $cols i32) (param $out i32)
    (local $r i32) (local $j i32) (local $cols4 i32) (local $pa i32)
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (memory.fill (local.get $out) (i32.const 0) (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $pa (local.get $a))
    (block $rdone (loop $rloop
      (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vdone (loop $vloop
        (br_if $vdone (i32.ge_u (local.get $j) (local.get $cols4)))
        (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (v128.load align=4 (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
                     (v128.load align=4 (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vloop)))
      (block $sdone (loop $sloop
        (br_if $sdone (i32.ge_u (local.get $j) (local.get $cols)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
          (f32.add (f32.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))))
                   (f32.load (i32.add (local.get $pa) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sloop)))
      (local.set $pa (i32.add (local.get $pa) (i32.shl (local.get $cols) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rloop)))
  )
  ;; a[i] = max(z[i], 0) (NaN stays NaN, as f32x4.max and f32.max keep it)
  (func (export "relu") (param $z i32) (param $a i32) (param $n i32)
    (local $i i32) (local $n4 i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $n4)))
      (v128.store align=4 (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
        (f32x4.max (v128.load align=4 (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 2)))) (v128.const f32x4 0 0 0 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vloop)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $n)))
      (f32.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 2)))
        (f32.max (f32.load (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 2)))) (f32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sloop)))
  )
  ;; d[i] = z[i] > 0 ? d[i] : 0
  (func (export "reluBackward") (param $z i32) (param $d i32) (param $n i32)
    (local $i i32) (local $n4 i32) (local $pd i32)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $vdone (loop $vloop
      (br_if $vdone (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $pd (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))))
      (v128.store align=4 (local.get $pd)
        (v128.and (v128.load align=4 (local.get $pd))
          (f32x4.gt (v128.load align=4 (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 2)))) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vloop)))
    (block $sdone (loop $sloop
      (br_if $sdone (i32.ge_u (local.get $i) (local.get $n)))
      (if (i32.eqz (f32.gt (f32.load (i32.add (local.get $z) (i32.shl (local.get $i) (i32.const 2)))) (f32.const 0)))
        (then (f32.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))) (f32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sloop)))
  )`;
}

/** Rows of C per micro-kernel call (with 2 vectors of columns: 2 ROW_BLOCK accumulators + 3 registers). */
const ROW_BLOCK = Number(process.env.ROW_BLOCK ?? 4);

export function gemmWat() {
  return `;; GENERATED by scripts/generate-gemm-wat.mjs: do not edit.
;; Float32 GEMM, 128-bit SIMD: C (m x n) = A B, or C += A B when accumulate is 1.
;; A's element (i, p) is the f32 at a + i aRow + p aCol (byte strides: A row-major is
;; aRow = 4 lda, aCol = 4; A^T is aRow = 4, aCol = 4 lda); B is k x n row-major with byte stride
;; ldb between rows, C m x n with byte stride ldc. Column blocks of 8 (two f32x4 accumulators per
;; row), then single columns; row blocks of 4 then 1. The B panel of a column block is
;; reused by every row block while it is in L1. Products are f32 multiplies and adds (no fused
;; multiply-add in 128-bit SIMD): each sum is accumulated in order p = 0 .. k-1 per lane.
(module
  (import "env" "memory" (memory 1))
${microKernel(ROW_BLOCK, 2)}
${microKernel(1, 2)}
${dotKernel(2, 4)}
${dotKernel(1, 4)}
${dotKernel(1, 1)}
${gemmNt()}
${elementwise()}
  (func (export "gemm") (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $aRow i32) (param $aCol i32)
        (param $b i32) (param $ldb i32) (param $c i32) (param $ldc i32) (param $accumulate i32)
    (local $i i32) (local $j i32) (local $p i32) (local $pa i32) (local $pb i32) (local $sum f32) (local $pc i32)
    (block $cols8 (loop $col8
      (br_if $cols8 (i32.gt_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
${rowLoop(2)}
      (local.set $j (i32.add (local.get $j) (i32.const 8)))
      (br $col8)))
    ;; The last n mod 8 columns, one dot product each.
    (block $colsDone (loop $col
      (br_if $colsDone (i32.ge_u (local.get $j) (local.get $n)))
      (local.set $i (i32.const 0))
      (block $rowsDone (loop $row
        (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $pa (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $aRow))))
        (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $sum (f32.const 0))
        (local.set $p (i32.const 0))
        (block $dotDone (loop $dot
          (br_if $dotDone (i32.ge_u (local.get $p) (local.get $k)))
          (local.set $sum (f32.add (local.get $sum) (f32.mul (f32.load (local.get $pa)) (f32.load (local.get $pb)))))
          (local.set $pa (i32.add (local.get $pa) (local.get $aCol)))
          (local.set $pb (i32.add (local.get $pb) (local.get $ldb)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $dot)))
        (local.set $pc (i32.add (local.get $c) (i32.add (i32.mul (local.get $i) (local.get $ldc)) (i32.shl (local.get $j) (i32.const 2)))))
        (if (local.get $accumulate) (then (local.set $sum (f32.add (local.get $sum) (f32.load (local.get $pc))))))
        (f32.store (local.get $pc) (local.get $sum))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $col)))
  )
)
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(new URL('../src/kernels/gemm-f32-simd.wat', import.meta.url), gemmWat());
  console.log('src/kernels/gemm-f32-simd.wat written');
}
