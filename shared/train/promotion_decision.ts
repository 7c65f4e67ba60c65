import type { RankingMetrics } from '../metrics/evaluation';

export interface GateTolerance {
  readonly prAucTolerance: number;
  readonly alertRateTolerance: number;
  readonly targetAlertRate: number;
}

export interface Decision {
  readonly promote: boolean;
  readonly reason: string;
}

const fmt = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(4));

/** How far an alert rate is from the target, relative to the target (0 = on target). */
export function alertRateMiss(rate: number | null, target: number): number {
  return rate === null ? Number.POSITIVE_INFINITY : Math.abs(rate - target) / target;
}

/**
 * Champion / challenger on the same evaluation window: the challenger replaces production unless
 * it loses more than prAucTolerance of PR-AUC, or its alert rate misses the target by more than
 * alertRateTolerance (relative) beyond production's own miss. No production model: promote.
 * An evaluation window without positives has no PR-AUC; then only the alert rate decides.
 */
export function decidePromotion(challenger: RankingMetrics, production: RankingMetrics | null, gate: GateTolerance): Decision {
  if (!production) return { promote: true, reason: 'first model: no production model to compare with' };
  const problems: string[] = [];
  if (challenger.prAuc !== null && production.prAuc !== null && challenger.prAuc < production.prAuc - gate.prAucTolerance) {
    problems.push(`PR-AUC ${fmt(challenger.prAuc)} is below production's ${fmt(production.prAuc)} by more than ${gate.prAucTolerance}`);
  }
  if (challenger.prAuc === null && production.prAuc !== null) problems.push('PR-AUC undefined for the challenger');
  const missNew = alertRateMiss(challenger.alertRate, gate.targetAlertRate);
  const missOld = alertRateMiss(production.alertRate, gate.targetAlertRate);
  if (missNew > missOld + gate.alertRateTolerance) {
    problems.push(`alert rate ${fmt(challenger.alertRate)} misses the target ${gate.targetAlertRate} by ${(100 * missNew).toFixed(0)}%, production's ${fmt(production.alertRate)} by ${(100 * missOld).toFixed(0)}% (tolerance ${(100 * gate.alertRateTolerance).toFixed(0)} points)`);
  }
  if (problems.length > 0) return { promote: false, reason: `kept production: ${problems.join('; ')}` };
  return {
    promote: true,
    reason: `not worse than production: PR-AUC ${fmt(challenger.prAuc)} vs ${fmt(production.prAuc)}, alert rate ${fmt(challenger.alertRate)} vs ${fmt(production.alertRate)} (target ${gate.targetAlertRate})`,
  };
}
