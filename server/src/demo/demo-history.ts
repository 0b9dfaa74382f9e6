import { sql } from 'kysely'
import type { AppContext } from '../context.js'
import { rebuildReports } from '../reports/rebuild.js'
import { phrases, type Language, type Topic } from '../simulator/personas.js'
import { seededRandom } from '../simulator/demo.js'
import { sentimentOf } from '../sentiment/sentiment.js'

/**
 * Four weeks of past conversations for the demo's first start, so the dashboard has history to draw (trends, the
 * hour-of-week heatmap, a seasonal baseline for surges) before the live traffic adds today. Weekday office hours
 * are busiest; most conversations get a reply, most are resolved, a few come back within the week. Seeded from a
 * fixed seed: every installation draws the same past.
 */
const days = 28
const hourMs = 3_600_000
const minuteMs = 60_000

interface Row {
  conversation: {
    id: string
    channelId: string
    contactId: string
    threadKey: string
    tags: string[]
    status: 'open' | 'resolved'
    lastAt: Date
    lastInboundAt: Date
    resolvedAt: Date | null
    assigneeId: string | null
    language: Language
  }
  messages: { at: Date; inbound: boolean; text: string; authorUserId: string | null }[]
  resolutions: { at: Date; assigneeId: string | null }[]
  firstResponse: { startedAt: Date; repliedAt: Date | null } | null
}

/** Hourly weights of an ordinary day, UTC: quiet nights, a morning peak, a smaller evening one. */
const hourWeights = [0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.8, 1.3, 1.8, 2, 1.9, 1.6, 1.7, 1.8, 1.7, 1.5, 1.2, 1, 1, 0.9, 0.7, 0.5, 0.3]

