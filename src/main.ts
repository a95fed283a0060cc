/**
 * `npm start`: reads the configuration, starts the server (src/app/server.ts), stops it gracefully on
 * SIGINT/SIGTERM (src/server/shutdown.ts: new requests refused, turns in flight finished); a second
 * signal while stopping exits at once.
 */
import './bootstrap-env.ts';
import { start } from './app/server.ts';
import { loadConfig } from './config.ts';
import { isGuichetError } from './core/errors.ts';
import { settleHeap } from './server/settle-heap.ts';

export { start, type Running } from './app/server.ts';

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));

if (isEntryPoint) {
  try {
    const running = await start(loadConfig());
    running.log.debug(settleHeap(), 'heap policy set for the run');
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) {
        running.log.warn({ signal }, 'second signal while stopping: exiting now');
        process.exit(1);
      }
      stopping = true;
      running.log.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          running.log.error({ err }, 'stop failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
  } catch (err) {
    process.stderr.write(`guichet: cannot start: ${isGuichetError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  }
}
