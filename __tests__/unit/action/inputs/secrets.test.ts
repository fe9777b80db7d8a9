import { secretsToMask } from '../../../../src/action/inputs/secrets.js'
import { PEER, PRIVATE, PSK } from '../../../fixtures.mjs'

const HEX = Buffer.from(PRIVATE, 'base64').toString('hex')
const masks = (inputs: Record<string, string>): string[] => secretsToMask((n) => inputs[n] ?? '')
const ofConfig = (text: string): string[] => masks({ config: text })

/** Whether a printed text would keep any 8-character piece of a secret once the masks are applied. */
function leaks(printed: string, secret: string, list: string[]): boolean {
  let masked = printed
  for (const m of [...list].sort((a, b) => b.length - a.length)) masked = masked.split(m).join('***')
  for (let i = 0; i + 8 <= secret.length; i++) if (masked.includes(secret.slice(i, i + 8))) return true
  return false
}

describe('secretsToMask', () => {
  it('masks each key input whole, each line, and the hex form of a key', () => {
    const m = masks({ 'private-key': ` ${PRIVATE}\n${PSK} `, 'preshared-key': PSK })
    expect(m).toEqual(expect.arrayContaining([` ${PRIVATE}\n${PSK} `, PRIVATE, PSK, HEX]))
  })

  // [label, the line in config, the secret-shaped pieces it holds as written]
  it.each([
    ['PrivateKey = KEY', `PrivateKey = ${PRIVATE}`, [PRIVATE, HEX]],
    ['PrivateKey: KEY', `PrivateKey: ${PRIVATE}`, [PRIVATE, HEX]],
    ['PrivateKey KEY', `PrivateKey ${PRIVATE}`, [PRIVATE, HEX]],
    ['PrivateKey<TAB>KEY', `privatekey\t${PRIVATE}`, [PRIVATE, HEX]],
    ['PrivateKeyKEY (glued)', `PrivateKey${PRIVATE}`, [PRIVATE, HEX]],
    ['a bare key', PRIVATE, [PRIVATE, HEX]],
    ['a bare key without its =', PRIVATE.slice(0, -1), [PRIVATE, HEX]],
    ['a key of 43 characters with "="', `PublicKey = ${PRIVATE.slice(1)}`, [PRIVATE.slice(1)]],
    ['a key in quotes', `PrivateKey = "${PRIVATE}"`, [PRIVATE, HEX]],
    [
      'a key cut by #',
      `PrivateKey = ${PRIVATE.slice(0, 20)}#${PRIVATE.slice(21)}`,
      [PRIVATE.slice(0, 20), PRIVATE.slice(21)]
    ],
    ['a key with a space inside', `PrivateKey = ${PRIVATE.slice(0, 20)} ${PRIVATE.slice(20)}`, [PRIVATE, HEX]],
    ['a hex key', `PrivateKey = ${HEX}`, [HEX, PRIVATE]],
    ['a hex key anywhere', `Foo = x${HEX}y`, [HEX]],
    ['a key glued to text on the left', `Foo = abc${PRIVATE}`, [PRIVATE]],
    ['a key anywhere', `Endpoint = ${PRIVATE}:51820`, [PRIVATE]],
    [
      'a key split over two lines',
      `PrivateKey = ${PRIVATE.slice(0, 22)}\n${PRIVATE.slice(22)}`,
      [PRIVATE.slice(0, 22), PRIVATE.slice(22)]
    ],
    ['a short mangled key', `Private-Key := ${PRIVATE.slice(5, 17)}`, [PRIVATE.slice(5, 17)]],
    ['a preshared key as YAML', `PresharedKey: ${PSK}`, [PSK]],
    ['part of a key as a key name', `${PSK.slice(0, 20)} = 1`, [PSK.slice(0, 20)]],
    ['a short part of a key as a key name', `${PSK.slice(0, 12)} = 1`, [PSK.slice(0, 12)]],
    ['a random-looking run of 16 anywhere', `Endpoint = ${PSK.slice(4, 24)}.example:1`, [PSK.slice(4, 24)]],
    ['part of a hex key as a value', `MTU = ${HEX.slice(4, 24)}`, [HEX.slice(4, 24)]],
    ['a key split by a space, its name lost', ` = ${PSK.slice(0, 17)} ${PSK.slice(17)}`, [PSK.slice(17)]]
  ])('%s in config: no 8-character piece of it survives the masks', (_label, line, pieces) => {
    const m = ofConfig(`[Interface]\n${line}\nAddress = 192.0.2.2/24\n`)
    // Each piece as a message might print it: alone, or inside a sentence.
    for (const piece of pieces) {
      expect(leaks(piece, piece, m)).toBe(false)
      expect(leaks(`got "${piece}".`, piece, m)).toBe(false)
    }
  })

  it('masks each line that holds a secret, as written', () => {
    const line = `  PrivateKey: ${PRIVATE}  `
    expect(ofConfig(`[Interface]\n${line}\n`)).toContain(line.trim())
  })

  it('leaves the words of the format and ordinary values alone', () => {
    const m = ofConfig(
      `[Interface]\nPrivateKey = ${PRIVATE}\nAddress = 192.0.2.2/24\nInterface\n[Peer]\nEndpoint = vpn.example.com:51820\nAllowedIPs = 0.0.0.0/0\n`
    )
    for (const word of [
      '[Interface]',
      'Interface',
      'PrivateKey',
      'Address = 192.0.2.2/24',
      'vpn.example.com',
      'AllowedIPs'
    ])
      expect(m).not.toContain(word)
    expect(m.every((s) => s.length >= 8)).toBe(true)
  })

  it('masks a peer public key too: a 44-character run anywhere may be a private key in the wrong place', () => {
    expect(ofConfig(`[Peer]\nPublicKey = ${PEER}\n`)).toContain(PEER)
  })

  it('gives nothing when no secret input is set', () => {
    expect(masks({ address: '192.0.2.2/24', endpoint: 'vpn.example.com:51820' })).toEqual([])
  })

  it('reads a pathological configuration in linear time (a generous hang bound; speed is for the benchmarks)', () => {
    const lines = [
      'PrivateKey: '.repeat(20_000),
      'A'.repeat(200_000),
      '='.repeat(100_000),
      `${'a'.repeat(63)}=`.repeat(5_000),
      ...Array.from({ length: 60_000 }, (_, i) => (i % 2 ? `PrivateKey\t${PRIVATE}` : `PublicKey = ${PEER}`))
    ]
    const started = performance.now()
    const m = ofConfig(lines.join('\n'))
    expect(m.length).toBeGreaterThan(0)
    expect(performance.now() - started).toBeLessThan(2000)
  })
})
