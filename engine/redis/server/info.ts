// INFO (genRedisInfoString of Redis 7.0.15): sections, field names and order; values from the simulation.
import { activeExpireStats } from '../keyspace/activeExpire.ts';
import { BASE_USED_MEMORY } from '../persistence/rdb.ts';
import { listedClients } from './client-command.ts';
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

/** INFO [section ...]: the text of the reply (a bulk string in RESP2). */
export function infoString(s: RedisServer, args: readonly string[]): string {
  const want = new Set<string>();
  let all = false;
  let everything = false;
  if (args.length === 0) DEFAULT_SECTIONS.forEach((x) => want.add(x));
  for (const a of args) {
    const l = a.toLowerCase();
    if (l === 'default') DEFAULT_SECTIONS.forEach((x) => want.add(x));
    else if (l === 'all') all = true;
    else if (l === 'everything') all = everything = true;
    else want.add(l);
  }
  const has = (name: string) => all || want.has(name);
  const parts: string[] = [];
  const section = (title: string, lines: string[]) => {
    let text = `# ${title}\r\n`;
    for (let i = 0; i < lines.length; i++) text += lines[i] + '\r\n';
    parts.push(text);
  };
  if (has('server')) section('Server', serverLines(s));
  if (has('clients')) section('Clients', clientLines(s));
  if (has('memory')) section('Memory', memoryLines(s));
  if (has('persistence')) section('Persistence', persistenceLines(s));
  if (has('stats')) section('Stats', statsLines(s));
  if (has('replication')) section('Replication', replicationLines(s));
  if (has('cpu')) section('CPU', cpuLines(s));
  if (has('module_list') || has('modules') || everything) section('Modules', []);
  if (has('commandstats')) section('Commandstats', commandstatsLines(s));
  if (has('errorstats')) section('Errorstats', [...s.stats.errors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `errorstat_${k}:count=${v}`));
  if (has('latencystats')) section('Latencystats', []);
  if (has('cluster')) section('Cluster', ['cluster_enabled:0']);
  if (has('keyspace')) section('Keyspace', keyspaceLines(s));
  return parts.join('\r\n');
}

function uptimeSec(s: RedisServer): number {
  return Math.floor((s.mstime() - s.startMs) / 1000);
}

function serverLines(s: RedisServer): string[] {
  const up = uptimeSec(s);
  const nowUs = s.ctx.host.wallUs(s.ctx.now());
  return [
    'redis_version:7.0.15',
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:e08dbad3e06f3fb',
    'redis_mode:standalone',
    'os:Linux 6.18.44-fc-v595 x86_64',
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:epoll',
    'atomicvar_api:c11-builtin',
    'gcc_version:12.2.0',
    `process_id:${s.ctx.slot.pid}`,
    'process_supervised:no',
    `run_id:${s.runId}`,
    `tcp_port:${s.conf.int('port')}`,
    `server_time_usec:${nowUs}`,
    `uptime_in_seconds:${up}`,
    `uptime_in_days:${Math.floor(up / 86400)}`,
    `hz:${s.conf.int('hz')}`,
    `configured_hz:${s.conf.int('hz')}`,
    `lru_clock:${Math.floor(s.mstime() / 1000) & ((1 << 24) - 1)}`,
    'executable:/usr/bin/redis-server',
    `config_file:${s.conf.configFile}`,
    'io_threads_active:0',
  ];
}

function clientLines(s: RedisServer): string[] {
  const listed = listedClients(s);
  const replicas = listed.filter((c) => c.kind === 'replica').length;
  return [
    `connected_clients:${listed.length - replicas}`,
    'cluster_connections:0',
    `maxclients:${s.conf.int('maxclients') || 10000}`,
    'client_recent_max_input_buffer:20480',
    'client_recent_max_output_buffer:0',
    `blocked_clients:${s.blocks.count}`,
    'tracking_clients:0',
    `clients_in_timeout_table:${s.blocks.withTimeout}`,
  ];
}

