export interface BenchCase {
  /** Does the work once (may be async). */
  run(): unknown;
  /** Units processed by one call of `run` (parameters, samples, bytes ...). */
  ops: number;
}
export interface BenchResult {
  nsPerUnit: number;
  unitsPerSecond: number;
}
export declare function machineInfo(): string;
export declare function compare(
  cases: Record<string, BenchCase>,
  options?: { rounds?: number; minTimeMs?: number; warmup?: number },
): Promise<Record<string, BenchResult>>;
export declare function report(
  title: string,
  results: Record<string, BenchResult>,
  options?: { baseline?: string; unit?: string },
): void;
