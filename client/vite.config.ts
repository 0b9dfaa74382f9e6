import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// In `pnpm dev` the console runs on Vite and proxies every server path to the API on PORT (default 3000).
const api = `http://localhost:${process.env.PORT ?? 3000}`

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    proxy: {
      '/api': api,
      '/webhooks': api,
      '/docs': api,
      '/metrics': api,
      '/healthz': api,
      '/readyz': api,
      '/socket.io': { target: api, ws: true },
    },
  },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
})
