/**
 * What can be checked of the deployment files without building an image (no registry is reachable
 * here): Dockerfile, compose.yaml, deploy/Caddyfile and deploy/k8s parse, name their services, ports
 * and health checks consistently with the server (/healthz liveness, /readyz readiness, port 3978),
 * follow the README's commands, and use only environment variables that .env.example documents.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Variables .env.example documents (set or commented out, `NAME=`). */
const documented = new Set([...read('.env.example').matchAll(/^#?\s*([A-Za-z][A-Za-z0-9_]*)=/gm)].map((m) => m[1]!));

type Doc = Record<string, any>;

function yamlFile(path: string): Doc {
  const docs = parseAllDocuments(read(path), { merge: true }); // compose files use YAML merge keys (<<)
  for (const doc of docs) expect(doc.errors, `${path}: ${doc.errors.join('; ')}`).toEqual([]);
  expect(docs).toHaveLength(1);
  return docs[0]!.toJS() as Doc;
}

describe('Dockerfile', () => {
  const text = read('Dockerfile');
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const finalStage = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));

  it('has a build stage and a runtime stage, running as a user that is not root', () => {
    expect(instructions.filter((l) => l.startsWith('FROM '))).toHaveLength(2);
    const user = finalStage.findLast((l) => l.startsWith('USER '));
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER\s+(root|0)\b/);
  });

  it('runs the README commands, in order: npm ci, npm run build, then npm start', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm ci && npm start');
    const runs = instructions.filter((l) => l.startsWith('RUN ')).join('\n');
    expect(runs.indexOf('npm ci')).toBeGreaterThan(-1);
    expect(runs.indexOf('npm run build')).toBeGreaterThan(runs.indexOf('npm ci'));
    expect(finalStage.at(-1)).toBe('CMD ["npm", "start"]');
    // `npm start` runs the compiled server; its prestart only builds when sources are newer (none in the image).
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toMatch(/^node .*dist\/main\.js$/);
    expect(pkg.scripts.prestart).toBe('node scripts/build.mjs --if-stale');
    expect(finalStage.some((l) => l.includes('scripts/build.mjs'))).toBe(true);
  });

  it('exposes the port the server listens on and checks /healthz', () => {
    expect(finalStage).toContain('EXPOSE 3978');
    expect(finalStage.join('\n')).toMatch(/PORT=3978/);
    const health = finalStage.find((l) => l.startsWith('HEALTHCHECK '));
    expect(health).toContain('/healthz');
  });

  it('sets only documented variables, to values the configuration accepts', () => {
    const env = Object.fromEntries(
      finalStage
        .filter((l) => l.startsWith('ENV '))
        .flatMap((l) => [...l.matchAll(/([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])),
    );
    expect(Object.keys(env).sort()).toEqual(['DATABASE_URL', 'HOST', 'NODE_ENV', 'PORT']);
    for (const name of Object.keys(env)) expect(documented, name).toContain(name);
    const config = loadConfig({ ...env, SESSION_SECRET: 'x'.repeat(32), CHANNELS: 'web' });
    expect(config.host).toBe('0.0.0.0');
    expect(config.PORT).toBe(3978);
  });
});

describe('compose.yaml', () => {
  const compose = yamlFile('compose.yaml');
  const services = compose.services as Record<string, Doc>;
  const guichets = Object.entries(services).filter(([name]) => name.startsWith('guichet-'));

  it('has PostgreSQL, two Guichet instances and a reverse proxy', () => {
    expect(Object.keys(services).sort()).toEqual(['guichet-1', 'guichet-2', 'postgres', 'proxy']);
    expect(services.postgres!.image).toMatch(/^postgres:/);
    expect(services.postgres!.healthcheck.test.join(' ')).toContain('pg_isready');
    expect(guichets).toHaveLength(2);
  });

  it('builds each instance from this Dockerfile, on PostgreSQL, with a readiness health check on its port', () => {
    for (const [name, s] of guichets) {
      expect(s.build, name).toBe('.');
      expect(s.environment.DATABASE_URL, name).toMatch(/^postgresql:\/\/guichet:.*@postgres:5432\/guichet$/);
      expect(s.environment.PORT, name).toBe('3978');
      expect(s.expose, name).toEqual(['3978']);
      expect(s.healthcheck.test.join(' '), name).toContain('http://127.0.0.1:3978/readyz');
      expect(s.depends_on.postgres.condition, name).toBe('service_healthy');
      // Shutdown finishes within the stop grace period.
      expect(Number(s.environment.SHUTDOWN_TIMEOUT_SECONDS), name).toBeLessThan(parseInt(s.stop_grace_period, 10));
    }
    // The second instance starts after the first is ready: one instance applies the migrations.
    expect(services['guichet-2']!.depends_on['guichet-1'].condition).toBe('service_healthy');
  });

  it('passes only variables .env.example documents', () => {
    for (const [name, s] of guichets) for (const variable of Object.keys(s.environment)) expect(documented, `${name}: ${variable}`).toContain(variable);
  });

  it('publishes the proxy, which balances over both instances by their readiness and keeps /metrics internal', () => {
    const proxy = services.proxy!;
    expect(proxy.ports).toEqual(['8080:8080']);
    const mount = (proxy.volumes as string[]).find((v) => v.endsWith(':/etc/caddy/Caddyfile:ro'))!;
    const caddyfile = read(mount.split(':')[0]!);
    const upstreams = /reverse_proxy\s+([^{]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams).toEqual(guichets.map(([name]) => `${name}:3978`));
    expect(caddyfile).toMatch(/health_uri \/readyz/);
    expect(caddyfile).toMatch(/@internal path \/metrics\s+respond @internal 404/);
    expect(caddyfile).toMatch(/^:8080 \{/m);
  });
});

describe('Kubernetes manifests (deploy/k8s)', () => {
  const dir = 'deploy/k8s';
  const kustomization = yamlFile(`${dir}/kustomization.yaml`);
  const manifest = (kind: string): Doc => {
    for (const file of readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml'))) {
      const doc = yamlFile(`${dir}/${file}`);
      if (doc.kind === kind) return doc;
    }
    throw new Error(`no ${kind} in ${dir}`);
  };

  it('lists files that exist (the secret from its example) and each parses as one object', () => {
    for (const resource of kustomization.resources as string[]) {
      const path = resource === 'secret.yaml' ? 'secret.example.yaml' : resource;
      expect(existsSync(join(ROOT, dir, path)), path).toBe(true);
      expect(yamlFile(`${dir}/${path}`).apiVersion, path).toBeTruthy();
    }
    expect(read('.gitignore')).toMatch(/^deploy\/k8s\/secret\.yaml$/m);
  });

  it('runs two replicas with liveness on /healthz, readiness on /readyz, on the port the configuration sets', () => {
    const deployment = manifest('Deployment');
    const config = manifest('ConfigMap').data as Record<string, string>;
    expect(deployment.spec.replicas).toBe(2);
    const container = deployment.spec.template.spec.containers[0];
    const port = container.ports.find((p: Doc) => p.name === 'http');
    expect(String(port.containerPort)).toBe(config.PORT);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
    expect(container.envFrom).toEqual([{ configMapRef: { name: 'guichet' } }, { secretRef: { name: 'guichet' } }]);
    expect(deployment.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    // The graceful shutdown fits in the pod's grace period.
    expect(Number(config.SHUTDOWN_TIMEOUT_SECONDS)).toBeLessThan(deployment.spec.template.spec.terminationGracePeriodSeconds);
    const service = manifest('Service');
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });

  it('sets only documented variables, and the configuration accepts them', () => {
    const config = manifest('ConfigMap').data as Record<string, string>;
    const secret = manifest('Secret').stringData as Record<string, string>;
    for (const name of [...Object.keys(config), ...Object.keys(secret)]) expect(documented, name).toContain(name);
    expect(Object.keys(secret).sort()).toEqual(['DATABASE_URL', 'SESSION_SECRET']);
    const parsed = loadConfig({ ...config, ...secret });
    expect(parsed.DATABASE_URL).toMatch(/^postgresql:\/\//);
  });

  it('are documented in the README, with the variables they set', () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Deployment'));
    expect(section.length).toBeGreaterThan(200);
    for (const needle of ['Dockerfile', 'compose.yaml', 'deploy/k8s', '/healthz', '/readyz', '/metrics', 'SESSION_SECRET', 'DATABASE_URL', 'POSTGRES_PASSWORD', 'SHUTDOWN_TIMEOUT_SECONDS']) {
      expect(section, needle).toContain(needle);
    }
  });
});
