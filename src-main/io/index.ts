// io: reading users' files. Bytes -> encoding -> CSV records (streaming), handed to core/data.
export { loadDataset, previewCsv, readTable, resolveDataPath, type CsvPreview, type LoadOptions, type LoadProgress, type ReadTable } from './load.ts';
export { openCsv, type CsvFile, type CsvFormat, type CsvRecord, type OpenCsvOptions, type ReadOptions, type ReadProgress } from './csv.ts';
export { listSamples, resolveSample, samplesDir, setSamplesDir, DEFAULT_SAMPLES_DIR } from './samples.ts';
export { detectEncoding, Utf8Transcoder, type DetectedEncoding } from './encoding.ts';
export { sniffDelimiter, sniffDecimal } from './sniff.ts';
export { DataLoadError } from '../core/data/errors.ts';
