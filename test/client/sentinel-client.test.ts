// The Sentinel-aware client against a real simulated cluster (master + 2 replicas + 3 Sentinels).
import { describe, expect, it } from 'vitest';
import { addSentinelClient, sentinelCallSync, type CallResult } from '../../engine/client/sentinel-client.ts';
import { classifyResult } from '../../engine/client/workload.ts';
import { buildTestCluster, MASTER_NAME } from './sentinel-client-harness.ts';

const okReply = (r: CallResult) => (r.t === 'reply' ? (r.reply.t === 'error' ? { err: r.reply.v } : r.reply.v) : { [r.t]: r.sent });

function setup(opts: Parameters<typeof buildTestCluster>[0] = {}, clientOpts: { subscribe?: boolean; password?: string; timeoutMs?: number } = {}) {
  const c = buildTestCluster(opts);
  c.sim.sleep('2s');
  const client = addSentinelClient(c.sim, {
    host: 'app',
    ip: '10.0.3.1',
    sentinels: c.sentinels,
    masterName: MASTER_NAME,
    timeoutMs: clientOpts.timeoutMs ?? 1000,
    password: clientOpts.password,
    subscribe: clientOpts.subscribe,
  });
  return { c, client, sim: c.sim };
}

describe('SentinelClient: discovery (spec steps 1-3)', () => {
  it('asks a Sentinel, verifies ROLE and sends to the master', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', 'v']))).toBe('OK');
    expect(client.masterAddress).toBe(c.master);
    expect(client.resolutions).toBe(1);
    expect(c.clientLines()).toEqual([`app: Master ${MASTER_NAME} is 10.0.1.1:6379 (Sentinel 10.0.2.1:26379, ROLE master)`]);
    // the Sentinel connection and the master connection: one resolution serves every later call
    expect(okReply(sentinelCallSync(sim, client, ['GET', 'k']))).toBe('v');
    expect(client.resolutions).toBe(1);
  });

  it('skips Sentinels that do not answer; the first that answers moves to the front', () => {
    const { c, client, sim } = setup();
    sim.kill(c.sentinels[0]!); // refused at once
    sim.isolate('s2'); // times out after sentinelTimeoutMs
    const t0 = sim.now;
    expect(okReply(sentinelCallSync(sim, client, ['PING']))).toBe('PONG');
    expect(sim.now - t0).toBeGreaterThanOrEqual(500_000);
    expect(client.sentinels).toEqual([c.sentinels[2], c.sentinels[0], c.sentinels[1]]);
    expect(c.clientLines().at(-1)).toBe(`app: Master ${MASTER_NAME} is 10.0.1.1:6379 (Sentinel 10.0.2.3:26379, ROLE master)`);
  });

  it('no Sentinel reachable: the call waits unsent and fails at its time-out; logs the reasons', () => {
    const { c, client, sim } = setup();
    for (const s of c.sentinels) sim.kill(s);
    const r = sentinelCallSync(sim, client, ['SET', 'k', 'v']);
    expect(r).toEqual({ t: 'timeout', sent: false });
    expect(classifyResult(r)).toEqual({ outcome: 'fail', reply: 'timeout (not sent: no master)' });
    expect(c.clientLines()[0]).toBe(
      `app: No Sentinel gave the address of ${MASTER_NAME} (10.0.2.1:26379 connection refused, 10.0.2.2:26379 connection refused, 10.0.2.3:26379 connection refused): retrying in 250 ms`,
    );
  });

  it('unknown master name: null replies from every Sentinel', () => {
    const c = buildTestCluster();
    c.sim.sleep('2s');
    const client = addSentinelClient(c.sim, { host: 'app', sentinels: c.sentinels.slice(0, 1), masterName: 'other', timeoutMs: 400 });
    expect(sentinelCallSync(c.sim, client, ['PING'])).toEqual({ t: 'timeout', sent: false });
    expect(c.clientLines()[0]).toBe('app: No Sentinel gave the address of other (10.0.2.1:26379 null reply): retrying in 250 ms');
  });

  it('AUTH with the configured password; without it ROLE gets -NOAUTH and the master is not used', () => {
    const { c, client, sim } = setup({ password: 's3cret' }, { password: 's3cret' });
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', 'v']))).toBe('OK');
    const bad = addSentinelClient(sim, { host: 'app2', sentinels: c.sentinels, masterName: MASTER_NAME, timeoutMs: 600 });
    expect(sentinelCallSync(sim, bad, ['GET', 'k'])).toEqual({ t: 'timeout', sent: false });
    expect(c.clientLines()).toContain(
      `app2: 10.0.1.1:6379 (from Sentinel 10.0.2.1:26379) is not usable as master ${MASTER_NAME}: NOAUTH Authentication required.; retrying in 250 ms`,
    );
  });
});

