import pino, { type Logger } from 'pino'
import type { Config } from './config.js'

export function createLogger(config: Pick<Config, 'logLevel' | 'logPretty'>): Logger {
  const options = {
    level: config.logLevel,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.secret'], remove: true },
  }
  if (config.logPretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } })
  // Written as it happens: at info the log is a few lines a minute, and its last lines, the ones that tell how a
  // stop or a crash went, are never lost or reordered when the process exits.
  return pino(options, pino.destination({ dest: 1, sync: true }))
}
