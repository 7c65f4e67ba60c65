import { join } from 'node:path';
import { parseStoreUrl } from '../../../shared/storage/store_url';

test.each([
  ['gs://raw-bucket', { kind: 'gcs', url: 'gs://raw-bucket', bucket: 'raw-bucket', prefix: '' }],
  ['gs://raw-bucket/lake/', { kind: 'gcs', url: 'gs://raw-bucket/lake', bucket: 'raw-bucket', prefix: 'lake' }],
  ['gs://raw-bucket/a/b', { kind: 'gcs', url: 'gs://raw-bucket/a/b', bucket: 'raw-bucket', prefix: 'a/b' }],
  ['memory://tests', { kind: 'memory', url: 'memory://tests', name: 'tests' }],
  ['/var/lake', { kind: 'folder', url: '/var/lake', path: '/var/lake' }],
  ['file:///var/lake', { kind: 'folder', url: '/var/lake', path: '/var/lake' }],
  ['data/lake', { kind: 'folder', url: join(process.cwd(), 'data/lake'), path: join(process.cwd(), 'data/lake') }],
])('%s is %j', (url, expected) => {
  expect(parseStoreUrl(url)).toEqual(expected);
});

test.each([
  ['', 'store URL is empty'],
  ['gs:/bucket', "'gs:/bucket' is not a valid GCS URL: expected gs://bucket[/prefix]"],
  ['gs://B', "'gs://B' is not a valid GCS URL"],
  ['memory:/x', "'memory:/x' is not a valid memory store URL: expected memory://name"],
  ['memory://', "'memory://' is not a valid memory store URL"],
  ['~/lake', "'~/lake' starts with '~', which only a shell expands"],
  ['s3://bucket', "'s3://bucket' looks like a URL of an unsupported kind"],
  ['http://host/x', "'http://host/x' looks like a URL of an unsupported kind"],
  ['file:relative', "'file:relative' is not a valid file URL"],
])('%j is refused: %s', (url, message) => {
  expect(() => parseStoreUrl(url)).toThrow(message);
});
