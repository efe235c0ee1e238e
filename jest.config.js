/** One jest run covers every package, example and cross-package suite. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/packages", "<rootDir>/examples", "<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/dist/"],
  // Tests import workspace packages from source so a change is tested without a rebuild.
  moduleNameMapper: {
    "^@strata/([a-z-]+)$": "<rootDir>/packages/$1/src/index.ts",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { tsconfig: "<rootDir>/tsconfig.test.json", diagnostics: { ignoreCodes: [151002] } }],
  },
  testTimeout: 30000,
  maxWorkers: 2,
};
