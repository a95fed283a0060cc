/**
 * A throw-away OpenLDAP server (Debian's `slapd`, with the ppolicy overlay) for development and
 * tests: its own port on 127.0.0.1 and its own data folder under the system's temp dir, seeded from
 * scripts/slapd/seed.ldif (people with mail and manager, groups, a locked account, an expired
 * password, an admin). CI installs slapd (.ci/run); elsewhere: `apt-get install slapd ldap-utils`.
 *
 *   npm run directory:dev            start, seed, print the LDAP_* variables, stop on Ctrl-C
 *   tsx scripts/slapd.ts start DIR   start in DIR (seeded when new), print the variables, return
 *   tsx scripts/slapd.ts stop DIR    stop the server started in DIR
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
export const SEED_LDIF = join(here, 'slapd', 'seed.ldif');
const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';

export const SLAPD_BASE_DN = 'dc=example,dc=org';
/** The service account Guichet binds with (not the root DN, so the password policy applies). */
export const SLAPD_BIND_DN = 'cn=guichet,ou=services,dc=example,dc=org';
export const SLAPD_BIND_PASSWORD = 'guichet-test-secret';
export const SLAPD_POLICY_DN = 'cn=default,ou=policies,dc=example,dc=org';

export interface Slapd {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** Why a test cannot have its directory: said plainly, since CI installs slapd and nothing is skipped. */
export function assertSlapdInstalled(): void {
  if (!existsSync(SLAPD) || !existsSync(SLAPADD)) {
    throw new Error(
      `slapd: ${SLAPD} not found — install OpenLDAP (apt-get install -y slapd ldap-utils); .ci/run does this in CI`,
    );
  }
}

function slapdConf(dir: string): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile ${dir}/slapd.pid
database mdb
maxsize 104857600
suffix "${SLAPD_BASE_DN}"
rootdn "cn=admin,${SLAPD_BASE_DN}"
rootpw root-test-secret
directory ${dir}/db
access to attrs=userPassword
  by dn.exact="${SLAPD_BIND_DN}" write
  by self write
  by anonymous auth
  by * none
access to *
  by dn.exact="${SLAPD_BIND_DN}" manage
  by * read
overlay ppolicy
ppolicy_default "${SLAPD_POLICY_DN}"
ppolicy_use_lockout
ppolicy_hash_cleartext
`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port }, () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`slapd: nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** Writes the configuration and loads the seed (offline, with slapadd) into a new data folder. */
export async function seedSlapd(dir: string): Promise<void> {
  await mkdir(join(dir, 'db'), { recursive: true });
  await writeFile(join(dir, 'slapd.conf'), slapdConf(dir));
  await run(SLAPADD, ['-f', join(dir, 'slapd.conf'), '-l', SEED_LDIF]);
}

/** Starts slapd in `dir` (a new temp folder when omitted), seeding it first when it is new. */
export async function startSlapd(dir?: string): Promise<Slapd> {
  assertSlapdInstalled();
  const home = dir ?? (await mkdtemp(join(tmpdir(), 'guichet-slapd-')));
  if (!existsSync(join(home, 'db', 'data.mdb'))) await seedSlapd(home);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  // slapd forks itself into the background; the pid file says which process to stop.
  await run(SLAPD, ['-f', join(home, 'slapd.conf'), '-h', `${url}/`]);
  await waitForPort(port, 10_000);
  await writeFile(join(home, 'url'), url);
  return { url, dir: home, stop: () => stopSlapd(home, !dir) };
}

/** Stops the server started in `dir`; `remove` deletes its data folder too. */
export async function stopSlapd(dir: string, remove = false): Promise<void> {
  const pidFile = join(dir, 'slapd.pid');
  if (existsSync(pidFile)) {
    const pid = Number((await readFile(pidFile, 'utf8')).trim());
    try {
      process.kill(pid, 'SIGTERM');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
    for (let i = 0; i < 50 && existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (remove) await rm(dir, { recursive: true, force: true });
}

function printEnv(url: string): void {
  console.log(`DIRECTORY=ldap
LDAP_URL=${url}
LDAP_BIND_DN=${SLAPD_BIND_DN}
LDAP_BIND_PASSWORD=${SLAPD_BIND_PASSWORD}
LDAP_BASE_DN=${SLAPD_BASE_DN}
LDAP_OBJECT_ID_ATTRIBUTE=employeeNumber
LDAP_PASSWORD_POLICY_DN=${SLAPD_POLICY_DN}`);
}

async function main(): Promise<void> {
  const [command = 'dev', dir] = process.argv.slice(2);
  if (command === 'stop' && dir) return stopSlapd(dir);
  if (command === 'start' && dir) return printEnv((await startSlapd(dir)).url);
  if (command === 'dev') {
    const slapd = await startSlapd();
    printEnv(slapd.url);
    console.log(`# data in ${slapd.dir}; Ctrl-C stops the server and removes it`);
    const stop = () => void slapd.stop().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    setInterval(() => {}, 1 << 30);
    return;
  }
  console.error('usage: tsx scripts/slapd.ts dev | start DIR | stop DIR');
  process.exit(2);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
