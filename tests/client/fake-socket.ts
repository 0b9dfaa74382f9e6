import { vi } from 'vitest'

type Listener = (...args: unknown[]) => void

/**
 * A stand-in for socket.io's client socket. `receive` plays the server's part (and socket.io's own connect and
 * disconnect events); what the console sends with `emit` is recorded in `sent`.
 */
export class FakeSocket {
  listeners = new Map<string, Listener>()
  sent: { event: string; payload: unknown }[] = []
  connected = false
  recovered = false
  get disconnected() {
    return !this.connected
  }
  on(event: string, listener: Listener) {
    this.listeners.set(event, listener)
    return this
  }
  emit(event: string, payload?: unknown) {
    this.sent.push({ event, payload })
    return this
  }
  receive(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true
    if (event === 'disconnect') this.connected = false
    this.listeners.get(event)?.(...args)
  }
  /** The payloads the console sent as `event`, in order. */
  sentAs(event: string): unknown[] {
    return this.sent.filter((s) => s.event === event).map((s) => s.payload)
  }
  connect = vi.fn(() => {
    this.connected = true
  })
  disconnect = vi.fn(() => {
    this.connected = false
  })
}

/** socket.io-client as the tests see it: every `io()` makes a FakeSocket and keeps it in `sockets`. */
export function fakeSocketModule(sockets: FakeSocket[]) {
  return {
    io: () => {
      const socket = new FakeSocket()
      sockets.push(socket)
      return socket
    },
  }
}
