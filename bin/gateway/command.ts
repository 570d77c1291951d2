// Registers the `sentinel-sim serve` command on the CLI (kept beside its implementation so bin/cli.ts stays small).
import type { Command } from 'commander';

export function registerServe(_program: Command): void {
  // not wired yet
}
