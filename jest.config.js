/** Tests are TypeScript, compiled by swc (type checking is `npm run typecheck`'s job). */
// Inherited by the workers and every process a test starts: Google clients never probe the GCE
// metadata server (in-process, test/setup/no_network.ts also blocks any outbound connection).
// The opt-in real-project suite (test/cloud/) may need it.
if (!(process.env.DEX_TEST_GCP_PROJECT && process.env.DEX_TEST_GCS_BUCKET)) process.env.METADATA_SERVER_DETECTION = 'none';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFilesAfterEnv: ['<rootDir>/test/setup/no_network.ts'],
  // Parity and benchmark-quality tests train hundreds of forests; keep them within one worker per core.
  maxWorkers: 2,
  testTimeout: 60000,
};
