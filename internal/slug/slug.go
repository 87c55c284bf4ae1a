// Package slug reproduces the slugify function of Novu's @novu/shared
// package, version 2.10.0 (packages/shared/src/utils/slugify in novuhq/novu),
// which Novu uses to derive an identifier from a display name, for example
// an integration's identifier from its name.
//
// What it is: a Go port of that one function with the options Novu's
// callers use (the defaults: separator "-", lowercase, decamelize, the three
// built-in custom replacements, no preserved leading underscore or trailing
// dash). Its output is checked against the JavaScript itself (see
// testdata/novu-slugify.json and testdata/gen-golden.mjs).
//
// What it is not: a general slug library. It has no options, it does not
// make identifiers unique, it does not limit length, and it keeps Novu's
// quirks on purpose: "Don't Stop" gives "dont-stop" but "A-t-t" gives
// "at-t", text in scripts without a transliteration (CJK, for instance) is
// dropped, and the result can be empty.
//
// The JavaScript's result depends on the Unicode version of the engine it
// runs on (for \p{Diacritic} and String.prototype.normalize). This package
// matches Node 20.20.2, which has Unicode 17.0, for every single code point
// (TestSlugifyEveryCodePoint); an engine with older Unicode data may differ
// on a handful of recently encoded characters.
package slug

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// replacement is one [from, to] pair of a transliteration table.
type replacement struct {
	from, to string
}

// overridableReplacements are slugify.ts's builtinOverridableReplacements.
// slugify passes them to transliterate as custom replacements, and
// transliterate puts custom replacements after its own table, so they are
// applied last (a table entry whose output is "&" ends up as " and ").
var overridableReplacements = []replacement{
	{"&", " and "},
	{"🦄", " unicorn "},
	{"♥", " love "},
}

// The four decamelize rewrites of slugify.ts, in order. JavaScript's
// backtracking and Go's leftmost-first matching choose the same match and
// the same submatches for these patterns (no lookaround, no backreference),
// and both resume scanning after the end of the previous match, so they are
// used as they are.
var (
	reUpperDigits = regexp.MustCompile(`([A-Z]{2,})(\d+)`)
	reLowerUpper2 = regexp.MustCompile(`([a-z\d]+)([A-Z]{2,})`)
	reLowerUpper  = regexp.MustCompile(`([a-z\d])([A-Z])`)
	// [a-rt-z] is every lower-case letter but s, so "APIs" stays whole.
	reUpperWord = regexp.MustCompile(`([A-Z]+)([A-Z][a-rt-z\d]+)`)
)

// reContraction joins a lone "t" or "s" to the word before it ("don-t" →
// "dont", "africa-s" → "africas"). As in the JavaScript, $ is the end of the
// whole string and a match consumes the dash after the letter, so in
// "a-t-t" only the first "-t" is joined.
var reContraction = regexp.MustCompile(`([a-zA-Z\d]+)-([ts])(-|$)`)

// Slugify is Novu's slugify (packages/shared/src/utils/slugify/slugify.ts in
// novuhq/novu, as published in @novu/shared 2.10.0) called with its default
// options. It returns what the JavaScript returns for the same string:
//
//  1. transliterate: normalise to NFC; apply the replacement table
//     (sindresorhus/transliterate's) and then "&" → " and ", "🦄" → " unicorn ",
//     "♥" → " love ", one entry after another; decompose (NFD), delete
//     every \p{Diacritic} code point and recompose (NFC);
//  2. decamelize: "SendGrid" → "Send Grid", "MSTeams" → "MS Teams",
//     "ACME2Mail" → "ACME 2 Mail";
//  3. lowercase, and turn every run of characters other than a-z and 0-9
//     into one "-";
//  4. join contractions ("don-t" → "dont"), collapse repeated dashes and
//     drop one leading and one trailing dash.
//
// The result contains only a-z, 0-9 and single inner dashes; it is empty when
// nothing in s transliterates to a letter or digit (for example "テストメール").
func Slugify(s string) string {
	s = transliterate(s)
	s = decamelize(s)
	s = lowerDashed(s)
	// slugify.ts now removes backslashes; after lowerDashed there are none.
	if strings.Contains(s, "-t") || strings.Contains(s, "-s") {
		s = reContraction.ReplaceAllString(s, "${1}${2}${3}")
	}
	return removeMootDashes(s)
}

// transliterate is transliterate.ts with slugify's custom replacements.
func transliterate(s string) string {
	// A JavaScript string cannot hold invalid UTF-8; the closest equivalent
	// is what a JSON decoder does with it. Either way such bytes end up
	// inside a run of separators.
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = norm.NFC.String(s)
	if mayReplace(s) {
		s = replacements().apply(s)
	}
	s = norm.NFD.String(s)
	s = strings.Map(dropDiacritic, s)
	return norm.NFC.String(s)
}

func dropDiacritic(r rune) rune {
	if unicode.Is(unicode.Diacritic, r) || unicode.Is(diacriticSince16, r) {
		return -1
	}
	return r
}

func decamelize(s string) string {
	if strings.IndexFunc(s, isASCIIUpper) < 0 {
		return s // every pattern needs an upper-case letter
	}
	s = reUpperDigits.ReplaceAllString(s, "${1} ${2}")
	s = reLowerUpper2.ReplaceAllString(s, "${1} ${2}")
	s = reLowerUpper.ReplaceAllString(s, "${1} ${2}")
	return reUpperWord.ReplaceAllString(s, "${1} ${2}")
}

