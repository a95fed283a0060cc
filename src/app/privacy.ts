/**
 * Personal data in the running server: the privacy store for the admin console's page, and the
 * retention job on its in-process timer (config/retention.yml). The timer is the only scheduling part:
 * moving the job to a queue means calling `runRetention` from there instead.
 */
import type { Config } from '../config.ts';
import { systemClock } from '../core/ports.ts';
import type { Logger } from '../log.ts';
import type { Database } from '../persistence/database.ts';
import { PrismaPrivacyStore } from '../persistence/stores/privacy.ts';
import type { PrivacyAdmin } from '../privacy/ports.ts';
import { loadRetention } from '../privacy/retention.ts';
import { startRetentionTimer } from '../privacy/retention-job.ts';

export function openPrivacy(db: Database, config: Pick<Config, 'CONFIG_DIR' | 'DEFAULT_LOCALE'>, log: Logger): { admin: PrivacyAdmin; stop(): void } {
  const retention = loadRetention(config.CONFIG_DIR);
  const store = new PrismaPrivacyStore(db);
  const stop = startRetentionTimer(store, retention, systemClock, {
    done: (report) => {
      if (Object.values(report).some((n) => n > 0)) log.info({ retention: report }, 'retention applied');
    },
    failed: (err) => log.warn({ err }, 'retention job failed; tried again at the next run'),
  });
  return { admin: { store, periods: retention.periods, defaultLang: config.DEFAULT_LOCALE, clock: systemClock }, stop };
}
