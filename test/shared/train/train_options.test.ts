import { InvalidInputError } from '../../../shared/errors';
import { alertRate, alertThreshold } from '../../../shared/train/alert_threshold';
import { envNameOf, flagNameOf, parseTrainOptions, trainOptionsFromEnv } from '../../../shared/train/train_options';

test('defaults', () => {
  expect(parseTrainOptions({})).toEqual({
    modelName: 'pool-hour-iforest', windowDays: 30, evalDays: 7, trees: 100, samples: 256, trainRows: 65_536, evalMaxRows: 2_000_000,
    seed: 42, targetAlertRate: 0.0001, prAucTolerance: 0.01, alertRateTolerance: 0.5,
  });
});

test('env vars and strings from an HTTP body or flags are coerced', () => {
  const env = { TRAIN_WINDOW_DAYS: '14', TRAIN_TARGET_ALERT_RATE: '0.01', TRAIN_MODEL_NAME: 'm1', OTHER: 'x', TRAIN_SEED: '' };
  expect(trainOptionsFromEnv(env)).toEqual({ windowDays: '14', targetAlertRate: '0.01', modelName: 'm1' });
  const o = parseTrainOptions({ ...trainOptionsFromEnv(env), evalDays: 3 });
  expect([o.windowDays, o.evalDays, o.targetAlertRate, o.modelName]).toEqual([14, 3, 0.01, 'm1']);
  expect([envNameOf('prAucTolerance'), flagNameOf('prAucTolerance')]).toEqual(['TRAIN_PR_AUC_TOLERANCE', 'pr-auc-tolerance']);
});

test.each([
  { input: { trees: 0 }, message: "invalid training option 'trees': Too small: expected number to be >=1" },
  { input: { windowDays: 'many' }, message: "invalid training option 'windowDays': Invalid input: expected number, received NaN" },
  { input: { evalDays: 30 }, message: "invalid training option 'evalDays': evalDays must be smaller than windowDays (the rest of the window is for training)" },
  { input: { modelName: 'Bad Name' }, message: "invalid training option 'modelName': lowercase letters, digits, _ and -, at most 63" },
  { input: { windowEnd: '2026-11-01T00:30:00Z' }, message: "invalid training option 'windowEnd': 2026-11-01T00:30:00Z is not a whole hour" },
  { input: { treez: 3 }, message: 'invalid training options: Unrecognized key: "treez"' },
])('rejects $input', ({ input, message }) => {
  expect(() => parseTrainOptions(input)).toThrow(InvalidInputError);
  expect(() => parseTrainOptions(input)).toThrow(message);
});

test('the alert threshold is the (1 - rate) quantile of training anomaly scores', () => {
  const scores = Array.from({ length: 101 }, (_, i) => i / 100);
  // numpy.percentile(scores, 98) = 0.98; 3 of 101 scores are >= it.
  expect(alertThreshold(scores, 0.02)).toBeCloseTo(0.98, 12);
  expect(alertRate(scores, 0.98)).toBeCloseTo(3 / 101, 12);
  expect(alertThreshold([0.1, 0.2, 0.3, 0.4], 0.5)).toBeCloseTo(0.25, 12);
  expect(() => alertThreshold(scores, 0)).toThrow('targetAlertRate must be in (0, 1), got 0');
});
