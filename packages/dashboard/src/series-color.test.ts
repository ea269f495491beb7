import { describe, expect, it } from 'vitest';
import { seriesColor } from './series-color.js';

describe('seriesColor', () => {
  it('takes the palette first, then golden-angle hues that do not repeat', () => {
    const palette = ['#111111', '#222222'];
    expect(seriesColor(palette, 0)).toBe('#111111');
    expect(seriesColor(palette, 1)).toBe('#222222');
    // 2 * 137.508 = 275.016 -> 275
    expect(seriesColor(palette, 2)).toBe('hsl(275 70% 38%)');
    const colors = Array.from({ length: 40 }, (_, i) => seriesColor(palette, i, true));
    expect(new Set(colors).size).toBe(40);
  });
});
