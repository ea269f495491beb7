;; Dense-layer products in WebAssembly SIMD (128-bit baseline SIMD, no relaxed-simd) for float32
;; inputs, the twins of denseForwardF64 and denseWeightGradientF64 in dense-f64.ts. Hand-written;
;; compiled into dense-simd-wasm.ts by scripts/generate-wasm-kernels.mjs (a test checks the two
;; agree). As in logistic-simd.wat, float32 pairs are widened to f64x2 and all arithmetic is
;; float64. Memory is imported; the host copies the operands in and the results out (addresses
;; are byte offsets): x is rows x inputs float32, W outputs x inputs float64 (one row per output
;; unit), everything else float64.
(module
  (import "env" "memory" (memory 1))

  ;; out[r, o] += sum_{k in [k0, k1)} x[r, k] W[o, k] for all r < rows, o < outputs (the host
  ;; sets out to the bias first and calls this once per chunk of k, so a chunk of W stays in L2
  ;; while every row streams past it). k0 is even. Blocks of 2 rows x 4 outputs: each pair of
  ;; x values loaded feeds four products, each pair of W values two, in 8 f64x2 accumulators.
  (func (export "denseForward")
    (param $x i32) (param $rows i32) (param $inputs i32) (param $w i32) (param $outputs i32)
    (param $out i32) (param $k0 i32) (param $k1 i32)
    (local $rowBytes i32) (local $wRowBytes i32) (local $r i32) (local $o i32)
    (local $xa i32) (local $xb i32) (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $kx i32) (local $kw i32) (local $pairEnd i32) (local $end i32) (local $outA i32)
    (local $va v128) (local $vb v128) (local $p v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local.set $rowBytes (i32.shl (local.get $inputs) (i32.const 2)))
    (local.set $wRowBytes (i32.shl (local.get $inputs) (i32.const 3)))
    ;; Byte offsets within an x row where the chunk's column pairs end and the chunk ends.
    (local.set $end (i32.shl (local.get $k1) (i32.const 2)))
    (local.set $pairEnd (i32.shl (i32.and (i32.sub (local.get $k1) (local.get $k0)) (i32.const -2)) (i32.const 2)))
    (local.set $pairEnd (i32.add (local.get $pairEnd) (i32.shl (local.get $k0) (i32.const 2))))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowPairs
        (br_if $rowsDone (i32.gt_s (i32.add (local.get $r) (i32.const 2)) (local.get $rows)))
        (local.set $xa (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $xb (i32.add (local.get $xa) (local.get $rowBytes)))
        (local.set $outA (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $outputs)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $outsDone
          (loop $outQuads
            (br_if $outsDone (i32.gt_s (i32.add (local.get $o) (i32.const 4)) (local.get $outputs)))
            (local.set $w0 (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $wRowBytes))))
            (local.set $w1 (i32.add (local.get $w0) (local.get $wRowBytes)))
            (local.set $w2 (i32.add (local.get $w1) (local.get $wRowBytes)))
            (local.set $w3 (i32.add (local.get $w2) (local.get $wRowBytes)))
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $a2 (v128.const f64x2 0 0))
            (local.set $a3 (v128.const f64x2 0 0))
            (local.set $b0 (v128.const f64x2 0 0))
            (local.set $b1 (v128.const f64x2 0 0))
            (local.set $b2 (v128.const f64x2 0 0))
            (local.set $b3 (v128.const f64x2 0 0))
            (local.set $kx (i32.shl (local.get $k0) (i32.const 2)))
            (local.set $kw (i32.shl (local.get $k0) (i32.const 3)))
            (block $kDone
              (loop $kPairs
                (br_if $kDone (i32.ge_u (local.get $kx) (local.get $pairEnd)))
                (local.set $va (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xa) (local.get $kx)))))
                (local.set $vb (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xb) (local.get $kx)))))
                (local.set $p (v128.load (i32.add (local.get $w0) (local.get $kw))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load (i32.add (local.get $w1) (local.get $kw))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load (i32.add (local.get $w2) (local.get $kw))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load (i32.add (local.get $w3) (local.get $kw))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
                (local.set $kw (i32.add (local.get $kw) (i32.const 16)))
                (br $kPairs)))
            (if (i32.ne (local.get $kx) (local.get $end))
              (then
                ;; An odd last column of the chunk: (x, 0) * (w, next) adds to lane 0 only.
                (local.set $va (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $xa) (local.get $kx)))))
                (local.set $vb (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $xb) (local.get $kx)))))
                (local.set $p (v128.load64_zero (i32.add (local.get $w0) (local.get $kw))))
                (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b0 (f64x2.add (local.get $b0) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load64_zero (i32.add (local.get $w1) (local.get $kw))))
                (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load64_zero (i32.add (local.get $w2) (local.get $kw))))
                (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b2 (f64x2.add (local.get $b2) (f64x2.mul (local.get $vb) (local.get $p))))
                (local.set $p (v128.load64_zero (i32.add (local.get $w3) (local.get $kw))))
                (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $va) (local.get $p))))
                (local.set $b3 (f64x2.add (local.get $b3) (f64x2.mul (local.get $vb) (local.get $p))))))
            ;; out[a, o .. o+3] and out[b, o .. o+3] += lane sums, two outputs per f64x2.
            (local.set $kw (i32.add (local.get $outA) (i32.shl (local.get $o) (i32.const 3))))
            (v128.store (local.get $kw) (f64x2.add (v128.load (local.get $kw)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1)))))
            (v128.store offset=16 (local.get $kw) (f64x2.add (v128.load offset=16 (local.get $kw)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3)))))
            (local.set $kw (i32.add (local.get $kw) (i32.shl (local.get $outputs) (i32.const 3))))
            (v128.store (local.get $kw) (f64x2.add (v128.load (local.get $kw)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $b0) (local.get $b1))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $b0) (local.get $b1)))))
            (v128.store offset=16 (local.get $kw) (f64x2.add (v128.load offset=16 (local.get $kw)) (f64x2.add
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $b2) (local.get $b3))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $b2) (local.get $b3)))))
            (local.set $o (i32.add (local.get $o) (i32.const 4)))
            (br $outQuads)))
        ;; Outputs left over (outputs not a multiple of 4) for both rows, one at a time.
        (block $restDone
          (loop $restOuts
            (br_if $restDone (i32.ge_s (local.get $o) (local.get $outputs)))
            (call $dotChunk (local.get $xa) (local.get $w) (local.get $wRowBytes) (local.get $o)
              (local.get $outA) (local.get $k0) (local.get $pairEnd) (local.get $end))
            (call $dotChunk (local.get $xb) (local.get $w) (local.get $wRowBytes) (local.get $o)
              (i32.add (local.get $outA) (i32.shl (local.get $outputs) (i32.const 3)))
              (local.get $k0) (local.get $pairEnd) (local.get $end))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $restOuts)))
        (local.set $r (i32.add (local.get $r) (i32.const 2)))
        (br $rowPairs)))
    ;; An odd last row: every output one at a time.
    (if (i32.lt_s (local.get $r) (local.get $rows))
      (then
        (local.set $xa (i32.add (local.get $x) (i32.mul (local.get $r) (local.get $rowBytes))))
        (local.set $outA (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $outputs)) (i32.const 3))))
        (local.set $o (i32.const 0))
        (block $lastDone
          (loop $lastOuts
            (br_if $lastDone (i32.ge_s (local.get $o) (local.get $outputs)))
            (call $dotChunk (local.get $xa) (local.get $w) (local.get $wRowBytes) (local.get $o)
              (local.get $outA) (local.get $k0) (local.get $pairEnd) (local.get $end))
            (local.set $o (i32.add (local.get $o) (i32.const 1)))
            (br $lastOuts))))))

  ;; out[o] += sum over the chunk of xRow[k] W[o, k], for one row and one output.
  (func $dotChunk
    (param $xRow i32) (param $w i32) (param $wRowBytes i32) (param $o i32) (param $outRow i32)
    (param $k0 i32) (param $pairEnd i32) (param $end i32)
    (local $kx i32) (local $wRow i32) (local $acc v128)
    (local.set $wRow (i32.add (local.get $w) (i32.mul (local.get $o) (local.get $wRowBytes))))
    (local.set $kx (i32.shl (local.get $k0) (i32.const 2)))
    (local.set $acc (v128.const f64x2 0 0))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $kx) (local.get $pairEnd)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $xRow) (local.get $kx))))
          (v128.load (i32.add (local.get $wRow) (i32.shl (local.get $kx) (i32.const 1)))))))
        (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
        (br $pairs)))
    (if (i32.ne (local.get $kx) (local.get $end))
      (then
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul
          (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $xRow) (local.get $kx))))
          (v128.load64_zero (i32.add (local.get $wRow) (i32.shl (local.get $kx) (i32.const 1)))))))))
    (local.set $outRow (i32.add (local.get $outRow) (i32.shl (local.get $o) (i32.const 3))))
    (f64.store (local.get $outRow) (f64.add (f64.load (local.get $outRow))
      (f64.add (f64x2.extract_lane 0 (local.get $acc)) (f64x2.extract_lane 1 (local.get $acc))))))

  ;; G[o, k] = sum_r dz[r, o] x[r, k], overwritten (the host zeroes G): dz^T x. Two rows of G at a
  ;; time from four rows of x: each x pair loaded feeds both G rows. Rows whose dz is zero for
  ;; both outputs (ReLU units that were off) are skipped: their indices are gathered first into
  ;; the i32 list at $active (rows entries).
  (func (export "denseWeightGradient")
    (param $dz i32) (param $rows i32) (param $outputs i32) (param $x i32) (param $inputs i32)
    (param $g i32) (param $active i32)
    (local $rowBytes i32) (local $gRowBytes i32) (local $pairBytes i32) (local $o i32) (local $r i32)
    (local $count i32) (local $i i32)
    (local $g0 i32) (local $g1 i32) (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
    (local $kx i32) (local $kg i32) (local $dzRow i32)
    (local $u0 v128) (local $u1 v128) (local $u2 v128) (local $u3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local.set $rowBytes (i32.shl (local.get $inputs) (i32.const 2)))
    (local.set $gRowBytes (i32.shl (local.get $inputs) (i32.const 3)))
    (local.set $pairBytes (i32.and (local.get $rowBytes) (i32.const -8)))
    (local.set $o (i32.const 0))
    (block $outsDone
      (loop $outs
        (br_if $outsDone (i32.ge_s (local.get $o) (local.get $outputs)))
        ;; With one output left, its partner is itself: the second G row write repeats the first
        ;; with zero factors (guarded below), so the odd output needs no separate loop.
        (local.set $g0 (i32.add (local.get $g) (i32.mul (local.get $o) (local.get $gRowBytes))))
        (local.set $g1 (i32.add (local.get $g0) (local.get $gRowBytes)))
        ;; Gather the rows with a non-zero factor for output o or o + 1.
        (local.set $count (i32.const 0))
        (local.set $r (i32.const 0))
        (block $gatherDone
          (loop $gather
            (br_if $gatherDone (i32.ge_s (local.get $r) (local.get $rows)))
            (local.set $dzRow (i32.add (local.get $dz)
              (i32.shl (i32.add (i32.mul (local.get $r) (local.get $outputs)) (local.get $o)) (i32.const 3))))
            (if (i32.or
                  (f64.ne (f64.load (local.get $dzRow)) (f64.const 0))
                  (i32.and
                    (i32.lt_s (i32.add (local.get $o) (i32.const 1)) (local.get $outputs))
                    (f64.ne (f64.load offset=8 (local.get $dzRow)) (f64.const 0))))
              (then
                (i32.store (i32.add (local.get $active) (i32.shl (local.get $count) (i32.const 2))) (local.get $r))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $gather)))
        ;; Active rows four at a time (a short last group reuses row 0 of the group with zero
        ;; factors: cheaper than a second loop, and adds exact zeros).
        (local.set $i (i32.const 0))
        (block $groupsDone
          (loop $groups
            (br_if $groupsDone (i32.ge_s (local.get $i) (local.get $count)))
            (call $factors (local.get $dz) (local.get $outputs) (local.get $o) (local.get $active)
              (local.get $i) (local.get $count))
            (local.set $s0 (global.get $f0))
            (local.set $s1 (global.get $f1))
            (local.set $s2 (global.get $f2))
            (local.set $s3 (global.get $f3))
            (local.set $x0 (i32.add (local.get $x) (i32.mul (global.get $row0) (local.get $rowBytes))))
            (local.set $x1 (i32.add (local.get $x) (i32.mul (global.get $row1) (local.get $rowBytes))))
            (local.set $x2 (i32.add (local.get $x) (i32.mul (global.get $row2) (local.get $rowBytes))))
            (local.set $x3 (i32.add (local.get $x) (i32.mul (global.get $row3) (local.get $rowBytes))))
            ;; s_j = (dz[row_j, o], dz[row_j, o + 1]); broadcast each lane.
            (local.set $u0 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $s0) (local.get $s0)))
            (local.set $u1 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $s1) (local.get $s1)))
            (local.set $u2 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $s2) (local.get $s2)))
            (local.set $u3 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $s3) (local.get $s3)))
            (local.set $v0 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $s0) (local.get $s0)))
            (local.set $v1 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $s1) (local.get $s1)))
            (local.set $v2 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $s2) (local.get $s2)))
            (local.set $v3 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $s3) (local.get $s3)))
            (local.set $kx (i32.const 0))
            (local.set $kg (i32.const 0))
            (block $kDone
              (loop $kPairs
                (br_if $kDone (i32.ge_u (local.get $kx) (local.get $pairBytes)))
                (local.set $s0 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x0) (local.get $kx)))))
                (local.set $s1 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x1) (local.get $kx)))))
                (local.set $s2 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x2) (local.get $kx)))))
                (local.set $s3 (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x3) (local.get $kx)))))
                (v128.store (i32.add (local.get $g0) (local.get $kg)) (f64x2.add
                  (v128.load (i32.add (local.get $g0) (local.get $kg)))
                  (f64x2.add
                    (f64x2.add (f64x2.mul (local.get $u0) (local.get $s0)) (f64x2.mul (local.get $u1) (local.get $s1)))
                    (f64x2.add (f64x2.mul (local.get $u2) (local.get $s2)) (f64x2.mul (local.get $u3) (local.get $s3))))))
                (if (i32.lt_s (i32.add (local.get $o) (i32.const 1)) (local.get $outputs))
                  (then
                    (v128.store (i32.add (local.get $g1) (local.get $kg)) (f64x2.add
                      (v128.load (i32.add (local.get $g1) (local.get $kg)))
                      (f64x2.add
                        (f64x2.add (f64x2.mul (local.get $v0) (local.get $s0)) (f64x2.mul (local.get $v1) (local.get $s1)))
                        (f64x2.add (f64x2.mul (local.get $v2) (local.get $s2)) (f64x2.mul (local.get $v3) (local.get $s3))))))))
                (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
                (local.set $kg (i32.add (local.get $kg) (i32.const 16)))
                (br $kPairs)))
            (if (i32.ne (local.get $kx) (local.get $rowBytes))
              (then
                ;; The odd last column, scalar.
                (local.set $s0 (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x0) (local.get $kx)))))
                (local.set $s1 (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x1) (local.get $kx)))))
                (local.set $s2 (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x2) (local.get $kx)))))
                (local.set $s3 (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x3) (local.get $kx)))))
                (v128.store64_lane 0 (i32.add (local.get $g0) (local.get $kg)) (f64x2.add
                  (v128.load64_zero (i32.add (local.get $g0) (local.get $kg)))
                  (f64x2.add
                    (f64x2.add (f64x2.mul (local.get $u0) (local.get $s0)) (f64x2.mul (local.get $u1) (local.get $s1)))
                    (f64x2.add (f64x2.mul (local.get $u2) (local.get $s2)) (f64x2.mul (local.get $u3) (local.get $s3))))))
                (if (i32.lt_s (i32.add (local.get $o) (i32.const 1)) (local.get $outputs))
                  (then
                    (v128.store64_lane 0 (i32.add (local.get $g1) (local.get $kg)) (f64x2.add
                      (v128.load64_zero (i32.add (local.get $g1) (local.get $kg)))
                      (f64x2.add
                        (f64x2.add (f64x2.mul (local.get $v0) (local.get $s0)) (f64x2.mul (local.get $v1) (local.get $s1)))
                        (f64x2.add (f64x2.mul (local.get $v2) (local.get $s2)) (f64x2.mul (local.get $v3) (local.get $s3))))))))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $groups)))
        (local.set $o (i32.add (local.get $o) (i32.const 2)))
        (br $outs))))

  ;; The rows and factors of the group of active rows starting at list index i: row_j and
  ;; f_j = (dz[row_j, o], dz[row_j, o + 1]) (0 past the last output), for j < 4; entries past
  ;; count repeat the group's first row with factors 0.
  (global $row0 (mut i32) (i32.const 0))
  (global $row1 (mut i32) (i32.const 0))
  (global $row2 (mut i32) (i32.const 0))
  (global $row3 (mut i32) (i32.const 0))
  (global $f0 (mut v128) (v128.const i64x2 0 0))
  (global $f1 (mut v128) (v128.const i64x2 0 0))
  (global $f2 (mut v128) (v128.const i64x2 0 0))
  (global $f3 (mut v128) (v128.const i64x2 0 0))
  (func $factors (param $dz i32) (param $outputs i32) (param $o i32) (param $active i32)
    (param $i i32) (param $count i32)
    (global.set $row0 (call $activeRow (local.get $active) (local.get $i) (local.get $i) (local.get $count)))
    (global.set $row1 (call $activeRow (local.get $active) (local.get $i) (i32.add (local.get $i) (i32.const 1)) (local.get $count)))
    (global.set $row2 (call $activeRow (local.get $active) (local.get $i) (i32.add (local.get $i) (i32.const 2)) (local.get $count)))
    (global.set $row3 (call $activeRow (local.get $active) (local.get $i) (i32.add (local.get $i) (i32.const 3)) (local.get $count)))
    (global.set $f0 (call $factor (local.get $dz) (local.get $outputs) (local.get $o) (global.get $row0) (i32.const 1)))
    (global.set $f1 (call $factor (local.get $dz) (local.get $outputs) (local.get $o) (global.get $row1)
      (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $count))))
    (global.set $f2 (call $factor (local.get $dz) (local.get $outputs) (local.get $o) (global.get $row2)
      (i32.lt_s (i32.add (local.get $i) (i32.const 2)) (local.get $count))))
    (global.set $f3 (call $factor (local.get $dz) (local.get $outputs) (local.get $o) (global.get $row3)
      (i32.lt_s (i32.add (local.get $i) (i32.const 3)) (local.get $count)))))

  (func $activeRow (param $active i32) (param $first i32) (param $j i32) (param $count i32) (result i32)
    (i32.load (i32.add (local.get $active) (i32.shl
      (select (local.get $j) (local.get $first) (i32.lt_s (local.get $j) (local.get $count)))
      (i32.const 2)))))

  (func $factor (param $dz i32) (param $outputs i32) (param $o i32) (param $row i32) (param $live i32)
    (result v128)
    (local $at i32) (local $f v128)
    (if (i32.eqz (local.get $live)) (then (return (v128.const f64x2 0 0))))
    (local.set $at (i32.add (local.get $dz)
      (i32.shl (i32.add (i32.mul (local.get $row) (local.get $outputs)) (local.get $o)) (i32.const 3))))
    (local.set $f (v128.load64_zero (local.get $at)))
    (if (result v128) (i32.lt_s (i32.add (local.get $o) (i32.const 1)) (local.get $outputs))
      (then (f64x2.replace_lane 1 (local.get $f) (f64.load offset=8 (local.get $at))))
      (else (local.get $f)))))
