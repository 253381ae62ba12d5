// ESLint (flat config): the recommended rules over the browser modules in src/ and the Node
// build script. `npm run lint` (also part of `make lint`).
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/"] },
  js.configs.recommended,
  {
    files: ["src/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.browser },
  },
  {
    files: ["*.js", "*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    rules: {
      // Callbacks name the arguments before the one they use; `_` marks one left unused on purpose.
      "no-unused-vars": ["error", { args: "after-used", argsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_" }],
    },
  },
];
