// Issue 15, item 7 (the client panel) in real Chromium: replies printed as redis-cli prints them (INFO with
// real line breaks, numbered and nested arrays, (integer), (nil), (error)), a history, SELECT remembered, and
// the history of the branch shown: a fork does not show the replies of the branch it left.
import { describe, expect, it } from 'vitest';
import { runInChromium, useChromium } from './browser.ts';
import { command, idle, nodeAction, openPage, seek } from './pages.ts';

describe.runIf(runInChromium)('client panel in Chromium', () => {
  const chromium = useChromium();

  it('prints replies as redis-cli does and keeps a history', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.keyboard.press('End');
    const info = await command(page, '127.0.0.1:8003', 'INFO replication');
    expect(info.split('\n').slice(0, 3)).toEqual(['# Replication', 'role:master', 'connected_slaves:1']);
    expect(info).not.toContain('\\r\\n');
    expect(info).not.toContain('\r');
    expect(await command(page, '127.0.0.1:8003', 'SELECT 1')).toBe('OK');
    // redis-cli's prompt remembers the database; each command is sent with it
    expect(await page.locator('.client-prompt').textContent()).toBe('127.0.0.1:8003[1]>');
    expect(await command(page, '127.0.0.1:8003', 'GET name')).toBe('"zhangsan"');
    expect(await command(page, '127.0.0.1:8003', 'DBSIZE')).toBe('(integer) 1');
    expect(await command(page, '127.0.0.1:8003', 'GET nokey')).toBe('(nil)');
    expect(await command(page, '127.0.0.1:8003', 'INCR name')).toBe('(error) ERR value is not an integer or out of range');
    expect(await command(page, '127.0.0.1:8003', 'KEYS *')).toBe('1) "name"');
    expect(await command(page, '127.0.0.1:8003', 'SET greeting "hello\\nworld"')).toBe('OK');
    expect(await command(page, '127.0.0.1:8003', 'GET greeting')).toBe('"hello\\nworld"');
    const masters = (await command(page, '127.0.0.1:26371', 'SENTINEL masters')).split('\n');
    expect(masters.slice(0, 3)).toEqual(['1)  1) "name"', '    2) "TestMaster"', '    3) "ip"']);
    expect(masters).toContain('   10) "master"');
    expect(await page.locator('.client-out li.entry').count()).toBe(10);
    const cmds = await page.locator('.client-out li.entry .cmd').allTextContents();
    expect(cmds[1]).toMatch(/^00:00:\d\d\.\d{3} 127\.0\.0\.1:8003> SELECT 1$/);
    expect(cmds[2]).toMatch(/ 127\.0\.0\.1:8003\[1\]> GET name$/);
    // ↑ recalls the earlier lines
    await page.locator('#client-cmd').focus();
    await page.keyboard.press('ArrowUp');
    expect(await page.locator('#client-cmd').inputValue()).toBe('SENTINEL masters');
    await page.keyboard.press('ArrowUp');
    expect(await page.locator('#client-cmd').inputValue()).toBe('GET greeting');
    // a node that is down: redis-cli's words
    await seek(page, await page.evaluate(() => (window as unknown as { sentinelSim: { session: { now: number } } }).sentinelSim.session.now));
    await nodeAction(page, '127.0.0.1:7003', 'crash (kill -9)');
    expect(await command(page, '127.0.0.1:7003', 'PING')).toMatch(/^Could not connect to Redis at 127\.0\.0\.1:7003: Connection refused/);
    await page.screenshot({ path: 'artifacts/viz/client-panel.png' });
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('shows the history of the current branch: a fork before the commands has none, switching back restores it', async () => {
    const page = await openPage(chromium.browser, `${chromium.srv.url}?scenario=tutorial-failover`);
    await page.keyboard.press('End');
    await command(page, '127.0.0.1:8003', 'SET a 1');
    const t1 = await page.evaluate(() => (window as unknown as { sentinelSim: { player: { t: number } } }).sentinelSim.player.t);
    await command(page, '127.0.0.1:8003', 'SET b 2');
    await command(page, '127.0.0.1:8003', 'GET b');
    expect(await page.locator('.client-out li.entry').count()).toBe(3);
    // scrub back before the commands and act: the new branch has no replies from the one it left
    await seek(page, 5_000_000);
    await nodeAction(page, '127.0.0.1:26372', 'pause (SIGSTOP)');
    expect(await page.locator('.branch-list button[aria-current="true"]').textContent()).toMatch(/^b1 · forked at 00:00:05\.000/);
    expect(await page.locator('.client-out li.entry').count()).toBe(0);
    // switch back: main's history, replies included
    await page.locator('.branch-list button', { hasText: /^main/ }).click();
    await idle(page);
    expect(await page.locator('.client-out li.entry').count()).toBe(3);
    expect(await page.locator('.client-out li.entry pre.reply').allTextContents()).toEqual(['OK', 'OK', '"2"']);
    // a fork between the commands keeps the earlier one (and its reply), not the later ones: SET b was sent
    // at t1, when SET a's reply had come
    await seek(page, t1 - 1);
    await nodeAction(page, '127.0.0.1:26373', 'pause (SIGSTOP)');
    expect(await page.locator('.branch-list button[aria-current="true"]').textContent()).toMatch(/^b2 · forked at /);
    expect(await page.locator('.client-out li.entry .cmd').allTextContents()).toEqual([expect.stringMatching(/127\.0\.0\.1:8003> SET a 1$/)]);
    expect(await command(page, '127.0.0.1:8003', 'GET b')).toBe('(nil)');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