function memoryLines(s: RedisServer): string[] {
  const used = s.usedMemory();
  const peak = Math.max(used, BASE_USED_MEMORY + s.stats.peakMemory);
  const rss = 12_570_624 + Math.ceil(s.ks.usedBytes / 4096) * 4096;
  const maxmemory = s.maxmemoryBytes();
  const overhead = BASE_USED_MEMORY + 20 * listedClients(s).length;
  const dataset = Math.max(0, used - overhead);
  const pct = (a: number, b: number) => (b === 0 ? 0 : (a * 100) / b).toFixed(2);
  return [
    `used_memory:${used}`,
    `used_memory_human:${bytesToHuman(used)}`,
    `used_memory_rss:${rss}`,
    `used_memory_rss_human:${bytesToHuman(rss)}`,
    `used_memory_peak:${peak}`,
    `used_memory_peak_human:${bytesToHuman(peak)}`,
    `used_memory_peak_perc:${pct(used, peak)}%`,
    `used_memory_overhead:${overhead}`,
    `used_memory_startup:${BASE_USED_MEMORY}`,
    `used_memory_dataset:${dataset}`,
    `used_memory_dataset_perc:${pct(dataset, used - BASE_USED_MEMORY + dataset)}%`,
    `allocator_allocated:${used + 1_000_000}`,
    `allocator_active:${used + 1_200_000}`,
    `allocator_resident:${used + 4_000_000}`,
    'total_system_memory:25276514304',
    'total_system_memory_human:23.54G',
    'used_memory_lua:32768',
    'used_memory_vm_eval:32768',
    'used_memory_lua_human:32.00K',
    'used_memory_scripts_eval:0',
    'number_of_cached_scripts:0',
    'number_of_functions:0',
    'number_of_libraries:0',
    'used_memory_vm_functions:33792',
    'used_memory_vm_total:66560',
    'used_memory_vm_total_human:65.00K',
    'used_memory_functions:200',
    'used_memory_scripts:200',
    'used_memory_scripts_human:200B',
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${bytesToHuman(maxmemory)}`,
    `maxmemory_policy:${s.conf.get('maxmemory-policy')}`,
    'allocator_frag_ratio:1.11',
    'allocator_frag_bytes:246560',
    'allocator_rss_ratio:2.05',
    'allocator_rss_bytes:2674688',
    'rss_overhead_ratio:2.40',
    'rss_overhead_bytes:7340032',
    `mem_fragmentation_ratio:${(rss / used).toFixed(2)}`,
    `mem_fragmentation_bytes:${rss - used}`,
    'mem_not_counted_for_evict:0',
    `mem_replication_backlog:${s.repl.backlogActive ? s.repl.backlogHistlen : 0}`,
    'mem_total_replication_buffers:0',
    'mem_clients_slaves:0',
    `mem_clients_normal:${22_298 * listedClients(s).length}`,
    'mem_cluster_links:0',
    `mem_aof_buffer:${s.aof.bufferedCommands}`,
    'mem_allocator:jemalloc-5.3.0',
    'active_defrag_running:0',
    'lazyfree_pending_objects:0',
    'lazyfreed_objects:0',
  ];
}

function persistenceLines(s: RedisServer): string[] {
  const now = Math.floor(s.mstime() / 1000);
  const sv = s.saver;
  const aof = s.aof;
  const lines = [
    `loading:${s.loading ? 1 : 0}`,
    'async_loading:0',
    'current_cow_peak:0',
    'current_cow_size:0',
    'current_cow_size_age:0',
    'current_fork_perc:0.00',
    'current_save_keys_processed:0',
    'current_save_keys_total:0',
    `rdb_changes_since_last_save:${s.dirty}`,
    `rdb_bgsave_in_progress:${s.child.type === 'rdb' ? 1 : 0}`,
    `rdb_last_save_time:${sv.lastsave}`,
    `rdb_last_bgsave_status:${sv.lastbgsaveOk ? 'ok' : 'err'}`,
    `rdb_last_bgsave_time_sec:${sv.saveTimeLast}`,
    `rdb_current_bgsave_time_sec:${s.child.type === 'rdb' ? now - sv.saveTimeStart : -1}`,
    `rdb_saves:${sv.saves}`,
    'rdb_last_cow_size:0',
    `rdb_last_load_keys_expired:${s.rdbLoadStats.expired}`,
    `rdb_last_load_keys_loaded:${s.rdbLoadStats.loaded}`,
    `aof_enabled:${aof.state !== 'off' ? 1 : 0}`,
    `aof_rewrite_in_progress:${aof.rewriteInProgress ? 1 : 0}`,
    `aof_rewrite_scheduled:${aof.rewriteScheduled ? 1 : 0}`,
    `aof_last_rewrite_time_sec:${aof.lastRewriteTimeSec}`,
    `aof_current_rewrite_time_sec:${aof.rewriteInProgress ? 0 : -1}`,
    `aof_last_bgrewrite_status:${aof.lastBgrewriteOk ? 'ok' : 'err'}`,
    `aof_rewrites:${aof.rewrites}`,
    'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok',
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  ];
  if (s.conf.bool('appendonly'))
    lines.push(
      `aof_current_size:${aof.currentSize}`,
      `aof_base_size:${aof.rewriteBaseSize}`,
      `aof_pending_rewrite:${aof.rewriteScheduled ? 1 : 0}`,
      `aof_buffer_length:${aof.bufferedCommands}`,
      'aof_pending_bio_fsync:0',
      'aof_delayed_fsync:0',
    );
  return lines;
}

function statsLines(s: RedisServer): string[] {
  const st = s.stats;
  const ks = s.ks.stats;
  const ae = activeExpireStats(s.ks);
  return [
    `total_connections_received:${st.connectionsReceived}`,
    `total_commands_processed:${st.commandsProcessed}`,
    `instantaneous_ops_per_sec:${st.opsPerSec}`,
    `total_net_input_bytes:${st.netInputBytes + st.netReplInputBytes}`,
    `total_net_output_bytes:${st.netOutputBytes + st.netReplOutputBytes}`,
    `total_net_repl_input_bytes:${st.netReplInputBytes}`,
    `total_net_repl_output_bytes:${st.netReplOutputBytes}`,
    `instantaneous_input_kbps:${st.inputKbps.toFixed(2)}`,
    `instantaneous_output_kbps:${st.outputKbps.toFixed(2)}`,
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${st.rejectedConnections}`,
    `sync_full:${st.syncFull}`,
    `sync_partial_ok:${st.syncPartialOk}`,
    `sync_partial_err:${st.syncPartialErr}`,
    `expired_keys:${ks.expiredKeys}`,
    `expired_stale_perc:${ae.stalePerc.toFixed(2)}`,
    `expired_time_cap_reached_count:${ae.timeCapReached}`,
    'expire_cycle_cpu_milliseconds:0',
    `evicted_keys:${ks.evictedKeys}`,
    'evicted_clients:0',
    'total_eviction_exceeded_time:0',
    'current_eviction_exceeded_time:0',
    `keyspace_hits:${ks.hits}`,
    `keyspace_misses:${ks.misses}`,
    `pubsub_channels:${s.pubsub.channels.size}`,
    `pubsub_patterns:${s.pubsub.patterns.size}`,
    'pubsubshard_channels:0',
    `latest_fork_usec:${s.child.latestForkUsec}`,
    `total_forks:${s.child.totalForks}`,
    'migrate_cached_sockets:0',
    'slave_expires_tracked_keys:0',
    'active_defrag_hits:0',
    'active_defrag_misses:0',
    'active_defrag_key_hits:0',
    'active_defrag_key_misses:0',
    'total_active_defrag_time:0',
    'current_active_defrag_time:0',
    'tracking_total_keys:0',
    'tracking_total_items:0',
    'tracking_total_prefixes:0',
    `unexpected_error_replies:${st.unexpectedErrorReplies}`,
    `total_error_replies:${st.totalErrorReplies}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${st.readsProcessed}`,
    `total_writes_processed:${st.writesProcessed}`,
    'io_threaded_reads_processed:0',
    'io_threaded_writes_processed:0',
    'reply_buffer_shrinks:0',
    'reply_buffer_expands:0',
  ];
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

function cpuLines(s: RedisServer): string[] {
  // CPU time: a small, deterministic amount per command processed
  const us = 2000 + s.stats.commandsProcessed * 15 + uptimeSec(s) * 1200;
  const f = (x: number) => `${Math.floor(x / 1e6)}.${String(Math.floor(x % 1e6)).padStart(6, '0')}`;
  return [
    `used_cpu_sys:${f(us)}`,
    `used_cpu_user:${f(us)}`,
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    `used_cpu_sys_main_thread:${f(us)}`,
    `used_cpu_user_main_thread:${f(us)}`,
  ];
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
  const avgTtl = activeExpireStats(s.ks).avgTtl;
  for (const db of s.ks.dbs) {
    const keys = db.dict.size;
    const vkeys = db.expires.size;
    if (!keys && !vkeys) continue;
    out.push(`db${db.index}:keys=${keys},expires=${vkeys},avg_ttl=${avgTtl(db.index)}`);
  }
  return out;
}
