import { beforeEach } from 'vitest';
import { MemoryAccountDirectory } from '../../../src/core/directory.ts';
import { directoryContract } from './contract.ts';
import { GROUPS, memoryDirectory, memoryPeople } from './seed.ts';

let directory: MemoryAccountDirectory;
beforeEach(() => {
  directory = memoryDirectory();
});

directoryContract('in-memory', () => ({
  directory,
  ids: { alice: 'alice', bob: 'bob', carol: 'carol', erin: 'erin', dave: 'dave', financeShare: 'g-finance', missing: 'nobody' },
  unreachable: () => Object.assign(new MemoryAccountDirectory(memoryPeople(), GROUPS), { unreachable: true }),
  supports: { unlock: true, mfa: true, objectId: true },
}));
