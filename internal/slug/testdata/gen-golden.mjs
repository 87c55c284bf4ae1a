// Regenerates novu-slugify.json: what the real slugify of @novu/shared
// returns for a set of inputs. It is not run by `go test`; slug_test.go only
// reads its output. Run it by hand, with the package installed outside the
// repository:
//
//	mkdir -p /tmp/slugjs && cd /tmp/slugjs && npm install @novu/shared@2.10.0
//	node internal/slug/testdata/gen-golden.mjs /tmp/slugjs/node_modules/@novu/shared > internal/slug/testdata/novu-slugify.json
//
// The file has two parts:
//
//   - "cases": provider display names (from internal/providers/providers.json
//     and a few more), hand-picked tricky strings, every multi-character key
//     of the replacement table in three contexts, and pseudo-random strings
//     built from fragments chosen to hit each rule (fixed seed, so the file is
//     reproducible);
//   - "codePoints": slugify("a" + c + "b") for every code point c except the
//     surrogates, stored as the exceptions to "a-b".
//
// The results depend on the Unicode version of the JavaScript engine (for
// \p{Diacritic} and String.prototype.normalize); the file records it.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = process.argv[2] ?? '/tmp/slugjs/node_modules/@novu/shared';
const require = createRequire(import.meta.url);
const { slugify } = require(path.join(pkgDir, 'dist/cjs/index.js'));
const tableModule = require(path.join(pkgDir, 'dist/cjs/utils/slugify/builtinReplacements.js'));
const table = tableModule.builtinReplacements;
const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const here = path.dirname(fileURLToPath(import.meta.url));
const providers = JSON.parse(readFileSync(path.join(here, '../../providers/providers.json'), 'utf8'));

const inputs = [];
const add = (...xs) => {
  for (const x of xs) if (!inputs.includes(x)) inputs.push(x);
};

// Provider display names.
add(...(Array.isArray(providers) ? providers : providers.providers).map((p) => p.displayName));
add(
  "Africa's Talking", 'MS Teams', 'Email.js', 'SendGrid', 'Amazon SES', 'Novu Inbox', 'Push Webhook',
  'Mailtrap', 'Brevo', 'Resend', 'WhatsApp Business', 'Firebase Cloud Messaging', 'OneSignal',
  'Microsoft Teams', 'Twilio SMS', 'AWS SNS', 'FCM', 'APNS', 'Expo', 'Chat Webhook', 'In-App',
);

