// A fresh update context for unit tests (not exported).
import type { UpdateContext } from '@downhill/core';

export function testContext(
  step = 0,
  overrides: Record<string, number> = {},
): UpdateContext & { step: number } {
  return { step, loss: 0, overrides, current: {} };
}
