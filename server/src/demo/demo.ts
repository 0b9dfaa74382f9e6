import { seedDemoHistory } from './demo-history.js'
import { demoOutOfHoursReply, seedDemoRouting } from './demo-routing.js'
import type { ChannelCreate, ChannelKind } from '@carebox/shared'
import { sql } from 'kysely'
import { upsertChannelConversions } from '../attribution/conversions.repository.js'
import { provisionChannel } from '../channels/provision.js'
import { findChannel } from '../channels/channels.repository.js'
import type { AppContext } from '../context.js'
import { startDemoTraffic, startSimulator, type Simulator } from '../simulator/index.js'
import type { SimAccount } from '../simulator/types.js'
import { refreshTemplates } from '../templates/templates.service.js'
import { seedDemoCommentThreads, seedDemoFollowUps } from './demo-outreach.js'
import { startDemoSurveyAnswers } from './demo-surveys.js'
import { connectDemoReceiver, disableDemoReceiver } from './demo-webhooks.js'
import { saveSurveySettings } from '../surveys/survey-settings.repository.js'
import { defaultSurveySettings } from '@carebox/shared'

export interface Demo {
  simulatorUrl: string
  stop(): Promise<void>
}

interface DemoChannel {
  kind: ChannelKind
  name: string
  externalId: string
  mode: 'webhook' | 'polling'
  handle?: string
  /** WhatsApp: the business account whose message templates the channel sends. */
  businessAccountId?: string
  secrets: ChannelCreate['secrets']
}

/** One Meta app owns the Page, the Instagram account and the WhatsApp number, as in a real setup. */
const metaAppSecret = 'demo-meta-app-secret'

const demoChannels: DemoChannel[] = [
  {
    kind: 'facebook',
    name: 'Acme on Facebook',
    externalId: '104455667788990',
    mode: 'webhook',
    secrets: { appSecret: metaAppSecret, accessToken: 'demo-page-token' },
  },
  {
    kind: 'instagram',
    name: 'Acme on Instagram',
    externalId: '17841400000000001',
    mode: 'webhook',
    secrets: { appSecret: metaAppSecret, accessToken: 'demo-ig-token' },
  },
  {
    kind: 'whatsapp',
    name: 'Acme on WhatsApp',
    externalId: '130000000000002',
    businessAccountId: '120000000000001',
    mode: 'webhook',
    secrets: { appSecret: metaAppSecret, accessToken: 'demo-wa-token' },
  },
  { kind: 'telegram', name: 'Acme Telegram bot', externalId: '7000000001', mode: 'polling', secrets: { botToken: '7000000001:AAdemoTokenForTheSimulator' } },
  {
    kind: 'x',
    name: 'Acme on X',
    externalId: '2244994945',
    mode: 'webhook',
    handle: 'AcmeCare',
    secrets: { consumerSecret: 'demo-x-consumer-secret', accessToken: 'demo-x-token' },
  },
  {
    kind: 'mastodon',
    name: 'Acme on Mastodon',
    externalId: '109000000000001',
    mode: 'polling',
    handle: 'acme',
    secrets: { accessToken: 'demo-mastodon-token' },
  },
  {
    kind: 'bluesky',
    name: 'Acme on Bluesky',
    externalId: 'did:plc:acmecaredemo',
    mode: 'polling',
    handle: 'acme.bsky.social',
    secrets: { identifier: 'acme.bsky.social', appPassword: 'demo-app-password' },
  },
]

/**
 * Demo mode: starts the platform simulator, connects one channel per platform to it (the same connectors
 * that talk to the real platforms), and lets simulated customers write in. Channels are provisioned
 * idempotently, so restarts keep their history and only point them at the new simulator.
 */
/**
 * With the demo off, demo channels left from earlier runs would poll a simulator that is gone and fill their
 * error counts: they are disabled (kept, with their history). Only channels still pointing at a local simulator
 * are touched, so a real channel is never disabled here.
 */
