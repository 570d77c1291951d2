// Keyspace notifications (notify.c): which channels get which message for a class string.
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../engine/redis/commands/context.ts';
import { NOTIFY_GENERIC, NOTIFY_STRING, notifyKeyspaceEvent } from '../../../engine/redis/keyspace/notify-events.ts';
import { makeClient } from '../harness.ts';

function fakeCtx(classes: string, sent: [string, string][]): CommandContext {
  const client = makeClient();
  client.dbIndex = 3;
  const server = { conf: { get: (n: string) => (n === 'notify-keyspace-events' ? classes : '') }, pubsub: { publish: (c: string, m: string) => sent.push([c, m]) } };
  return { client, server } as unknown as CommandContext;
}

describe('notifyKeyspaceEvent', () => {
  it('publishes keyspace and keyevent messages for enabled classes only', () => {
    const sent: [string, string][] = [];
    notifyKeyspaceEvent(fakeCtx('KE$', sent), NOTIFY_STRING, 'setbit', 'k');
    notifyKeyspaceEvent(fakeCtx('KE$', sent), NOTIFY_GENERIC, 'del', 'k');
    notifyKeyspaceEvent(fakeCtx('Kg', sent), NOTIFY_GENERIC, 'del', 'k2');
    notifyKeyspaceEvent(fakeCtx('', sent), NOTIFY_GENERIC, 'del', 'k3');
    expect(sent).toEqual([
      ['__keyspace@3__:k', 'setbit'],
      ['__keyevent@3__:setbit', 'k'],
      ['__keyspace@3__:k2', 'del'],
    ]);
  });
});
