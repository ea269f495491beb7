import { describe, expect, it } from 'vitest';
import { findDependencyCycles } from './dependency-cycles.js';

const graphOf = (edges: Record<string, string[]>) => new Map(Object.entries(edges));

describe('findDependencyCycles', () => {
  it('accepts the layered graph of the design (a DAG)', () => {
    const graph = graphOf({
      core: [],
      optimizers: ['core'],
      schedules: ['core'],
      protocol: [],
      server: ['core', 'protocol'],
      client: ['protocol'],
      dashboard: ['client', 'protocol'],
      cli: ['core', 'optimizers', 'schedules', 'server', 'client'],
    });
    expect(findDependencyCycles(graph)).toEqual([]);
  });

  it('reports a two-package cycle as a closed path', () => {
    expect(findDependencyCycles(graphOf({ a: ['b'], b: ['a'], c: ['a'] }))).toEqual([['a', 'b', 'a']]);
  });

  it('reports the shortest way round a longer cycle, and each separate cycle once', () => {
    const graph = graphOf({ a: ['b'], b: ['c'], c: ['a', 'd'], d: [], x: ['y'], y: ['x'] });
    expect(findDependencyCycles(graph)).toEqual([
      ['a', 'b', 'c', 'a'],
      ['x', 'y', 'x'],
    ]);
  });

  it('reports a package that depends on itself', () => {
    expect(findDependencyCycles(graphOf({ a: ['a'], b: [] }))).toEqual([['a', 'a']]);
  });

  it('ignores edges to packages outside the graph', () => {
    expect(findDependencyCycles(graphOf({ a: ['rxjs'] }))).toEqual([]);
  });
});
