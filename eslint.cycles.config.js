import path from 'node:path'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'
import importX from 'eslint-plugin-import-x'

/**
 * An import cycle between server modules is a design bug (STYLE.md §1): this makes lint say so. Spread it into
 * eslint.config.js after the TypeScript configs, whose parser it reuses to read the files it follows:
 *   import cycles from './eslint.cycles.config.js'  …  ...cycles,
 * Type-only imports (`import type`, or every specifier `type`) are not followed: they vanish at compile time.
 */
export default [
  {
    files: ['server/src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without .ts here the rule skips every TypeScript file it reaches and finds nothing.
      'import-x/extensions': ['.ts', '.js'],
      'import-x/resolver-next': [
        // The server imports `./x.js` for `./x.ts` (NodeNext): the resolver's default extensionAlias maps them.
        // The tsconfig is named absolutely, so the result does not depend on the directory eslint runs from.
        createTypeScriptImportResolver({ project: path.join(import.meta.dirname, 'server/tsconfig.json') }),
      ],
    },
    rules: {
      // Packages cannot import us back: not following them keeps the walk to our own files.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
]
