/** The public phone pages' paths: /b|q|s/<slug>… and /p/… (stylesheet, identify, forget). */
export const isPublicPage = (path: string) => /^\/(?:[bqs]\/[A-Z0-9]{6}(?:\/|$)|p\/)/.test(path)
