/**
 * POSIX path resolution for the simulated working directory (no symbolic links).
 */

/** Normalize an absolute path: collapse "//", ".", ".." and drop a trailing "/". */
export function normalizePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

/** Resolve `path` against the absolute directory `cwd`. */
export function resolvePath(cwd: string, path: string): string {
  return normalizePath(path.startsWith('/') ? path : `${cwd}/${path}`);
}
