import { describe, expect, it } from 'vitest';
import { deserializeState, serializeState } from './serialize.js';

describe('serializeState', () => {
  it('round-trips typed arrays and non-finite numbers bit for bit through JSON', () => {
    const state = {
      count: 3,
      moments: [Float64Array.of(0.1 + 0.2, 1 / 3, -0, 5e-324), { v: Float32Array.of(1.5) }],
      best: Number.POSITIVE_INFINITY,
      lr: Number.NaN,
    };
    const back = deserializeState<typeof state>(JSON.parse(JSON.stringify(serializeState(state))));
    const m = back.moments[0] as Float64Array;
    expect(m).toBeInstanceOf(Float64Array);
    expect(new Uint8Array(m.buffer)).toEqual(new Uint8Array((state.moments[0] as Float64Array).buffer));
    expect((back.moments[1] as { v: Float32Array }).v).toEqual(Float32Array.of(1.5));
    expect(back.best).toBe(Number.POSITIVE_INFINITY);
    expect(back.lr).toBeNaN();
    expect(back.count).toBe(3);
  });

  it('names the path of what cannot be serialized or decoded', () => {
    expect(() => serializeState({ a: { f: () => 1 } })).toThrow(/state\.a\.f is a function/);
    expect(() => deserializeState({ x: { $f64: [1, 'two'] } })).toThrow(
      /state\.x\.\$f64\[1\] should be a number/,
    );
  });
});
