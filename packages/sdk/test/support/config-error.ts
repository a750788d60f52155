import { ConfigError } from '../../src/config-parse.ts';

/** The ConfigError that `run` throws; fails the test when it throws nothing or something else. */
export function configError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
