import { css } from 'lit';
import { seriesColor } from './series-color.js';

/**
 * Downhill's colours as CSS custom properties on every component's host. Light by default, dark
 * when the system asks for it; a page overrides any of them (`--dh-bg`, `--dh-fg`, `--dh-muted`,
 * `--dh-border`, `--dh-accent`, `--dh-danger`, `--dh-ok`, `--dh-warn`, `--dh-grid`,
 * `--dh-series-0` .. `--dh-series-7`; runs past the 16th get golden-angle hues) on an ancestor or on the element itself.
 */
export const themeStyles = css`
  :host {
    --_bg: var(--dh-bg, #ffffff);
    --_fg: var(--dh-fg, #1b1f24);
    --_muted: var(--dh-muted, #5b6470);
    --_border: var(--dh-border, #d5dae1);
    --_surface: var(--dh-surface, #f4f6f8);
    --_accent: var(--dh-accent, #0b63ce);
    --_danger: var(--dh-danger, #c62828);
    --_ok: var(--dh-ok, #2e7d32);
    --_warn: var(--dh-warn, #b26a00);
    --_grid: var(--dh-grid, rgba(0, 0, 0, 0.08));
    --_s0: var(--dh-series-0, #1f77b4);
    --_s1: var(--dh-series-1, #d62728);
    --_s2: var(--dh-series-2, #2ca02c);
    --_s3: var(--dh-series-3, #9467bd);
    --_s4: var(--dh-series-4, #ff7f0e);
    --_s5: var(--dh-series-5, #17becf);
    --_s6: var(--dh-series-6, #8c564b);
    --_s7: var(--dh-series-7, #e377c2);
    --_s8: #bcbd22;
    --_s9: #393b79;
    --_s10: #7f7f7f;
    --_s11: #843c39;
    --_s12: #637939;
    --_s13: #7b4173;
    --_s14: #d6a21e;
    --_s15: #2b8a88;
    color: var(--_fg);
    background: var(--_bg);
    font: 13px/1.4 system-ui, -apple-system, 'Segoe UI', sans-serif;
    display: block;
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --_bg: var(--dh-bg, #14171b);
      --_fg: var(--dh-fg, #e3e7ec);
      --_muted: var(--dh-muted, #9aa4b1);
      --_border: var(--dh-border, #2f353d);
      --_surface: var(--dh-surface, #1d2127);
      --_accent: var(--dh-accent, #5aa9ff);
      --_danger: var(--dh-danger, #ff6b6b);
      --_ok: var(--dh-ok, #66bb6a);
      --_warn: var(--dh-warn, #ffb74d);
      --_grid: var(--dh-grid, rgba(255, 255, 255, 0.1));
      --_s0: var(--dh-series-0, #5aa9ff);
      --_s1: var(--dh-series-1, #ff6b6b);
      --_s2: var(--dh-series-2, #7ad67a);
      --_s3: var(--dh-series-3, #c39bff);
      --_s4: var(--dh-series-4, #ffb74d);
      --_s5: var(--dh-series-5, #4dd0e1);
      --_s6: var(--dh-series-6, #d7a47f);
      --_s7: var(--dh-series-7, #f48fb1);
      --_s8: #dbdb8d;
      --_s9: #9fa8ff;
      --_s10: #bdbdbd;
      --_s11: #e7969c;
      --_s12: #b5cf6b;
      --_s13: #de9ed6;
      --_s14: #e7ba52;
      --_s15: #6fd3c1;
    }
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  :host([hidden]) {
    display: none;
  }
  button,
  select,
  input {
    font: inherit;
    color: inherit;
    background: var(--_surface);
    border: 1px solid var(--_border);
    border-radius: 4px;
    padding: 2px 6px;
  }
  button:not(:disabled) {
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 1px;
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: 8px 12px;
    align-items: center;
    margin-bottom: 6px;
  }
  .toolbar label {
    display: inline-flex;
    gap: 4px;
    align-items: center;
  }
`;

/** Colours a canvas needs, read from the element's resolved custom properties. */
export interface ResolvedTheme {
  readonly fg: string;
  readonly muted: string;
  readonly bg: string;
  readonly grid: string;
  /** The 16 palette colours; pick a run's with `colorAt`. */
  readonly series: readonly string[];
  readonly dark: boolean;
  /** The colour of the `index`-th run (palette, then golden-angle hues: see `seriesColor`). */
  colorAt(index: number): string;
}

export function resolveTheme(element: Element): ResolvedTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const series = Array.from({ length: 16 }, (_, i) => read(`--_s${i}`, '#1f77b4'));
  const dark = typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches;
  return {
    fg: read('--_fg', '#1b1f24'),
    muted: read('--_muted', '#5b6470'),
    bg: read('--_bg', '#ffffff'),
    grid: read('--_grid', 'rgba(0,0,0,0.08)'),
    series,
    dark,
    colorAt: (index) => seriesColor(series, index, dark),
  };
}

/** Calls `onChange` when the system switches between light and dark; returns the unsubscribe. */
export function watchColorScheme(onChange: () => void): () => void {
  if (typeof matchMedia !== 'function') return () => {};
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
