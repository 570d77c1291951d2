// The save options a server's config gives (rdbcompression, list-max-listpack-size).
import { DEFAULT_SAVE_OPTIONS, type SaveOptions } from './primitives.ts';

export function saveOptionsFrom(conf: { get(name: string): string } | undefined): SaveOptions {
  if (!conf) return DEFAULT_SAVE_OPTIONS;
  const fill = Number(conf.get('list-max-listpack-size'));
  return {
    compression: conf.get('rdbcompression') !== 'no',
    listMaxListpackSize: Number.isFinite(fill) ? fill : -2,
  };
}
