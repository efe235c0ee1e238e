// Lint for the whole monorepo: typescript-eslint's recommended rules on every package, example
// and test, with the few project rules below. `npm run lint` runs it (and Prettier's check).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/*.d.ts", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2022, sourceType: "module" },
    rules: {
      // `_`-prefixed names are deliberately unused (destructuring to drop a key, placeholder params).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Transforms return `JsonObject | void`: void in unions is the documented contract.
      "@typescript-eslint/no-invalid-void-type": "off",
    },
  },
  {
    // Plain Node scripts and benchmarks (CommonJS and ES modules).
    files: ["**/*.js", "**/*.mjs", "**/*.cjs"],
    languageOptions: {
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        console: "readonly",
        __dirname: "readonly",
        __filename: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        global: "readonly",
        globalThis: "readonly",
        structuredClone: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    // Tests reach into modules with require() where jest needs it (isolated registries, spies).
    files: ["**/*.test.ts", "test/**/*.ts"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