// The examples of the contract and hand-picked cases, rule by rule.
add(
  'Café Mailer', 'Müller SMS', 'MSTeams', 'iSend SMS', 'ACME2Mail', 'Straße & Co', 'Ærø Ørsted', 'テストメール',
  // empty, separators only, leading and trailing punctuation
  '', ' ', '-', '---', '_', '__init__', '_foo_bar', 'foo-bar-', '-Come on, fhqwhgads-', '! Come on, fhqwhgads !',
  '!!!Hello!!!', '  two  spaces  ', 'tab\tnew\nline', '...dots...', '(parens)', '[brackets]', 'a/b\\c',
  // the overridable replacements
  '&', 'Tom & Jerry', 'AT&T', 'R&D', 'Q&A', 'Procter&Gamble', '🦄', 'I 🦄 Novu', '🦄🦄', '♥', 'I ♥ Novu', 'a♥b',
  // German, Latin-1 and friends
  'Straße', 'STRASSE', 'ẞ', 'GROẞ', 'Ä Ö Ü ä ö ü', 'Über', 'Österreich', 'Crème brûlée', 'Ñandú', 'Łódź', 'Żółć',
  'Œuvre', 'œ', 'Åland', 'Å', 'Ĳssel', 'ĳs', 'Þórr', 'Ðe', 'façade',
  // Vietnamese, Turkish, Romanian, Czech, Baltic
  'Việt Nam', 'Tiếng Việt', 'İstanbul', 'ışık', 'Şişli', 'Ğ', 'Țară', 'ţară', 'Příliš žluťoučký', 'Šiauliai', 'Rīga',
  // Cyrillic, including the two-letter keys and the ones that never match
  'Привет мир', 'Щука', 'Объект', 'подъезд', 'ОБЪЕКТ', 'Красный', 'красный', 'ЫЙ', 'Тсар', 'тс', 'Юля', 'Ёлка',
  'Київ', 'Ґанок', 'Љубљана', 'Ќ', 'мягкий знак ь', 'ъ', 'Ь',
  // Greek, Armenian, Georgian, Arabic, Hebrew, Devanagari, Thai, Dhivehi
  'Ελληνικά', 'Αθήνα', 'ΘΕΣΣΑΛΟΝΙΚΗ', 'ψυχή', 'Ωmega', 'Ω', 'Երևան', 'Ուրախ', 'ու', 'ՈՒ', 'ւ', 'თბილისი',
  'مرحبا', 'سلام', 'كتاب', 'شكرا', '\u064e\u200e', '\u064e', 'َ‎x', '٣٤٥', '۱۲۳', 'שלום', 'नमस्ते', 'ภาษาไทย', 'ދިވެހި',
  // currencies and symbols
  '€100', '£5 $10 ¥20', '₿itcoin', '₹500', '₽', '¢', '﹩', '$', 'Price: $9.99', '©2024 ®', '™', '°C', '½', '…',
  // numbers, circled and keycap forms
  '①②③', '⑩', '⒈', '💯', '🔢', '🔣', '🔟', '1️⃣2️⃣3️⃣', '#️⃣', '*️⃣', '𝟏️⃣', 'a𝟏️⃣b', '1Ъ️⃣', 'x1ް️⃣y', '🅰️🅱️', '🅰', '🅾️k',
  '💯-1️⃣-2️⃣-3️⃣', '🙰', 'a🙰b', '🙽', '🝲',
  // mathematical alphanumerics
  '𝐒𝐞𝐧𝐝𝐆𝐫𝐢𝐝', '𝒩ovu', '𝔑𝔬𝔳𝔲', '𝟗', '𝟘𝟙',
  // scripts without a transliteration
  '你好世界', '알림', 'Test テスト', 'mixed 中文 text', 'テスト Test テスト',
  // contractions and possessives
  "Don't Stop", "don't stop", 'Don’t Stop', "It's", "Let's Go", "What's up", "O'Reilly", "Ma'am", "y'all",
  "Rock 'n' Roll", "rock'n'roll", "isn't", "can't won't", "Africa's", "Cats' toys", 'it-s', 'don-t', 'a-s', 'a-t',
  'A-t-t', 'a-t-s-t', 't-s', 's-t-s', 'x-t-y', 'x-s-y', 't', 's', '-s', 's-', 'ts', 'a t', 'a s', 'a  s', 'a_s',
  'APIs', "API's", 'A s', 'AS', 'U.S.', 'T-Mobile', 'X-Ray',
  // decamelize
  'camelCase', 'PascalCase', 'snake_case', 'kebab-case', 'SCREAMING_SNAKE', 'Title Case Words', 'ALLCAPS',
  'APIsTest', 'XMLHttpRequest', 'iPhone', 'iOS App', 'HTTP2Server', 'HTTP2', 'ABC123def', 'abc123DEF', 'v2API',
  'IPv6', 'OAuth2Client', 'SendGridV3', 'MySQL', 'PostgreSQL', 'GraphQL', 'JSON2CSV', 'a1B2c3', 'A1b2C3', 'AB1',
  'ABC1D', 'ABCdef', 'ABCDEFs', 'ABCDEFt', 'HTMLs', 'URLsList', 'getURLs', 'aBC', 'aBc', 'ABcD', 'AbC', 'A1B',
  'ABCs', 'ABCsD', 'NASA2024Mission', 'MSTeamsV2', 'E2E', 'e2e', 'B2B', 'B2BApp', 'IoT', 'GitHub', 'gitHUB',
  'SMS77', 'sms77', '46elks', 'Brevo (Sendinblue)', 'MailerSend', 'Microsoft Outlook365',
  'ÄrgerÄger', 'ÖBB', 'ÆØÅ', 'ÉCOLE', 'Élan', 'fooBar', 'fooBAR', 'FOObar', 'FOOBar', 'FooBAR9',
  // normalisation and diacritics
  'cafe\u0301', 'a\u030aa\u0308o\u0308-123', 'a\u0308', 'A\u0308B', 'a^b', 'a`b', 'a¨b', 'a´b', 'a\u02c6b', 'x\u0301y',
  'ǅemal', 'ﬁle', 'Kelvin \u212a', '\u212b', '\u2126', 'a\u1d9bb', 'a\u0e3ab', 'ｆｕｌｌｗｉｄｔｈ', 'Ⅻ', 'ǈ',
  // odd characters
  '\u0000', 'a\u0000b', '\ufffd', 'a\u200bb', 'a\u00adb', 'zero\u200dwidth', '👩‍💻 Dev', '🇺🇸 Flag', '😀', 'a😀b',
  '10,000', '3.14', '1st Place', '24/7 Support', 'C++', 'C#', '.NET', 'node.js', 'Node.JS', 'Rocket.Chat', 'foo@bar.com',
  'https://novu.co/path?q=1', '50%', '#hashtag', '@mention', 'a--b', 'a - b', 'a_-_b', 'a.b.c',
);

