import QRCode from 'qrcode'

/**
 * QR codes of public links, as SVG and PNG. The `qrcode` package makes the matrix and the SVG in
 * plain JavaScript on Node and Workers alike; its PNG writer needs Node's zlib (pngjs), so the PNG
 * is written here from the same matrix with the standard CompressionStream('deflate'), which both
 * runtimes have.
 */
const MARGIN = 4

export async function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: MARGIN })
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)))
  return out
}

async function deflate(data: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new CompressionStream('deflate'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** A black-on-white 1-bit PNG, `scale` pixels per module, with the quiet zone the standard asks for. */
export async function qrPng(text: string, scale = 8): Promise<Uint8Array> {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const n = qr.modules.size
  const size = (n + 2 * MARGIN) * scale
  const rowBytes = Math.ceil(size / 8)
  const raw = new Uint8Array((rowBytes + 1) * size)
  for (let y = 0; y < size; y++) {
    const my = Math.floor(y / scale) - MARGIN
    const row = y * (rowBytes + 1)
    raw[row] = 0 // filter: none
    for (let x = 0; x < size; x++) {
      const mx = Math.floor(x / scale) - MARGIN
      const dark = mx >= 0 && my >= 0 && mx < n && my < n && qr.modules.get(my, mx)
      // In a 1-bit grayscale PNG a set bit is white.
      if (!dark) raw[row + 1 + (x >> 3)] = raw[row + 1 + (x >> 3)]! | (0x80 >> (x & 7))
    }
  }
  const header = new Uint8Array(13)
  const hv = new DataView(header.buffer)
  hv.setUint32(0, size)
  hv.setUint32(4, size)
  header[8] = 1 // bit depth
  header[9] = 0 // grayscale
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', await deflate(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}
