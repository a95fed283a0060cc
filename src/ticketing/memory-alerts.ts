/** An `AlertStore` in memory, for tests of monitoring alerts without a database (src/persistence/stores/alerts.ts is the real one). */
import type { AlertPatch, AlertRecord, AlertStore } from './ports.ts';

export class MemoryAlertStore implements AlertStore {
  readonly alerts: AlertRecord[] = [];

  async byFingerprint(fingerprint: string): Promise<AlertRecord | undefined> {
    return this.alerts.find((a) => a.fingerprint === fingerprint);
  }

  async byNumber(number: number): Promise<AlertRecord | undefined> {
    return this.alerts.find((a) => a.number === number);
  }

  async create(input: Omit<AlertRecord, 'id' | 'number' | 'flaps' | 'repeats' | 'decision' | 'incidentNumber'>): Promise<AlertRecord | undefined> {
    if (this.alerts.some((a) => a.fingerprint === input.fingerprint)) return undefined;
    const made: AlertRecord = { ...input, id: `al-${this.alerts.length + 1}`, number: this.alerts.length + 1, flaps: 0, repeats: 0, decision: null, incidentNumber: null };
    this.alerts.push(made);
    return { ...made };
  }

  async update(id: string, patch: AlertPatch): Promise<AlertRecord> {
    const found = this.alerts.find((a) => a.id === id)!;
    Object.assign(found, patch);
    return { ...found };
  }

  async where(filter: { serviceId?: string; incidentNumber?: number; status?: 'firing' | 'resolved'; decision?: AlertRecord['decision'] }): Promise<AlertRecord[]> {
    return this.alerts
      .filter((a) => (filter.serviceId === undefined || a.serviceId === filter.serviceId) && (filter.incidentNumber === undefined || a.incidentNumber === filter.incidentNumber))
      .filter((a) => (filter.status === undefined || a.status === filter.status) && (filter.decision === undefined || a.decision === filter.decision))
      .map((a) => ({ ...a }));
  }
}
