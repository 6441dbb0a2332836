// `node --import ./recordModules.mjs …`: appends the URL of every module the process loads to the file
// named by RECORD_MODULES_TO (one a line). For the start-up test: what `ca` loads before it does anything.
import { register } from 'node:module';

register('./recordModulesHooks.mjs', import.meta.url, { data: { file: process.env.RECORD_MODULES_TO } });
