// Worker-thread entry for tinypool: load the TypeScript worker through tsx (as bin/sentinel-sim.js does).
import { register } from 'tsx/esm/api';

register();
const mod = await import('./worker.ts');
export default mod.default;
export const shrink = mod.shrink;
