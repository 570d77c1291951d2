// COMMAND DOCS of every Redis 7.0.15 command and subcommand, by full name ("get", "config|set"),
// one table per command group.
import type { CommandDocs } from './types.ts';
import { DOCS as bitmapDocs } from './bitmap.ts';
import { DOCS as clusterDocs } from './cluster.ts';
import { DOCS as connectionDocs } from './connection.ts';
import { DOCS as genericDocs } from './generic.ts';
import { DOCS as geoDocs } from './geo.ts';
import { DOCS as hashDocs } from './hash.ts';
import { DOCS as hyperloglogDocs } from './hyperloglog.ts';
import { DOCS as listDocs } from './list.ts';
import { DOCS as pubsubDocs } from './pubsub.ts';
import { DOCS as scriptingDocs } from './scripting.ts';
import { DOCS as serverDocs } from './server.ts';
import { DOCS as setDocs } from './set.ts';
import { DOCS as sortedSetDocs } from './sorted_set.ts';
import { DOCS as streamDocs } from './stream.ts';
import { DOCS as stringDocs } from './string.ts';
import { DOCS as transactionsDocs } from './transactions.ts';

export type { CommandDocs } from './types.ts';

export const COMMAND_DOCS: Readonly<Record<string, CommandDocs>> = { ...bitmapDocs, ...clusterDocs, ...connectionDocs, ...genericDocs, ...geoDocs, ...hashDocs, ...hyperloglogDocs, ...listDocs, ...pubsubDocs, ...scriptingDocs, ...serverDocs, ...setDocs, ...sortedSetDocs, ...streamDocs, ...stringDocs, ...transactionsDocs };
