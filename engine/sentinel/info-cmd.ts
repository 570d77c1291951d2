// INFO in Sentinel mode (sentinelInfoCommand): sections server, clients, stats, cpu, sentinel.
import { bulk } from '../net/resp.ts';
import { SRI_O_DOWN, SRI_S_DOWN } from './instance.ts';
import type { CmdCtx } from './server.ts';

const SECTIONS = ['server', 'clients', 'cpu', 'stats', 'sentinel'];
/** genRedisInfoString's order, then the Sentinel section. */
const ORDER = ['server', 'clients', 'stats', 'cpu'];

function serverSection(x: CmdCtx): string[] {
  const S = x.S;
  const now = S.now();
  const uptime = Math.floor((now - S.startTime) / 1000);
  return [
    '# Server',
    'redis_version:7.0.15',
    'redis_git_sha1:00000000',
    'redis_git_dirty:0',
    'redis_build_id:ae4d7c971a948f0',
    'redis_mode:sentinel',
    'os:Linux 6.1.0 x86_64',
    'arch_bits:64',
    'monotonic_clock:POSIX clock_gettime',
    'multiplexing_api:epoll',
    'atomicvar_api:c11-builtin',
    'gcc_version:12.2.0',
    `process_id:${S.ctx.slot.pid}`,
    'process_supervised:no',
    `run_id:${S.runId}`,
    `tcp_port:${S.port}`,
    `server_time_usec:${now * 1000}`,
    `uptime_in_seconds:${uptime}`,
    `uptime_in_days:${Math.floor(uptime / 86400)}`,
    `hz:${S.hz}`,
    'configured_hz:10',
    `lru_clock:${Math.floor(now / 1000) & ((1 << 24) - 1)}`,
    'executable:/usr/bin/redis-sentinel',
    `config_file:${S.configPath}`,
    'io_threads_active:0',
  ];
}

function clientsSection(x: CmdCtx): string[] {
  return [
    '# Clients',
    `connected_clients:${x.srv.clients.size}`,
    'cluster_connections:0',
    'maxclients:10000',
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    'blocked_clients:0',
    'tracking_clients:0',
    'clients_in_timeout_table:0',
  ];
}

function statsSection(x: CmdCtx): string[] {
  const zeros = (names: string[]) => names.map((n) => `${n}:0`);
  return [
    '# Stats',
    `total_connections_received:${x.srv.totalConnections}`,
    `total_commands_processed:${x.srv.totalCommands}`,
    'instantaneous_ops_per_sec:0',
    ...zeros(['total_net_input_bytes', 'total_net_output_bytes', 'total_net_repl_input_bytes', 'total_net_repl_output_bytes']),
    'instantaneous_input_kbps:0.00',
    'instantaneous_output_kbps:0.00',
    'instantaneous_input_repl_kbps:0.00',
    'instantaneous_output_repl_kbps:0.00',
    `rejected_connections:${x.srv.rejectedConnections}`,
    ...zeros(['sync_full', 'sync_partial_ok', 'sync_partial_err', 'expired_keys']),
    'expired_stale_perc:0.00',
    ...zeros([
      'expired_time_cap_reached_count', 'expire_cycle_cpu_milliseconds', 'evicted_keys', 'evicted_clients',
      'total_eviction_exceeded_time', 'current_eviction_exceeded_time', 'keyspace_hits', 'keyspace_misses',
    ]),
    `pubsub_channels:${x.srv.pubsubChannels()}`,
    `pubsub_patterns:${x.srv.pubsubPatterns()}`,
    ...zeros([
      'pubsubshard_channels', 'latest_fork_usec', 'total_forks', 'migrate_cached_sockets',
      'slave_expires_tracked_keys', 'active_defrag_hits', 'active_defrag_misses', 'active_defrag_key_hits',
      'active_defrag_key_misses', 'total_active_defrag_time', 'current_active_defrag_time', 'tracking_total_keys',
      'tracking_total_items', 'tracking_total_prefixes', 'unexpected_error_replies',
    ]),
    `total_error_replies:${x.srv.totalErrors}`,
    'dump_payload_sanitizations:0',
    `total_reads_processed:${x.srv.totalCommands}`,
    `total_writes_processed:${x.srv.totalCommands}`,
    ...zeros(['io_threaded_reads_processed', 'io_threaded_writes_processed', 'reply_buffer_shrinks', 'reply_buffer_expands']),
  ];
}

function cpuSection(): string[] {
  return [
    '# CPU',
    'used_cpu_sys:0.000000',
    'used_cpu_user:0.000000',
    'used_cpu_sys_children:0.000000',
    'used_cpu_user_children:0.000000',
    'used_cpu_sys_main_thread:0.000000',
    'used_cpu_user_main_thread:0.000000',
  ];
}

export function sentinelSection(x: CmdCtx): string[] {
  const S = x.S;
  const lines = [
    '# Sentinel',
    `sentinel_masters:${S.masters.size}`,
    `sentinel_tilt:${S.tilt ? 1 : 0}`,
    `sentinel_tilt_since_seconds:${S.tilt ? Math.floor((S.now() - S.tiltStartTime) / 1000) : -1}`,
    'sentinel_running_scripts:0',
    'sentinel_scripts_queue_length:0',
    `sentinel_simulate_failure_flags:${S.simfailureFlags}`,
  ];
  let id = 0;
  for (const ri of S.masters.values()) {
    const status = ri.flags & SRI_O_DOWN ? 'odown' : ri.flags & SRI_S_DOWN ? 'sdown' : 'ok';
    lines.push(
      `master${id++}:name=${ri.name},status=${status},address=${ri.addr.ip}:${ri.addr.port},` +
        `slaves=${ri.slaves.size},sentinels=${ri.sentinels.size + 1}`,
    );
  }
  return lines;
}

export function sentinelInfoCommand(x: CmdCtx): void {
  const args = x.argv.slice(1).map((a) => a.toLowerCase());
  let all = false;
  const wanted = new Set<string>();
  if (args.length === 0) for (const s of SECTIONS) wanted.add(s);
  for (const a of args) {
    if (a === 'default') for (const s of SECTIONS) wanted.add(s);
    else if (a === 'all' || a === 'everything') all = true;
    else wanted.add(a);
  }
  const has = (s: string) => all || wanted.has(s);
  const parts: string[][] = [];
  for (const s of ORDER) {
    if (!has(s)) continue;
    if (s === 'server') parts.push(serverSection(x));
    else if (s === 'clients') parts.push(clientsSection(x));
    else if (s === 'stats') parts.push(statsSection(x));
    else parts.push(cpuSection());
  }
  if (has('sentinel')) parts.push(sentinelSection(x));
  const text = parts.map((p) => p.join('\r\n') + '\r\n').join('\r\n');
  x.reply(bulk(text));
}
