import { packageProject } from '@downhill/vitest-preset';

export default packageProject('dashboard-app', { testTimeout: 120_000, hookTimeout: 120_000 });