// Every multi-character key of the table, alone and in two contexts.
for (const [k] of table) {
  if ([...k].length > 1) add(k, `a${k}b`, `Foo ${k} bar`);
}

// Pseudo-random strings from fragments (mulberry32, fixed seed).
let seed = 0x5eed1234;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const keys = [...new Set(table.map(([k]) => k))];
const fragments = [
  'Send', 'grid', 'SMS', 'API', 'APIs', 'iOS', 'v2', 'HTTP', 'OAuth', 'Mail', 'x', 'a', 't', 's', 'T', 'S', 'A', 'Z',
  "Don't", "it's", "'s", "'t", 'Ab', 'aB', 'ABc', 'AbC', 'ABCs', 'Ts', 'tS',
  ' ', ' ', ' ', '-', '_', '.', "'", '’', '&', '/', '\\', '  ', '--', '^', '`', '!', '@', '#', '*', '$', '\t',
  '0', '1', '2', '42', '2024', '9',
  '\ufe0f', '\u20e3', '\ufe0f\u20e3', '\u0301', '\u0308', '\u0307', '\u0327', '\u030a', '\u200e',
  '\u1d9b', '\u0e3a', '\u05c7',
  'テスト', '你好', '알림', '🦄', '♥', '💯', '🙰', '😀', '🅰', '🅰\ufe0f', 'ъ', 'е', 'Ъ', 'Е', 'ы', 'й', 'Ы', 'Й', 'Т', 'с',
  'ու', 'Ո', 'ւ', 'ь', 'ް', 'İ', '\u212a', '\u2126', 'ß', 'ẞ', 'Æ', 'Ø', 'ä', 'Ä', 'é', 'ﬁ', '𝟏', '①', '⒈',
];
for (let i = 0; i < 400; i++) {
  const n = 1 + Math.floor(rand() * 8);
  let s = '';
  for (let j = 0; j < n; j++) s += rand() < 0.25 ? pick(keys) : pick(fragments);
  add(s);
}

const cases = inputs.map((s) => ({ in: s, out: slugify(s) }));

// slugify("a" + c + "b") for every code point. Calling the real slugify 1.1
// million times takes over an hour (it builds and runs about 1,900 regular
// expressions per call), so the code points are split: inputs in which some
// character of the NFC form starts a key of the table go through the real
// slugify; for the rest the table cannot match anything, so the exported
// table array (which transliterate reads at each call) is emptied while they
// run and restored afterwards. The overridable replacements (&, 🦄, ♥) live
// elsewhere and stay in force.
const firsts = new Set(table.map(([k]) => String.fromCodePoint(k.codePointAt(0))));
const mayMatch = (s) => [...s.normalize()].some((c) => firsts.has(c));
const exceptions = {};
const record = (cp, s) => {
  const out = slugify(s);
  if (out !== 'a-b') exceptions[cp.toString(16).toUpperCase().padStart(4, '0')] = out;
};
const each = (fn) => {
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp < 0xe000) continue;
    fn(cp, `a${String.fromCodePoint(cp)}b`);
  }
};
each((cp, s) => mayMatch(s) && record(cp, s));
const saved = table.splice(0, table.length);
try {
  each((cp, s) => mayMatch(s) || record(cp, s));
} finally {
  table.push(...saved);
}
const sortedExceptions = Object.fromEntries(
  Object.entries(exceptions).sort((a, b) => parseInt(a[0], 16) - parseInt(b[0], 16)),
);

const out = {
  comment:
    'Generated by internal/slug/testdata/gen-golden.mjs from the real slugify of @novu/shared; do not edit. ' +
    'Command: node internal/slug/testdata/gen-golden.mjs /tmp/slugjs/node_modules/@novu/shared > internal/slug/testdata/novu-slugify.json',
  package: `${pkg.name}@${pkg.version}`,
  node: process.version,
  unicode: process.versions.unicode,
  icu: process.versions.icu,
  cases,
  codePoints: {
    comment: 'slugify("a" + c + "b") for every code point c but the surrogates; keys are hex code points, values the slugs that are not "a-b"',
    context: 'a%sb',
    default: 'a-b',
    exceptions: sortedExceptions,
  },
};
// One case per line keeps diffs readable.
const lines = JSON.stringify(out, null, 1)
  .replace(/\{\n\s*"in": (.*),\n\s*"out": (.*)\n\s*\}/g, '{"in": $1, "out": $2}');
process.stdout.write(lines + '\n');
