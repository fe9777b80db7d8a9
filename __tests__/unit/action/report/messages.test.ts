import { unsupportedPlatform } from '../../../../src/action/report/messages.js'

describe('a runner that cannot host a tunnel is told so in one line', () => {
  it.each([
    ['darwin', 'macOS'],
    ['win32', 'Windows']
  ])('%s', (platform, name) => {
    const line = unsupportedPlatform(platform)
    expect(line).toBe(
      `This action runs on Linux runners only, and this one runs ${name}. Use a Linux runner (runs-on: ubuntu-latest, or a self-hosted Linux runner); on ${name}, install the official WireGuard client in a run: step instead.`
    )
    expect(line).not.toMatch(/apt|iproute2/)
  })
})
