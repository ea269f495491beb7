import { packageProject } from '@downhill/vitest-preset';

export default packageProject('dashboard', { testTimeout: 60_000, hookTimeout: 60_000 });
