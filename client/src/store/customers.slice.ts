import { contactsApi, conversationsApi, crmApi, type ContactCrm, type CustomerPanel } from '@carebox/shared'
import type { Static } from '@sinclair/typebox'
import type { StateCreator } from 'zustand'
import { ApiError, call } from '../api/http'
import type { AppState } from './store'

export type CustomerChanges = Static<typeof contactsApi.update.schema.body>
export type CustomerKeys = Static<typeof crmApi.updateKeys.schema.body>

/** In a public thread, the commenter the panel shows instead of the thread's own contact. */
export interface CommenterShown {
  conversationId: string
  contactId: string
  /** As the comment names them: shown while their panel loads, or when it cannot be. */
  name: string
}

/** Why a customer's panel is missing: `hidden` when the server does not let the caller see them. */
export interface CustomerLoadError {
  isHidden: boolean
  message: string
}

export interface CustomersSlice {
  /** The customer panel of each conversation opened, by conversation id. */
  customersByConversation: Record<string, CustomerPanel>
  /** Conversations that could not be loaded, with why. */
  conversationErrors: Record<string, string>
  /** Every customer panel loaded, by contact id: the commenters of public threads, kept while switching between them. */
  customersById: Record<string, CustomerPanel>
  /** Commenters whose panel could not be loaded, by contact id. */
  customerErrors: Record<string, CustomerLoadError>
  /** The commenter the open public thread's panel follows; null: the thread's own contact. */
  commenterShown: CommenterShown | null
  /** Loads a conversation with its customer and your draft: for the header (even when it is not in the list) and the panel. */
  loadConversation(id: string): Promise<void>
  /** Shows a commenter in the conversation's panel, loading their panel the first time. */
  showCommenter(conversationId: string, author: { id: string; name: string }): void
  /** Shows the conversation's own contact in its panel again. */
  showThreadContact(): void
  /** Each resolves with an error message to show, or null on success; the panel shows the customer as the server answers. */
  updateCustomer(contactId: string, changes: CustomerChanges): Promise<string | null>
  addCustomerNote(contactId: string, text: string): Promise<string | null>
  /** Merges another customer into this one; their conversations move here. `conversationId` is the one on screen. */
  mergeCustomer(contactId: string, otherContactId: string, conversationId: string): Promise<string | null>
  undoCustomerMerge(contactId: string, mergeId: string, conversationId: string): Promise<string | null>
  /** Each customer's email, phone, CRM fields and who may be the same person, by contact id. */
  crmByContact: Record<string, ContactCrm>
  /** Customers whose CRM details could not be loaded, with why. */
  crmErrors: Record<string, string>
  loadCustomerCrm(contactId: string): Promise<void>
  /** Resolves with an error message to show, or null once saved. */
  updateCustomerKeys(contactId: string, keys: CustomerKeys): Promise<string | null>
}

