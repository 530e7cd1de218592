// @ts-check
/** Three test tiers (ARCHITECTURE.md rule 9), one transform: SWC, so TypeScript 5.9 only type-checks. */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2023' }, module: { type: 'commonjs' } },
  ],
};
const ignored = ['/node_modules/', '/dist/'];

/** @type {(name: string, testMatch: string[], extra?: object) => import('jest').Config} */
const project = (displayName, testMatch, extra = {}) => ({
  displayName,
  rootDir: __dirname,
  testEnvironment: 'node',
  transform,
  testMatch,
  testPathIgnorePatterns: ignored,
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project('unit', ['<rootDir>/{packages,services,workflows}/**/src/**/*.test.ts'], {
      testPathIgnorePatterns: [...ignored, '\\.int\\.test\\.ts$', '\\.e2e\\.test\\.ts$'],
    }),
    project('integration', ['<rootDir>/{packages,services,workflows}/**/test/**/*.int.test.ts'], {
      slowTestThreshold: 30,
    }),
    project('e2e', ['<rootDir>/e2e/**/*.e2e.test.ts'], { slowTestThreshold: 60 }),
    // Tests that stop or restart shared infrastructure (a Kafka broker): run alone, after the others.
    project('disruptive', ['<rootDir>/{packages,services}/**/test/**/*.disruptive.test.ts'], { slowTestThreshold: 120 }),
  ],
};
