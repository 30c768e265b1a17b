// stdout carries only a command's own output (so `--json` can be piped); everything else,
// progress and logs included, goes to stderr.
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function printLine(text: string): void {
  process.stdout.write(text + '\n');
}

export function log(text: string): void {
  process.stderr.write(text + '\n');
}
