// Counts in messages: "1 step", "2 steps", "1 class", "3 classes".

/** `n` and its noun, singular for exactly 1; `shown` is `n` as printed when it is formatted (1.5 epochs). */
export function plural(n: number, one: string, many = `${one}s`, shown = String(n)): string {
  return `${shown} ${n === 1 ? one : many}`;
}
