import { Type, type Static } from '@sinclair/typebox'
import { ChannelKind, channelKinds, type ChannelKind as ChannelKindName } from './channels.js'
import { Id, IsoDateTime, StringEnum } from './common.js'
import { defineRoute } from './contract.js'
import { LanguageCode } from './conversation-fields.js'

/** online: takes conversations. away: signed in, not taking new ones (idle, or said so). offline: no console open. */
export const presences = ['online', 'away', 'offline'] as const
export const Presence = StringEnum(presences)
export type Presence = Static<typeof Presence>

/** A console with no keyboard or pointer activity for this long turns its person away. */
export const autoAwayMinutes = 5

const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$' })

/** One opening interval on a weekday (0 = Sunday), in the team's local time. Several per day: a split shift. */
export const Shift = Type.Object({ weekday: Type.Integer({ minimum: 0, maximum: 6 }), opens: Time, closes: Time }, { additionalProperties: false })
export const BusinessHours = Type.Object(
  {
    shifts: Type.Array(Shift, { maxItems: 70 }),
    /** Local dates the team is closed all day. */
    holidays: Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 400 }),
  },
  { additionalProperties: false },
)
export type BusinessHours = Static<typeof BusinessHours>

export const TeamRouting = Type.Object({
  teamId: Id,
  name: Type.String(),
  /** IANA time zone, e.g. Europe/Prague. */
  timeZone: Type.String(),
  businessHours: BusinessHours,
  /** New and returned conversations go to the least-loaded online agent who can take them. */
  autoAssign: Type.Boolean(),
  /** Open right now, by its hours. */
  openNow: Type.Boolean(),
  /** Unassigned open conversations waiting in the team queue. */
  waiting: Type.Integer(),
})
export type TeamRouting = Static<typeof TeamRouting>

export const Agent = Type.Object({
  id: Id,
  name: Type.String(),
  role: StringEnum(['agent', 'lead', 'admin'] as const),
  teamIds: Type.Array(Id),
  presence: Presence,
  presenceAt: Type.Union([IsoDateTime, Type.Null()]),
  /** Open conversations assigned to them now. */
  load: Type.Integer(),
  capacity: Type.Integer(),
  /** Caps per kind of channel, under the overall capacity. */
  capacityByKind: Type.Record(Type.String(), Type.Integer()),
  /** Languages they answer in (empty: any). */
  languages: Type.Array(Type.String()),
  /** Kinds of channel they work (empty: any). */
  channelKinds: Type.Array(ChannelKind),
})
export type Agent = Static<typeof Agent>

/** A channel's optional acknowledgement to customers who write while its team is closed. */
export const ChannelAutoReply = Type.Object({
  channelId: Id,
  name: Type.String(),
  kind: ChannelKind,
  teamId: Id,
  /** Null: none is sent. Sent once per conversation cycle, counted as automated (never a human response). */
  outOfHoursReply: Type.Union([Type.String(), Type.Null()]),
})
export type ChannelAutoReply = Static<typeof ChannelAutoReply>

const TeamParams = Type.Object({ teamId: Id })
const KindCap = Type.Integer({ minimum: 0, maximum: 500 })

export const routingApi = {
  teams: defineRoute({
    method: 'GET',
    url: '/api/routing/teams',
    summary: "Your teams' hours, time zone, auto-assignment and queue length (every team for admins)",
    tags: ['routing'],
    access: { role: 'agent' },
    schema: { response: { 200: Type.Object({ items: Type.Array(TeamRouting) }) } },
  }),
  updateTeam: defineRoute({
    method: 'PATCH',
    url: '/api/routing/teams/:teamId',
    summary: "Change a team's time zone, business hours or auto-assignment (its leads, and admins); open deadlines are recomputed",
    tags: ['routing'],
    access: { role: 'lead' },
    schema: {
      params: TeamParams,
      body: Type.Partial(Type.Object({ timeZone: Type.String({ minLength: 1, maxLength: 64 }), businessHours: BusinessHours, autoAssign: Type.Boolean() }), {
        additionalProperties: false,
        minProperties: 1,
      }),
      response: { 200: TeamRouting },
    },
  }),
  agents: defineRoute({
    method: 'GET',
    url: '/api/routing/agents',
    summary: 'Who is online, away or offline in your teams, with their load, capacity and skills',
    tags: ['routing'],
    access: { role: 'agent' },
    schema: { response: { 200: Type.Object({ items: Type.Array(Agent) }) } },
  }),
  updateAgent: defineRoute({
    method: 'PATCH',
    url: '/api/routing/agents/:id',
    summary: "Change a teammate's capacity and skills (leads of one of their teams, and admins)",
    tags: ['routing'],
    access: { role: 'lead' },
    schema: {
      params: Type.Object({ id: Id }),
      body: Type.Partial(
        Type.Object({
          capacity: Type.Integer({ minimum: 0, maximum: 500 }),
          /** Only the kinds with a cap; a kind left out has none beyond the overall capacity. */
          capacityByKind: Type.Partial(
            Type.Object(Object.fromEntries(channelKinds.map((kind) => [kind, KindCap])) as Record<ChannelKindName, typeof KindCap>),
            {
              additionalProperties: false,
            },
          ),
          languages: Type.Array(LanguageCode, { maxItems: 50, uniqueItems: true }),
          channelKinds: Type.Array(ChannelKind, { maxItems: 7, uniqueItems: true }),
        }),
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: Agent },
    },
  }),
  autoReplies: defineRoute({
    method: 'GET',
    url: '/api/routing/auto-replies',
    summary: "Your teams' channels and their out-of-hours acknowledgements",
    tags: ['routing'],
    access: { role: 'lead' },
    schema: { response: { 200: Type.Object({ items: Type.Array(ChannelAutoReply) }) } },
  }),
  updateAutoReply: defineRoute({
    method: 'PUT',
    url: '/api/routing/auto-replies/:channelId',
    summary: "Set or clear a channel's out-of-hours acknowledgement (leads of its team, and admins)",
    tags: ['routing'],
    access: { role: 'lead' },
    schema: {
      params: Type.Object({ channelId: Id }),
      body: Type.Object({ outOfHoursReply: Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()]) }, { additionalProperties: false }),
      response: { 200: ChannelAutoReply },
    },
  }),
  setPresence: defineRoute({
    method: 'PUT',
    url: '/api/routing/presence',
    summary: 'Say you are online or away (offline follows from closing every console)',
    tags: ['routing'],
    access: { role: 'agent' },
    schema: {
      body: Type.Object({ presence: StringEnum(['online', 'away'] as const) }, { additionalProperties: false }),
      response: { 200: Type.Object({ presence: Presence }) },
    },
  }),
}
