import { lookup } from 'node:dns/promises'

/**
 * Every address a host name has, for the image downloads' address check
 * (src/channels/shared/image.ts): a name that points at a private address is refused as the
 * address itself would be. None when the name does not resolve.
 */
export async function resolveHost(hostname: string): Promise<readonly string[]> {
  try {
    return (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address)
  } catch {
    return []
  }
}
