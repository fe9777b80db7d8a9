// Two projects: unit tests (TypeScript, ts-jest in ESM mode, no root needed) and end-to-end tests
// (plain ESM, run the bundled dist/ under Node 24 in the namespace lab, as root).
export default {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      extensionsToTreatAsEsm: ['.ts'],
      moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
      transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }] },
      testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts']
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      transform: {},
      testMatch: ['<rootDir>/__tests__/e2e/**/*.test.mjs'],
      globalSetup: '<rootDir>/__tests__/e2e/setup.mjs',
      slowTestThreshold: 30
    }
  ],
  // The end-to-end tests share this machine's WireGuard socket directory and packages: one at a time.
  maxWorkers: 1,
  testTimeout: 60000,
  watchman: false
}
