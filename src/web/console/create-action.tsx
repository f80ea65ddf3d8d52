import type { Context } from 'hono'
import { roleAllows } from '../../domain/console/signin-sessions.js'
import { pageText } from '../locale.js'
import { accountOf } from './auth.js'

/**
 * The "create" button at the top of a content list (broadcasts, quizzes, sessions) for an editor;
 * for a viewer, the note saying why there is none.
 */
export function CreateAction({ c, href, label }: { c: Context; href: string; label: string }) {
  if (!roleAllows(accountOf(c).role, 'editor')) return <p class="hint">{pageText(c).t('consoleContent.broadcasts.viewerNote')}</p>
  return (
    <p>
      <a class="button" href={href}>
        {label}
      </a>
    </p>
  )
}
