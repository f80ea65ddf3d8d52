import type { Feature } from '../src/core/handler.js'
import { ackFeature } from './ack.js'
import { announceFeature } from './announce.js'
import { helpFeature } from './help.js'
import { languageFeature } from './language.js'
import { startFeature } from './start.js'

/** Every chat feature, in the order their free-text handlers are tried. */
export const features: readonly Feature[] = [startFeature, helpFeature, languageFeature, announceFeature, ackFeature]
