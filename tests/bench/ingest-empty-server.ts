// The machine's HTTP ceiling for the ingest benchmark: Fastify with one empty route, alone in its own process
// as Carebox is under benchmark, so both are loaded the same way. Prints `READY <url>` once it listens.
import Fastify from 'fastify'

const app = Fastify({ logger: false })
app.get('/empty', async () => ({}))
const url = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`READY ${url}\n`)
process.once('SIGTERM', () => {
  void app.close().then(() => process.exit(0))
})
