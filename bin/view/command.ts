// Registers the `sentinel-sim view` command on the CLI (kept beside its implementation so bin/cli.ts stays small).
import type { Command } from 'commander';

export function registerView(_program: Command): void {
  // not wired yet
}