export async function seedDemoHistory(ctx: AppContext, channelIds: string[]): Promise<number> {
  const random = seededRandom(20_260_302)
  const surveyRandom = seededRandom(20_261_207)
  const workRandom = seededRandom(20_270_115)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const agents = (await ctx.db.selectFrom('users').select('id').where('role', 'in', ['agent', 'lead']).where('active', '=', true).execute()).map((u) => u.id)
  if (agents.length === 0 || channelIds.length === 0) return 0
  const now = ctx.clock.now()
  const start = new Date(Math.floor(now.getTime() / (24 * hourMs)) * 24 * hourMs - days * 24 * hourMs)
  const languages = Object.keys(phrases) as Language[]
  const topics: Topic[] = ['late-parcel', 'refund', 'broken-item', 'login', 'billing', 'praise']
  const rows: Row[] = []

  for (let hour = start.getTime(); hour < now.getTime() - hourMs; hour += hourMs) {
    const at = new Date(hour)
    const weekday = at.getUTCDay()
    const isWeekend = weekday === 0 || weekday === 6
    const expected = hourWeights[at.getUTCHours()]! * (isWeekend ? 0.6 : 1.4)
    // A Poisson-ish draw: whole conversations around the expected count.
    const count = Math.floor(expected + random())
    for (let n = 0; n < count; n++) {
      const language = pick(languages)
      const topic = pick(topics)
      const opened = new Date(hour + random() * hourMs)
      const isOfficeHours = !isWeekend && opened.getUTCHours() >= 9 && opened.getUTCHours() < 17
      const messages: Row['messages'] = []
      const resolutions: Row['resolutions'] = []
      const agent = pick(agents)
      const lines = phrases[language][topic]
      messages.push({ at: opened, inbound: true, text: pick(lines), authorUserId: null })
      if (random() < 0.4)
        messages.push({ at: new Date(opened.getTime() + (1 + random() * 4) * minuteMs), inbound: true, text: pick(lines), authorUserId: null })
      // Answered: most, quickly in office hours, by the next morning otherwise.
      const answered = random() < (isOfficeHours ? 0.93 : 0.8)
      const wait = isOfficeHours ? (2 + random() * random() * 90) * minuteMs : (2 + random() * 14) * hourMs
      const repliedAt = new Date(opened.getTime() + wait)
      let lastAt = messages.at(-1)!.at
      let status: 'open' | 'resolved' = 'open'
      let resolvedAt: Date | null = null
      if (answered && repliedAt < now) {
        messages.push({ at: repliedAt, inbound: false, text: 'Thanks for writing — I am looking into it now.', authorUserId: agent })
        lastAt = repliedAt
        if (random() < 0.3) {
          const follow = new Date(repliedAt.getTime() + (2 + random() * 15) * minuteMs)
          const answer = new Date(follow.getTime() + (1 + random() * 10) * minuteMs)
          if (answer < now) {
            messages.push({ at: follow, inbound: true, text: pick(lines), authorUserId: null })
            messages.push({ at: answer, inbound: false, text: 'Done: you will get a confirmation by email.', authorUserId: agent })
            lastAt = answer
          }
        }
        // Most are resolved right after the last answer; some wait a while for the customer's thanks.
        const resolveAt = new Date(lastAt.getTime() + (random() < 0.8 ? 1 + random() * 5 : 30 + random() * 240) * minuteMs)
        // Nearly all are resolved; what is left open is from the last day, so the live inbox is not buried in the past.
        if (resolveAt < now && (random() < 0.9 || resolveAt.getTime() < now.getTime() - 24 * hourMs)) {
          status = 'resolved'
          resolvedAt = resolveAt
          resolutions.push({ at: resolveAt, assigneeId: agent })
          // Some come back within the week: a reopen and a second cycle.
          const back = new Date(resolveAt.getTime() + (2 + random() * 100) * hourMs)
          if (random() < 0.08 && back.getTime() + 3 * hourMs < now.getTime()) {
            const again = new Date(back.getTime() + (5 + random() * 60) * minuteMs)
            const closed = new Date(again.getTime() + (20 + random() * 60) * minuteMs)
            messages.push({ at: back, inbound: true, text: pick(lines), authorUserId: null })
            messages.push({ at: again, inbound: false, text: 'Sorry about that — sorted now.', authorUserId: agent })
            resolutions.push({ at: closed, assigneeId: agent })
            resolvedAt = closed
            lastAt = again
          }
        }
      } else if (opened.getTime() < now.getTime() - 24 * hourMs) {
        // Old and unanswered: closed without a reply a day later (it counts against the response rate).
        status = 'resolved'
        resolvedAt = new Date(opened.getTime() + 24 * hourMs)
        resolutions.push({ at: resolvedAt, assigneeId: null })
      }
      const complaint = topic === 'broken-item' || topic === 'refund'
      rows.push({
        conversation: {
          id: crypto.randomUUID(),
          channelId: pick(channelIds),
          contactId: '',
          threadKey: `demo-history:${rows.length}`,
          tags: complaint ? ['complaint'] : [],
          status,
          lastAt,
          lastInboundAt: messages.filter((m) => m.inbound).at(-1)!.at,
          resolvedAt,
          assigneeId: answered ? agent : null,
          language,
        },
        messages,
        resolutions,
        firstResponse: { startedAt: opened, repliedAt: answered && repliedAt < now ? repliedAt : null },
      })
    }
  }

  await ctx.db.transaction().execute(async (trx) => {
    const contacts = await trx
      .insertInto('contacts')
      .values(
        rows.map((row, i) => ({
          name: `Past customer ${i + 1}`,
          firstSeenAt: row.messages[0]!.at,
          lastSeenAt: row.conversation.lastAt,
          language: row.conversation.language,
        })),
      )
      .returning('id')
      .execute()
    rows.forEach((row, i) => (row.conversation.contactId = contacts[i]!.id))
    for (let i = 0; i < rows.length; i += 500) {
      const batch = rows.slice(i, i + 500)
      await trx
        .insertInto('conversations')
        .values(
          batch.map(({ conversation: c, messages }) => ({
            id: c.id,
            channelId: c.channelId,
            teamId: sql<string>`(select team_id from channels where id = ${c.channelId}::uuid)`,
            contactId: c.contactId,
            threadKey: c.threadKey,
            kind: 'dm',
            status: c.status,
            tags: c.tags,
            assigneeId: c.assigneeId,
            language: c.language,
            resolvedAt: c.resolvedAt,
            lastMessageAt: c.lastAt,
            lastInboundAt: c.lastInboundAt,
            messageCount: messages.length,
            lastMessagePreview: messages.at(-1)!.text.slice(0, 140),
            createdAt: messages[0]!.at,
          })),
        )
        .execute()
      await trx
        .insertInto('messages')
        .values(
          batch.flatMap(({ conversation: c, messages }) =>
            messages.map((m, n) => ({
              conversationId: c.id,
              channelId: c.channelId,
              externalId: `demo-history-${c.id}-${n}`,
              direction: m.inbound ? 'inbound' : 'outbound',
              authorKind: m.inbound ? 'contact' : 'agent',
              authorContactId: m.inbound ? c.contactId : null,
              authorUserId: m.authorUserId,
              text: m.text,
              status: m.inbound ? 'received' : 'read',
              sentAt: m.at,
              language: m.inbound ? c.language : null,
              sentiment: m.inbound ? sentimentOf(m.text, c.language) : null,
            })),
          ),
        )
        .execute()
      const resolutions = batch.flatMap(({ conversation: c, resolutions: r }) =>
        r.map((res) => ({ conversationId: c.id, resolvedAt: res.at, assigneeId: res.assigneeId })),
      )
      if (resolutions.length > 0) {
        const stored = await trx.insertInto('conversationResolutions').values(resolutions).returning(['id', 'conversationId', 'resolvedAt']).execute()
        const surveys = stored.map((resolution) =>
          pastSurvey(
            resolution,
            batch.find((row) => row.conversation.id === resolution.conversationId)!,
            surveyRandom,
          ),
        )
        await trx.insertInto('surveys').values(surveys).execute()
      }
      // The first cycle's first-response target, met or breached against the demo's standard hour.
      const targets = batch.flatMap(({ conversation: c, firstResponse: f }) => {
        if (!f) return []
        const dueAt = new Date(f.startedAt.getTime() + 60 * minuteMs)
        const met = f.repliedAt !== null && f.repliedAt <= dueAt
        const decided = f.repliedAt ?? c.resolvedAt ?? now
        if (!met && dueAt > now) return []
        return [
          {
            conversationId: c.id,
            kind: 'first_response',
            cycleStartedAt: f.startedAt,
            startedAt: f.startedAt,
            targetMinutes: 60,
            businessHours: false,
            pausedMinutes: 0,
            status: met ? 'achieved' : 'breached',
            dueAt,
            stoppedAt: f.repliedAt ?? c.resolvedAt,
            breachedAt: met ? null : dueAt,
            updatedAt: decided,
          },
        ]
      })
      if (targets.length > 0) await trx.insertInto('slaTargets').values(targets).execute()
      // The time agents spent in each resolved conversation, as their consoles would have measured it: the cost
      // report's working time, so its social cost is truthful from the first start.
      const work = batch.flatMap((row) => pastWorkingMinutes(row, workRandom))
      if (work.length > 0)
        await trx
          .insertInto('agentWorkMinutes')
          .values(work)
          .onConflict((oc) => oc.doNothing())
          .execute()
    }
    // Office hours online for everyone on past weekdays: the per-agent table's time online.
    await sql`
      insert into report_presence_hourly (hour, user_id, seconds)
      select h, u, 3600 from generate_series(${start}::timestamptz, ${new Date(now.getTime() - 24 * hourMs)}::timestamptz, interval '1 hour') h
        cross join unnest(${agents}::uuid[]) u
      where extract(isodow from h) < 6 and extract(hour from h) between 9 and 16
      on conflict do nothing`.execute(trx)
  })
  await rebuildReports(ctx.db, now)
  return rows.length
}

