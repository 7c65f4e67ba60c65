import { ConfigError } from '../errors';

/** Named secrets (API keys, tokens). Values are never logged. */
export interface Secrets {
  get(name: string): Promise<string>;
}

/** The environment variable a secret is read from locally: 'thegraph-api-key' -> SECRET_THEGRAPH_API_KEY. */
export function secretEnvName(name: string): string {
  return `SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Secrets from environment variables, for local runs and tests. */
export function envSecrets(env: Readonly<Record<string, string | undefined>> = process.env): Secrets {
  return {
    get(name) {
      const value = env[secretEnvName(name)];
      if (!value) return Promise.reject(new ConfigError(`secret '${name}' is not set: define ${secretEnvName(name)}`));
      return Promise.resolve(value);
    },
  };
}
