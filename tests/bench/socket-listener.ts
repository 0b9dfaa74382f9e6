// A console stand-in in its own process: connects to Carebox's socket and prints, for every message.created,
// the token of the message and the wall-clock time it arrived. Kept apart from the load generator so that
// generating load does not delay receiving events.
import type { ServerToClientEvents } from '@carebox/shared'
import { io, type Socket } from 'socket.io-client'

const url = process.argv[2] as string
// Signed in as the benchmark's admin, whose session cookie the benchmark passes in.
const socket: Socket<ServerToClientEvents> = io(url, {
  path: '/socket.io',
  transports: ['websocket'],
  extraHeaders: { cookie: process.env.BENCH_COOKIE ?? '' },
})
socket.on('connect', () => process.stdout.write('CONNECTED\n'))
socket.on('message.created', ({ message }) => {
  const token = /order (\S+)\?/.exec(message.text)?.[1]
  if (token) process.stdout.write(`${token} ${Date.now()}\n`)
})
process.once('SIGTERM', () => {
  socket.close()
  process.exit(0)
})
