/**
 * Runs `callback` in a new macrotask and returns a function that cancels it. Promise microtasks
 * would run before any I/O, so timers and sockets would starve; `setImmediate` (Node) runs right
 * after pending I/O, and a MessageChannel message (browsers) is a task that does not suffer the
 * 4 ms clamp of nested `setTimeout`.
 */
export function scheduleMacrotask(callback: () => void): () => void {
  const g = globalThis as {
    setImmediate?: (cb: () => void) => unknown;
    clearImmediate?: (h: unknown) => void;
  };
  if (typeof g.setImmediate === 'function' && typeof g.clearImmediate === 'function') {
    const handle = g.setImmediate(callback);
    return () => g.clearImmediate!(handle);
  }
  if (typeof MessageChannel === 'function') {
    const channel = new MessageChannel();
    let cancelled = false;
    (channel.port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => {
      channel.port1.close();
      if (!cancelled) callback();
    };
    channel.port2.postMessage(null);
    return () => {
      cancelled = true;
      channel.port1.close();
    };
  }
  const handle = setTimeout(callback, 0);
  return () => clearTimeout(handle);
}
