import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { ConfigError, UpstreamError } from '../errors';
import type { Secrets } from './secrets';

/** The calls used, so tests and other backends can stand in for the client. */
export interface SecretVersionAccessor {
  accessSecretVersion(request: { name: string }): Promise<[{ payload?: { data?: Uint8Array | string | null } | null }, ...unknown[]]>;
}

/**
 * Secrets from Google Secret Manager (`projects/<project>/secrets/<name>/versions/latest`), read
 * once per instance: a warm function does not pay the lookup on every request.
 */
export function secretManagerSecrets(projectId: string, client: SecretVersionAccessor = new SecretManagerServiceClient()): Secrets {
  const cache = new Map<string, Promise<string>>();
  return {
    get(name) {
      let value = cache.get(name);
      if (!value) {
        const resource = `projects/${projectId}/secrets/${name}/versions/latest`;
        value = client.accessSecretVersion({ name: resource }).then(
          ([version]) => {
            const data = version.payload?.data;
            const text = typeof data === 'string' ? data : data ? Buffer.from(data).toString('utf8') : '';
            if (!text) throw new ConfigError(`secret ${resource} is empty`);
            return text.trim();
          },
          (err: unknown) => {
            cache.delete(name);
            const code = (err as { code?: number }).code;
            // gRPC 5 NOT_FOUND and 7 PERMISSION_DENIED are configuration problems, not outages.
            if (code === 5 || code === 7) throw new ConfigError(`cannot read secret ${resource} (gRPC code ${code})`, { cause: err });
            throw new UpstreamError(`Secret Manager failed reading ${resource}`, true, { cause: err });
          },
        );
        cache.set(name, value);
      }
      return value;
    },
  };
}
