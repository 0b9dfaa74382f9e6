import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          include: ['tests/shared/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'server',
          include: ['tests/server/**/*.test.ts'],
          // Run on their own by `pnpm test`, after the rest (see tests/run.ts).
          exclude: ['tests/server/faults/**'],
          environment: 'node',
          // One embedded PostgreSQL and one migrated template for the run; each file clones its own database.
          globalSetup: ['tests/support/db.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'client',
          include: ['tests/client/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['tests/support/client-setup.ts'],
        },
      },
      {
        test: {
          // Carebox nodes in processes of their own, PostgreSQL crashes, nodes killed: one file at a time, and run by
          // `pnpm test` after the other projects, so their load does not bend the timing of unrelated tests.
          name: 'faults',
          include: ['tests/server/faults/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['tests/support/db.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