describe('SentinelClient: following the master', () => {
  it('after the master is killed, re-resolves and writes resume on the promoted replica', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', '1']))).toBe('OK');
    sim.kill(c.master);
    // a call sent before the reset arrives: lost after sending
    const lost = sentinelCallSync(sim, client, ['SET', 'k', '2']);
    expect(lost).toMatchObject({ t: 'lost', error: { reason: 'reset' }, sent: true });
    // the client re-resolves; until the failover the Sentinels name the old master, which refuses connections
    const r = sentinelCallSync(sim, client, ['SET', 'k', '2']);
    expect(r).toEqual({ t: 'timeout', sent: false });
    expect(c.clientLines()).toContain(
      `app: 10.0.1.1:6379 (from Sentinel 10.0.2.1:26379) is not usable as master ${MASTER_NAME}: connection refused; retrying in 250 ms`,
    );
    const sw = c.waitEvent('+switch-master', '60s');
    const promoted = `${sw.line.split(' ')[4]}:${sw.line.split(' ')[5]}`;
    expect(c.replicas).toContain(promoted);
    let res: CallResult | null = null;
    sim.runUntil(() => {
      if (res?.t === 'reply') return true;
      res = sentinelCallSync(sim, client, ['SET', 'k', '3']);
      return res.t === 'reply';
    }, { timeout: '30s' });
    expect(okReply(res!)).toBe('OK');
    expect(client.masterAddress).toBe(promoted);
    const lines = c.clientLines();
    expect(lines).toContain(`app: Connection to master 10.0.1.1:6379 lost (reset): re-resolving master ${MASTER_NAME}`);
    expect(lines.at(-1)).toMatch(new RegExp(`^app: Master ${MASTER_NAME} is ${promoted.replace(/\./g, '\\.')} \\(Sentinel 10\\.0\\.2\\.\\d:26379, ROLE master, after \\d+ failed attempts\\)$`));
  });

  it('subscribed to +switch-master: re-resolves as soon as a Sentinel publishes it', () => {
    const { c, client, sim } = setup({}, { subscribe: true });
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', '1']))).toBe('OK');
    expect(c.exec(c.sentinels[0]!, 'SENTINEL', 'FAILOVER', MASTER_NAME)).toEqual({ t: 'simple', v: 'OK' });
    c.waitEvent('+switch-master', '30s');
    sim.sleep(50);
    expect(c.clientLines().some((l) => /^app: \+switch-master from Sentinel 10\.0\.2\.1:26379 \(mymaster 10\.0\.1\.1 6379 10\.0\.1\.\d 6379\): re-resolving/.test(l))).toBe(true);
    sim.sleep('3s');
    const r = sentinelCallSync(sim, client, ['SET', 'k', '2']);
    expect(okReply(r)).toBe('OK');
    expect(client.masterAddress).not.toBe(c.master);
  });

  it('-READONLY after a demotion behind the Sentinels\' back: fail, re-resolve, ROLE refuses the replica until it is master again', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', '1']))).toBe('OK');
    expect(c.exec(c.master, 'REPLICAOF', '10.0.1.2', '6379')).toEqual({ t: 'simple', v: 'OK' });
    const r = sentinelCallSync(sim, client, ['SET', 'k', '2']);
    expect(r).toEqual({ t: 'reply', reply: { t: 'error', v: "READONLY You can't write against a read only replica." }, sent: true });
    expect(classifyResult(r)).toEqual({ outcome: 'fail', reply: "READONLY You can't write against a read only replica." });
    expect(client.masterAddress).toBeNull();
    // the Sentinels still name 10.0.1.1, whose ROLE now says slave
    expect(sentinelCallSync(sim, client, ['SET', 'k', '3'])).toEqual({ t: 'timeout', sent: false });
    const lines = c.clientLines();
    expect(lines).toContain(`app: READONLY from 10.0.1.1:6379: re-resolving master ${MASTER_NAME}`);
    expect(lines).toContain(`app: 10.0.1.1:6379 (from Sentinel 10.0.2.1:26379) is not usable as master ${MASTER_NAME}: ROLE is slave; retrying in 250 ms`);
    // the operator undoes it: the client finds its master again
    expect(c.exec(c.master, 'REPLICAOF', 'NO', 'ONE')).toEqual({ t: 'simple', v: 'OK' });
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', '4']))).toBe('OK');
    expect(client.masterAddress).toBe(c.master);
  });

  it('-MASTERDOWN from a demoted server whose master link is down (replica-serve-stale-data no): fail, re-resolve', () => {
    const { c, client, sim } = setup({ serverExtra: 'replica-serve-stale-data no\n' });
    expect(okReply(sentinelCallSync(sim, client, ['SET', 'k', '1']))).toBe('OK');
    expect(c.exec(c.master, 'REPLICAOF', '10.9.9.9', '6379')).toEqual({ t: 'simple', v: 'OK' });
    const r = sentinelCallSync(sim, client, ['GET', 'k']);
    expect(classifyResult(r)).toEqual({ outcome: 'fail', reply: "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'." });
    expect(client.masterAddress).toBeNull();
    expect(c.clientLines()).toContain(`app: MASTERDOWN from 10.0.1.1:6379: re-resolving master ${MASTER_NAME}`);
  });
});

