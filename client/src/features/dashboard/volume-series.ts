import type { ReportSummary } from '@carebox/shared'

/**
 * Six hues far apart (blue, orange, green, purple, magenta, brown) that stay apart for the common colour
 * blindnesses, plus grey for "Other". More series than this cannot be told apart by colour, so the busiest
 * channels get a hue each and the rest share one bar.
 */
export const channelPalette = ['#1d4ed8', '#ea580c', '#15803d', '#7e22ce', '#c026d3', '#92400e'] as const
export const otherColour = '#94a3b8'
export const otherSeriesId = 'other'

export interface VolumeSeries {
  /** A channel's id, or otherSeriesId. */
  id: string
  name: string
  colour: string
  /** The channels drawn in this series: one, or several for "Other". */
  channelIds: string[]
}

/**
 * The channels that had any volume, busiest first (inbound plus replied over the period), each with its own colour
 * while the palette lasts; when there are more channels than colours, the quietest are grouped as "Other".
 */
export function volumeSeriesOf(summary: Pick<ReportSummary, 'channels' | 'volume'>): VolumeSeries[] {
  const totals = new Map<string, number>()
  for (const point of summary.volume) totals.set(point.channelId, (totals.get(point.channelId) ?? 0) + point.inbound + point.replied)
  const nameOf = (id: string) => summary.channels.find((c) => c.id === id)?.name ?? 'Removed channel'
  // Busiest first; ties by name so the colours do not swap between two equally busy channels on reload.
  const ranked = [...totals.keys()].sort((a, b) => (totals.get(b) ?? 0) - (totals.get(a) ?? 0) || nameOf(a).localeCompare(nameOf(b)))
  // Grouping one channel alone as "Other" would hide its name for nothing: it gets the grey under its own name.
  const named = ranked.length <= channelPalette.length + 1 ? ranked : ranked.slice(0, channelPalette.length)
  const series: VolumeSeries[] = named.map((id, index) => ({
    id,
    name: nameOf(id),
    colour: channelPalette[index] ?? otherColour,
    channelIds: [id],
  }))
  const rest = ranked.slice(named.length)
  if (rest.length > 0) series.push({ id: otherSeriesId, name: `Other (${rest.length} channels)`, colour: otherColour, channelIds: rest })
  return series
}
