// Chart colours, read from the CSS variables of components/theme.css so that charts follow the
// OS light/dark theme (prefers-color-scheme) like the rest of the page.
import { onBeforeUnmount, shallowRef, type ShallowRef } from 'vue';

export interface ChartTheme {
  dark: boolean;
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  panel: string;
  accent: string;
  series: string[];
}

const SERIES_COUNT = 10;

/** The light theme, as in theme.css; used for "light background" exports whatever the OS theme. */
export const LIGHT_THEME: ChartTheme = {
  dark: false,
  bg: '#ffffff',
  fg: '#1f2328',
  muted: '#59636e',
  grid: '#d8dee4',
  panel: '#f6f8fa',
  accent: '#0969da',
  series: ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'],
};

const DARK_QUERY = '(prefers-color-scheme: dark)';

function prefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches;
}

/** Reads the theme variables in effect on `el` (default: the document root); missing ones fall back to LIGHT_THEME. */
export function readTheme(el: Element = document.documentElement): ChartTheme {
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    dark: prefersDark(),
    bg: v('--pl-bg', LIGHT_THEME.bg),
    fg: v('--pl-fg', LIGHT_THEME.fg),
    muted: v('--pl-muted', LIGHT_THEME.muted),
    grid: v('--pl-grid', LIGHT_THEME.grid),
    panel: v('--pl-panel', LIGHT_THEME.panel),
    accent: v('--pl-accent', LIGHT_THEME.accent),
    series: Array.from({ length: SERIES_COUNT }, (_, k) => v(`--pl-series-${k}`, LIGHT_THEME.series[k])),
  };
}

/** The k-th series colour (cycling through the palette). */
export function seriesColor(theme: ChartTheme, k: number): string {
  return theme.series[((k % theme.series.length) + theme.series.length) % theme.series.length];
}

/** A CSS colour with an alpha: "#rrggbb" → "rgba(r, g, b, a)"; other notations go through color-mix. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const n = parseInt(hex[1], 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  return `color-mix(in srgb, ${color} ${Math.round(alpha * 100)}%, transparent)`;
}

/** A reactive theme for a component: re-read when the OS theme changes, listener removed on unmount. */
export function useChartTheme(): ShallowRef<ChartTheme> {
  const theme = shallowRef(readTheme());
  if (typeof matchMedia === 'function') {
    const mq = matchMedia(DARK_QUERY);
    const onChange = (): void => {
      theme.value = readTheme();
    };
    mq.addEventListener('change', onChange);
    onBeforeUnmount(() => mq.removeEventListener('change', onChange));
  }
  return theme;
}
