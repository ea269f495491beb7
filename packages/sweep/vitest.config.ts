import { packageProject } from '@downhill/vitest-preset';

export default packageProject('sweep');
