/**
 * Cloud Function `train` (HTTP, called weekly by Cloud Scheduler): trains the Isolation Forest on
 * the feature mart's window, evaluates it out of time and promotes it past the champion gate.
 */
import * as ff from '@google-cloud/functions-framework';
import { createTrainFunction } from './handler';

ff.http('train', createTrainFunction(process.env));