describe('SentinelClient: outcomes', () => {
  it('an error reply is a definite failure (-NOREPLICAS); the connection stays in use', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['PING']))).toBe('PONG');
    expect(c.exec(c.master, 'CONFIG', 'SET', 'min-replicas-to-write', '3')).toEqual({ t: 'simple', v: 'OK' });
    const r = sentinelCallSync(sim, client, ['SADD', 's', '1']);
    expect(classifyResult(r)).toEqual({ outcome: 'fail', reply: 'NOREPLICAS Not enough good replicas to write.' });
    expect(client.masterAddress).toBe(c.master);
    expect(client.resolutions).toBe(1);
  });

  it('a partition after sending: time-out ⇒ unknown (and the write may still land after the heal)', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['PING']))).toBe('PONG');
    sim.partition([['app'], ['m', 'r1', 'r2', 's1', 's2', 's3']]);
    const r = sentinelCallSync(sim, client, ['SADD', 's', '7']);
    expect(r).toEqual({ t: 'timeout', sent: true });
    expect(classifyResult(r)).toEqual({ outcome: 'unknown', reply: 'timeout' });
    expect(c.clientLines()).toContain(`app: Timeout from 10.0.1.1:6379 after 1000 ms: re-resolving master ${MASTER_NAME}`);
    sim.heal();
    sim.sleep('2s');
    // TCP delivered the held command after the heal: the unknown write was in fact applied
    expect(c.exec(c.master, 'SISMEMBER', 's', '7')).toEqual({ t: 'int', v: 1 });
  });

  it('a connection lost after sending ⇒ unknown', () => {
    const { c, client, sim } = setup();
    expect(okReply(sentinelCallSync(sim, client, ['PING']))).toBe('PONG');
    let res: CallResult | null = null;
    client.call(['BLPOP', 'nothing', '0'], (r) => (res = r));
    sim.sleep(100);
    sim.kill(c.master);
    sim.runUntil(() => res !== null, { timeout: '5s' });
    expect(res).toEqual({ t: 'lost', error: { t: 'client-error', reason: 'reset', message: 'Connection reset by peer' }, sent: true });
    expect(classifyResult(res!)).toEqual({ outcome: 'unknown', reply: 'Connection reset by peer' });
  });
});