export async function disableDemoChannels(ctx: AppContext): Promise<number> {
  const rows = await ctx.db
    .updateTable('channels')
    .set({ enabled: false })
    .where('enabled', '=', true)
    .where((eb) => eb.or(demoChannels.map((c) => eb.and([eb('kind', '=', c.kind), eb('externalId', '=', c.externalId)]))))
    .where(sql<boolean>`config->>'apiBaseUrl' like 'http://127.0.0.1:%'`)
    .returning('id')
    .execute()
  // Its webhook endpoint too: nothing listens any more where its example receiver was.
  await disableDemoReceiver(ctx, demoActor)
  return rows.length
}

const demoCannedReplies = [
  {
    shortcut: 'thanks',
    title: 'Thanks for writing',
    body: 'Hi {{customer.first_name}}, thanks for reaching out! I am {{agent.first_name}} and I will look into this for you right away.',
  },
  {
    shortcut: 'refund',
    title: 'Refund on its way',
    body: 'Hi {{customer.first_name}}, your refund has been issued today. It usually shows on your statement within 3 to 5 business days.',
  },
  {
    shortcut: 'login',
    title: 'Cannot sign in',
    body: 'Sorry about the trouble, {{customer.first_name}}. Please reset your password from the app’s sign-in screen; the link is valid for one hour.',
  },
  { shortcut: 'resolved', title: 'Closing', body: 'Glad we could help, {{customer.first_name}}! Write to us here any time. — {{agent.name}}' },
]

/** A few canned replies for everyone, so the composer's `/` has something to offer; never overwrites edits. */
async function seedDemoCannedReplies(ctx: AppContext): Promise<void> {
  const existing = await ctx.db.selectFrom('cannedReplies').select('id').limit(1).executeTakeFirst()
  if (existing) return
  await ctx.db
    .insertInto('cannedReplies')
    .values(demoCannedReplies.map((reply) => ({ ...reply, teamId: null })))
    .execute()
}

/** The demo's own doings in the audit log: no person, no token. */
const demoActor = { userId: null, tokenId: null, ip: null, userAgent: 'carebox demo' }

