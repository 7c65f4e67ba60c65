import { ConfigError, NotReadyError, UpstreamError, type AppError } from '../errors';

export type GraphErrorKind = 'auth' | 'not-found' | 'no-indexers' | 'bad-indexers' | 'indexing-error' | 'not-yet-indexed' | 'pruned' | 'query' | 'unknown';

/**
 * What a GraphQL error message from graph-node or the gateway means for the caller. The gateway
 * sends most failures as HTTP 200 with `errors`, so the message is all there is to go on.
 */
export function classifyGraphError(message: string): { kind: GraphErrorKind; retryable: boolean } {
  if (/^auth error/i.test(message)) return { kind: 'auth', retryable: false };
  if (/subgraph not found/i.test(message)) return { kind: 'not-found', retryable: false };
  if (/no indexers found/i.test(message)) return { kind: 'no-indexers', retryable: true };
  if (/^bad indexers/i.test(message)) return { kind: 'bad-indexers', retryable: true };
  if (message === 'indexing_error') return { kind: 'indexing-error', retryable: true };
  if (/has only indexed up to block number/.test(message)) return { kind: 'not-yet-indexed', retryable: true };
  if (/only has data starting at block number/.test(message)) return { kind: 'pruned', retryable: false };
  if (/argument must be between|Cannot query field|Unknown argument|Unknown type|Variable "\$\w+"|Field ".*" is not defined|Syntax Error/.test(message)) return { kind: 'query', retryable: false };
  return { kind: 'unknown', retryable: true };
}

/** The error to raise for a GraphQL error of a source; messages name the source, never the URL. */
export function graphErrorToAppError(sourceId: string, message: string): AppError {
  const { kind, retryable } = classifyGraphError(message);
  const text = `subgraph '${sourceId}': ${message}`;
  switch (kind) {
    case 'auth':
    case 'not-found':
      return new ConfigError(`${text} (check the API key secret and the subgraph id)`);
    case 'not-yet-indexed':
      return new NotReadyError(text);
    case 'pruned':
      return new UpstreamError(`${text}: history before that block is pruned by the indexer, so this backfill reaches beyond the subgraph's retention and cannot be fetched from it`, false);
    default:
      return new UpstreamError(text, retryable);
  }
}
