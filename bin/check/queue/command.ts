// Registers `sentinel-sim worker` on the CLI; the implementation (./worker-command.ts, BullMQ) loads when it runs.
import type { Command } from 'commander';
import { Interrupt } from '../../run/signals.ts';
import type { WorkerOptions } from './worker-command.ts';

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run the jobs of distributed property searches (`check --queue`): pull seed batches from a BullMQ queue on Redis, run them on worker threads, shrink failures, store the results back in Redis')
    .option('--queue <url>', 'the queue\'s Redis: redis://[:password@]host:port/db (rediss:// for TLS)')
    .option('--workers <k>', 'worker threads (default: the machine\'s cores)')
    .option('--lock-duration <duration>', 'job lock: a dead worker\'s batch is put back in the queue about this long after it died', '30s')
    .option('--idle-exit <duration>', 'exit with status 0 once no job came for this long (batch platforms: Kubernetes Jobs); default: run until signalled')
    .addHelpText(
      'after',
      [
        '',
        'Start any number of workers, on any machines that reach the Redis, before or after `sentinel-sim check --queue <url> --runs N`.',
        'Every worker must run the same sentinel-sim version (the search id includes it), and --checkers and --app modules',
        'must be at the same absolute paths on every machine. See docs/distributed.md.',
        '',
        'Ctrl-C (or SIGTERM) finishes the jobs in hand, then exits; a second one abandons them (the queue gives them',
        'to another worker after --lock-duration).',
        '',
        'Exit status: 0 idle exit, 2 bad usage or the queue unreachable, 130 / 143 stopped by SIGINT / SIGTERM.',
      ].join('\n'),
    )
    .action(async (opts: WorkerOptions) => {
      const intr = new Interrupt();
      const untrap = intr.trap();
      try {
        const { workerCommand } = await import('./worker-command.ts');
        process.exitCode = await workerCommand(opts, undefined, intr);
      } finally {
        untrap();
      }
      // the worker is done: connections to a queue Redis that went away would otherwise retry forever
      process.exit(process.exitCode);
    });
}
