import { ConfigError, UpstreamError } from '../../../shared/errors';
import { memoryLogger, redact } from '../../../shared/logging';
import { envSecrets, secretEnvName } from '../../../shared/secrets/secrets';
import { secretManagerSecrets, type SecretVersionAccessor } from '../../../shared/secrets/secret_manager_secrets';

test('local secrets come from SECRET_<NAME> variables; a missing one names the variable', async () => {
  expect(secretEnvName('thegraph-api-key')).toBe('SECRET_THEGRAPH_API_KEY');
  await expect(envSecrets({ SECRET_THEGRAPH_API_KEY: 'k-123' }).get('thegraph-api-key')).resolves.toBe('k-123');
  await expect(envSecrets({}).get('thegraph-api-key')).rejects.toThrow("secret 'thegraph-api-key' is not set: define SECRET_THEGRAPH_API_KEY");
});

test('Secret Manager: reads the latest version once per instance', async () => {
  const names: string[] = [];
  const client: SecretVersionAccessor = {
    accessSecretVersion: (req) => {
      names.push(req.name);
      return Promise.resolve([{ payload: { data: Buffer.from('gateway-key\n') } }]);
    },
  };
  const secrets = secretManagerSecrets('my-project', client);
  expect(await secrets.get('thegraph-api-key')).toBe('gateway-key');
  expect(await secrets.get('thegraph-api-key')).toBe('gateway-key');
  expect(names).toEqual(['projects/my-project/secrets/thegraph-api-key/versions/latest']);
});

test.each([
  [5, ConfigError],
  [7, ConfigError],
  [14, UpstreamError],
])('Secret Manager gRPC code %i becomes %p', async (code, type) => {
  const client: SecretVersionAccessor = { accessSecretVersion: () => Promise.reject(Object.assign(new Error('x'), { code })) };
  await expect(secretManagerSecrets('p', client).get('s')).rejects.toBeInstanceOf(type);
});

test('logs are JSON with severity and message, and never carry a known secret', () => {
  const logger = memoryLogger();
  logger.child({ source: 'uni' }).log('WARNING', 'retrying', { attempt: 2 });
  expect(logger.lines).toEqual([{ severity: 'WARNING', message: 'retrying', source: 'uni', attempt: 2 }]);
  expect(redact('GET /api/s3cr3t-key/subgraphs and s3cr3t%2Bkey', ['s3cr3t-key', 's3cr3t+key'])).toBe('GET /api/[redacted]/subgraphs and [redacted]');
});
