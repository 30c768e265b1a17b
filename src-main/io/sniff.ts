// Guessing the delimiter and the decimal mark from the first lines of a file.
import type { DecimalMark } from '../core/data/types.ts';
import { hasDecimalComma, hasDecimalPoint } from '../core/data/values.ts';
import { RecordSplitter } from './records.ts';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number] | string;

const SNIFF_LINES = 100;

/**
 * The fields of the records on the sample's first lines, split with `delimiter` as the file will
 * be; a sample cut inside a quoted field (or otherwise failing there) is shortened until it splits.
 */
function sampleRecords(sample: string, delimiter: string): string[][] {
  let text = sample;
  for (let attempt = 0; attempt < 8 && text.length > 0; attempt++) {
    const { records, error } = new RecordSplitter(delimiter).end(text);
    const firstLines = records.filter((r) => r.line <= SNIFF_LINES).map((r) => r.fields);
    if (!error || (error.line ?? 0) > SNIFF_LINES) return firstLines;
    const cut = text.lastIndexOf('\n', Math.floor(text.length / 2));
    text = cut > 0 ? text.slice(0, cut) : '';
  }
  return [];
}

/** Text up to its last line break (the head of a file may end mid-line), unless it is the whole file. */
export function completeLines(text: string, complete: boolean): string {
  if (complete) return text;
  const cut = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'));
  return cut > 0 ? text.slice(0, cut + 1) : text;
}

/**
 * The delimiter among comma, semicolon, tab and pipe that splits the sample's lines into the same
 * number (≥ 2) of fields as its header most consistently; ties go to more fields, then to the
 * order above. A single-column file gets a comma.
 */
export function sniffDelimiter(sample: string): string {
  let best: { delimiter: string; share: number; fields: number } | null = null;
  for (const delimiter of DELIMITERS) {
    const records = sampleRecords(sample, delimiter);
    if (records.length === 0) continue;
    const fields = records[0].length;
    if (fields < 2) continue;
    const share = records.filter((r) => r.length === fields).length / records.length;
    if (!best || share > best.share || (share === best.share && fields > best.fields)) best = { delimiter, share, fields };
  }
  return best ? best.delimiter : ',';
}

/** `,` when the delimiter is not a comma and the sample's numbers use decimal commas more than decimal points. */
export function sniffDecimal(sample: string, delimiter: string): DecimalMark {
  if (delimiter === ',') return '.';
  let commas = 0, points = 0;
  for (const record of sampleRecords(sample, delimiter).slice(1)) {
    for (const field of record) {
      if (hasDecimalComma(field)) commas++;
      else if (hasDecimalPoint(field)) points++;
    }
  }
  return commas > points ? ',' : '.';
}
