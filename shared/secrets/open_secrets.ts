import type { Env, SecretsBackend } from '../config/env';
import { ConfigError } from '../errors';
import { envSecrets, type Secrets } from './secrets';

/**
 * The secrets backend configuration names: Secret Manager (loaded only then, so local runs never
 * build a Google client), or environment variables `SECRET_<NAME>`: set by hand locally, or by
 * Cloud Functions from Secret Manager at instance start (`secret-manager-env`).
 */
export async function openSecrets(backend: SecretsBackend, projectId: string | undefined, env: Env): Promise<Secrets> {
  if (backend === 'env' || backend === 'secret-manager-env') return envSecrets(env);
  if (!projectId) throw new ConfigError('invalid configuration GOOGLE_CLOUD_PROJECT: required when SECRETS_BACKEND=secret-manager');
  const { secretManagerSecrets } = await import('./secret_manager_secrets');
  return secretManagerSecrets(projectId);
}