export async function startDemo(ctx: AppContext, appUrl: string): Promise<Demo> {
  const log = ctx.log.child({ component: 'demo' })
  // The seeded history holds comments this simulator never delivered: replies and actions on them must work.
  const sim: Simulator = await startSimulator({ host: '127.0.0.1', port: 0, adoptUnknownComments: true, logger: log.child({ component: 'simulator' }) })
  // The simulator's media lives on this machine, where attachment fetches are otherwise never allowed to go.
  ctx.runtime.mediaAllowOrigins.push(new URL(sim.url).origin)
  await seedDemoCannedReplies(ctx)
  const { firstStart } = await seedDemoRouting(ctx)
  const accounts: SimAccount[] = []
  const channelIds: string[] = []
  for (const channel of demoChannels) {
    const id = await provisionChannel(ctx, {
      kind: channel.kind,
      name: channel.name,
      externalId: channel.externalId,
      settings: {
        mode: channel.mode,
        apiBaseUrl: sim.apiBaseUrl(channel.kind),
        // The simulator has no read limits worth respecting; a short interval keeps the demo lively.
        ...(channel.mode === 'polling' && { pollIntervalMs: 1000 }),
        ...(channel.handle && { handle: channel.handle }),
        ...(channel.businessAccountId && { businessAccountId: channel.businessAccountId }),
      },
      secrets: channel.secrets,
      enabled: true,
    })
    if (firstStart && channel.kind === 'whatsapp')
      await ctx.db.updateTable('channels').set({ outOfHoursReply: demoOutOfHoursReply }).where('id', '=', id).execute()
    channelIds.push(id)
    const row = await findChannel(ctx.db, id)
    const webhookPath = channel.kind === 'x' ? `/webhooks/x/${id}` : '/webhooks/meta'
    const account: SimAccount = {
      kind: channel.kind,
      externalId: channel.externalId,
      secrets: { ...channel.secrets, ...(row && ['facebook', 'instagram', 'whatsapp'].includes(channel.kind) && { webhookSecret: row.verifyToken }) },
      ...(channel.mode === 'webhook' && { webhookUrl: `${appUrl}${webhookPath}` }),
      ...(channel.handle && { handle: channel.handle }),
      ...(channel.businessAccountId && { businessAccountId: channel.businessAccountId }),
    }
    sim.addAccount(account)
    accounts.push(account)
  }
  if (firstStart) await reportDemoConversions(ctx, channelIds)
  if (firstStart) {
    const seeded = await seedDemoHistory(ctx, channelIds)
    log.info({ conversations: seeded }, 'demo history seeded: four weeks of past conversations for the dashboard')
  }
  // The WhatsApp account's templates, read as an admin's Refresh would: old chats can be followed up at once.
  const whatsapp = channelIds[demoChannels.findIndex((c) => c.kind === 'whatsapp')]
  if (whatsapp) {
    const templates = await refreshTemplates(ctx, null, whatsapp, demoActor).catch((error: Error) => log.warn({ err: error }, 'demo templates not read'))
    if (templates) log.info({ templates: templates.items.length }, 'WhatsApp templates read from the simulator')
  }
  if (firstStart && whatsapp) {
    const followUps = await seedDemoFollowUps(ctx, whatsapp)
    log.info({ followUps }, 'demo follow-ups due in a few minutes')
  }
  // The same handshakes a real platform makes before it sends anything.
  const page = accounts.find((a) => a.kind === 'facebook')
  if (page?.secrets.webhookSecret) {
    const check = await sim.verifySubscription(page.externalId, page.secrets.webhookSecret)
    log.info({ ok: check.ok }, 'Meta subscription handshake')
  }
  const x = await sim.crcCheck('2244994945')
  log.info({ ok: x.ok }, 'X CRC handshake')

  if (firstStart) {
    const comments = await seedDemoCommentThreads(sim, accounts).catch((error: Error) => log.warn({ err: error }, 'demo comment threads not written'))
    log.info({ comments }, 'demo comment threads written: four people under one post on Facebook and on Instagram')
  }
  if (firstStart) await quickDemoSurveys(ctx)
  // Carebox's outbound webhooks, received and verified by an example receiver a new user can watch.
  const receiverUrl = await connectDemoReceiver(ctx, sim, demoActor).catch((error: Error) => log.warn({ err: error }, 'demo webhook receiver not connected'))
  if (receiverUrl) log.info({ receiver: receiverUrl }, 'demo webhooks go to the example receiver: open its URL to see them arrive, verified')
  const traffic = startDemoTraffic(sim, accounts, { logger: log })
  const surveyAnswers = startDemoSurveyAnswers(sim, accounts, log)
  log.info({ simulator: sim.url }, 'demo traffic started')
  return {
    simulatorUrl: sim.url,
    async stop() {
      surveyAnswers.stop()
      traffic.stop()
      await traffic.done.catch(() => {})
      await sim.close()
    },
  }
}

/** The demo's Conversions API dataset, as Meta would number one: the simulator takes events for any such id. */
const demoDatasetId = '900000000000001'

/**
 * The demo's Facebook Page and WhatsApp number report outcomes to Meta's Conversions API (the simulator's), so an
 * outcome recorded in the demo shows "Sent to Meta". Set on the first start only: an admin's change stays.
 */
async function reportDemoConversions(ctx: AppContext, channelIds: string[]): Promise<void> {
  for (const [index, channel] of demoChannels.entries()) {
    const id = channelIds[index]
    if (id && (channel.kind === 'facebook' || channel.kind === 'whatsapp')) {
      await upsertChannelConversions(ctx.db, id, { datasetId: demoDatasetId, accessTokenCiphertext: undefined }, ctx.clock.now())
    }
  }
}

/** In the demo a survey follows a resolve after one minute, not five: someone trying Carebox sees the answer come in. */
async function quickDemoSurveys(ctx: AppContext): Promise<void> {
  const teams = await ctx.db.selectFrom('teams').select('id').execute()
  for (const team of teams) await saveSurveySettings(ctx.db, team.id, { ...defaultSurveySettings, delayMinutes: 1 }, ctx.clock.now())
}
