import { packageProject } from '@downhill/vitest-preset';

// The tests pack, build and lint real package copies: slower than unit tests elsewhere.
export default packageProject('release', { testTimeout: 120_000, hookTimeout: 120_000 });
