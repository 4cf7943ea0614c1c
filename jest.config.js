// One Jest run covers unit specs (pure code, *.spec.ts) and integration specs
// (*.int.spec.ts: real Postgres, Redis, sshd). Global setup migrates the test database once.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

const moduleNameMapper = {
  '^@memfleet/(procfs|analysis|db|collector|queue|config|alerts|secrets|logging|inventory|metrics)$':
    '<rootDir>/libs/$1/src',
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // NestJS 12 ships ESM only. Node 20 can require() it, Jest's module loader on Node 20 cannot,
  // so Jest compiles those packages to CommonJS like our own sources.
  transform: { '^.+\\.(ts|js)$': swc },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleNameMapper,
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testTimeout: 30000,
};
