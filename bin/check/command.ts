// Registers the `sentinel-sim check` command on the CLI (kept beside its implementation so bin/cli.ts stays small).
import type { Command } from 'commander';

export function registerCheck(_program: Command): void {
  // not wired yet
}
