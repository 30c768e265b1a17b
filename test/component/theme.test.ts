import { describe, expect, test } from 'vitest';
import css from '../../src-renderer/src/components/theme.css?raw';
import { LIGHT_THEME, withAlpha } from '../../src-renderer/src/charts/theme.ts';

function block(source: string, dark: boolean): Record<string, string> {
  const text = dark ? source.slice(source.indexOf('@media (prefers-color-scheme: dark)')) : source.slice(0, source.indexOf('@media'));
  return Object.fromEntries([...text.matchAll(/(--pl-[\w-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2].trim()]));
}

describe('theme', () => {
  test('LIGHT_THEME (used by light-background exports) equals the light block of theme.css', () => {
    const light = block(css, false);
    expect(light['--pl-bg']).toBe(LIGHT_THEME.bg);
    expect(light['--pl-fg']).toBe(LIGHT_THEME.fg);
    expect(light['--pl-muted']).toBe(LIGHT_THEME.muted);
    expect(light['--pl-grid']).toBe(LIGHT_THEME.grid);
    expect(light['--pl-panel']).toBe(LIGHT_THEME.panel);
    expect(light['--pl-accent']).toBe(LIGHT_THEME.accent);
    LIGHT_THEME.series.forEach((c, k) => expect(light[`--pl-series-${k}`]).toBe(c));
  });

  test('the dark block defines every variable the light block does', () => {
    expect(Object.keys(block(css, true)).sort()).toEqual(Object.keys(block(css, false)).sort());
  });

  test('withAlpha turns #rrggbb into rgba()', () => {
    expect(withAlpha('#1f77b4', 0.25)).toBe('rgba(31, 119, 180, 0.25)');
    expect(withAlpha('red', 0.5)).toBe('color-mix(in srgb, red 50%, transparent)');
  });
});
