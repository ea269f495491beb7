import { describe, expect, it } from 'vitest';
import { decodeClientMessage, decodeServerMessage } from './decode-message.js';

const step = {
  type: 'step',
  runId: 'r1',
  seq: 3,
  time: 1.5,
  step: 2,
  epoch: 0,
  batch: 2,
  loss: 0.25,
  gradNorm: 1,
  learningRate: Number.NaN,
  hyperparams: { learningRate: 0.1 },
};

describe('decodeClientMessage', () => {
  it('accepts every documented message', () => {
    const messages = [
      { type: 'hello', client: 'test' },
      { type: 'listRuns', requestId: 'a', watch: true },
      { type: 'unwatchRuns' },
      { type: 'subscribe', runId: 'r1', fromSeq: 10, maxPoints: 500 },
      { type: 'unsubscribe', runId: 'r1' },
      {
        type: 'control',
        runId: 'r1',
        token: 't',
        command: { type: 'set', name: 'learningRate', value: 0.01 },
      },
      { type: 'control', runId: 'r1', command: { type: 'pause' } },
      { type: 'publish', runId: 'r1', token: 't', meta: { host: 'a' } },
      { type: 'publishEvents', runId: 'r1', events: [step] },
      { type: 'ping', id: 4 },
    ];
    for (const message of messages) {
      const decoded = decodeClientMessage(JSON.stringify(message));
      expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
    }
  });

  it('decodes the null that JSON writes for NaN back to NaN', () => {
    const decoded = decodeClientMessage(
      JSON.stringify({ type: 'publishEvents', runId: 'r1', events: [step] }),
    );
    if (!decoded.ok || decoded.message.type !== 'publishEvents') throw new Error('not decoded');
    const event = decoded.message.events[0];
    expect(event?.type === 'step' && Number.isNaN(event.learningRate)).toBe(true);
  });

  it('puts back the fields JSON drops, so decoded events are TrainEvents', () => {
    const hyper = {
      type: 'hyperparam',
      runId: 'r',
      seq: 1,
      time: 0,
      step: 1,
      name: 'lr',
      value: 2,
      source: 'user',
    };
    const decoded = decodeClientMessage(
      JSON.stringify({ type: 'publishEvents', runId: 'r', events: [hyper] }),
    );
    if (!decoded.ok || decoded.message.type !== 'publishEvents') throw new Error('not decoded');
    expect(decoded.message.events[0]).toHaveProperty('previous', undefined);
  });

  it('names bad JSON, unknown types and the invalid field, echoing requestId', () => {
    expect(decodeClientMessage('{oops')).toMatchObject({ ok: false, code: 'bad-json' });
    expect(decodeClientMessage('[1]')).toMatchObject({ ok: false, code: 'invalid-message' });
    expect(decodeClientMessage('{"type":"dance","requestId":"q"}')).toMatchObject({
      ok: false,
      code: 'unknown-type',
      requestId: 'q',
    });
    const bad = decodeClientMessage(
      JSON.stringify({
        type: 'control',
        runId: 'r',
        requestId: 'z',
        command: { type: 'set', name: 'lr', value: 'x' },
      }),
    );
    expect(bad).toMatchObject({ ok: false, code: 'invalid-message', requestId: 'z' });
    expect(!bad.ok && bad.error).toMatch(/command\.value/);
  });

  it('refuses extra fields on requests and negative seq', () => {
    expect(decodeClientMessage('{"type":"unsubscribe","runId":"r","x":1}')).toMatchObject({ ok: false });
    expect(decodeClientMessage('{"type":"subscribe","runId":"r","fromSeq":-1}')).toMatchObject({ ok: false });
  });
});

describe('decodeServerMessage', () => {
  it('accepts an events batch and refuses a client message', () => {
    const batch = { type: 'events', runId: 'r1', phase: 'live', exact: true, events: [step] };
    expect(decodeServerMessage(JSON.stringify(batch)).ok).toBe(true);
    expect(decodeServerMessage('{"type":"subscribe","runId":"r"}')).toMatchObject({
      ok: false,
      code: 'unknown-type',
    });
  });
});
