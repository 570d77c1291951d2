// `serve --console`: fault commands read from stdin, one per line, applied to the served nodes at the
// current virtual instant (what `kill -9`, `systemctl restart`, SIGSTOP / SIGCONT do to real processes).
import { createInterface } from 'node:readline';
import type { Gateway, GatewayNode } from './gateway.ts';

export const CONSOLE_HELP = [
  'kill <node>      kill -9 the process (memory lost; its port refuses connections)',
  'restart <node>   start it again from its (simulated) disk; kills it first if it runs',
  'pause <node>     SIGSTOP: the process stops answering (connections stay open)',
  'resume <node>    SIGCONT',
  'nodes            the served nodes and their state',
  '<node> is a port (7003) or ip:port (127.0.0.1:7003)',
];

function findNode(gw: Gateway, arg: string | undefined): GatewayNode {
  if (!arg) throw new Error('which node? (a port or ip:port)');
  const n = gw.nodes.find((x) => x.name === arg || String(x.port) === arg);
  if (!n) throw new Error(`no served node ${arg} (served: ${gw.nodes.map((x) => x.port).join(', ')})`);
  return n;
}

/** Apply one console line; returns what to answer (the fault itself shows in the log as a *** line). */
export function consoleCommand(gw: Gateway, line: string): string | null {
  const [cmd, arg, ...rest] = line.trim().split(/\s+/);
  if (!cmd) return null;
  const c = cmd.toLowerCase();
  if (c === 'help' || c === '?') return CONSOLE_HELP.join('\n');
  if (c === 'nodes') return gw.nodes.map((n) => `${n.kind.padEnd(8)} ${n.name.padEnd(15)} ${n.slot.state}`).join('\n');
  if (!['kill', 'restart', 'pause', 'resume'].includes(c)) return `unknown command '${cmd}' (try help)`;
  if (rest.length > 0) return `${c} takes one node`;
  let node: GatewayNode;
  try {
    node = findNode(gw, arg);
  } catch (e) {
    return (e as Error).message;
  }
  const st = node.slot.state;
  if (c === 'kill' && st === 'stopped') return `${node.name} is not running`;
  if (c === 'pause' && st !== 'running') return `${node.name} is ${st}`;
  if (c === 'resume' && st !== 'paused') return `${node.name} is not paused`;
  gw.driver.catchUp();
  if (c === 'kill') gw.sim.kill(node.name);
  else if (c === 'restart') gw.sim.restart(node.name);
  else if (c === 'pause') gw.sim.pause(node.name);
  else gw.sim.resume(node.name);
  gw.driver.poke();
  return `${c} ${node.name}: ok`;
}

/** Read console lines from `input` until it ends. */
export function attachConsole(gw: Gateway, input: NodeJS.ReadableStream, answer: (text: string) => void): void {
  const rl = createInterface({ input, terminal: false });
  rl.on('line', (line) => {
    let reply: string | null;
    try {
      reply = consoleCommand(gw, line);
    } catch (e) {
      reply = `error: ${(e as Error).message}`;
    }
    if (reply !== null) answer(reply);
  });
}
