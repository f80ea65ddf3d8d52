import { normalize } from '../i18n.js'
import { matchChoice } from './choices.js'
import { parseCommand } from './commands.js'
import type { Choice, InboundEvent } from './events.js'
import type { ChoiceHandler, Command, ConversationState, Feature, Flow, HandlerContext, Reply, TextHandler } from './handler.js'

const CANCEL_WORDS = new Set(['huy', 'cancel', 'thoat', 'exit'])
/** Longer than any way to type a cancel word ("/Thoát", " huỷ " with combining marks). */
const MAX_CANCEL_LENGTH = 32

/** The features' commands, flows, choice and text handlers, looked up by name or prefix. */
export interface FeatureIndex {
  commands: ReadonlyMap<string, Command>
  knownNames: ReadonlySet<string>
  flows: ReadonlyMap<string, Flow>
  choiceHandlers: readonly ChoiceHandler[]
  textHandlers: readonly TextHandler[]
}

export function indexFeatures(features: readonly Feature[]): FeatureIndex {
  const commands = new Map(features.flatMap((f) => f.commands ?? []).flatMap((c) => c.names.map((n) => [n, c] as const)))
  return {
    commands,
    knownNames: new Set(commands.keys()),
    flows: new Map(features.flatMap((f) => f.flows ?? []).map((f) => [f.name, f])),
    choiceHandlers: features.flatMap((f) => f.choices ?? []),
    textHandlers: features.flatMap((f) => f.text ?? []),
  }
}

/**
 * Who answers a message, in this order: in a group, only a group command; a cancel word; a
 * command; a pressed or typed choice; the flow waiting for free text; the free-text handlers.
 */
export async function findAnswer(
  features: FeatureIndex,
  ctx: HandlerContext,
  event: InboundEvent,
  state: ConversationState | null,
  offered: readonly Choice[],
): Promise<Reply> {
  const t = ctx.t
  if (!event.isPrivate) {
    const cmd = parseCommand(event.text, features.knownNames)
    const command = cmd && features.commands.get(cmd.name)
    if (command?.inGroups) return command.run(ctx, cmd!.args)
    return cmd?.slashed ? { text: t('common.groupOnly') } : undefined
  }

  let choiceId = event.choiceId
  const text = event.text.trim()
  if (event.image) return answerImage(features, ctx, text, state)
  if (!choiceId && !text) return { text: t('common.unsupported') }

  // A cancel word is short: a long message (most of them) is not folded just to be compared.
  if (!choiceId && text.length <= MAX_CANCEL_LENGTH && CANCEL_WORDS.has(normalize(text).replace(/^\//, ''))) {
    if (!state) return { text: t('common.nothingToCancel') }
    await ctx.clearConversation()
    return { text: t('common.cancelled') }
  }

  // A slash command always wins; a bare command word wins unless a flow is waiting for free text
  // or the command takes only its slashed form.
  const commanded = choiceId ? undefined : await runCommand(features, ctx, text, state)
  if (commanded) return commanded.reply

  if (!choiceId && offered.length > 0) choiceId = matchChoice(text, offered)?.id
  if (choiceId) {
    const handler = features.choiceHandlers.find((h) => choiceId!.startsWith(`${h.prefix}:`))
    if (handler) {
      if (handler.requiresLink !== false && !ctx.linked) return { text: t('common.notLinked') }
      return handler.run(ctx, choiceId)
    }
  }

  if (state) {
    const flow = features.flows.get(state.flow)
    if (flow) return flow.onText(ctx, text)
    await ctx.clearConversation()
  }

  for (const handler of features.textHandlers) {
    const reply = await handler.run(ctx, text)
    if (reply !== null) return reply
  }
  return { text: ctx.linked ? t('common.unknown') : t('common.notLinked') }
}

/**
 * A slash command always wins; a bare command word wins unless a flow is waiting for free text or
 * the command takes only its slashed form. Undefined when the text is no command.
 */
async function runCommand(features: FeatureIndex, ctx: HandlerContext, text: string, state: ConversationState | null): Promise<{ reply: Reply } | undefined> {
  const t = ctx.t
  const cmd = parseCommand(text, features.knownNames)
  const command = cmd && features.commands.get(cmd.name)
  if (!cmd || !(cmd.slashed || (!state && !command?.slashOnly))) return undefined
  if (!command) return { reply: { text: t('common.unknown') } }
  if (command.requiresLink !== false && !ctx.linked) return { reply: { text: t('common.notLinked') } }
  return { reply: await command.run(ctx, cmd.args) }
}

/**
 * An image (its caption is the text) goes only where it is wanted: to the command its caption
 * starts with ("/baotin …" with a photo), to a waiting flow that takes images, or to a free-text
 * handler that reads captions with their images ("tin sai: …" under a screenshot). Anything else
 * gets the answer images have always had (Loa reads text only), never a free-text handler or a
 * typed choice, which would read the caption without its image.
 */
async function answerImage(features: FeatureIndex, ctx: HandlerContext, text: string, state: ConversationState | null): Promise<Reply> {
  const commanded = text ? await runCommand(features, ctx, text, state) : undefined
  if (commanded) return commanded.reply
  const flow = state ? features.flows.get(state.flow) : undefined
  if (flow?.acceptsImages) return flow.onText(ctx, text)
  for (const handler of features.textHandlers) {
    if (!handler.acceptsImages) continue
    const reply = await handler.run(ctx, text)
    if (reply) return reply
  }
  return { text: ctx.t('common.unsupported') }
}
