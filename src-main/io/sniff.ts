// Guessing the delimiter and the decimal mark from the first lines of a file.
import type { Options } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import type { DecimalMark } from '../core/data/types.ts';
import { hasDecimalComma, hasDecimalPoint } from '../core/data/values.ts';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number] | string;

/**
 * The CSV syntax every reader uses: fields trimmed (spaces around a quoted field allowed), any
 * line ending, a quote inside an unquoted field taken literally, field counts checked by us.
 */
export function parseOptions(delimiter: string): Options {
  return { delimiter, relax_column_count: true, relax_quotes: true, trim: true, record_delimiter: ['\r\n', '\n', '\r'] };
}

const SNIFF_LINES = 100;

/** Records of the sample, parsed with `delimiter`; a sample cut inside a quoted field is shortened until it parses. */
function sampleRecords(sample: string, delimiter: string): string[][] {
  let text = sample;
  for (let attempt = 0; attempt < 8 && text.length > 0; attempt++) {
    try {
      const records = parse(text, { ...parseOptions(delimiter), skip_empty_lines: true, to_line: SNIFF_LINES }) as string[][];
      return records.filter((r) => !(r.length === 1 && r[0] === ''));
    } catch {
      const cut = text.lastIndexOf('\n', Math.floor(text.length / 2));
      text = cut > 0 ? text.slice(0, cut) : '';
    }
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
