import js from '@eslint/js'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import { importX } from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** The two programs and what they share: each program may import the shared part, never the other. */
const BOUNDARIES = [
  {
    target: './src/action',
    from: './src/gateway',
    message: 'The action never imports the gateway: move what both need to src/common.'
  },
  {
    target: './src/gateway',
    from: './src/action',
    message: 'The gateway never imports the action: move what both need to src/common.'
  },
  {
    target: './src/common',
    from: ['./src/action', './src/gateway'],
    message: 'src/common is shared: it imports neither program.'
  }
]

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
    }
  },
  {
    files: ['src/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeCheckedOnly],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unnecessary-condition': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/use-unknown-in-catch-callback-variable': 'error',
      '@typescript-eslint/no-unnecessary-type-conversion': 'error',
      '@typescript-eslint/prefer-optional-chain': 'error',
      '@typescript-eslint/no-unnecessary-boolean-literal-compare': 'error'
    }
  },
  {
    // The architecture, kept by the linter: the boundaries above, and no import cycle (dynamic imports
    // count: a module loaded on demand must not import its loader back).
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Imported modules are parsed as TypeScript too (else a cycle through them goes unseen).
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'src/tsconfig.json' })]
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: BOUNDARIES }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }]
    }
  }
)
