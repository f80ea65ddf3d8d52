import { en } from './en.js'
import { vi, type Catalog } from './vi.js'

export type { Catalog }
export const catalogs = { vi, en } as const satisfies Record<'vi' | 'en', Catalog>
