import { entryFromLine, extract, matchesLogFilter, parseLogFilter } from './logging_filter';

const entry = entryFromLine({ severity: 'WARNING', message: 'load failed, will be retried: x', function: 'load', error: { kind: 'upstream', retryable: true }, n: 7 }, 'dex-load');

test.each([
  ['resource.type="cloud_run_revision"', true],
  ['resource.type="gce_instance"', false],
  ['jsonPayload.function:*', true],
  ['jsonPayload.missing:*', false],
  ['severity>=WARNING', true],
  ['severity>=ERROR', false],
  ['severity<ERROR', true],
  ['jsonPayload.error.retryable=true', true],
  ['jsonPayload.error.retryable=false', false],
  ['jsonPayload.n>=7', true],
  ['jsonPayload.n>7', false],
  ['jsonPayload.message:"will be RETRIED"', true],
  ['resource.labels.service_name=~"^dex-"', true],
  ['resource.labels.service_name!~"^dex-"', false],
  ['severity>=ERROR OR jsonPayload.error.retryable=true', true],
  ['resource.type="cloud_run_revision"\njsonPayload.function:*\n(severity>=ERROR OR jsonPayload.n<0)', false],
  ['resource.type="cloud_run_revision" AND NOT severity=INFO', true],
  ['jsonPayload.function!="fetch"', true],
])('%s -> %s', (filter, expected) => {
  expect(matchesLogFilter(filter, entry)).toBe(expected);
});

test('anything outside the subset is refused, not guessed', () => {
  expect(() => parseLogFilter('severity>=')).toThrow('expected <field> <op> <value>');
  expect(() => parseLogFilter('(severity>=ERROR')).toThrow("missing ')'");
  expect(() => matchesLogFilter('severity>=LOUD', entry)).toThrow('unknown severity');
  expect(() => extract('REGEXP_EXTRACT(jsonPayload.message, "(.*)")', entry)).toThrow('unsupported extractor');
});

test('EXTRACT reads the field', () => {
  expect(extract('EXTRACT(jsonPayload.error.kind)', entry)).toBe('upstream');
});

test('the special fields of a structured line leave jsonPayload for the entry, as Cloud Logging does', () => {
  const line = { severity: 'ERROR', message: 'fetch POST / -> 502', function: 'fetch', httpRequest: { status: 502 }, 'logging.googleapis.com/trace': 'projects/p/traces/t' };
  expect(entryFromLine(line, 'dex-fetch')).toEqual({
    severity: 'ERROR',
    resource: { type: 'cloud_run_revision', labels: { service_name: 'dex-fetch' } },
    httpRequest: { status: 502 },
    trace: 'projects/p/traces/t',
    jsonPayload: { message: 'fetch POST / -> 502', function: 'fetch' },
  });
  expect(matchesLogFilter('httpRequest.status>=500', entryFromLine(line, 'dex-fetch'))).toBe(true);
  expect(matchesLogFilter('jsonPayload.httpRequest.status>=500', entryFromLine(line, 'dex-fetch'))).toBe(false);
});
