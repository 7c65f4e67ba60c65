export interface FeatureContribution {
  readonly feature: string;
  readonly contribution: number;
}

/**
 * One row of an explanation as (feature, contribution) pairs, largest first: what an alert quotes
 * as "abnormal because of ...". For TreeSHAP path-length values pass sign -1, since a negative
 * contribution (a shorter path) is what makes a row abnormal.
 */
export function rankFeatures(values: Float64Array, row: number, featureNames: readonly string[], sign: 1 | -1 = 1): FeatureContribution[] {
  const cols = featureNames.length;
  return featureNames
    .map((feature, c) => ({ feature, contribution: sign * values[row * cols + c]! }))
    .sort((a, b) => b.contribution - a.contribution || a.feature.localeCompare(b.feature));
}
