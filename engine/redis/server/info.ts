// INFO (genRedisInfoString of Redis 7.0.15): sections, field names and order; values from the simulation.
import { shutdownInMs } from './shutdown.ts';
import { latencystatsLines } from './latency-histogram.ts';
import { activeExpireStats } from '../keyspace/activeExpire.ts';
import { expireCycleCpuMs } from './expire-latency.ts';
import { migrateCachedSockets } from './migrate-socket.ts';
import { scriptingMemory } from '../scripting/memory-info.ts';
import { BASE_USED_MEMORY } from '../persistence/rdb.ts';
import type { RedisServer } from './server.ts';

const DEFAULT_SECTIONS = ['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'module_list', 'errorstats', 'cluster', 'keyspace'];

/** bytesToHuman. */
export function bytesToHuman(n: number): string {
  const units = ['K', 'M', 'G', 'T', 'P'];
  if (n < 1024) return `${n}B`;
  let d = n / 1024;
  for (const u of units) {
    if (d < 1024 || u === 'P') return `${d.toFixed(2)}${u}`;
    d /= 1024;
  }
  return `${n}B`;
}

const DEFAULT_SET: ReadonlySet<string> = new Set(DEFAULT_SECTIONS);

/** "# Title\r\n" followed by each line and "\r\n". */
function sectionText(title: string, lines: readonly string[]): string {
  let text = '# ' + title + '\r\n';
  for (let i = 0; i < lines.length; i++) text += lines[i] + '\r\n';
  return text;
}

/** INFO [section ...]: the text of the reply (a bulk string in RESP2). */
export function infoString(s: RedisServer, args: readonly string[]): string {
  // plain INFO (what Sentinels send every 10 s) reads the shared default set: no Set per call
  let want = DEFAULT_SET;
  let all = false;
  let everything = false;
  if (args.length > 0) {
    const w = new Set<string>();
    for (const a of args) {
      const l = a.toLowerCase();
      if (l === 'default') for (const x of DEFAULT_SECTIONS) w.add(x);
      else if (l === 'all') all = true;
      else if (l === 'everything') all = everything = true;
      else w.add(l);
    }
    want = w;
  }
  // sections are separated by an empty line; join makes one flat string, which Sentinels parse faster
  const out: string[] = [];
  if (all || want.has('server')) out.push(serverText(s));
  if (all || want.has('clients')) out.push(clientText(s));
  if (all || want.has('memory')) out.push(memoryText(s));
  if (all || want.has('persistence')) out.push(persistenceText(s));
  if (all || want.has('stats')) out.push(statsText(s));
  if (all || want.has('replication')) out.push(sectionText('Replication', replicationLines(s)));
  if (all || want.has('cpu')) out.push(cpuText(s));
  if (all || want.has('module_list') || want.has('modules') || everything) out.push('# Modules\r\n');
  if (all || want.has('commandstats')) out.push(sectionText('Commandstats', commandstatsLines(s)));
  if (all || want.has('errorstats'))
    out.push(sectionText('Errorstats', [...s.stats.errors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `errorstat_${k}:count=${v}`)));
  if (all || want.has('latencystats')) out.push(sectionText('Latencystats', latencystatsLines(s)));
  if (all || want.has('cluster')) out.push('# Cluster\r\ncluster_enabled:0\r\n');
  if (all || want.has('keyspace')) out.push(sectionText('Keyspace', keyspaceLines(s)));
  return out.join('\r\n');
}

/** shutdown_in_milliseconds, while a SHUTDOWN waits for its replicas. */
function shutdownInfo(s: RedisServer): string {
  const ms = shutdownInMs(s);
  return ms === null ? '' : `shutdown_in_milliseconds:${ms}\r\n`;
}

function uptimeSec(s: RedisServer): number {
  return Math.floor((s.mstime() - s.startMs) / 1000);
}

function serverText(s: RedisServer): string {
  const up = uptimeSec(s);
  const nowUs = s.ctx.host.wallUs(s.ctx.now());
  const hz = s.conf.int('hz');
  return (
    `# Server\r\nredis_version:7.0.15\r\nredis_git_sha1:00000000\r\nredis_git_dirty:0\r\nredis_build_id:e08dbad3e06f3fb\r\nredis_mode:standalone\r\nos:Linux 6.18.44-fc-v595 x86_64\r\narch_bits:64\r\nmonotonic_clock:POSIX clock_gettime\r\nmultiplexing_api:epoll\r\natomicvar_api:c11-builtin\r\ngcc_version:12.2.0\r\nprocess_id:${s.ctx.slot.pid}\r\nprocess_supervised:no\r\nrun_id:${s.runId}\r\ntcp_port:${s.conf.int('port')}\r\n` +
    `server_time_usec:${nowUs}\r\nuptime_in_seconds:${up}\r\nuptime_in_days:${Math.floor(up / 86400)}\r\n` +
    `hz:${hz}\r\nconfigured_hz:${hz}\r\nlru_clock:${Math.floor(s.mstime() / 1000) & ((1 << 24) - 1)}\r\n` +
    `executable:/usr/bin/redis-server\r\nconfig_file:${s.conf.configFile}\r\nio_threads_active:0\r\n` +
    shutdownInfo(s)
  );
}

function clientText(s: RedisServer): string {
  const n = listedCount(s);
  return (
    `# Clients\r\nconnected_clients:${n.listed - n.replicas}\r\ncluster_connections:0\r\n` +
    `maxclients:${s.conf.int('maxclients') || 10000}\r\nclient_recent_max_input_buffer:20480\r\n` +
    `client_recent_max_output_buffer:0\r\nblocked_clients:${s.blocks.count}\r\ntracking_clients:${s.tracking.clients}\r\n` +
    `clients_in_timeout_table:${s.blocks.withTimeout}\r\n`
  );
}

/** listedClients(s).length and how many of them are replicas, without building the list. */
function listedCount(s: RedisServer): { listed: number; replicas: number } {
  let listed = 0;
  let replicas = 0;
  for (const c of s.clients.values()) {
    if (c.conn === null && c.kind !== 'master') continue;
    listed++;
    if (c.kind === 'replica' && !c.monitor) replicas++;
  }
  return { listed, replicas };
}

function pct(a: number, b: number): string {
  return (b === 0 ? 0 : (a * 100) / b).toFixed(2);
}

function memoryText(s: RedisServer): string {
  const used = s.usedMemory();
  const sm = scriptingMemory(s);
  const v: (number | string | boolean)[] = [
    used,
    Math.max(used, BASE_USED_MEMORY + s.stats.peakMemory),
    12_570_624 + Math.ceil(s.ks.usedBytes / 4096) * 4096,
    s.maxmemoryBytes(),
    listedCount(s).listed,
    s.conf.get('maxmemory-policy'),
    s.repl.backlogActive ? s.repl.backlogHistlen : 0,
    s.aof.bufferedCommands,
    sm.scriptsEval,
    sm.cachedScripts,
    sm.functions,
    sm.libraries,
    sm.functionsOverhead,
  ];
  return memoText(memoryMemo, s, v, buildMemory);
}

function buildMemory(v: readonly (number | string | boolean)[]): string {
  const used = v[0] as number;
  const peak = v[1] as number;
  const rss = v[2] as number;
  const maxmemory = v[3] as number;
  const listed = v[4] as number;
  const overhead = BASE_USED_MEMORY + 20 * listed;
  const dataset = Math.max(0, used - overhead);
  const scripts = (v[8] as number) + (v[12] as number);
  return (
    `# Memory\r\nused_memory:${used}\r\nused_memory_human:${bytesToHuman(used)}\r\n` +
    `used_memory_rss:${rss}\r\nused_memory_rss_human:${bytesToHuman(rss)}\r\n` +
    `used_memory_peak:${peak}\r\nused_memory_peak_human:${bytesToHuman(peak)}\r\n` +
    `used_memory_peak_perc:${pct(used, peak)}%\r\nused_memory_overhead:${overhead}\r\n` +
    `used_memory_startup:${BASE_USED_MEMORY}\r\nused_memory_dataset:${dataset}\r\n` +
    `used_memory_dataset_perc:${pct(dataset, used - BASE_USED_MEMORY + dataset)}%\r\n` +
    `allocator_allocated:${used + 1_000_000}\r\nallocator_active:${used + 1_200_000}\r\nallocator_resident:${used + 4_000_000}\r\n` +
    `total_system_memory:25276514304\r\ntotal_system_memory_human:23.54G\r\nused_memory_lua:32768\r\nused_memory_vm_eval:32768\r\nused_memory_lua_human:32.00K\r\nused_memory_scripts_eval:${v[8]}\r\nnumber_of_cached_scripts:${v[9]}\r\nnumber_of_functions:${v[10]}\r\nnumber_of_libraries:${v[11]}\r\nused_memory_vm_functions:33792\r\nused_memory_vm_total:66560\r\nused_memory_vm_total_human:65.00K\r\n` +
    `used_memory_functions:${v[12]}\r\nused_memory_scripts:${scripts}\r\nused_memory_scripts_human:${bytesToHuman(scripts)}\r\nmaxmemory:${maxmemory}\r\nmaxmemory_human:${bytesToHuman(maxmemory)}\r\n` +
    `maxmemory_policy:${v[5]}\r\n` +
    `allocator_frag_ratio:1.11\r\nallocator_frag_bytes:246560\r\nallocator_rss_ratio:2.05\r\nallocator_rss_bytes:2674688\r\nrss_overhead_ratio:2.40\r\nrss_overhead_bytes:7340032\r\nmem_fragmentation_ratio:${(rss / used).toFixed(2)}\r\nmem_fragmentation_bytes:${rss - used}\r\n` +
    `mem_not_counted_for_evict:0\r\nmem_replication_backlog:${v[6]}\r\n` +
    `mem_total_replication_buffers:0\r\nmem_clients_slaves:0\r\nmem_clients_normal:${22_298 * listed}\r\n` +
    `mem_cluster_links:0\r\nmem_aof_buffer:${v[7]}\r\nmem_allocator:jemalloc-5.3.0\r\n` +
    'active_defrag_running:0\r\nlazyfree_pending_objects:0\r\nlazyfreed_objects:0\r\n'
  );
}

function persistenceText(s: RedisServer): string {
  const sv = s.saver;
  const aof = s.aof;
  const rdbChild = s.child.type === 'rdb';
  const v: (number | string | boolean)[] = [
    s.loading ? 1 : 0,
    s.dirty,
    rdbChild ? 1 : 0,
    sv.lastsave,
    sv.lastbgsaveOk ? 'ok' : 'err',
    sv.saveTimeLast,
    rdbChild ? Math.floor(s.mstime() / 1000) - sv.saveTimeStart : -1,
    sv.saves,
    s.rdbLoadStats.expired,
    s.rdbLoadStats.loaded,
    aof.state !== 'off' ? 1 : 0,
    aof.rewriteInProgress ? 1 : 0,
    aof.rewriteScheduled ? 1 : 0,
    aof.lastRewriteTimeSec,
    aof.lastBgrewriteOk ? 'ok' : 'err',
    aof.rewrites,
    s.conf.bool('appendonly'),
    aof.currentSize,
    aof.rewriteBaseSize,
    aof.bufferedCommands,
  ];
  return memoText(persistenceMemo, s, v, buildPersistence);
}

function buildPersistence(v: readonly (number | string | boolean)[]): string {
  let text =
    `# Persistence\r\nloading:${v[0]}\r\nasync_loading:0\r\ncurrent_cow_peak:0\r\ncurrent_cow_size:0\r\n` +
    `current_cow_size_age:0\r\ncurrent_fork_perc:0.00\r\ncurrent_save_keys_processed:0\r\ncurrent_save_keys_total:0\r\n` +
    `rdb_changes_since_last_save:${v[1]}\r\nrdb_bgsave_in_progress:${v[2]}\r\nrdb_last_save_time:${v[3]}\r\n` +
    `rdb_last_bgsave_status:${v[4]}\r\nrdb_last_bgsave_time_sec:${v[5]}\r\nrdb_current_bgsave_time_sec:${v[6]}\r\n` +
    `rdb_saves:${v[7]}\r\nrdb_last_cow_size:0\r\nrdb_last_load_keys_expired:${v[8]}\r\nrdb_last_load_keys_loaded:${v[9]}\r\n` +
    `aof_enabled:${v[10]}\r\naof_rewrite_in_progress:${v[11]}\r\naof_rewrite_scheduled:${v[12]}\r\n` +
    `aof_last_rewrite_time_sec:${v[13]}\r\naof_current_rewrite_time_sec:${v[11] ? 0 : -1}\r\n` +
    `aof_last_bgrewrite_status:${v[14]}\r\naof_rewrites:${v[15]}\r\naof_rewrites_consecutive_failures:0\r\n` +
    `aof_last_write_status:ok\r\naof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n`;
  if (v[16])
    text +=
      `aof_current_size:${v[17]}\r\naof_base_size:${v[18]}\r\naof_pending_rewrite:${v[12]}\r\n` +
      `aof_buffer_length:${v[19]}\r\naof_pending_bio_fsync:0\r\naof_delayed_fsync:0\r\n`;
  return text;
}

interface Memo {
  v: readonly (number | string | boolean)[];
  text: string;
}
const persistenceMemo = new WeakMap<RedisServer, Memo>();
const memoryMemo = new WeakMap<RedisServer, Memo>();

/** A section whose text is a pure function of `v`: rebuilt only when one of the values changed
 *  (Sentinels ask every 10 s; in an idle cluster Memory and Persistence rarely change). */
function memoText(
  cache: WeakMap<RedisServer, Memo>,
  s: RedisServer,
  v: readonly (number | string | boolean)[],
  build: (v: readonly (number | string | boolean)[]) => string,
): string {
  const m = cache.get(s);
  if (m !== undefined && m.v.length === v.length) {
    let same = true;
    for (let i = 0; i < v.length; i++)
      if (m.v[i] !== v[i]) {
        same = false;
        break;
      }
    if (same) return m.text;
  }
  const text = build(v);
  cache.set(s, { v, text });
  return text;
}

function statsText(s: RedisServer): string {
  const st = s.stats;
  const ks = s.ks.stats;
  const ae = activeExpireStats(s.ks);
  return (
    `# Stats\r\ntotal_connections_received:${st.connectionsReceived}\r\ntotal_commands_processed:${st.commandsProcessed}\r\n` +
    `instantaneous_ops_per_sec:${st.opsPerSec}\r\ntotal_net_input_bytes:${st.netInputBytes + st.netReplInputBytes}\r\n` +
    `total_net_output_bytes:${st.netOutputBytes + st.netReplOutputBytes}\r\n` +
    `total_net_repl_input_bytes:${st.netReplInputBytes}\r\ntotal_net_repl_output_bytes:${st.netReplOutputBytes}\r\n` +
    `instantaneous_input_kbps:${st.inputKbps.toFixed(2)}\r\ninstantaneous_output_kbps:${st.outputKbps.toFixed(2)}\r\n` +
    `instantaneous_input_repl_kbps:0.00\r\ninstantaneous_output_repl_kbps:0.00\r\nrejected_connections:${st.rejectedConnections}\r\nsync_full:${st.syncFull}\r\n` +
    `sync_partial_ok:${st.syncPartialOk}\r\nsync_partial_err:${st.syncPartialErr}\r\n` +
    `expired_keys:${ks.expiredKeys}\r\nexpired_stale_perc:${ae.stalePerc.toFixed(2)}\r\n` +
    `expired_time_cap_reached_count:${ae.timeCapReached}\r\nexpire_cycle_cpu_milliseconds:${expireCycleCpuMs(s)}\r\n` +
    `evicted_keys:${ks.evictedKeys}\r\nevicted_clients:0\r\ntotal_eviction_exceeded_time:0\r\ncurrent_eviction_exceeded_time:0\r\n` +
    `keyspace_hits:${ks.hits}\r\nkeyspace_misses:${ks.misses}\r\n` +
    `pubsub_channels:${s.pubsub.channels.size}\r\npubsub_patterns:${s.pubsub.patterns.size}\r\npubsubshard_channels:0\r\n` +
    `latest_fork_usec:${s.child.latestForkUsec}\r\ntotal_forks:${s.child.totalForks}\r\n` +
    `migrate_cached_sockets:${migrateCachedSockets(s)}\r\nslave_expires_tracked_keys:0\r\nactive_defrag_hits:0\r\nactive_defrag_misses:0\r\nactive_defrag_key_hits:0\r\nactive_defrag_key_misses:0\r\ntotal_active_defrag_time:0\r\ncurrent_active_defrag_time:0\r\ntracking_total_keys:${s.tracking.totalKeys}\r\ntracking_total_items:${s.tracking.items}\r\ntracking_total_prefixes:${s.tracking.totalPrefixes}\r\nunexpected_error_replies:${st.unexpectedErrorReplies}\r\ntotal_error_replies:${st.totalErrorReplies}\r\n` +
    `dump_payload_sanitizations:0\r\ntotal_reads_processed:${st.readsProcessed}\r\ntotal_writes_processed:${st.writesProcessed}\r\n` +
    'io_threaded_reads_processed:0\r\nio_threaded_writes_processed:0\r\nreply_buffer_shrinks:0\r\nreply_buffer_expands:0\r\n'
  );
}

/** INFO replication (replication.md §14). */
export function replicationLines(s: RedisServer): string[] {
  const r = s.repl;
  if (r.infoLines) return r.infoLines();
  const lines = [`role:${r.isReplica ? 'slave' : 'master'}`];
  if (r.isReplica) {
    const ri = r.replicaInfo;
    lines.push(
      `master_host:${r.masterHost}`,
      `master_port:${r.masterPort}`,
      `master_link_status:${r.masterLinkUp ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${ri.lastIoSecondsAgo}`,
      `master_sync_in_progress:${ri.syncInProgress ? 1 : 0}`,
      `slave_read_repl_offset:${ri.readReplOffset}`,
      `slave_repl_offset:${ri.replOffset}`,
    );
    if (!r.masterLinkUp) lines.push(`master_link_down_since_seconds:${ri.linkDownSinceSeconds}`);
    lines.push(
      `slave_priority:${s.conf.int('replica-priority')}`,
      `slave_read_only:${s.conf.bool('replica-read-only') ? 1 : 0}`,
      `replica_announced:${s.conf.bool('replica-announced') ? 1 : 0}`,
    );
  }
  lines.push(`connected_slaves:${r.replicas.length}`);
  if (s.conf.int('min-replicas-to-write') > 0 && s.conf.int('min-replicas-max-lag') > 0)
    lines.push(`min_slaves_good_slaves:${r.goodReplicas}`);
  r.replicas.forEach((x, i) => lines.push(`slave${i}:ip=${x.ip},port=${x.port},state=${x.state},offset=${x.offset},lag=${x.lag}`));
  lines.push(
    'master_failover_state:no-failover',
    `master_replid:${r.replid}`,
    `master_replid2:${r.replid2}`,
    `master_repl_offset:${r.masterReplOffset}`,
    `second_repl_offset:${r.secondReplOffset}`,
    `repl_backlog_active:${r.backlogActive ? 1 : 0}`,
    `repl_backlog_size:${r.backlogSize}`,
    `repl_backlog_first_byte_offset:${r.backlogActive ? r.backlogFirstByteOffset : 0}`,
    `repl_backlog_histlen:${r.backlogActive ? r.backlogHistlen : 0}`,
  );
  return lines;
}

/** Seconds.micros of a CPU time in µs. */
function cpuSecs(x: number): string {
  return `${Math.floor(x / 1e6)}.${String(Math.floor(x % 1e6)).padStart(6, '0')}`;
}

function cpuText(s: RedisServer): string {
  // CPU time: a small, deterministic amount per command processed
  const t = cpuSecs(2000 + s.stats.commandsProcessed * 15 + uptimeSec(s) * 1200);
  return (
    `# CPU\r\nused_cpu_sys:${t}\r\nused_cpu_user:${t}\r\n` +
    `used_cpu_sys_children:0.000000\r\nused_cpu_user_children:0.000000\r\nused_cpu_sys_main_thread:${t}\r\nused_cpu_user_main_thread:${t}\r\n`
  );
}

function commandstatsLines(s: RedisServer): string[] {
  const out: string[] = [];
  for (const [name, c] of [...s.stats.commands].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (c.calls === 0 && c.failed === 0 && c.rejected === 0) continue;
    const per = c.calls === 0 ? 0 : c.usec / c.calls;
    out.push(`cmdstat_${name}:calls=${c.calls},usec=${c.usec},usec_per_call=${per.toFixed(2)},rejected_calls=${c.rejected},failed_calls=${c.failed}`);
  }
  return out;
}

function keyspaceLines(s: RedisServer): string[] {
  const out: string[] = [];
  // avg_ttl is the running estimate kept by the active expire cycle, as in Redis
  const ae = activeExpireStats(s.ks);
  for (const db of s.ks.dbs) {
    const keys = db.dict.size;
    const vkeys = db.expires.size;
    if (!keys && !vkeys) continue;
    out.push(`db${db.index}:keys=${keys},expires=${vkeys},avg_ttl=${ae.avgTtl(db.index)}`);
  }
  return out;
}
