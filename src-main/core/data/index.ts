// core/data: pure (no Node) schema inference, preprocessing and splits. See types.ts for the shapes.
export * from './types.ts';
export { DataLoadError, formatDataError, type DataErrorCode, type DataErrorDetails } from './errors.ts';
export { MISSING_MARKERS, isMissing, parseNumber } from './values.ts';
export { TableBuilder, tableFromRows, normalizeHeader, DISTINCT_LIMIT, type RawTable, type RawColumn } from './table.ts';
export { inferSchema, inferColumn, inferTask, MAX_INTEGER_CLASSES, type SchemaOptions } from './schema.ts';
export { randomSplit, stratifiedSplit, type Split } from './split.ts';
export { buildDataset, findTargetColumn, selectRows, DEFAULTS, type BuildOptions, type BuiltDataset, type SourceInfo } from './prepare.ts';
export { applyPreprocessing, type Applied, type ApplyOptions } from './apply.ts';
export { scaleTarget, unscaleTarget } from './encode.ts';
