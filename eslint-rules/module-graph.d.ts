import type { ESLint } from 'eslint'

/** The local lint plugin with carebox/no-module-cycle (see module-graph.js). */
declare const plugin: ESLint.Plugin
export default plugin
