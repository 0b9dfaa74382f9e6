import metricsDoc from '../../../../docs/metrics.md?raw'

/**
 * How each figure on the dashboard is computed, shown a click away from it. The words are docs/metrics.md's, read
 * at build time: `spec` holds a section's quoted paragraphs (the care-metrics spec's definition, word for word),
 * `carebox` its other paragraphs (what the spec leaves open about how Carebox counts). Change them there.
 */
export interface MetricDefinition {
  title: string
  spec: readonly string[]
  carebox: readonly string[]
}

/** The doc's `## ` sections by heading. A paragraph's lines join with a space; the text before the first section is the doc's own. */
function readSections(markdown: string): Map<string, { spec: string[]; carebox: string[] }> {
  const sections = new Map<string, { spec: string[]; carebox: string[] }>()
  let section: { spec: string[]; carebox: string[] } | undefined
  for (const block of markdown.split(/\n[ \t]*\n/)) {
    const lines = block.split('\n').filter((line) => line.trim() !== '')
    const heading = /^## (.+)$/.exec(lines[0] ?? '')
    if (heading) {
      section = { spec: [], carebox: [] }
      sections.set((heading[1] as string).trim(), section)
      lines.shift()
    }
    if (!section || lines.length === 0) continue
    const isQuote = lines.every((line) => line.startsWith('>'))
    const text = lines
      .map((line) => (isQuote ? line.replace(/^>\s?/, '') : line))
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim()
    section[isQuote ? 'spec' : 'carebox'].push(text)
  }
  return sections
}

const sections = readSections(metricsDoc)

/** The section titled `title`, followed by the shared sections named after it (their quotes after its quotes). */
function definition(title: string, ...shared: string[]): MetricDefinition {
  const parts = [title, ...shared].map((heading) => {
    const section = sections.get(heading)
    if (!section) throw new Error(`docs/metrics.md has no section "${heading}"`)
    return section
  })
  return { title, spec: parts.flatMap((part) => part.spec), carebox: parts.flatMap((part) => part.carebox) }
}

const timeFigure = ['Time figures', 'Precision of times']

export const definitions = {
  inboundConversations: definition('Inbound conversation'),
  conversationResponseRate: definition('Response rate (conversation level)'),
  messageResponseRate: definition('Response rate (message level)'),
  firstResponse: definition('First response time (FRT)', ...timeFigure),
  nextResponse: definition('Next response time', ...timeFigure),
  resolution: definition('Resolution time', ...timeFigure),
  handle: definition('Handle time', ...timeFigure),
  sla: definition('Answered within SLA'),
  reopenRate: definition('Reopen rate'),
  backlog: definition('Backlog and oldest wait'),
  notCounted: definition('Notes and automated replies'),
  volume: definition('Inbound and replied', 'Volume'),
  hourOfWeek: definition('Volume by hour of the week', 'Volume'),
  negativeShare: definition('Negative share'),
  agents: definition('Per-agent table', 'Precision of times'),
  cost: definition('Cost saving'),
  surges: definition('Surge alert'),
  csatScore: definition('CSAT score'),
  surveyResponseRate: definition('Survey response rate'),
  satisfactionPerAgent: definition('Satisfaction per agent'),
} satisfies Record<string, MetricDefinition>

export type MetricId = keyof typeof definitions
