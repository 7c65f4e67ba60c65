import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_SOURCES } from '../../shared/config/sources';

export const REPO = resolve(__dirname, '..', '..');
export const FUNCTIONS_DIR = join(REPO, 'functions');
export const SYSTEM_MAIN = join(REPO, 'terraform', 'modules', 'system', 'main.tf');

/** Folders of functions/ that are functions (those starting with `_`, such as _runtime, are shared code). */
export function functionFolders(): string[] {
  return readdirSync(FUNCTIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .map((d) => d.name)
    .sort();
}

/** Function names terraform deploys, read synchronously (jest needs the list before the async parse). */
export function terraformFunctionNames(): string[] {
  return [...readFileSync(SYSTEM_MAIN, 'utf8').matchAll(/^module "fn_([a-z0-9_]+)" \{/gm)].map((m) => m[1]!).sort();
}

export const handlerPath = (name: string): string => join(FUNCTIONS_DIR, name, 'handler.ts');
export const handlerExists = (name: string): boolean => existsSync(handlerPath(name));

/**
 * The secrets each function reads through Secret Manager: fetch the gateway keys its default
 * sources name, score the Slack bot token, serve its optional API key. Nothing else reads one.
 */
export const SECRETS_READ_BY: Readonly<Record<string, readonly string[]>> = {
  fetch: [...new Set(DEFAULT_SOURCES.flatMap((s) => ('apiKeySecret' in s.endpoint ? [s.endpoint.apiKeySecret] : [])))].sort(),
  load: [],
  train: [],
  score: ['slack-bot-token'],
  serve: ['serve-api-key'],
};
