import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGuichetError } from '../../../src/core/errors.ts';
import { loadRoutingSettings } from '../../../src/nlu/routing-config.ts';

describe('the router’s settings (config/other-services.yml, config/security.yml)', () => {
  it('reads the shipped files: other departments by folded keywords, security tickets and the guide for lost devices', () => {
    const settings = loadRoutingSettings('config');
    const canteen = settings.otherServices.find((s) => s.id === 'canteen');
    expect(canteen?.keywords).toContain('cantine');
    expect(settings.otherServices.find((s) => s.id === 'facilities')?.keywords).toContain('machine a cafe');
    expect(settings.security).toMatchObject({ service: 'identity', category: 'security', impact: 'high', guides: { 'lost-device': 'hardware' } });
    expect(settings.security?.urgency).toMatchObject({ default: 'high', phishing: 'high', 'lost-device': 'medium' });
  });

  it('has nothing to say without the files', () => {
    expect(loadRoutingSettings(mkdtempSync(join(tmpdir(), 'routing-')))).toEqual({ otherServices: [] });
  });

  it('stops on a mistake, naming the file and the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'routing-'));
    writeFileSync(join(dir, 'other-services.yml'), 'services:\n  - id: hr\n    name: { fr: RH }\n    where: { fr: x, en: y }\n    keywords: { fr: [], en: [] }\n');
    let caught: unknown;
    try {
      loadRoutingSettings(dir);
    } catch (err) {
      caught = err;
    }
    expect(isGuichetError(caught) && caught.code).toBe('nlu.invalid-config');
    expect(String((caught as Error).message)).toContain('other-services.yml');
    expect(String((caught as Error).message)).toContain('name.en');
  });
});