export const createCustomersSlice: StateCreator<AppState, [], [], CustomersSlice> = (set, get) => {
  /** The customer as the server answered, wherever they are shown: beside their conversations, and as a commenter. */
  const showCustomer = (customer: CustomerPanel) =>
    set((s) => {
      const updated = Object.entries(s.customersByConversation)
        .filter(([, c]) => c.id === customer.id)
        .map(([id]) => [id, customer] as const)
      return {
        customersByConversation: { ...s.customersByConversation, ...Object.fromEntries(updated) },
        customersById: { ...s.customersById, [customer.id]: customer },
      }
    })

  const change = async (request: () => Promise<CustomerPanel>) => {
    try {
      const customer = await request()
      showCustomer(customer)
      return { error: null, customer }
    } catch (error) {
      return { error: (error as Error).message, customer: null }
    }
  }

  /**
   * Conversations moved between customers: the list shows their customer, and this one may have moved away (from
   * the customer changed, or, when a commenter's panel was changed, from the thread's own contact).
   */
  const afterMerge = async (conversationId: string, changed: CustomerPanel) => {
    const own = get().customersByConversation[conversationId]
    const isStillHere = own?.id === changed.id && changed.conversations.some((c) => c.id === conversationId)
    await Promise.all([get().refreshConversations(), ...(isStillHere ? [] : [get().loadConversation(conversationId)])])
  }

  /** Commenters' panels being fetched: choosing a second comment by the same person asks once. */
  const loading = new Set<string>()
  const loadCustomer = async (contactId: string) => {
    if (loading.has(contactId)) return
    loading.add(contactId)
    try {
      showCustomer(await call(contactsApi.get, { params: { id: contactId } }))
      set((s) => {
        const { [contactId]: _cleared, ...customerErrors } = s.customerErrors
        return { customerErrors }
      })
    } catch (error) {
      const isHidden = error instanceof ApiError && error.code === 'not_found'
      set((s) => ({ customerErrors: { ...s.customerErrors, [contactId]: { isHidden, message: (error as Error).message } } }))
    } finally {
      loading.delete(contactId)
    }
  }

  const showCrm = (crm: ContactCrm) =>
    set((s) => {
      const { [crm.contactId]: _cleared, ...crmErrors } = s.crmErrors
      return { crmByContact: { ...s.crmByContact, [crm.contactId]: crm }, crmErrors }
    })

  return {
    crmByContact: {},
    crmErrors: {},
    async loadCustomerCrm(contactId) {
      try {
        showCrm(await call(crmApi.get, { params: { id: contactId } }))
      } catch (error) {
        set((s) => ({ crmErrors: { ...s.crmErrors, [contactId]: (error as Error).message } }))
      }
    },
    async updateCustomerKeys(contactId, keys) {
      try {
        showCrm(await call(crmApi.updateKeys, { params: { id: contactId }, body: keys }))
        return null
      } catch (error) {
        return (error as Error).message
      }
    },
    customersByConversation: {},
    conversationErrors: {},
    customersById: {},
    customerErrors: {},
    commenterShown: null,
    async loadConversation(id) {
      try {
        const { conversation, customer, draft, sla } = await call(conversationsApi.get, { params: { id } })
        get().upsertConversation(conversation)
        set((s) => {
          const { [id]: _cleared, ...conversationErrors } = s.conversationErrors
          return {
            customersByConversation: { ...s.customersByConversation, [id]: customer },
            customersById: { ...s.customersById, [customer.id]: customer },
            slaTargetsByConversation: { ...s.slaTargetsByConversation, [id]: sla },
            conversationErrors,
          }
        })
        get().restoreDraft(id, draft)
      } catch (error) {
        set((s) => ({ conversationErrors: { ...s.conversationErrors, [id]: (error as Error).message } }))
      }
    },
    showCommenter(conversationId, author) {
      // The thread's own contact is the panel's default: no "Commenter" line, nothing to go back to.
      if (get().customersByConversation[conversationId]?.id === author.id) {
        get().showThreadContact()
        return
      }
      set({ commenterShown: { conversationId, contactId: author.id, name: author.name } })
      if (!get().customersById[author.id]) void loadCustomer(author.id)
    },
    showThreadContact() {
      if (get().commenterShown) set({ commenterShown: null })
    },
    async updateCustomer(contactId, changes) {
      return (await change(() => call(contactsApi.update, { params: { id: contactId }, body: changes }))).error
    },
    async addCustomerNote(contactId, text) {
      return (await change(() => call(contactsApi.addNote, { params: { id: contactId }, body: { text } }))).error
    },
    async mergeCustomer(contactId, otherContactId, conversationId) {
      const { error, customer } = await change(() => call(contactsApi.merge, { params: { id: contactId }, body: { otherContactId } }))
      // The merge fills in keys this customer lacked, and what was suggested is now one customer.
      if (customer) await Promise.all([afterMerge(conversationId, customer), get().loadCustomerCrm(contactId)])
      return error
    },
    async undoCustomerMerge(contactId, mergeId, conversationId) {
      const { error, customer } = await change(() => call(contactsApi.undoMerge, { params: { id: contactId, mergeId } }))
      if (customer) await Promise.all([afterMerge(conversationId, customer), get().loadCustomerCrm(contactId)])
      return error
    },
  }
}
