import fs from 'node:fs/promises'
import { ChannelCreate } from '@carebox/shared'
import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { AppContext } from '../context.js'
import { StartupError } from '../errors.js'
import { findChannelByExternalId } from './channels.repository.js'
import { createChannel, updateChannel } from './channels.service.js'

// A file names a channel's team by name (created if missing), not by an id no deployment script could know.
const FileChannel = Type.Composite([Type.Omit(ChannelCreate, ['teamId']), Type.Object({ team: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })) })], {
  additionalProperties: false,
})
const ChannelsFile = Type.Object({ channels: Type.Array(FileChannel) }, { additionalProperties: false })

async function teamIdByName(ctx: AppContext, name: string): Promise<string> {
  await ctx.db
    .insertInto('teams')
    .values({ name })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
  const team = await ctx.db.selectFrom('teams').select('id').where('name', '=', name).executeTakeFirstOrThrow()
  return team.id
}

/**
 * Provisions channels from CAREBOX_CHANNELS_FILE at start. Idempotent: a channel is matched by
 * (kind, externalId); an existing one gets the file's name, settings, secrets, enabled flag and team.
 */
export async function provisionChannelsFromFile(ctx: AppContext, file: string): Promise<number> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'))
  } catch (error) {
    throw new StartupError(`CAREBOX_CHANNELS_FILE ${file} could not be read as JSON: ${(error as Error).message}`)
  }
  if (!Value.Check(ChannelsFile, parsed)) {
    const first = Value.Errors(ChannelsFile, parsed).First()
    throw new StartupError(`CAREBOX_CHANNELS_FILE ${file} is invalid at ${first?.path || '/'}: ${first?.message}`)
  }
  for (const { team, ...channel } of parsed.channels) {
    await provisionChannel(ctx, { ...channel, ...(team !== undefined && { teamId: await teamIdByName(ctx, team) }) })
  }
  return parsed.channels.length
}

export async function provisionChannel(ctx: AppContext, channel: ChannelCreate): Promise<string> {
  const existing = await findChannelByExternalId(ctx.db, channel.kind, channel.externalId)
  if (!existing) return (await createChannel(ctx, channel)).id
  await updateChannel(ctx, existing.id, {
    name: channel.name,
    settings: channel.settings,
    secrets: channel.secrets,
    ...(channel.enabled !== undefined && { enabled: channel.enabled }),
    ...(channel.teamId !== undefined && { teamId: channel.teamId }),
  })
  return existing.id
}
