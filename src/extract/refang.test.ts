import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refang } from './refang.js';

describe('refang', () => {
  const cases: [string, string, string][] = [
    ['hxxp', 'hxxp://evil.com', 'http://evil.com'],
    ['hxxps', 'hxxps://evil.com', 'https://evil.com'],
    ['hXXp upper case', 'hXXp://evil.com', 'http://evil.com'],
    ['HXXPS', 'HXXPS://evil.com', 'https://evil.com'],
    ['meow', 'meow://evil.com', 'http://evil.com'],
    ['fxp', 'fxp://files.evil.com', 'ftp://files.evil.com'],
    ['h**p', 'h**p://evil.com', 'http://evil.com'],
    ['[.]', 'evil[.]com', 'evil.com'],
    ['(.)', 'evil(.)com', 'evil.com'],
    ['{.}', 'evil{.}com', 'evil.com'],
    ['[dot]', 'evil[dot]com', 'evil.com'],
    ['(dot)', 'evil(dot)com', 'evil.com'],
    ['{DOT} upper case', 'evil{DOT}com', 'evil.com'],
    ['[ . ] with inner blanks', 'evil[ . ]com', 'evil.com'],
    ['blanks around [.]', 'evil [.] com', 'evil.com'],
    ['" dot "', 'evil dot com', 'evil.com'],
    ['blanks around a dot', 'evil . com', 'evil.com'],
    ['blank before a dot in an IP', '1.1.1 .1', '1.1.1.1'],
    ['backslash dot', 'evil\\.com', 'evil.com'],
    ['[:]', 'http[:]//evil.com', 'http://evil.com'],
    ['[://]', 'http[://]evil.com', 'http://evil.com'],
    ['hxxp[:]//', 'hxxp[:]//evil[.]com', 'http://evil.com'],
    ['[/]', 'http://evil.com[/]path', 'http://evil.com/path'],
    ['[at]', 'user[at]evil.com', 'user@evil.com'],
    ['(at)', 'user(at)evil.com', 'user@evil.com'],
    ['[@]', 'user[@]evil.com', 'user@evil.com'],
    ['blanks around [at]', 'user [at] evil [dot] com', 'user@evil.com'],
    ['commas inside an IP', '192,168,1,1', '192.168.1.1'],
    ['mixed commas and dots', '192.168,1,1', '192.168.1.1'],
    ['[.] inside an IP', '192.168.1[.]1', '192.168.1.1'],
    ['full-width dot', 'evil\uFF0Ecom', 'evil.com'],
    ['zero-width space', 'evil\u200B.com', 'evil.com'],
  ];
  for (const [name, input, expected] of cases) {
    it(`refangs ${name}`, () => {
      assert.equal(refang(input).text, expected);
    });
  }

  it('leaves prose alone', () => {
    for (const text of [
      'the dot com bubble',
      'a dot on the map',
      'steps 1,2,3,4 and 5',
      'Sentence one. Sentence two.',
      'hxxp without colon',
      'prices 1,000,000,000',
      'path C:\\.config',
    ]) {
      assert.equal(refang(text).text, text, text);
    }
  });

  it('keeps the input object and an empty map when nothing is defanged', () => {
    const input = 'nothing to do here 1.2.3.4';
    const r = refang(input);
    assert.equal(r.text, input);
    assert.equal(r.map.size, 0);
    assert.equal(r.map.toOriginalStart(5), 5);
    assert.equal(r.map.toOriginalEnd(7), 7);
  });

  it('maps refanged offsets back to the original text', () => {
    const input = 'x hxxp://a[.]b\u200B.com y';
    const r = refang(input);
    assert.equal(r.text, 'x http://a.b.com y');
    const s = r.text.indexOf('http');
    const e = r.text.indexOf(' y');
    const os = r.map.toOriginalStart(s);
    const oe = r.map.toOriginalEnd(e);
    assert.equal(input.slice(os, oe), 'hxxp://a[.]b\u200B.com');
    // The character after an edit maps right after the edit.
    assert.equal(input[r.map.toOriginalStart(r.text.indexOf('b'))], 'b');
    assert.equal(input.slice(r.map.toOriginalStart(r.text.length - 1)), 'y');
  });
});
