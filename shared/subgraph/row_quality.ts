/**
 * Signs that a row's USD values are a pricing error rather than market activity; such rows are
 * kept (they are real subgraph output) and flagged, so scoring can treat them as suspect data.
 */
export type QualityFlag = 'negative_usd' | 'volume_over_100x_tvl' | 'zero_tvl_with_volume';

export function usdQualityFlags(tvlUsd: string, volumeUsd: string): QualityFlag[] {
  const tvl = Number(tvlUsd);
  const volume = Number(volumeUsd);
  const flags: QualityFlag[] = [];
  if (tvl < 0 || volume < 0) flags.push('negative_usd');
  if (tvl > 0 && volume > 100 * tvl) flags.push('volume_over_100x_tvl');
  if (tvl === 0 && volume > 0) flags.push('zero_tvl_with_volume');
  return flags;
}
