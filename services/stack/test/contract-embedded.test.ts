import { defineContractSuite } from './contract-suite.ts';

// The embedded defaults `npm start` uses on a fresh machine: PGlite shared by the services and
// one in-memory cache.
defineContractSuite('embedded defaults (PGlite, in-memory cache)', {
  env: async () => ({}),
  cleanup: async () => {},
});