func isASCIIUpper(r rune) bool { return 'A' <= r && r <= 'Z' }

// lowerDashed is string.toLowerCase() followed by replacing every run of
// [^a-z\d] with "-". It is written by hand because JavaScript lowercases
// with the full Unicode mapping while strings.ToLower uses the simple one.
// The only characters outside A-Z whose JavaScript lower case contains an
// ASCII letter or digit are U+0130 (→ "i" U+0307) and U+212A KELVIN SIGN
// (→ "k"); transliterate has already turned both into ASCII, but they are
// handled here anyway so this step stands on its own.
func lowerDashed(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false // a run of non-[a-z0-9] is pending
	for _, r := range s {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
		case 'A' <= r && r <= 'Z':
			r += 'a' - 'A'
		case r == '\u212A':
			r = 'k'
		case r == '\u0130':
			if dash {
				b.WriteByte('-')
			}
			b.WriteByte('i')
			dash = true // the U+0307 that follows in JavaScript
			continue
		default:
			dash = true
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteByte(byte(r))
	}
	if dash {
		b.WriteByte('-')
	}
	return b.String()
}

// removeMootDashes is removeMootSeparators: "-{2,}" → "-", then "^-|-$" → "".
func removeMootDashes(s string) string {
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	s = strings.TrimPrefix(s, "-")
	return strings.TrimSuffix(s, "-")
}

// replacements is the table transliterate applies: builtinReplacements
// followed by overridableReplacements, with JavaScript Map semantics. It is
// built on first use, not at start-up: building it takes about 1.5 ms and
// 0.75 MB, and the default names of the seeded data never need it (see
// mayReplace).
var replacements = sync.OnceValue(func() *replacer {
	return buildReplacer(builtinReplacements, overridableReplacements)
})

// asciiKeyStarts holds the first character of every key of the replacement
// table that is ASCII throughout (TestASCIIKeyStarts checks it against the
// table). Keys that begin with an ASCII character and go on with others (the
// keycaps "1\uFE0F\u20E3", "#\uFE0F\u20E3") cannot occur in ASCII text.
const asciiKeyStarts = "&"

// mayReplace reports whether the replacement table can change s. It answers
// false only for ASCII text that holds none of asciiKeyStarts: no key occurs
// in such text, so no entry replaces anything and no later entry can match
// an output (replacer.apply returns s unchanged).
func mayReplace(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf || strings.IndexByte(asciiKeyStarts, s[i]) >= 0 {
			return true
		}
	}
	return false
}

// replacer applies a list of replacements the way transliterate.ts does: for
// each entry in order, replace every occurrence of from in the current
// string (left to right, non-overlapping) with to. It cannot be reduced to a
// single pass over the input: some outputs are keys of later entries ("🙰"
// gives "&", which the "&" entry then turns into " and "; "𝟏" followed by
// U+FE0F U+20E3 becomes the keycap "1️⃣", which a later entry turns into
// "1"), an entry with an empty output can bring two characters together, and
// some multi-character keys can never match because an earlier entry has
// already replaced one of their characters ("ու", "Тс"). So it keeps the
// sequential semantics and only skips entries that cannot match: an entry can
// match only if the first rune of its key is in the input or in some output.
type replacer struct {
	pairs     []replacement
	byFirst   map[rune][]int32 // indexes into pairs, by the first rune of from
	reachable []int32          // entries whose first rune occurs in some output
}

// buildReplacer merges the lists as new Map([...a, ...b]) does: a key that
// appears again keeps its first position and takes the latest value.
func buildReplacer(lists ...[]replacement) *replacer {
	t := &replacer{byFirst: make(map[rune][]int32)}
	pos := make(map[string]int)
	for _, list := range lists {
		for _, p := range list {
			if i, ok := pos[p.from]; ok {
				t.pairs[i].to = p.to
				continue
			}
			pos[p.from] = len(t.pairs)
			t.pairs = append(t.pairs, p)
		}
	}
	produced := make(map[rune]bool)
	for _, p := range t.pairs {
		for _, r := range p.to {
			produced[r] = true
		}
	}
	for i, p := range t.pairs {
		first, _ := utf8.DecodeRuneInString(p.from)
		t.byFirst[first] = append(t.byFirst[first], int32(i))
		if produced[first] {
			t.reachable = append(t.reachable, int32(i))
		}
	}
	return t
}

func (t *replacer) apply(s string) string {
	var candidates []int32
	var seen map[rune]bool
	for _, r := range s {
		idx, ok := t.byFirst[r]
		if !ok || seen[r] {
			continue
		}
		if seen == nil {
			seen = make(map[rune]bool)
		}
		seen[r] = true
		candidates = append(candidates, idx...)
	}
	if len(candidates) == 0 {
		return s // nothing matches, so nothing is produced either
	}
	candidates = append(candidates, t.reachable...)
	slices.Sort(candidates)
	for _, i := range slices.Compact(candidates) {
		p := t.pairs[i]
		s = strings.ReplaceAll(s, p.from, p.to)
	}
	return s
}
