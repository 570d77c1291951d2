// Before each test file, in its worker: the loopback block of `sentinel-sim real` runs is the worker's own,
// 127.0.101.0/24 for the first worker, 127.0.102.0/24 for the second, … (bin/real/config.ts:
// SENTINEL_SIM_REAL_BLOCK), so that the real runs of two test files going at once do not wait for each other's
// lock, nor for a `sentinel-sim real` run by hand in the default block 77.
const pool = Number(process.env.VITEST_POOL_ID ?? '1');
process.env.SENTINEL_SIM_REAL_BLOCK = String(100 + (Number.isInteger(pool) && pool >= 1 && pool <= 150 ? pool : 1));
