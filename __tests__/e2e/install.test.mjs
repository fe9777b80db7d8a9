// @ts-check
// The install path: on a runner without wireguard-tools the action installs it, in one apt
// transaction without recommended packages, and the tunnel comes up. The machine gets its
// wireguard-tools back whatever happens.
import { afterAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { baseInputs, expectUp, L, mainThenPost } from './helpers.mjs'

const apt = (/** @type {string[]} */ ...args) =>
  spawnSync('apt-get', ['-q', '-y', ...args], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  })
const has = (/** @type {string} */ cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0

/** @type {L.Lab} */
let lab
afterAll(() => {
  if (!has('wg')) apt('install', '--no-install-recommends', 'wireguard-tools')
  if (lab) L.destroyLab(lab)
})

describe('installing what is missing', () => {
  it('installs wireguard-tools with apt when wg is missing, then connects', async () => {
    lab = L.createLab()
    await lab.ready
    expect(apt('purge', 'wireguard-tools').status).toBe(0)
    expect(has('wg')).toBe(false)
    const { main } = await mainThenPost(lab, baseInputs(lab), {
      between: (m) => expectUp(lab, m, `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`)
    })
    expect(main.stdout).toContain('Installing wireguard-tools with apt-get')
    expect(main.stdout).toMatch(
      /run: env DEBIAN_FRONTEND=noninteractive .*apt-get .*install -y --no-install-recommends wireguard-tools \(at/
    )
    expect(has('wg')).toBe(true)
  }, 300000)

  it('installs nothing when the tools are present', async () => {
    lab ??= L.createLab()
    const { main } = await mainThenPost(lab, baseInputs(lab), {
      between: (m) => expectUp(lab, m, `http://${L.SERVER_ADDR}:${L.HTTP_PORT}/`)
    })
    expect(main.stdout).not.toContain('apt-get')
  })
})
