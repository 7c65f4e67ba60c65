import type { RankingMetrics } from '../../../shared/metrics/evaluation';
import { decidePromotion } from '../../../shared/train/promotion_decision';

const base: RankingMetrics = { rows: 1000, positives: 10, prAuc: 0.5, rocAuc: 0.9, precisionAt10: 0.3, recallAt10: 0.4, hours: 24, hoursWithPositives: 8, hoursWithFewerThan10: 0, alertRate: 0.002 };
const gate = { prAucTolerance: 0.01, alertRateTolerance: 0.5, targetAlertRate: 0.002 };
const m = (o: Partial<RankingMetrics>): RankingMetrics => ({ ...base, ...o });

test.each([
  { name: 'first model', challenger: base, production: null, promote: true, reason: 'first model: no production model to compare with' },
  { name: 'equal', challenger: base, production: base, promote: true, reason: 'not worse than production: PR-AUC 0.5000 vs 0.5000, alert rate 0.0020 vs 0.0020 (target 0.002)' },
  { name: 'within PR-AUC tolerance', challenger: m({ prAuc: 0.491 }), production: base, promote: true, reason: 'not worse than production: PR-AUC 0.4910 vs 0.5000, alert rate 0.0020 vs 0.0020 (target 0.002)' },
  { name: 'PR-AUC too low', challenger: m({ prAuc: 0.489 }), production: base, promote: false, reason: "kept production: PR-AUC 0.4890 is below production's 0.5000 by more than 0.01" },
  { name: 'alert rate drifted', challenger: m({ alertRate: 0.0032 }), production: base, promote: false, reason: "kept production: alert rate 0.0032 misses the target 0.002 by 60%, production's 0.0020 by 0% (tolerance 50 points)" },
  { name: 'alert rate drifted less than production', challenger: m({ alertRate: 0.0032 }), production: m({ alertRate: 0.004 }), promote: true, reason: 'not worse than production: PR-AUC 0.5000 vs 0.5000, alert rate 0.0032 vs 0.0040 (target 0.002)' },
  { name: 'no positives in the window: alert rate decides', challenger: m({ prAuc: null }), production: m({ prAuc: null }), promote: true, reason: 'not worse than production: PR-AUC n/a vs n/a, alert rate 0.0020 vs 0.0020 (target 0.002)' },
])('$name', ({ challenger, production, promote, reason }) => {
  expect(decidePromotion(challenger, production, gate)).toEqual({ promote, reason });
});
