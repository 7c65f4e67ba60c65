/** Isolation Forest: training, scikit-learn-compatible scoring, model files and explanations. */
export { IsolationForest } from './isolation_forest';
export type { IsolationForestModel, ModelParams, TrainingInfo, FeatureStats } from './model';
export type { TrainOptions } from './params';
export { matrixFromArrays, matrixFromRecords, positionalFeatureNames, type FeatureMatrix } from './feature_matrix';
export { serializeModel, parseModelFile, MODEL_FORMAT, MODEL_SCHEMA_VERSION } from './model_file';
export { importSklearnForest } from './sklearn_import';
export { explainDiffi } from './explain_diffi';
export { diffiImportances, prepareDiffiWalk, scoreAndExplain } from './diffi_axis';
export { explainTreeShap, type ShapExplanation } from './explain_treeshap';
export { rankFeatures, type FeatureContribution } from './rank_features';
