;; Fused logistic-regression pass in WebAssembly SIMD (128-bit baseline SIMD, no relaxed-simd),
;; the WebAssembly twin of logisticRowsF64 in dense-f64.ts. Hand-written; compiled into
;; logistic-simd-wasm.ts by scripts/generate-wasm-kernels.mjs (a test checks the two agree).
;;
;; Inputs are float32 but every product and sum is float64: a row's four floats are loaded as
;; two pairs (v128.load64_zero), each pair widened to f64x2 (f64x2.promote_low_f32x4) and
;; multiplied and accumulated in f64x2. The model tests check gradients by central finite
;; differences to 1e-6, which float32 accumulation would not pass.
;;
;; Memory is imported, so the host decides its size: one instance per data allocation whose
;; memory never grows (zero-copy), or one shared instance whose memory grows for copied batches.
;; Addresses are byte offsets; the host lays out, in the scratch area:
;;   w      cols float64 weights
;;   g      cols float64 gradient accumulators (added to, so the host zeroes them)
;;   gBias  one float64 bias-gradient accumulator
;;   y      rows float64 labels of this call
;; and x, rows x cols float32 row-major, anywhere (4-byte aligned).
;;
;; Rows go in blocks of eight, as in the JS kernel: each weight pair loaded feeds eight dot
;; products, and each gradient pair read-modify-written carries eight products, while the eight
;; rows (8 x 256 bytes for 64 columns) are still in L1. One exp per row, one log1p per four rows
;; (sum_i log(1 + e_i) = log1p(prod_i (1 + e_i) - 1), expanded without cancellation).
(module
  (import "env" "memory" (memory 1))

  ;; exp(-|z|) for each f64 lane, z any double (NaN stays NaN; |z| > 746 gives 0, as Math.exp).
  ;; Method: x = max(-|z|, -746); k = round(x / ln 2); r = x - k ln2 (Cody-Waite: ln2 = hi + lo,
  ;; hi with 32 significant bits so k hi is exact for |k| <= 1076); |r| <= ln2/2 + tiny.
  ;; exp(r) by its Taylor polynomial of degree 13 (Horner): truncation error
  ;; (ln2/2)^14 / 14! < 5e-18 relative, below the rounding of the Horner steps, so the result
  ;; is within about 1 ulp (the tests measure <= 2 ulp against Math.exp). The scale 2^k is
  ;; applied as 2^k1 * 2^k2 with k1 = floor(k/2), k2 = k - k1, both >= -538, so both factors
  ;; are normal doubles and the one final rounding yields the correctly scaled subnormal result
  ;; for -745 < x < -708. Rounding k: t = x log2(e) + 1.5 * 2^52 lands in [2^52, 2^53), where
  ;; doubles are the integers, so t - 1.5 * 2^52 is k exactly and bits(t) - bits(1.5 * 2^52) = k.
  (func $expNegAbs (param $z v128) (result v128)
    (local $x v128) (local $t v128) (local $kf v128) (local $r v128) (local $p v128)
    (local $k v128) (local $k1 v128)
    (local.set $x
      (f64x2.max
        (f64x2.neg (f64x2.abs (local.get $z)))
        (v128.const f64x2 -746 -746)))
    (local.set $t
      (f64x2.add
        (f64x2.mul (local.get $x) (v128.const f64x2 1.4426950408889634 1.4426950408889634))
        (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $kf (f64x2.sub (local.get $t) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $r
      (f64x2.sub
        (f64x2.sub
          (local.get $x)
          (f64x2.mul (local.get $kf) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1)))
        (f64x2.mul (local.get $kf) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))))
    ;; p = sum_{n=0}^{13} r^n / n!
    (local.set $p (v128.const f64x2 1.6059043836821613e-10 1.6059043836821613e-10))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 2.08767569878681e-9 2.08767569878681e-9)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 2.505210838544172e-8 2.505210838544172e-8)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 2.755731922398589e-7 2.755731922398589e-7)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 2.7557319223985893e-6 2.7557319223985893e-6)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 2.48015873015873e-5 2.48015873015873e-5)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 1.984126984126984e-4 1.984126984126984e-4)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 1.388888888888889e-3 1.388888888888889e-3)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 8.333333333333333e-3 8.333333333333333e-3)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 4.1666666666666664e-2 4.1666666666666664e-2)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r))
      (v128.const f64x2 0.16666666666666666 0.16666666666666666)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (v128.const f64x2 0.5 0.5)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (v128.const f64x2 1 1)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $r)) (v128.const f64x2 1 1)))
    ;; 2^k1 and 2^k2 built from their exponent fields: bits = (k + 1023) << 52.
    (local.set $k (i64x2.sub (local.get $t) (v128.const f64x2 6755399441055744 6755399441055744)))
    (local.set $k1 (i64x2.shr_s (local.get $k) (i32.const 1)))
    (f64x2.mul
      (f64x2.mul
        (local.get $p)
        (i64x2.shl (i64x2.add (local.get $k1) (v128.const i64x2 1023 1023)) (i32.const 52)))
      (i64x2.shl
        (i64x2.add (i64x2.sub (local.get $k) (local.get $k1)) (v128.const i64x2 1023 1023))
        (i32.const 52))))

  ;; log1p(q) for each f64 lane, q >= 0 (here q <= 15: a product of four (1 + e), e <= 1).
  ;; Method: u = 1 + q rounded; u = 2^k m with m in [sqrt(1/2), sqrt(2)) read from the bits;
  ;; log1p(q) = k ln2 + log(m) + c, where c = (q - (u - 1)) / u restores what the rounding of
  ;; 1 + q lost (u - 1 and m - 1 are exact). log(m) = 2 atanh(s) with s = (m - 1) / (m + 1),
  ;; |s| <= 0.1716, = 2s (1 + s^2/3 + s^4/5 + ... + s^18/19): the first term left out is below
  ;; s^20/21 < 3e-17 relative. The division for s and the final sums round, so the result is
  ;; within about 2 ulp (the tests measure it against Math.log1p).
  (func $log1p (param $q v128) (result v128)
    (local $u v128) (local $m v128) (local $kf v128) (local $big v128) (local $f v128)
    (local $s v128) (local $w v128) (local $p v128) (local $twoS v128)
    (local.set $u (f64x2.add (local.get $q) (v128.const f64x2 1 1)))
    ;; m = mantissa of u with the exponent of 1.0, in [1, 2); k = biased exponent - 1023, read as
    ;; a double by placing it in the low mantissa bits of 2^52.
    (local.set $m
      (v128.or
        (v128.and (local.get $u) (v128.const i64x2 0x000fffffffffffff 0x000fffffffffffff))
        (v128.const f64x2 1 1)))
    (local.set $kf
      (f64x2.sub
        (v128.or (i64x2.shr_u (local.get $u) (i32.const 52)) (v128.const f64x2 0x1p52 0x1p52))
        (v128.const f64x2 4503599627371519 4503599627371519)))
    ;; m > sqrt(2): halve it and count one more power of two.
    (local.set $big (f64x2.gt (local.get $m) (v128.const f64x2 1.4142135623730951 1.4142135623730951)))
    (local.set $m
      (v128.bitselect
        (f64x2.mul (local.get $m) (v128.const f64x2 0.5 0.5))
        (local.get $m)
        (local.get $big)))
    (local.set $kf (f64x2.add (local.get $kf) (v128.and (local.get $big) (v128.const f64x2 1 1))))
    (local.set $f (f64x2.sub (local.get $m) (v128.const f64x2 1 1)))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (local.get $f) (v128.const f64x2 2 2))))
    (local.set $w (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $p (v128.const f64x2 0.05263157894736842 0.05263157894736842))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.058823529411764705 0.058823529411764705)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.06666666666666667 0.06666666666666667)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.07692307692307693 0.07692307692307693)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.09090909090909091 0.09090909090909091)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.1111111111111111 0.1111111111111111)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.14285714285714285 0.14285714285714285)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w)) (v128.const f64x2 0.2 0.2)))
    (local.set $p (f64x2.add (f64x2.mul (local.get $p) (local.get $w))
      (v128.const f64x2 0.3333333333333333 0.3333333333333333)))
    (local.set $twoS (f64x2.add (local.get $s) (local.get $s)))
    ;; k hi + (log(m) + (k lo + c)), smallest terms first.
    (f64x2.add
      (f64x2.mul (local.get $kf) (v128.const f64x2 0x1.62e42feep-1 0x1.62e42feep-1))
      (f64x2.add
        (f64x2.add
          (local.get $twoS)
          (f64x2.mul (local.get $twoS) (f64x2.mul (local.get $w) (local.get $p))))
        (f64x2.add
          (f64x2.mul (local.get $kf) (v128.const f64x2 1.9082149292705877e-10 1.9082149292705877e-10))
          (f64x2.div
            (f64x2.sub (local.get $q) (f64x2.sub (local.get $u) (v128.const f64x2 1 1)))
            (local.get $u))))))

  ;; Scalar entry points of the two functions above (lane 0), for the accuracy tests.
  (func (export "expNegAbs") (param $z f64) (result f64)
    (f64x2.extract_lane 0 (call $expNegAbs (f64x2.splat (local.get $z)))))
  (func (export "log1p") (param $q f64) (result f64)
    (f64x2.extract_lane 0 (call $log1p (f64x2.splat (local.get $q)))))

  ;; sigmoid(z) - y from z, e = exp(-|z|) and y, lane-wise: 1 / (1 + e) for z >= 0 and
  ;; e / (1 + e) for z < 0, times the host's scale.
  (func $gradientFactor (param $z v128) (param $e v128) (param $y v128) (param $scale v128)
    (result v128)
    (f64x2.mul
      (local.get $scale)
      (f64x2.sub
        (f64x2.div
          (v128.bitselect
            (v128.const f64x2 1 1)
            (local.get $e)
            (f64x2.ge (local.get $z) (v128.const f64x2 0 0)))
          (f64x2.add (local.get $e) (v128.const f64x2 1 1)))
        (local.get $y))))

  ;; softplus(z) - y z without its log1p(e) term, lane-wise: max(z, 0) - y z.
  (func $lossWithoutLog (param $z v128) (param $y v128) (result v128)
    (f64x2.sub
      (f64x2.max (local.get $z) (v128.const f64x2 0 0))
      (f64x2.mul (local.get $y) (local.get $z))))

  ;; Returns the sum over rows of softplus(z_r) - y_r z_r, z_r = bias + w . x_r; when
  ;; withGradient is not 0, adds scale (sigmoid(z_r) - y_r) x_r to g[0 .. cols) and
  ;; scale (sigmoid(z_r) - y_r) to gBias.
  (func (export "logisticRows")
    (param $x i32) (param $rows i32) (param $cols i32) (param $y i32) (param $w i32)
    (param $g i32) (param $gBias i32) (param $bias f64) (param $scale f64)
    (param $withGradient i32) (result f64)
    (local $rowBytes i32) (local $pairBytes i32) (local $r i32) (local $kx i32) (local $kw i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $p4 i32) (local $p5 i32) (local $p6 i32) (local $p7 i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $wv v128) (local $biasV v128) (local $scaleV v128)
    (local $z01 v128) (local $z23 v128) (local $z45 v128) (local $z67 v128)
    (local $e01 v128) (local $e23 v128) (local $e45 v128) (local $e67 v128)
    (local $y01 v128) (local $y23 v128) (local $y45 v128) (local $y67 v128)
    (local $qa v128) (local $qb v128) (local $total v128) (local $gb v128)
    (local $g0 v128) (local $g1 v128) (local $g2 v128) (local $g3 v128)
    (local $g4 v128) (local $g5 v128) (local $g6 v128) (local $g7 v128)
    (local $acc v128) (local $z v128) (local $e v128) (local $yv v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))
    ;; Columns are taken in pairs (8 bytes of x, 16 of w); an odd last column comes after.
    (local.set $pairBytes (i32.and (local.get $rowBytes) (i32.const -8)))
    (local.set $biasV (f64x2.splat (local.get $bias)))
    (local.set $scaleV (f64x2.splat (local.get $scale)))
    (local.set $total (v128.const f64x2 0 0))
    (local.set $gb (v128.const f64x2 0 0))
    (local.set $r (i32.const 0))
    (local.set $p0 (local.get $x))
    (block $blocksDone
      (loop $blocks
        (br_if $blocksDone (i32.gt_s (i32.add (local.get $r) (i32.const 8)) (local.get $rows)))
        (local.set $p1 (i32.add (local.get $p0) (local.get $rowBytes)))
        (local.set $p2 (i32.add (local.get $p1) (local.get $rowBytes)))
        (local.set $p3 (i32.add (local.get $p2) (local.get $rowBytes)))
        (local.set $p4 (i32.add (local.get $p3) (local.get $rowBytes)))
        (local.set $p5 (i32.add (local.get $p4) (local.get $rowBytes)))
        (local.set $p6 (i32.add (local.get $p5) (local.get $rowBytes)))
        (local.set $p7 (i32.add (local.get $p6) (local.get $rowBytes)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $a2 (v128.const f64x2 0 0))
        (local.set $a3 (v128.const f64x2 0 0))
        (local.set $a4 (v128.const f64x2 0 0))
        (local.set $a5 (v128.const f64x2 0 0))
        (local.set $a6 (v128.const f64x2 0 0))
        (local.set $a7 (v128.const f64x2 0 0))
        ;; Dot products: lane j of a_i sums the columns of parity j of row i.
        (local.set $kx (i32.const 0))
        (local.set $kw (local.get $w))
        (block $dotDone
          (loop $dot
            (br_if $dotDone (i32.ge_u (local.get $kx) (local.get $pairBytes)))
            (local.set $wv (v128.load (local.get $kw)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p0) (local.get $kx)))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p1) (local.get $kx)))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p2) (local.get $kx)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p3) (local.get $kx)))))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p4) (local.get $kx)))))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p5) (local.get $kx)))))))
            (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p6) (local.get $kx)))))))
            (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p7) (local.get $kx)))))))
            (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
            (local.set $kw (i32.add (local.get $kw) (i32.const 16)))
            (br $dot)))
        (if (i32.ne (local.get $kx) (local.get $rowBytes))
          (then
            ;; The odd last column: (x, 0) * (w, 0) adds to lane 0 only.
            (local.set $wv (v128.load64_zero (local.get $kw)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p0) (local.get $kx)))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p1) (local.get $kx)))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p2) (local.get $kx)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p3) (local.get $kx)))))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p4) (local.get $kx)))))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p5) (local.get $kx)))))))
            (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p6) (local.get $kx)))))))
            (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (local.get $wv)
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p7) (local.get $kx)))))))))
        ;; z for rows (0, 1), (2, 3), (4, 5), (6, 7): lane sums of two accumulators, plus bias.
        (local.set $z01 (f64x2.add (local.get $biasV) (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a0) (local.get $a1))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a0) (local.get $a1)))))
        (local.set $z23 (f64x2.add (local.get $biasV) (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a2) (local.get $a3))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a2) (local.get $a3)))))
        (local.set $z45 (f64x2.add (local.get $biasV) (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a4) (local.get $a5))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a4) (local.get $a5)))))
        (local.set $z67 (f64x2.add (local.get $biasV) (f64x2.add
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $a6) (local.get $a7))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $a6) (local.get $a7)))))
        (local.set $e01 (call $expNegAbs (local.get $z01)))
        (local.set $e23 (call $expNegAbs (local.get $z23)))
        (local.set $e45 (call $expNegAbs (local.get $z45)))
        (local.set $e67 (call $expNegAbs (local.get $z67)))
        (local.set $y01 (v128.load (local.get $y)))
        (local.set $y23 (v128.load offset=16 (local.get $y)))
        (local.set $y45 (v128.load offset=32 (local.get $y)))
        (local.set $y67 (v128.load offset=48 (local.get $y)))
        ;; (1 + a)(1 + b) - 1 = a + b + ab, all terms >= 0: lane j ends as prod (1 + e) - 1 over
        ;; the four rows of parity j.
        (local.set $qa (f64x2.add (f64x2.add (local.get $e01) (local.get $e23))
          (f64x2.mul (local.get $e01) (local.get $e23))))
        (local.set $qb (f64x2.add (f64x2.add (local.get $e45) (local.get $e67))
          (f64x2.mul (local.get $e45) (local.get $e67))))
        (local.set $total (f64x2.add (local.get $total) (f64x2.add
          (f64x2.add
            (f64x2.add
              (call $lossWithoutLog (local.get $z01) (local.get $y01))
              (call $lossWithoutLog (local.get $z23) (local.get $y23)))
            (f64x2.add
              (call $lossWithoutLog (local.get $z45) (local.get $y45))
              (call $lossWithoutLog (local.get $z67) (local.get $y67))))
          (call $log1p (f64x2.add (f64x2.add (local.get $qa) (local.get $qb))
            (f64x2.mul (local.get $qa) (local.get $qb)))))))
        (if (local.get $withGradient)
          (then
            ;; Reuse the e and z registers for the per-row factors g = scale (sigmoid(z) - y).
            (local.set $e01 (call $gradientFactor (local.get $z01) (local.get $e01) (local.get $y01) (local.get $scaleV)))
            (local.set $e23 (call $gradientFactor (local.get $z23) (local.get $e23) (local.get $y23) (local.get $scaleV)))
            (local.set $e45 (call $gradientFactor (local.get $z45) (local.get $e45) (local.get $y45) (local.get $scaleV)))
            (local.set $e67 (call $gradientFactor (local.get $z67) (local.get $e67) (local.get $y67) (local.get $scaleV)))
            (local.set $gb (f64x2.add (local.get $gb) (f64x2.add
              (f64x2.add (local.get $e01) (local.get $e23))
              (f64x2.add (local.get $e45) (local.get $e67)))))
            ;; Broadcast each row's factor to both lanes.
            (local.set $g0 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $e01) (local.get $e01)))
            (local.set $g1 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e01) (local.get $e01)))
            (local.set $g2 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $e23) (local.get $e23)))
            (local.set $g3 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e23) (local.get $e23)))
            (local.set $g4 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $e45) (local.get $e45)))
            (local.set $g5 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e45) (local.get $e45)))
            (local.set $g6 (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $e67) (local.get $e67)))
            (local.set $g7 (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $e67) (local.get $e67)))
            ;; g[k] += sum_i g_i x_i[k], two columns at a time, the eight rows summed as a tree.
            (local.set $kx (i32.const 0))
            (local.set $kw (local.get $g))
            (block $gradDone
              (loop $grad
                (br_if $gradDone (i32.ge_u (local.get $kx) (local.get $pairBytes)))
                (v128.store (local.get $kw) (f64x2.add (v128.load (local.get $kw)) (f64x2.add
                  (f64x2.add
                    (f64x2.add
                      (f64x2.mul (local.get $g0) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p0) (local.get $kx)))))
                      (f64x2.mul (local.get $g1) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p1) (local.get $kx))))))
                    (f64x2.add
                      (f64x2.mul (local.get $g2) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p2) (local.get $kx)))))
                      (f64x2.mul (local.get $g3) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p3) (local.get $kx)))))))
                  (f64x2.add
                    (f64x2.add
                      (f64x2.mul (local.get $g4) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p4) (local.get $kx)))))
                      (f64x2.mul (local.get $g5) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p5) (local.get $kx))))))
                    (f64x2.add
                      (f64x2.mul (local.get $g6) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p6) (local.get $kx)))))
                      (f64x2.mul (local.get $g7) (f64x2.promote_low_f32x4
                        (v128.load64_zero (i32.add (local.get $p7) (local.get $kx))))))))))
                (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
                (local.set $kw (i32.add (local.get $kw) (i32.const 16)))
                (br $grad)))
            (if (i32.ne (local.get $kx) (local.get $rowBytes))
              (then
                ;; The odd last column: lane 0 only, stored back as one double.
                (v128.store64_lane 0 (local.get $kw) (f64x2.add (v128.load64_zero (local.get $kw)) (f64x2.add
                  (f64x2.add
                    (f64x2.add
                      (f64x2.mul (local.get $g0) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p0) (local.get $kx)))))
                      (f64x2.mul (local.get $g1) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p1) (local.get $kx))))))
                    (f64x2.add
                      (f64x2.mul (local.get $g2) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p2) (local.get $kx)))))
                      (f64x2.mul (local.get $g3) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p3) (local.get $kx)))))))
                  (f64x2.add
                    (f64x2.add
                      (f64x2.mul (local.get $g4) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p4) (local.get $kx)))))
                      (f64x2.mul (local.get $g5) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p5) (local.get $kx))))))
                    (f64x2.add
                      (f64x2.mul (local.get $g6) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p6) (local.get $kx)))))
                      (f64x2.mul (local.get $g7) (f64x2.promote_low_f32x4
                        (v128.load32_zero (i32.add (local.get $p7) (local.get $kx))))))))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 8)))
        (local.set $p0 (i32.add (local.get $p7) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (i32.const 64)))
        (br $blocks)))
    ;; The last rows, one at a time, with the same arithmetic (both lanes of z equal).
    (block $restDone
      (loop $rest
        (br_if $restDone (i32.ge_s (local.get $r) (local.get $rows)))
        (local.set $acc (v128.const f64x2 0 0))
        (local.set $kx (i32.const 0))
        (local.set $kw (local.get $w))
        (block $dot1Done
          (loop $dot1
            (br_if $dot1Done (i32.ge_u (local.get $kx) (local.get $pairBytes)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (v128.load (local.get $kw))
              (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $p0) (local.get $kx)))))))
            (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
            (local.set $kw (i32.add (local.get $kw) (i32.const 16)))
            (br $dot1)))
        (if (i32.ne (local.get $kx) (local.get $rowBytes))
          (then
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (v128.load64_zero (local.get $kw))
              (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $p0) (local.get $kx)))))))))
        (local.set $z (f64x2.add (local.get $biasV) (f64x2.add
          (local.get $acc)
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $acc) (local.get $acc)))))
        (local.set $e (call $expNegAbs (local.get $z)))
        (local.set $yv (v128.load64_splat (local.get $y)))
        ;; Lane 0 only, so the sum over both lanes at the end counts the row once.
        (local.set $total (f64x2.add (local.get $total) (f64x2.replace_lane 1
          (f64x2.add
            (call $lossWithoutLog (local.get $z) (local.get $yv))
            (call $log1p (local.get $e)))
          (f64.const 0))))
        (if (local.get $withGradient)
          (then
            (local.set $g0 (call $gradientFactor (local.get $z) (local.get $e) (local.get $yv) (local.get $scaleV)))
            (local.set $gb (f64x2.replace_lane 0 (local.get $gb)
              (f64.add (f64x2.extract_lane 0 (local.get $gb)) (f64x2.extract_lane 0 (local.get $g0)))))
            (local.set $kx (i32.const 0))
            (local.set $kw (local.get $g))
            (block $grad1Done
              (loop $grad1
                (br_if $grad1Done (i32.ge_u (local.get $kx) (local.get $pairBytes)))
                (v128.store (local.get $kw) (f64x2.add (v128.load (local.get $kw))
                  (f64x2.mul (local.get $g0) (f64x2.promote_low_f32x4
                    (v128.load64_zero (i32.add (local.get $p0) (local.get $kx)))))))
                (local.set $kx (i32.add (local.get $kx) (i32.const 8)))
                (local.set $kw (i32.add (local.get $kw) (i32.const 16)))
                (br $grad1)))
            (if (i32.ne (local.get $kx) (local.get $rowBytes))
              (then
                (v128.store64_lane 0 (local.get $kw) (f64x2.add (v128.load64_zero (local.get $kw))
                  (f64x2.mul (local.get $g0) (f64x2.promote_low_f32x4
                    (v128.load32_zero (i32.add (local.get $p0) (local.get $kx)))))))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (local.set $p0 (i32.add (local.get $p0) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (i32.const 8)))
        (br $rest)))
    (if (local.get $withGradient)
      (then
        (f64.store (local.get $gBias) (f64.add (f64.load (local.get $gBias))
          (f64.add (f64x2.extract_lane 0 (local.get $gb)) (f64x2.extract_lane 1 (local.get $gb)))))))
    (f64.add (f64x2.extract_lane 0 (local.get $total)) (f64x2.extract_lane 1 (local.get $total)))))
