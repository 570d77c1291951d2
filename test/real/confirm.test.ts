// check --confirm-real on real redis-server processes: the known failure min-replicas-counts-unreached-replica
// (search seed 5508, a 30 s case: partition the master with its client during the replica's delayed diskless
// sync) written as a repro file, replayed once by `sentinel-sim real`'s runReal, judged with the data property:
// real Redis 7.0.15 loses the writes it acknowledged after the transfer "succeeded" (docs/triage.md). Needs
// redis-server and root (the partition is iptables rules); outside CI a missing one skips the test (the reason
// is in its name), under CI=true it fails it.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { checkCommand } from '../../bin/check/index.ts';
import { firewallAvailability } from '../../bin/real/firewall.ts';
import { needs, redisMissing } from '../support/cli-process.ts';

const noRedis = redisMissing();
const fw = firewallAvailability();
const missing = noRedis ?? (fw.ok ? null : fw.reason);

describe('sentinel-sim check --confirm-real', () => {
  needs(
    missing,
    'the known failure min-replicas-counts-unreached-replica (seed 5508) is confirmed on real Redis 7.0.15 (1/1); evidence in the repro header and the JSON report',
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'confirm-real-'));
      try {
        const lines: string[] = [];
        const code = await checkCommand(
          { known: 'min-replicas-counts-unreached-replica', confirmReal: true, confirmRepeats: 1, out, json: join(out, 'report.json') },
          { out: (l) => lines.push(l), err: () => {} },
        );
        expect(code).toBe(0);
        const text = lines.join('\n');
        expect(text).toMatch(/real Redis: confirmed on real Redis 7\.0\.\d+ \(1\/1\)/);
        const json = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
        expect(json.known.real).toMatchObject({ property: 'data', repeats: 1, judged: 1, confirmed: 1, known: 'min-replicas-counts-unreached-replica' });
        expect(json.known.real.attempts[0].skipped).toEqual([]);
        const repro = readFileSync(join(out, 'known-min-replicas-counts-unreached-replica.ts'), 'utf8');
        expect(repro).toMatch(/\/\/ confirmed on real Redis 7\.0\.\d+ \(1\/1\): property data, 1 replay\(s\)/);
        expect(repro).toMatch(/\/\/ {3}real run 1: FAILED — .*acknowledged/);
        // the excerpt: the partition, the promotion on the other side, the clients' loss
        expect(repro).toMatch(/\/\/ {3}\d\d:\d\d:\d\d\.\d{3} fault partition/);
        expect(repro).toMatch(/\+switch-master mymaster 127\.0\.0\.1 6379 127\.0\.0\.1 6380/);
        expect(repro).toMatch(/clients: \d+ ok, .* [1-9]\d* of \d+ acknowledged writes lost/);
      } finally {
        rmSync(out, { recursive: true, force: true });
      }
    },
    // it waits for any other real run on the machine (the lock), then ~45 s of real time
    900_000,
  );
});
