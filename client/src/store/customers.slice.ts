import { contactsApi, conversationsApi, type CustomerPanel } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { call } from '../api/http'
import type { AppState } from './store'

export type CustomerChanges = Static<typeof contactsApi.update.schema.body>

export interface CustomersSlice {
  /** The customer panel of each conversation opened, by conversation id. */
  customersByConversation: Record<string, CustomerPanel>
  /** Conversations that could not be loaded, with why. */
  conversationErrors: Record<string, string>
  /** Loads a conversation with its customer and your draft: for the header (even when it is not in the list) and the panel. */
  loadConversation(id: string): Promise<void>
  /** Each resolves with an error message to show, or null on success; the panel shows the customer as the server answers. */
  updateCustomer(conversationId: string, changes: CustomerChanges): Promise<string | null>
  addCustomerNote(conversationId: string, text: string): Promise<string | null>
  /** Merges another customer into the one beside this conversation; their conversations move here. */
  mergeCustomer(conversationId: string, otherContactId: string): Promise<string | null>
  undoCustomerMerge(conversationId: string, mergeId: string): Promise<string | null>
}

export const createCustomersSlice: StateCreator<AppState, [], [], CustomersSlice> = (set, get) => {
  /** The customer as the server answered, beside every open conversation with them. */
  const showCustomer = (conversationId: string, customer: CustomerPanel) =>
    set((s) => {
      const updated = Object.entries(s.customersByConversation)
        .filter(([, c]) => c.id === customer.id)
        .map(([id]) => [id, customer] as const)
      return { customersByConversation: { ...s.customersByConversation, ...Object.fromEntries(updated), [conversationId]: customer } }
    })

  const change = async (conversationId: string, request: (contactId: string) => Promise<CustomerPanel>) => {
    const customer = get().customersByConversation[conversationId]
    if (!customer) return 'The customer is still loading.'
    try {
      showCustomer(conversationId, await request(customer.id))
      return null
    } catch (error) {
      return (error as Error).message
    }
  }

  /** Conversations moved between customers: the list shows their customer, and this one may have moved away. */
  const afterMerge = async (conversationId: string) => {
    const customer = get().customersByConversation[conversationId]
    await Promise.all([
      get().refreshConversations(),
      ...(customer?.conversations.some((c) => c.id === conversationId) ? [] : [get().loadConversation(conversationId)]),
    ])
  }

  return {
    customersByConversation: {},
    conversationErrors: {},
    async loadConversation(id) {
      try {
        const { conversation, customer, draft, sla } = await call(conversationsApi.get, { params: { id } })
        get().upsertConversation(conversation)
        set((s) => {
          const { [id]: _cleared, ...conversationErrors } = s.conversationErrors
          return {
            customersByConversation: { ...s.customersByConversation, [id]: customer },
            slaTargetsByConversation: { ...s.slaTargetsByConversation, [id]: sla },
            conversationErrors,
          }
        })
        get().restoreDraft(id, draft)
      } catch (error) {
        set((s) => ({ conversationErrors: { ...s.conversationErrors, [id]: (error as Error).message } }))
      }
    },
    updateCustomer: (conversationId, changes) => change(conversationId, (id) => call(contactsApi.update, { params: { id }, body: changes })),
    addCustomerNote: (conversationId, text) => change(conversationId, (id) => call(contactsApi.addNote, { params: { id }, body: { text } })),
    async mergeCustomer(conversationId, otherContactId) {
      const error = await change(conversationId, (id) => call(contactsApi.merge, { params: { id }, body: { otherContactId } }))
      if (!error) await afterMerge(conversationId)
      return error
    },
    async undoCustomerMerge(conversationId, mergeId) {
      const error = await change(conversationId, (id) => call(contactsApi.undoMerge, { params: { id, mergeId } }))
      if (!error) await afterMerge(conversationId)
      return error
    },
  }
}
