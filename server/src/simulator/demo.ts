import type { Logger } from 'pino'
import { launchComplaints, personaArrivals, personaIdentity, personas, phrases, hasPhoto, type Persona, type Topic } from './personas.js'
import type { Simulator } from './simulator.js'
import type { CustomerMessage, DeliveryReport, SimAccount, SimKind } from './types.js'

/**
 * Demo traffic: personas write to the accounts in several languages, come back later (sometimes on another
 * channel under the same name), go quiet, and now and then a launch goes wrong and complaints pile up within a
 * minute. One message at a time, each awaited, with a floor between them: the demo never hammers.
 */

export interface DemoOptions {
  /** Speed multiplier: 1 is a message every 2–6 s; the floor between messages is 50 ms whatever the intensity. */
  intensity?: number
  /** Seeded for reproducible runs (see seededRandom). */
  random?: () => number
  logger?: Logger
  /** Called after each message is delivered or queued. */
  onWrite?: (write: DemoWrite) => void
}

export interface DemoWrite {
  persona: Persona
  account: SimAccount
  message: CustomerMessage
  /** The persona had written before (on any channel). */
  isReturning: boolean
  isComplaintBurst: boolean
  report?: DeliveryReport
  error?: string
}

export interface DemoTraffic {
  stop(): void
  /** Settles once the loop has stopped. */
  done: Promise<void>
}

/** mulberry32: a tiny seeded PRNG, enough for reproducible demos. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const minGapMs = 50
const maxIntensity = 100

interface Progress {
  line: number
  /** Per channel: the kind of conversation last used, so a return continues the same thread. */
  kinds: Map<SimKind, CustomerMessage['kind']>
  lastChannel?: SimKind
  /** The persona's ad or link (personaArrivals) has brought them in already. */
  hasArrived?: boolean
}

function storyLines(persona: Persona): { topic: Topic; index: number; text: string }[] {
  return persona.topics.flatMap((topic) => phrases[persona.language][topic].map((text, index) => ({ topic, index, text })))
}

/** Public channels mix comments/mentions with DMs; messengers are DMs only. */
function pickKind(kind: SimKind, random: () => number): CustomerMessage['kind'] {
  const roll = random()
  switch (kind) {
    case 'facebook':
      return roll < 0.7 ? 'dm' : 'comment'
    case 'instagram':
      return roll < 0.6 ? 'dm' : 'comment'
    case 'x':
    case 'mastodon':
      return roll < 0.6 ? 'mention' : 'dm'
    case 'bluesky':
      return 'mention'
    default:
      return 'dm'
  }
}

