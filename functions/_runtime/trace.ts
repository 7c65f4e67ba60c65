/**
 * The trace id of a request or event, from `traceparent` (W3C) or Google's
 * `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1`, as the log field Cloud Logging links to traces.
 */
export function traceIdFrom(traceparent: string | undefined, cloudTraceContext: string | undefined): string | undefined {
  const w3c = traceparent ? /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/i.exec(traceparent.trim()) : null;
  if (w3c) return w3c[1]!.toLowerCase();
  const google = cloudTraceContext ? /^([0-9a-f]{32})(?:\/|$)/i.exec(cloudTraceContext.trim()) : null;
  return google ? google[1]!.toLowerCase() : undefined;
}

/** Log fields for a trace: `logging.googleapis.com/trace` when the project is known. */
export function traceFields(traceId: string | undefined, projectId: string | undefined): Record<string, string> {
  if (!traceId) return {};
  return projectId ? { 'logging.googleapis.com/trace': `projects/${projectId}/traces/${traceId}` } : { trace_id: traceId };
}
