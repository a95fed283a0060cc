/** `npm start`: reads the configuration, starts the server (src/app/server.ts), stops it on SIGINT/SIGTERM. */
import './bootstrap-env.ts';
import { start } from './app/server.ts';
import { loadConfig } from './config.ts';
import { isGuichetError } from './core/errors.ts';

export { start, type Running } from './app/server.ts';

const isEntryPoint = process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'));

if (isEntryPoint) {
  try {
    const running = await start(loadConfig());
    const shutdown = (signal: string) => {
      running.log.info({ signal }, 'stopping');
      running.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  } catch (err) {
    process.stderr.write(`guichet: cannot start: ${isGuichetError(err) ? err.message : String((err as Error)?.stack ?? err)}\n`);
    process.exit(1);
  }
}