export function startDemoTraffic(sim: Simulator, accounts: SimAccount[], options: DemoOptions = {}): DemoTraffic {
  const random = options.random ?? Math.random
  const intensity = Math.min(maxIntensity, Math.max(0.01, options.intensity ?? 1))
  const byKind = new Map<SimKind, SimAccount>()
  for (const account of accounts) if (!byKind.has(account.kind)) byKind.set(account.kind, account)
  const cast = personas.filter((persona) => persona.channels.some((kind) => byKind.has(kind)))
  const progress = new Map<string, Progress>()
  let stopped = byKind.size === 0
  let wake: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (stopped) return resolve()
      wake = resolve
      timer = setTimeout(resolve, Math.max(minGapMs, ms / intensity))
    })
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!

  async function write(
    persona: Persona,
    kind: SimKind,
    text: string,
    messageKind: CustomerMessage['kind'],
    extras: { isComplaintBurst: boolean; photo?: boolean },
  ) {
    const account = byKind.get(kind)!
    const identity = personaIdentity(persona, kind)
    const isReturning = progress.has(persona.key)
    const message: CustomerMessage = {
      from: { id: identity.id, name: persona.name, ...(identity.handle ? { handle: identity.handle } : {}), language: persona.language },
      text,
      kind: messageKind,
      ...(extras.photo ? { attachments: [{ type: 'image' as const, url: `${sim.url}/_sim/media/damage-${persona.key}.png` }] } : {}),
    }
    const state: Progress = progress.get(persona.key) ?? { line: 0, kinds: new Map() }
    state.kinds.set(kind, messageKind)
    state.lastChannel = kind
    progress.set(persona.key, state)
    // The first private message on the channel of the persona's ad or link says where they came from.
    const arrival = personaArrivals[persona.key]
    const isArriving = arrival?.channel === kind && messageKind === 'dm' && !state.hasArrived && !extras.isComplaintBurst
    if (isArriving) state.hasArrived = true
    let report: DeliveryReport | undefined
    let error: string | undefined
    try {
      if (isArriving && arrival.beforeWriting) await sim.customerArrives(account.externalId, { from: message.from, referral: arrival.referral })
      else if (isArriving) message.referral = arrival.referral
      report = await sim.customerWrites(account.externalId, message)
    } catch (caught) {
      error = (caught as Error).message
    }
    // One line per simulated message is routine: debug, unless the delivery failed.
    options.logger?.[error ? 'warn' : 'debug'](
      { persona: persona.name, channel: kind, language: persona.language, isReturning, delivered: report?.delivered, queued: report?.queued, error },
      'demo customer wrote',
    )
    options.onWrite?.({ persona, account, message, isReturning, isComplaintBurst: extras.isComplaintBurst, report, error })
  }

  function channelFor(persona: Persona, isReturning: boolean): SimKind {
    const available = persona.channels.filter((kind) => byKind.has(kind))
    const last = progress.get(persona.key)?.lastChannel
    if (isReturning && last && available.length > 1 && random() < 0.35) return available.find((kind) => kind !== last)!
    return last ?? available[0]!
  }

  async function storyStep() {
    const started = cast.filter((persona) => progress.has(persona.key) && progress.get(persona.key)!.line < storyLines(persona).length)
    const fresh = cast.filter((persona) => !progress.has(persona.key))
    const isReturning = started.length > 0 && (fresh.length === 0 || random() < 0.4)
    let persona: Persona
    if (isReturning) persona = pick(started)
    else if (fresh.length > 0) persona = pick(fresh)
    else {
      // Every story is told: start over, the same people with the same stories.
      for (const state of progress.values()) state.line = 0
      persona = pick(cast)
    }
    const lines = storyLines(persona)
    const state = progress.get(persona.key)
    const line = lines[state?.line ?? 0]!
    const kind = channelFor(persona, Boolean(state))
    // Someone brought by an ad or a link writes privately first, where the ad or link led them.
    const messageKind = state?.kinds.get(kind) ?? (personaArrivals[persona.key]?.channel === kind ? 'dm' : pickKind(kind, random))
    await write(persona, kind, line.text, messageKind, { isComplaintBurst: false, photo: hasPhoto(line.topic, line.index) })
    progress.get(persona.key)!.line = (state?.line ?? 0) + 1
  }

  async function complaint() {
    const persona = pick(cast)
    const kind = channelFor(persona, false)
    const messageKind = kind === 'whatsapp' || kind === 'telegram' ? 'dm' : kind === 'facebook' || kind === 'instagram' ? 'comment' : 'mention'
    await write(persona, kind, pick(launchComplaints[persona.language]), messageKind, { isComplaintBurst: true })
  }

  async function run() {
    let written = 0
    let burstLeft = 0
    // The first message lands within ~2 s, so an inbox fills as soon as the demo starts.
    await wait(300 + random() * 1200)
    while (!stopped) {
      if (burstLeft > 0) {
        await complaint()
        burstLeft -= 1
        written += 1
        await wait(3000 + random() * 9000)
        continue
      }
      const roll = random()
      if (written >= 4 && roll < 0.06) {
        burstLeft = 4 + Math.floor(random() * 3)
        options.logger?.info({ messages: burstLeft }, 'demo: a launch went wrong, complaints incoming')
        await wait(500)
        continue
      }
      if (written >= 4 && roll < 0.12) {
        await wait(15_000 + random() * 20_000)
        continue
      }
      await storyStep()
      written += 1
      await wait(2000 + random() * 4000)
    }
  }

  const done = cast.length === 0 ? Promise.resolve() : run().catch((error: unknown) => options.logger?.error({ err: error }, 'demo traffic stopped'))
  return {
    stop: () => {
      stopped = true
      clearTimeout(timer)
      wake?.()
    },
    done: done.then(() => undefined),
  }
}
