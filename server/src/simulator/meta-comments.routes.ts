import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { graphToken, missingToken, param100, tokenProblem, unknownObject, type GraphRoute } from './graph.js'
import { answer, enterCall, requestParams, stringParam } from './platform-call.js'
import { commentOrAdopted, findAccount, findAccountBySecret, type CommentRef, type SimState } from './state.js'
import type { SimAccount } from './types.js'

/**
 * Public comment moderation as a Page or an Instagram professional account does it (specs/outreach.md §4):
 * - Facebook (Page token): `POST /{comment-id}` `is_hidden=true|false`, `DELETE /{comment-id}`,
 *   `POST|DELETE /{comment-id}/likes`;
 * - Instagram: `POST /{ig-comment-id}` `hide=true|false`, `DELETE /{ig-comment-id}`,
 *   `POST|DELETE /{ig-user-id}/likes` `comment_id=…`.
 * Each answers {"success":true}; a comment that was deleted (by us, or by its author or Meta:
 * `sim.commentDeleted`) or never existed answers 400 GraphMethodException code 100, subcode 33. Every call is a
 * send: faults of endpoint 'send' hit it, and `sends` records it.
 * https://developers.facebook.com/docs/graph-api/reference/comment ,
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
 */

type Method = 'post' | 'delete'

/** A comment moderation call that may go on: the comment, alive, and the account that owns it, token checked. */
interface CommentCall {
  comment: CommentRef
  account: SimAccount
}

/**
 * Resolves the comment `id` of a call and answers for it when the call cannot go on (fault, token, or an unknown
 * or deleted comment). `kinds`: the platforms whose comments this route takes.
 */
async function enterCommentCall(
  state: SimState,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
  kinds: readonly ('facebook' | 'instagram')[],
  method: Method,
  account?: SimAccount,
): Promise<CommentCall | undefined> {
  const token = graphToken(request)
  const known = state.meta.comments.get(id)
  const owner = account ?? (known ? findAccount(state, known.accountExternalId, kinds) : undefined) ?? findAccountBySecret(state, kinds, 'accessToken', token)
  const comment = commentOrAdopted(state, id, owner)
  if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'send', account: owner })) return undefined
  if (!owner) {
    answer(state, request, reply, 400, token ? unknownObject(id, method) : missingToken())
    return undefined
  }
  const problem = tokenProblem(owner, token)
  if (problem) {
    answer(state, request, reply, problem.status, problem.body)
    return undefined
  }
  if (!comment || comment.isDeleted || comment.accountExternalId !== owner.externalId) {
    answer(state, request, reply, 400, unknownObject(id, method))
    return undefined
  }
  return { comment, account: owner }
}

/** A boolean parameter as Graph reads it: true/false, or 1/0; undefined when absent, null when it is something else. */
function booleanParam(params: Record<string, unknown>, name: string): boolean | undefined | null {
  const value = stringParam(params, name).toLowerCase()
  if (value === '') return undefined
  if (value === 'true' || value === '1') return true
  if (value === 'false' || value === '0') return false
  return null
}

const success = { success: true }

export function metaCommentRoutes(state: SimState) {
  return async function (app: FastifyInstance) {
    // FB `is_hidden`, IG `hide`: in a form or JSON body, or in the query, as Graph accepts any of them.
    app.post<GraphRoute>('/graph/:version/:id', async (request, reply) => {
      const call = await enterCommentCall(state, request, reply, request.params.id, ['facebook', 'instagram'], 'post')
      if (!call) return reply
      const name = call.account.kind === 'instagram' ? 'hide' : 'is_hidden'
      const isHidden = booleanParam(requestParams(request), name)
      if (isHidden === undefined) return answer(state, request, reply, 400, param100(`The parameter ${name} is required.`))
      if (isHidden === null) return answer(state, request, reply, 400, param100(`Param ${name} must be a boolean`))
      call.comment.isHidden = isHidden
      return answer(state, request, reply, 200, success)
    })

    app.delete<GraphRoute>('/graph/:version/:id', async (request, reply) => {
      const call = await enterCommentCall(state, request, reply, request.params.id, ['facebook', 'instagram'], 'delete')
      if (!call) return reply
      call.comment.isDeleted = true
      return answer(state, request, reply, 200, success)
    })

    app.post<GraphRoute>('/graph/:version/:id/likes', async (request, reply) => like(state, request, reply, true))
    app.delete<GraphRoute>('/graph/:version/:id/likes', async (request, reply) => like(state, request, reply, false))
  }
}

/** FB: /{comment-id}/likes. IG: /{ig-user-id}/likes with comment_id (an IG comment has no likes edge of its own). */
async function like(state: SimState, request: FastifyRequest<GraphRoute>, reply: FastifyReply, isLiked: boolean) {
  const { id } = request.params
  const method: Method = isLiked ? 'post' : 'delete'
  const igAccount = state.meta.comments.has(id) ? undefined : findAccount(state, id, ['instagram'])
  if (!igAccount) {
    const call = await enterCommentCall(state, request, reply, id, ['facebook'], method)
    if (!call) return reply
    call.comment.isLiked = isLiked
    return answer(state, request, reply, 200, success)
  }
  const commentId = stringParam(requestParams(request), 'comment_id')
  if (!commentId) {
    if (await enterCall(state, request, reply, { family: 'meta', endpoint: 'send', account: igAccount })) return reply
    const problem = tokenProblem(igAccount, graphToken(request))
    if (problem) return answer(state, request, reply, problem.status, problem.body)
    return answer(state, request, reply, 400, param100('The parameter comment_id is required.'))
  }
  const call = await enterCommentCall(state, request, reply, commentId, ['instagram'], method, igAccount)
  if (!call) return reply
  call.comment.isLiked = isLiked
  return answer(state, request, reply, 200, success)
}
