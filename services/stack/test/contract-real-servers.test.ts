import {
  createScratchDatabase,
  deleteRedisPrefix,
  scratchRedisPrefix,
  TEST_REDIS_URL,
  type ScratchDatabase,
} from '@berth/service-kit/testing/backends';
import { defineContractSuite } from './contract-suite.ts';

// The machine's real PostgreSQL and Redis, in a database and key prefix of this run's own.
let database: ScratchDatabase | undefined;
const prefix = scratchRedisPrefix('contract');

defineContractSuite('real PostgreSQL and Redis', {
  env: async () => {
    database = await createScratchDatabase('contract');
    return { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: prefix };
  },
  cleanup: async () => {
    await database?.drop();
    await deleteRedisPrefix(prefix);
  },
});
