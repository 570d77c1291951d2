/**
 * Extra checks some string and enum parameters run before accepting a value, with the
 * error texts of Redis 7.0.15.
 */
import type { ValueReader } from './types.ts';

function isBaseName(v: string): boolean {
  return !v.includes('/') && !v.includes('\\');
}

export function validDbFilename(v: string): string | null {
  return isBaseName(v) ? null : "dbfilename can't be a path, just a filename";
}

export function validAofFilename(v: string): string | null {
  if (v === '') return "appendfilename can't be empty";
  return isBaseName(v) ? null : "appendfilename can't be a path, just a filename";
}

export function validAofDirname(v: string): string | null {
  if (v === '') return "appenddirname can't be empty";
  return isBaseName(v) ? null : "appenddirname can't be a path, just a dirname";
}

const NET_HOST_STR_LEN = 256;

export function validAnnouncedHostname(v: string): string | null {
  if (v.length >= NET_HOST_STR_LEN) return `Hostnames must be less than ${NET_HOST_STR_LEN} characters`;
  if (!/^[A-Za-z0-9.-]*$/.test(v)) return 'Hostnames may only contain alphanumeric characters, hyphens or dots';
  return null;
}

/**
 * The redis-server 7.0.15 of Debian (the oracle of this project) is linked with the
 * system jemalloc, without active defragmentation support: enabling it is refused.
 */
export function validActiveDefrag(v: boolean): string | null {
  if (!v) return null;
  return (
    'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc ' +
    'like the one shipped by default with the Redis source distribution'
  );
}

export const SHUTDOWN_SAVE = 1;
export const SHUTDOWN_NOSAVE = 2;

export function validShutdownFlags(v: number): string | null {
  if (v & SHUTDOWN_SAVE && v & SHUTDOWN_NOSAVE) {
    return "shutdown options SAVE and NOSAVE can't be used simultaneously";
  }
  return null;
}

/** Value of one {variable} of proc-title-template, or null when the name is unknown. */
function titleVariable(name: string, cfg: ValueReader): string | null {
  const port = Number(cfg.value('port') as bigint);
  const tlsPort = Number(cfg.value('tls-port') as bigint);
  const unixsocket = (cfg.value('unixsocket') as string | null) ?? '';
  switch (name) {
    case 'title':
      return '';
    case 'listen-addr': {
      if (port || tlsPort) {
        const bind = cfg.value('bind') as string[];
        return `${bind.length ? bind[0] : '*'}:${port || tlsPort}`;
      }
      return `unixsocket:${unixsocket}`;
    }
    case 'server-mode':
      return cfg.value('cluster-enabled') ? '[cluster]' : '';
    case 'config-file':
      return '-';
    case 'port':
      return String(port);
    case 'tls-port':
      return String(tlsPort);
    case 'unixsocket':
      return unixsocket;
    default:
      return null;
  }
}

/** Expand a template the way Redis validates it (with an empty title); null if invalid. */
function expandTitle(template: string, cfg: ValueReader): string | null {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open < 0) {
      out += template.slice(i);
      break;
    }
    out += template.slice(i, open);
    if (open + 1 >= template.length) return null;
    if (template[open + 1] === '{') {
      out += '{';
      i = open + 2;
      continue;
    }
    const close = template.indexOf('}', open + 1);
    if (close < 0) return null;
    const value = titleVariable(template.slice(open + 1, close), cfg);
    if (value === null) return null;
    out += value;
    i = close + 1;
  }
  return out.replace(/^ +| +$/g, '');
}

export function validProcTitleTemplate(v: string, cfg: ValueReader): string | null {
  const expanded = expandTitle(v, cfg);
  if (expanded === null || expanded === '') return 'template format is invalid or contains unknown variables';
  return null;
}
