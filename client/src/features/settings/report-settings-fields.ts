import { CostSettings, defaultCostSettings, defaultSurgeSettings, SurgeSettings, type ReportSettings } from '@carebox/shared'

export type CostInput = Exclude<keyof CostSettings, 'currency'>
export type SurgeInput = keyof SurgeSettings

/** The cost inputs in the order the panel and the form show them. */
export const costInputs: readonly CostInput[] = [
  'phoneCostPerContact',
  'emailCostPerContact',
  'chatCostPerContact',
  'socialCostPerConversation',
  'deflectionRate',
  'agentHourlyCost',
  'overheadPerHour',
]
export const surgeInputs: readonly SurgeInput[] = ['volumeFactor', 'minMessages', 'negativeShareJump']

export const costInputLabels: Record<CostInput, string> = {
  phoneCostPerContact: 'Cost per phone contact',
  emailCostPerContact: 'Cost per email contact',
  chatCostPerContact: 'Cost per chat contact',
  socialCostPerConversation: 'Social cost per conversation, until measured',
  deflectionRate: 'Deflection rate',
  agentHourlyCost: 'Agent hourly cost',
  overheadPerHour: 'Overhead per agent hour',
}

/** Which inputs are amounts of money (the rest are shares, factors or counts). */
export function isMoneyInput(input: CostInput): boolean {
  return input !== 'deflectionRate'
}

export const surgeInputLabels: Record<SurgeInput, string> = {
  volumeFactor: 'Volume factor',
  minMessages: 'Fewest messages for a surge',
  negativeShareJump: 'Rise in negative share',
}

/** What each threshold does, in the words of the contract. */
export const surgeInputHelp: Record<SurgeInput, string> = {
  volumeFactor: 'Inbound over the window must exceed the baseline (the same hour of the week in the previous weeks) by this factor…',
  minMessages: '…and reach at least this many messages: a quiet channel going from 1 to 3 is no surge.',
  negativeShareJump: 'Or the share of negative messages must rise by this much over its baseline: 0.2 is 20 points.',
}

export const defaultReportSettings: ReportSettings = { cost: defaultCostSettings, surge: defaultSurgeSettings }

/** The limits the server checks, read from the shared schema so the form and the API never disagree. */
export function limitsOf(input: CostInput | SurgeInput): { minimum: number; maximum: number; isInteger: boolean } {
  const schema: { minimum?: number; maximum?: number; type?: string } =
    input in CostSettings.properties ? CostSettings.properties[input as CostInput] : SurgeSettings.properties[input as SurgeInput]
  return { minimum: schema.minimum ?? 0, maximum: schema.maximum ?? Number.MAX_SAFE_INTEGER, isInteger: schema.type === 'integer' }
}
