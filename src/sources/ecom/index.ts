/** The e-commerce orders export importer (`ca import ecom FILE`); docs/import-ecom.md says how to use it. */
export { importEcom, KEPT_EXPORT, type ImportOptions, type ImportSummary } from './importEcom.js';
export { loadMapping, parseMapping, presetPath, PRESETS } from './loadMapping.js';
export { ecomMappingSchema, type EcomMapping, type EcomMappingInput } from './mappingSchema.js';
