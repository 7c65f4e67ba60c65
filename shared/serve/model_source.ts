import { NotReadyError } from '../errors';
import type { IsolationForest } from '../iforest/isolation_forest';
import type { Logger } from '../logging';

/** The model a request is scored with, and what the response says about it. */
export interface LoadedModel {
  readonly version: string;
  readonly model: IsolationForest;
  /** The names rows must carry, in the model's column order. */
  readonly featureNames: readonly string[];
  /** A row is an anomaly when its score is strictly above this (see scoreRows). */
  readonly threshold: number;
}

/** Where the serving model comes from: the cached production model. */
export interface ModelSource {
  current(): Promise<LoadedModel>;
  /**
   * The model current() would give, when one is loaded already (undefined before the first load),
   * without a promise: a request then needs none. Optional for sources that cannot tell.
   */
  loadedNow?(): LoadedModel | undefined;
}

/** What a model store must answer: which version is production now (cheap), and that version. */
export interface ModelLoader {
  /** The version the production alias points at now: read often, so it must be cheap. */
  productionVersion(): Promise<string>;
  load(version: string): Promise<LoadedModel>;
}

export interface RefreshOptions {
  /** At most one alias check per this many seconds. */
  readonly checkEverySeconds: number;
  /** Milliseconds, like Date.now. */
  readonly clock: () => number;
  readonly logger: Logger;
}

/** A ModelSource that tests can wait on: `idle()` resolves once no background check is running. */
export interface RefreshingModelSource extends ModelSource {
  idle(): Promise<void>;
  loadedNow(): LoadedModel | undefined;
}

/**
 * Loads the production model once (call `current()` at cold start) and keeps it. A request past
 * `checkEverySeconds` since the last check starts a background check of the alias and gets the
 * cached model at once: a check or a download never delays a request. A failed check keeps the
 * old model and is logged; only before the first successful load does a request wait (and fail
 * with NotReadyError, 503, so the caller retries).
 */
export function refreshingModelSource(loader: ModelLoader, options: RefreshOptions): RefreshingModelSource {
  let loaded: LoadedModel | undefined;
  let first: Promise<LoadedModel> | undefined;
  let background: Promise<void> | undefined;
  let lastCheck = -Infinity;

  const loadFirst = (): Promise<LoadedModel> =>
    (first ??= (async () => {
      lastCheck = options.clock();
      const version = await loader.productionVersion();
      const model = await loader.load(version);
      loaded = model;
      options.logger.log('INFO', `serving model ${model.version}`, { model_version: model.version, features: model.featureNames.length });
      return model;
    })().catch((err: unknown) => {
      first = undefined;
      // The cause (store paths, a parse error, a GCS answer) goes to the log, not to the caller.
      options.logger.log('WARNING', `the production model could not be loaded: ${err instanceof Error ? err.message : String(err)}`, { error: err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) } });
      throw new NotReadyError('no production model is loaded yet; retry in a few seconds (the function log says why)', { cause: err, retryAfterMs: 5000 });
    }));

  const check = async (current: LoadedModel): Promise<void> => {
    try {
      const version = await loader.productionVersion();
      if (version === current.version) return;
      const next = await loader.load(version);
      loaded = next;
      options.logger.log('INFO', `production alias moved: serving model ${next.version} (was ${current.version})`, { model_version: next.version, previous_version: current.version });
    } catch (err) {
      options.logger.log('WARNING', `model refresh failed, still serving ${current.version}: ${err instanceof Error ? err.message : String(err)}`, { model_version: current.version });
    }
  };

  const checkIfDue = (current: LoadedModel): void => {
    const now = options.clock();
    if (!background && now - lastCheck >= options.checkEverySeconds * 1000) {
      lastCheck = now;
      background = check(current).finally(() => {
        background = undefined;
      });
    }
  };

  return {
    current() {
      if (!loaded) return loadFirst();
      checkIfDue(loaded);
      return Promise.resolve(loaded);
    },
    loadedNow() {
      if (loaded) checkIfDue(loaded);
      return loaded;
    },
    async idle() {
      await background;
    },
  };
}
