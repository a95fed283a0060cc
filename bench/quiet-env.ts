/**
 * First import of every CLI entry: `natural` loads dotenv, which prints an
 * "injected env" banner unless told to be quiet. Must run before anything
 * imports natural, hence its own module imported first.
 */
process.env.DOTENV_CONFIG_QUIET ??= 'true';
