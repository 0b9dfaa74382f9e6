import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  personas,
  seededRandom,
  startDemoTraffic,
  startSimulator,
  startWebhookReceiver,
  type DemoWrite,
  type SimAccount,
  type Simulator,
  type WebhookReceiver,
} from '../../../server/src/simulator/index.js'

let sim: Simulator
let receiver: WebhookReceiver
let accounts: SimAccount[]

beforeAll(async () => {
  sim = await startSimulator({ receipts: false })
  receiver = await startWebhookReceiver()
  accounts = [
    { kind: 'facebook', externalId: '104455667788990', secrets: { appSecret: 's' }, webhookUrl: receiver.url },
    { kind: 'instagram', externalId: '17841400000000001', secrets: { appSecret: 's' }, webhookUrl: receiver.url },
    { kind: 'whatsapp', externalId: '130000000000002', secrets: { appSecret: 's' }, webhookUrl: receiver.url },
    { kind: 'telegram', externalId: '7000001', secrets: { botToken: '7000001:AA' } },
    { kind: 'x', externalId: '2244994945', secrets: { consumerSecret: 'c' }, webhookUrl: receiver.url, handle: 'BrandCare' },
    { kind: 'mastodon', externalId: '99', secrets: { accessToken: 'm' }, handle: 'brand' },
    { kind: 'bluesky', externalId: 'did:plc:brand', secrets: {}, handle: 'brand.bsky.social' },
  ]
  for (const account of accounts) sim.addAccount(account)
})
afterAll(async () => {
  await sim.close()
  await receiver.close()
})

/** Runs a demo until `isDone` holds for what it wrote (or the time runs out), then stops it. */
async function runDemo(options: { seed: number; intensity: number; timeoutMs: number }, isDone: (writes: DemoWrite[]) => boolean): Promise<DemoWrite[]> {
  const writes: DemoWrite[] = []
  let finish: () => void = () => undefined
  const finished = new Promise<void>((resolve) => (finish = resolve))
  const demo = startDemoTraffic(sim, accounts, {
    intensity: options.intensity,
    random: seededRandom(options.seed),
    onWrite: (write) => {
      writes.push(write)
      if (isDone(writes)) finish()
    },
  })
  const timer = setTimeout(finish, options.timeoutMs)
  await finished
  clearTimeout(timer)
  demo.stop()
  await demo.done
  return writes
}

describe('personas', () => {
  it('has at least 12 personas across every channel kind and six languages', () => {
    expect(personas.length).toBeGreaterThanOrEqual(12)
    expect(new Set(personas.flatMap((persona) => persona.channels))).toEqual(
      new Set(['facebook', 'instagram', 'whatsapp', 'telegram', 'x', 'mastodon', 'bluesky']),
    )
    expect(new Set(personas.map((persona) => persona.language))).toEqual(new Set(['en', 'zh', 'ru', 'cs', 'ja', 'es']))
  })
})

describe('startDemoTraffic', () => {
  it('writes in six languages, with returning customers and a complaint burst, at a bounded rate', async () => {
    const started = Date.now()
    const isDone = (writes: DemoWrite[]) =>
      new Set(writes.map((write) => write.persona.language)).size >= 6 &&
      writes.some((write) => write.isReturning) &&
      writes.some((write) => write.isComplaintBurst)

    const writes = await runDemo({ seed: 42, intensity: 100, timeoutMs: 20_000 }, isDone)
    const elapsedSeconds = (Date.now() - started) / 1000

    expect(isDone(writes)).toBe(true)
    expect(writes.every((write) => !write.error && (write.report?.delivered || write.report?.queued))).toBe(true)
    expect(writes.length / elapsedSeconds).toBeLessThanOrEqual(20)
    const returning = writes.find((write) => write.isReturning)!
    expect(writes.filter((write) => write.persona.key === returning.persona.key).length).toBeGreaterThan(1)
  })

  it('is deterministic for a seed', async () => {
    const summary = (writes: DemoWrite[]) => writes.slice(0, 8).map((write) => [write.persona.key, write.account.kind, write.message.kind, write.message.text])

    const first = await runDemo({ seed: 7, intensity: 100, timeoutMs: 10_000 }, (writes) => writes.length >= 8)
    const second = await runDemo({ seed: 7, intensity: 100, timeoutMs: 10_000 }, (writes) => writes.length >= 8)

    expect(summary(first)).toEqual(summary(second))
    expect(first).toHaveLength(8)
  })

  it('writes the first message within about two seconds at normal intensity', async () => {
    const started = Date.now()

    const writes = await runDemo({ seed: 3, intensity: 1, timeoutMs: 2500 }, (done) => done.length >= 1)

    expect(writes).toHaveLength(1)
    expect(Date.now() - started).toBeLessThan(2200)
  })

  it('uses the same name when a persona returns on another channel', async () => {
    const writes = await runDemo({ seed: 11, intensity: 100, timeoutMs: 20_000 }, (done) =>
      done.some((write) =>
        done.some(
          (other) => other.persona.key === write.persona.key && other.account.kind !== write.account.kind && !write.isComplaintBurst && !other.isComplaintBurst,
        ),
      ),
    )

    const switched = writes.find((write) => writes.some((other) => other.persona.key === write.persona.key && other.account.kind !== write.account.kind))
    expect(switched).toBeDefined()
    const names = new Set(writes.filter((write) => write.persona.key === switched!.persona.key).map((write) => write.message.from.name))
    expect(names.size).toBe(1)
  })
})
