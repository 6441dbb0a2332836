/** The command table: one module per command; each registers itself on the program. */
import type { Register } from './command.js';
import { registerCheck } from './check.js';
import { registerCompute } from './compute.js';
import { registerDemo } from './demo.js';
import { registerExport } from './export.js';
import { registerFetch } from './fetch.js';
import { registerImport } from './import.js';
import { registerCustomer, registerStats, registerStatus } from './look.js';
import { registerReport } from './report.js';
import { registerMerge } from './merge.js';
import { registerSandbox } from './sandbox.js';
import { registerUpdate } from './update.js';

export const COMMANDS: Register[] = [
  registerFetch,
  registerImport,
  registerCompute,
  registerMerge,
  registerUpdate,
  registerCheck,
  registerStats,
  registerCustomer,
  registerReport,
  registerStatus,
  registerExport,
  registerSandbox,
  registerDemo,
];
