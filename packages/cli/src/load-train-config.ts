import { dirname } from 'node:path';
import { ConfigError, type SourceLocation } from './config/config-error.js';
import { loadConfigFile, parseConfigText } from './config/load-config-file.js';
import { parseTrainConfig } from './config/parse-train-config.js';
import type { TrainConfig } from './config/train-config.js';

/** A checked training config and where it came from. */
export interface LoadedTrainConfig {
  readonly config: TrainConfig;
  /** The config as written (plain data), saved beside a checkpoint. */
  readonly raw: unknown;
  readonly file: string | undefined;
  readonly baseDir: string;
  /** Where a field is written in the file, for errors found after parsing (building the run). */
  readonly locate: (field: string) => SourceLocation | undefined;
}

function check(raw: unknown, locate: (field: string) => SourceLocation | undefined): TrainConfig {
  try {
    return parseTrainConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) throw err.at(locate(err.field));
    throw err;
  }
}

/** Reads and checks a training config file; errors carry file, line and column. */
export async function loadTrainConfig(path: string): Promise<LoadedTrainConfig> {
  const file = await loadConfigFile(path);
  const config = check(file.value, file.locate);
  return { config, raw: file.value, file: file.file, baseDir: dirname(file.file), locate: file.locate };
}

/** Checks a config saved as plain data (a checkpoint's `config.json`). */
export function trainConfigFromData(raw: unknown, baseDir: string, file?: string): LoadedTrainConfig {
  // Re-reading through the YAML parser keeps the error positions meaningful for the saved copy.
  const located = parseConfigText(JSON.stringify(raw, null, 2), file ?? 'config.json', baseDir);
  return { config: check(located.value, located.locate), raw, file, baseDir, locate: located.locate };
}
