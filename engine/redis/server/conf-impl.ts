// Reading redis.conf from the host disk at start (main() + loadServerConfig), and the ServerConf
// adapter over engine/redis/config for CONFIG GET / SET / REWRITE.
import { bulk, err, map, OK, type Reply, type Resp } from '../../net/resp.ts';
import { ConfigFileError, ConfigFileOpenError } from '../config/errors.ts';
import { parseRedisConf } from '../config/parse.ts';
import { rewriteConfigText } from '../config/rewrite.ts';
import { userLineError } from '../acl/config.ts';
import type { ServerConf } from './conf.ts';
import { applyPort } from './listen-port.ts';
import type { RedisServer } from './server.ts';

type RedisConfig = ReturnType<typeof parseRedisConf>;

/** Command-line options become extra config lines after the file, as redis-server does. */
function overrideLines(overrides: Record<string, string> | undefined): string {
  if (!overrides) return '';
  let s = '';
  for (const [k, v] of Object.entries(overrides)) {
    const quoted = v === '' || /[\s"'\\]/.test(v) ? `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : v;
    s += `${k} ${quoted}\n`;
  }
  return s;
}

function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export type LoadedConf = { ok: true; conf: ServerConf } | { ok: false; fatal: string };

export function loadServerConf(s: RedisServer): LoadedConf {
  const disk = s.ctx.host.disk;
  const { configPath, configText, overrides } = s.opts;
  let text = '';
  if (configPath) {
    const onDisk = disk.read(configPath);
    if (typeof onDisk === 'string') text = onDisk;
    else if (configText !== undefined) {
      disk.write(configPath, configText);
      text = configText;
    } else return { ok: false, fatal: `Fatal error, can't open config file '${configPath}': No such file or directory` };
  } else if (configText !== undefined) text = configText;
  if (text !== '' && !text.endsWith('\n')) text += '\n';
  text += overrideLines(overrides);
  try {
    const cfg = parseRedisConf(text, {
      path: configPath,
      cwd: configPath ? dirname(configPath) : '/',
      userLineError,
      readFile: (p) => {
        const f = disk.read(p);
        return typeof f === 'string' ? f : undefined;
      },
    });
    return { ok: true, conf: new ConfAdapter(cfg, s, configPath ?? '') };
  } catch (e) {
    if (e instanceof ConfigFileError) return { ok: false, fatal: e.message };
    if (e instanceof ConfigFileOpenError) return { ok: false, fatal: e.message };
    throw e;
  }
}

class ConfAdapter implements ServerConf {
  /** Values read on every command (dispatch checks) are memoised; any change clears the memo. */
  private readonly memo = new Map<string, string>();
  private readonly intMemo = new Map<string, number>();

  constructor(
    private readonly cfg: RedisConfig,
    private readonly s: RedisServer,
    readonly configFile: string,
  ) {
    cfg.onChange((name, value) => {
      this.forget();
      if (name === 'port') return applyPort(s, Number(value)) ?? undefined;
    });
  }

  private forget(): void {
    this.memo.clear();
    this.intMemo.clear();
  }

  get(name: string): string {
    let v = this.memo.get(name);
    if (v === undefined) {
      v = this.cfg.get(name) ?? '';
      this.memo.set(name, v);
    }
    return v;
  }

  int(name: string): number {
    let n = this.intMemo.get(name);
    if (n === undefined) {
      const v = Number(this.get(name));
      n = Number.isFinite(v) ? v : 0;
      this.intMemo.set(name, n);
    }
    return n;
  }

  bool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** A map of name → value (RESP2: the flat array). */
  configGet(patterns: readonly string[]): Reply {
    const out: Reply[] = [];
    for (const [k, v] of this.cfg.configGet(patterns)) out.push(bulk(k), bulk(v));
    return map(out);
  }

  configSet(args: readonly string[]): Resp {
    const pairs: [string, string][] = [];
    for (let i = 0; i + 1 < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
    const local = this.s.currentClient?.addr.startsWith('127.') ?? false;
    const e = this.cfg.configSet(pairs, { loading: this.s.loading, localClient: local });
    this.forget();
    return e === null ? OK : err(e);
  }

  users(): string[][] {
    return this.cfg.users;
  }

  setReplicaOf(target: { host: string; port: number } | null): void {
    this.cfg.setReplicaOf(target);
    this.forget();
  }

  rewrite(): Resp {
    if (this.configFile === '') return err('ERR The server is running without a config file');
    const disk = this.s.ctx.host.disk;
    const old = disk.read(this.configFile);
    // the users as ACL LIST describes them, without "user "
    const users = this.s.acl.list().map((l) => l.slice(5));
    disk.write(this.configFile, rewriteConfigText(this.cfg, typeof old === 'string' ? old : '', { users }));
    return OK;
  }
}
