/** The worker thread of src/app/models.ts: one calibration fit, sent back as plain data. */
import { parentPort } from 'node:worker_threads';
import { runCalibrationFit, type CalibrationFitJob } from '../core/clv/predictionColumns.js';

parentPort?.once('message', (job: CalibrationFitJob) => {
  parentPort?.postMessage(runCalibrationFit(job));
});
