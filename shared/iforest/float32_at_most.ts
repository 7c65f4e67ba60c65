const bits = new Float32Array(1);
const bitsInt = new Int32Array(bits.buffer);
/** The negative float32 nearest to zero. */
const MINUS_MIN_FLOAT32 = -1.401298464324817e-45;

/** The largest float32 not above t (t is not NaN): Math.fround rounds to nearest, maybe up. */
export function float32AtMost(t: number): number {
  const nearest = Math.fround(t);
  if (nearest <= t) return nearest;
  if (nearest === 0) return MINUS_MIN_FLOAT32;
  // One float32 toward -Infinity: the bit pattern down when positive, up (in magnitude) when negative.
  bits[0] = nearest;
  bitsInt[0] = bitsInt[0]! + (nearest > 0 ? -1 : 1);
  return bits[0];
}
