/** An `io` for `main` that keeps what a command writes to stdout and stderr, for tests. */
export function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    io: {
      stdout: { write: (t: string) => out.push(t) } as unknown as NodeJS.WritableStream,
      stderr: { write: (t: string) => err.push(t) } as unknown as NodeJS.WritableStream,
    },
  };
}
