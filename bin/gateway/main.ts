// Run the RESP gateway by hand: npx tsx bin/gateway/main.ts [--config FILE]... [--port N] [--bind ADDR] [--speed X] [--seed S] [--quiet]
import { startGateway, type GatewayOptions } from './gateway.ts';

const USAGE = 'usage: main.ts [--config FILE]... [--port N] [--bind ADDR] [--speed X] [--seed S] [--quiet]';

function parseArgs(argv: string[]): GatewayOptions {
  const opts: GatewayOptions = { configs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value\n${USAGE}`);
      return v;
    };
    const num = (v: string) => {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`${a}: not a number: ${v}`);
      return n;
    };
    if (a === '--config' || a === '-c') opts.configs.push(val());
    else if (a === '--port' || a === '-p') opts.port = num(val());
    else if (a === '--bind') opts.bind = val();
    else if (a === '--speed') opts.speed = num(val());
    else if (a === '--seed') opts.seed = val();
    else if (a === '--quiet' || a === '-q') opts.log = null;
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  return opts;
}

try {
  const gw = await startGateway(parseArgs(process.argv.slice(2)));
  for (const n of gw.nodes) console.log(`gateway: ${n.kind} ${n.name} on ${gw.bind}:${n.port}${n.configPath ? ` (${n.configPath})` : ''}`);
  const stop = () => {
    void gw.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
