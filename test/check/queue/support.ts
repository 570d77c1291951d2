// Shared by the distributed-search tests: a real redis-server for the queue on a free loopback port, and a
// report without its wall-clock figures (the only part a distributed run may not share with a local one).
import { freePort, RealServer } from '../../redis/replication/real.ts';

export async function queueRedis(): Promise<{ url: string; stop: () => void }> {
  const server = new RealServer(await freePort(), []);
  (await server.start()).close();
  return { url: `redis://127.0.0.1:${server.port}/0`, stop: () => server.stop() };
}

/** The report's text with its "N run(s) in X s (Y runs/s)" line made time-free. */
export const timeless = (report: string): string => report.replace(/^\d+ run\(s\) in [\d.]+ s \([\d.]+ runs\/s\)/m, '<runs in time>');
