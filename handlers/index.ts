import type { Feature } from '../src/core/handler.js'
import { checkinFeature } from './checkin.js'
import { helpFeature } from './help.js'
import { languageFeature } from './language.js'
import { quizFeature } from './quiz.js'
import { reportFeature } from './report.js'
import { startFeature } from './start.js'

/** Every chat feature, in the order their free-text handlers are tried. */
export const features: readonly Feature[] = [startFeature, helpFeature, languageFeature, reportFeature, checkinFeature, quizFeature]
