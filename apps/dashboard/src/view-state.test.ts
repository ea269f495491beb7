import { describe, expect, it } from 'vitest';
import { decodeView, defaultViewState, encodeView, hasView, withView } from './view-state.js';

describe('view state in the URL', () => {
  it('round-trips every field', () => {
    const state = {
      filter: '/adam/',
      selected: ['run-a', 'run-b'],
      focused: 'run-b',
      sortKey: 'bestLoss',
      sortDirection: 'descending' as const,
      groupBy: 'learningRate',
      hidden: ['old-1'],
      showHidden: true,
      smoothing: 0.9,
      yScale: 'log' as const,
      xAxis: 'time' as const,
      showOutliers: true,
      zoom: { min: 10, max: 250.5 },
    };
    expect(decodeView(encodeView(state))).toEqual({ state, problems: [] });
  });

  it('leaves defaults out of the URL', () => {
    expect(encodeView(defaultViewState).toString()).toBe('');
    expect(hasView(new URLSearchParams('server=http://x'))).toBe(false);
    expect(hasView(new URLSearchParams('runs=a'))).toBe(true);
  });

  it('reports values it cannot use and keeps the defaults for them', () => {
    const { state, problems } = decodeView(new URLSearchParams('smooth=2&y=cubic&zoom=5,1&sort=loss'));
    expect(state).toEqual(defaultViewState);
    expect(problems).toEqual([
      '?smooth=2 must be a number in [0, 1)',
      '?zoom=5,1 must be two increasing numbers, min,max',
      '?sort=loss must be column:asc or column:desc',
      '?y=cubic is not one of linear, log',
    ]);
  });

  it('replaces only the view parameters of a query string', () => {
    expect(
      withView('?server=http%3A%2F%2Fh%3A1&runs=old&y=log', { ...defaultViewState, selected: ['new'] }),
    ).toBe('?server=http%3A%2F%2Fh%3A1&runs=new');
    expect(withView('?runs=a', defaultViewState)).toBe('');
  });
});
