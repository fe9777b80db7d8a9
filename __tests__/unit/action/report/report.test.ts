import { describe, expect, it } from '@jest/globals'
import { markdownText } from '../../../../src/action/report/report.js'

describe('markdownText', () => {
  it('keeps a quoted reason from becoming a link, an image or HTML in the job summary', () => {
    const reason =
      'refused (403: see [docs](https://evil.example) ![x](https://evil.example/p.png) <img src=x> `code` *b*)'
    const md = markdownText(reason)
    expect(md).not.toMatch(/(?<!\\)[[\]()!`*<>]/)
    // Unescaped, it reads as the same characters.
    expect(md.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').replace(/\\(.)/g, '$1')).toBe(reason)
  })
})
