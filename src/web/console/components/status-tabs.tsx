/** A list page's status filters (each a link, the current one marked) and the notice after a form. */
export function StatusTabs<S extends string>(props: { label: string; statuses: readonly S[]; current: S; href: (s: S) => string; name: (s: S) => string }) {
  return (
    <nav aria-label={props.label}>
      <ul class="actions" role="list">
        {props.statuses.map((s) => (
          <li>
            <a href={props.href(s)} aria-current={s === props.current ? 'page' : undefined}>
              {props.name(s)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  )
}

export function FormNotice({ notice }: { notice?: { kind: 'ok' | 'error' | string; text: string } | null }) {
  if (!notice) return null
  return (
    <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      {notice.text}
    </p>
  )
}