const pastComments: Record<Language, { low: string; high: string }> = {
  en: { low: 'Took days to get a real answer.', high: 'Quick and friendly, thanks.' },
  es: { low: 'Tardaron días en responder de verdad.', high: 'Rápidos y amables, gracias.' },
  zh: { low: '好几天才得到真正的答复。', high: '又快又热情，谢谢。' },
  ru: { low: 'Настоящий ответ пришёл только через несколько дней.', high: 'Быстро и вежливо, спасибо.' },
  cs: { low: 'Skutečná odpověď přišla až po několika dnech.', high: 'Rychle a ochotně, díky.' },
  ja: { low: 'ちゃんとした回答まで何日もかかりました。', high: '迅速で丁寧でした、ありがとう。' },
}

/**
 * The survey of a past resolve, as the demo's customers would have answered it: most rate 4 or 5, some 1 to 3,
 * about a third never answer, a few were not offered (the WhatsApp window had closed). The agent is the last person
 * who replied before the resolve.
 */
function pastSurvey(resolution: { id: number; conversationId: string; resolvedAt: Date }, row: Row, random: () => number) {
  const offeredAt = new Date(resolution.resolvedAt.getTime() + 5 * minuteMs)
  const agentId = row.messages.filter((m) => !m.inbound && m.authorUserId && m.at <= resolution.resolvedAt).at(-1)?.authorUserId ?? null
  const base = { conversationId: resolution.conversationId, resolutionId: resolution.id, token: `h${resolution.id}`.slice(0, 12), dueAt: offeredAt, agentId }
  const roll = random()
  if (roll < 0.06) return { ...base, status: 'not_offered', reason: 'WhatsApp no longer allows a message to this customer: the 24-hour window has closed.' }
  const offered = { ...base, status: 'offered', offeredAt, language: row.conversation.language }
  if (roll < 0.38) return offered
  const dice = random()
  const rating = dice < 0.5 ? 5 : dice < 0.74 ? 4 : dice < 0.84 ? 3 : dice < 0.93 ? 2 : 1
  const comment = rating <= 2 ? pastComments[row.conversation.language].low : random() < 0.25 ? pastComments[row.conversation.language].high : null
  return { ...offered, status: 'answered', rating, comment, answeredAt: new Date(offeredAt.getTime() + (2 + random() * 60) * minuteMs) }
}

/**
 * 3 to 12 minutes of an agent's working time in a resolved conversation, in the minutes before each of their replies
 * (reading the thread, typing the answer): none for a conversation nobody answered.
 */
function pastWorkingMinutes(row: Row, random: () => number) {
  const replies = row.messages.filter((m) => !m.inbound && m.authorUserId)
  if (row.conversation.status !== 'resolved' || replies.length === 0) return []
  const total = 3 + Math.floor(random() * 10)
  const minutes = new Map<string, { conversationId: string; userId: string; minute: Date }>()
  for (let k = 0; k < total; k++) {
    const reply = replies[k % replies.length]!
    const back = Math.floor(k / replies.length)
    const minute = new Date(Math.floor(reply.at.getTime() / minuteMs) * minuteMs - back * minuteMs)
    minutes.set(`${reply.authorUserId}:${minute.getTime()}`, { conversationId: row.conversation.id, userId: reply.authorUserId!, minute })
  }
  return [...minutes.values()]
}
