// A Carebox node for the embedded PostgreSQL tests, in a process of its own so that it can be killed like one:
// starts or joins the cluster in the data directory given as argv[2] (watching it when argv[3] is 'watch'),
// prints {"url","isOwner"} on one line of stdout, logs to stderr, and leaves the cluster when stdin closes.
import pino from 'pino'
import { startEmbeddedPostgres } from '../../../server/src/db/embedded.js'

const [dataDir, mode] = process.argv.slice(2) as [string, string | undefined]
const log = pino({ level: 'debug' }, pino.destination({ dest: 2, sync: true }))
const embedded = await startEmbeddedPostgres({ dataDir, log })
if (mode === 'watch') embedded.watch()
process.stdout.write(`${JSON.stringify({ url: embedded.url, isOwner: embedded.isOwner })}\n`)

process.stdin.resume()
process.stdin.on('end', () => {
  void embedded.stop().then(() => process.exit(0))
})
