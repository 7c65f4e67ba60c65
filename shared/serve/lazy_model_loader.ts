import type { ModelLoader } from './model_source';

/**
 * A ModelLoader whose code is imported on first use: the registry's loader brings the registry
 * and its metadata schemas (about a hundred zod schemas, built as their module loads), which an
 * instance serving a pinned model file never needs at cold start. A failed import is retried on
 * the next call.
 */
export function lazyModelLoader(importLoader: () => Promise<ModelLoader>): ModelLoader {
  let loader: Promise<ModelLoader> | undefined;
  const once = () =>
    (loader ??= importLoader().catch((err: unknown) => {
      loader = undefined;
      throw err;
    }));
  return {
    productionVersion: async () => (await once()).productionVersion(),
    load: async (version) => (await once()).load(version),
  };
}
