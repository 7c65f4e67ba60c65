/**
 * A number as graph-node serialises BigDecimal: plain digits, no exponent, trailing zeros
 * trimmed, about 15 significant digits.
 */
export function toBigDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`BigDecimal of ${value}`);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(40, Math.max(0, 14 - magnitude));
  const fixed = value.toFixed(decimals);
  const trimmed = fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
  return trimmed === '-0' ? '0' : trimmed;
}

/** A non-negative number rounded to an integer string, as BigInt fields are serialised. */
export function toBigInt(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`BigInt of ${value}`);
  return BigInt(Math.round(value)).toString();
}
