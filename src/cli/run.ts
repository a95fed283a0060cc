/**
 * The one runner of Guichet's command-line tools (`npm run chat`, `kb`, `db:*`): runs the tool's
 * `main` and exits with the code it returns (0 when it returns nothing). A thrown error exits with 1
 * and is printed on stderr: a GuichetError as its message and code, a mistyped option (node's
 * parseArgs) as its message, anything else as Node prints it, stack included, since it is a bug.
 */
import { isGuichetError } from '../core/errors.ts';

/** Exit code of a command used the wrong way (sysexits' EX_USAGE). */
export const EXIT_USAGE = 64;

/** Prints the tool's usage line on stderr; returns the exit code for a wrong use. */
export function usageError(usage: string): number {
  console.error(usage);
  return EXIT_USAGE;
}

export function run(main: () => Promise<number | void>): void {
  main().then(
    (code) => process.exit(code ?? 0),
    (error: unknown) => {
      console.error(describeError(error));
      process.exit(1);
    },
  );
}

function describeError(error: unknown): unknown {
  if (isGuichetError(error)) return `${error.message} [${error.code}]`;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) return error.message;
  return error;
}
