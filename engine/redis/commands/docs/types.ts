// The shape of one command's COMMAND DOCS entry in the docs tables of this directory.
import type { CommandMeta } from '../meta.ts';

export type CommandDocs = { summary: string; since: string; group: string } & Pick<
  CommandMeta,
  'complexity' | 'docFlags' | 'deprecatedSince' | 'replacedBy' | 'history' | 'args'
>;
