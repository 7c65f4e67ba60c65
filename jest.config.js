/** Tests are TypeScript, compiled by swc (type checking is `npm run typecheck`'s job). */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Parity and benchmark-quality tests train hundreds of forests; keep them within one worker per core.
  maxWorkers: 2,
  testTimeout: 60000,
};
