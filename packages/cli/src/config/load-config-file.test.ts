import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.js';
import { parseConfigText, splitFieldPath } from './load-config-file.js';

describe('splitFieldPath', () => {
  it('splits dotted paths with indices', () => {
    expect(splitFieldPath('data.features[1]')).toEqual(['data', 'features', 1]);
    expect(splitFieldPath('optimizer.name')).toEqual(['optimizer', 'name']);
    expect(splitFieldPath('init[0]')).toEqual(['init', 0]);
  });
});

describe('parseConfigText', () => {
  const yaml = [
    'model: linear',
    'optimizer:',
    '  name: adamm',
    '  learningRate: 0.1',
    'init: [1, 2]',
    '',
  ].join('\n');

  it('reads YAML and locates fields by line and column', () => {
    const file = parseConfigText(yaml, '/x/run.yaml');
    expect(file.value).toEqual({
      model: 'linear',
      optimizer: { name: 'adamm', learningRate: 0.1 },
      init: [1, 2],
    });
    expect(file.baseDir).toBe('/x');
    expect(file.locate('optimizer.name')).toEqual({ file: '/x/run.yaml', line: 3, column: 3 });
    expect(file.locate('init[1]')).toEqual({ file: '/x/run.yaml', line: 5, column: 11 });
    // A missing field points at the mapping that should hold it.
    expect(file.locate('optimizer.momentum')).toEqual({ file: '/x/run.yaml', line: 2, column: 1 });
  });

  it('reads JSON with the same positions', () => {
    const file = parseConfigText('{\n  "model": "linear",\n  "epochs": -1\n}\n', 'run.json');
    expect(file.value).toEqual({ model: 'linear', epochs: -1 });
    expect(file.locate('epochs')).toEqual({ file: 'run.json', line: 3, column: 3 });
  });

  it('reports a syntax error with its position', () => {
    const err = (() => {
      try {
        parseConfigText('model: linear\noptimizer: [sgd\n', 'bad.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).location?.file).toBe('bad.yaml');
    expect((err as ConfigError).message).toMatch(/^bad\.yaml:\d+:\d+: config: cannot be parsed/);
  });

  it('rejects duplicate keys', () => {
    expect(() => parseConfigText('epochs: 1\nepochs: 2\n', 'dup.yaml')).toThrow(/dup\.yaml:2:1/);
  });
});
