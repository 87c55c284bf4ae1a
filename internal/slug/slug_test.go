package slug

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

type slugCase struct {
	in, want string
}

func runCases(t *testing.T, cases []slugCase) {
	t.Helper()
	for _, c := range cases {
		if got := Slugify(c.in); got != c.want {
			t.Errorf("Slugify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// The examples of the contract, checked there against @novu/shared.
func TestSlugifyContractExamples(t *testing.T) {
	runCases(t, []slugCase{
		{"SendGrid", "send-grid"},
		{"Café Mailer", "cafe-mailer"},
		{"Müller SMS", "mueller-sms"},
		{"Africa's Talking", "africas-talking"},
		{"MSTeams", "ms-teams"},
		{"iSend SMS", "i-send-sms"},
		{"ACME2Mail", "acme-2-mail"},
		{"Straße & Co", "strasse-and-co"},
		{"Ærø Ørsted", "a-ero-orsted"},
		{"テストメール", ""},
	})
}

// Cases worked out by reading slugify.ts, transliterate.ts and the table, one
// group per rule. Every one of them agrees with the JavaScript (most are also
// in testdata/novu-slugify.json).
func TestSlugifyRules(t *testing.T) {
	groups := []struct {
		name  string
		cases []slugCase
	}{
		{"empty and separators only", []slugCase{
			{"", ""},
			{" ", ""},
			{"---", ""},
			{"__init__", "init"},
			{"-Come on, fhqwhgads-", "come-on-fhqwhgads"},
			{"! Come on, fhqwhgads !", "come-on-fhqwhgads"},
			{"foo-bar-", "foo-bar"},
			{"tab\tnew\nline", "tab-new-line"},
			{"a/b\\c", "a-b-c"},
		}},
		{"overridable replacements, applied after the table", []slugCase{
			{"&", "and"},
			{"Tom & Jerry", "tom-and-jerry"},
			{"Q&A", "q-and-a"},
			{"AT&T", "at-andt"}, // "at-and-t", and then the lone t is joined as a contraction
			{"🦄", "unicorn"},
			{"I 🦄 Novu", "i-unicorn-novu"},
			{"a♥b", "a-love-b"},
			{"🙰", "and"},       // the table gives "&", which the later "&" entry turns into " and "
			{"a🙰b", "a-and-b"}, // so the replacements cannot be done in one pass
		}},
		{"German and Latin-1", []slugCase{
			{"Straße", "strasse"},
			{"ẞ", "ss"}, // the first ẞ entry says "Ss", the later one "SS": a Map keeps the last value
			{"GROẞ", "gross"},
			{"Über", "ueber"},
			{"ÖBB", "oe-bb"}, // "OeBB" is then decamelized
			{"Crème brûlée", "creme-brulee"},
			{"Łódź", "lodz"},
			{"Œuvre", "uvre"},  // Œ is in no table and has no decomposition
			{"Þórr", "t-horr"}, // "THorr" → "T Horr"
			{"Å", "a"},
		}},
		{"Cyrillic", []slugCase{
			{"Привет мир", "privet-mir"},
			{"Щука", "schuka"},
			{"подъезд", "podyezd"}, // "ъе" comes before "ъ" → "" and "е" → "e"
			{"Красный", "krasniy"}, // likewise "ый"
			{"Тсар", "tsar"},       // "Тс" never matches: Т and с are replaced earlier
			{"мягкий знак ь", "myagkiy-znak"},
			{"Київ", "kiyiv"},
		}},
		{"Armenian keys that can never match", []slugCase{
			{"ու", "vo"}, // "ո" → "vo" runs before "ու" → "u"; "ւ" alone is in no entry
			{"Ուրախ", "vo-rakh"},
		}},
		{"Greek", []slugCase{
			{"Ελληνικά", "ellinika"},
			{"ΘΕΣΣΑΛΟΝΙΚΗ", "thessaloniki"},
			{"ψυχή", "psyxi"},
			{"\u2126", "o"}, // OHM SIGN is NFC-normalised to Ω before the table runs
		}},
		{"currencies and symbols", []slugCase{
			{"€100", "e100"},
			{"£5 $10 ¥20", "5-10-y20"}, // neither £ nor $ is in the table
			{"₿itcoin", "bitcoin"},
			{"₹500", "r500"},
			{"©2024 ®", "2024"},
		}},
		{"keycaps and numbers", []slugCase{
			{"1️⃣2️⃣3️⃣", "123"},
			{"💯-1️⃣-2️⃣-3️⃣", "100-1-2-3"},
			{"a𝟏️⃣b", "a1b"}, // "𝟏" → "1", and the later keycap entry then matches "1️⃣"
			{"1Ъ️⃣", "1"},    // "Ъ" → "" joins "1" to the keycap tail
			{"🔢", "1234"},
			{"①②③", "123"},
		}},
		{"scripts without transliteration", []slugCase{
			{"你好世界", ""},
			{"Test テスト", "test"},
			{"mixed 中文 text", "mixed-text"},
		}},
		{"contractions", []slugCase{
			{"Don't Stop", "dont-stop"},
			{"Don’t Stop", "dont-stop"},
			{"It's", "its"},
			{"O'Reilly", "o-reilly"},
			{"Rock 'n' Roll", "rock-n-roll"},
			{"Cats' toys", "cats-toys"},
			{"a s", "as"},     // any lone s or t after a word
			{"A-t-t", "at-t"}, // a match consumes the dash after the letter
			{"a-t-s-t", "at-st"},
			{"x-t-y", "xt-y"},
			{"-s", "s"},    // no word before it
			{"IoT", "iot"}, // "Io T" → "io-t" → "iot"
		}},
		{"decamelize", []slugCase{
			{"camelCase", "camel-case"},
			{"XMLHttpRequest", "xml-http-request"},
			{"iPhone", "i-phone"},
			{"HTTP2Server", "http-2-server"},
			{"ABC123def", "abc-123def"},
			{"abc123DEF", "abc123-def"},
			{"OAuth2Client", "o-auth2-client"},
			{"APIs", "apis"}, // [a-rt-z]: a trailing s stays with its acronym
			{"APIsTest", "apis-test"},
			{"ABCDEFt", "abcde-ft"}, // but a t does not
			{"ABCdef", "ab-cdef"},   // greedy [A-Z]+ gives back one letter
			{"E2E", "e2-e"},
			{"NASA2024Mission", "nasa-2024-mission"},
		}},
		{"normalisation and diacritics", []slugCase{
			{"cafe\u0301", "cafe"},                     // NFC first gives é, which the table maps
			{"a\u030aa\u0308o\u0308-123", "aaeoe-123"}, // å, ä, ö after NFC: ä and ö are German
			{"a^b", "ab"},                              // ^ and ` have the Diacritic property
			{"a`b", "ab"},
			{"x\u0301y", "xy"},
			{"a\u1d9bb", "ab"}, // Diacritic since Unicode 16; see diacriticSince16
			{"Kelvin \u212a", "kelvin-k"},
			{"İstanbul", "istanbul"},
			{"ﬁle", "le"}, // a compatibility ligature: NFD leaves it alone
		}},
		{"odd input", []slugCase{
			{"a\x00b", "a-b"},
			{"a\xffb", "a-b"}, // invalid UTF-8 is a separator, as U+FFFD would be
			{"👩‍💻 Dev", "dev"},
			{"foo@bar.com", "foo-bar-com"},
		}},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) { runCases(t, g.cases) })
	}
}

type golden struct {
	Package    string `json:"package"`
	Node       string `json:"node"`
	Unicode    string `json:"unicode"`
	Cases      []struct{ In, Out string }
	CodePoints struct {
		Context    string            `json:"context"`
		Default    string            `json:"default"`
		Exceptions map[string]string `json:"exceptions"`
	} `json:"codePoints"`
}

func loadGolden(t *testing.T) golden {
	t.Helper()
	b, err := os.ReadFile("testdata/novu-slugify.json")
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(b, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Cases) == 0 || len(g.CodePoints.Exceptions) == 0 {
		t.Fatal("testdata/novu-slugify.json has no cases")
	}
	return g
}

// TestSlugifyGolden compares against outputs of the real slugify of
// @novu/shared; see testdata/gen-golden.mjs for how they were produced.
func TestSlugifyGolden(t *testing.T) {
	g := loadGolden(t)
	t.Logf("%d cases from %s on Node %s (Unicode %s)", len(g.Cases), g.Package, g.Node, g.Unicode)
	for _, c := range g.Cases {
		if got := Slugify(c.In); got != c.Out {
			t.Errorf("Slugify(%q) = %q, want %q", c.In, got, c.Out)
		}
	}
}

// TestSlugifyEveryCodePoint checks slugify("a" + c + "b") for all 1,112,064
// code points against the JavaScript's results.
func TestSlugifyEveryCodePoint(t *testing.T) {
	if testing.Short() {
		t.Skip("1.1 million calls")
	}
	g := loadGolden(t)
	want := make(map[rune]string, len(g.CodePoints.Exceptions))
	for hex, out := range g.CodePoints.Exceptions {
		cp, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			t.Fatal(err)
		}
		want[rune(cp)] = out
	}
	failures := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) { // the surrogates
			continue
		}
		w, ok := want[r]
		if !ok {
			w = g.CodePoints.Default
		}
		in := fmt.Sprintf(g.CodePoints.Context, string(r))
		if got := Slugify(in); got != w {
			t.Errorf("Slugify(%q) = %q, want %q (U+%04X)", in, got, w, r)
			if failures++; failures == 20 {
				t.Fatal("too many failures")
			}
		}
	}
}

// sequentialReference is transliterate.ts's doCustomReplacements written
// naively: merge the lists as a JavaScript Map does, then replace every key
// in turn. It is what replacer.apply must agree with.
func sequentialReference() func(string) string {
	var keys []string
	values := map[string]string{}
	for _, list := range [][]replacement{builtinReplacements, overridableReplacements} {
		for _, p := range list {
			if _, ok := values[p.from]; !ok {
				keys = append(keys, p.from)
			}
			values[p.from] = p.to
		}
	}
	return func(s string) string {
		for _, k := range keys {
			s = strings.ReplaceAll(s, k, values[k])
		}
		return s
	}
}

func TestReplacerMatchesSequentialReplacement(t *testing.T) {
	ref := sequentialReference()
	var keys []string
	for _, p := range builtinReplacements {
		keys = append(keys, p.from)
	}
	// Pieces that exercise the interactions: outputs that are keys of later
	// entries, entries with empty outputs, keys that can never match, parts
	// of multi-character keys on their own.
	extra := []string{
		"&", "🦄", "♥", "a", "T", "1", "#", "*", " ", "-", "\ufe0f", "\u20e3", "\ufe0f\u20e3", "\u200e",
		"\u064e", "\u0650", "ъ", "Ъ", "е", "Е", "ы", "Ы", "й", "Й", "ո", "Ո", "ւ", "Ւ", "Т", "т", "с",
		"🅰", "🅱", "🅾", "𝟏", "𝟗", "🙰", "ް", "ь", "テ",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := 1 + rng.IntN(10); n > 0; n-- {
			if rng.IntN(2) == 0 {
				b.WriteString(keys[rng.IntN(len(keys))])
			} else {
				b.WriteString(extra[rng.IntN(len(extra))])
			}
		}
		s := b.String()
		if got, want := replacements().apply(s), ref(s); got != want {
			t.Fatalf("replacements.apply(%q) = %q, sequential replacement gives %q", s, got, want)
		}
	}
}

func TestReplacementTable(t *testing.T) {
	byKey := map[string]string{}
	for _, p := range replacements().pairs {
		byKey[p.from] = p.to
	}
	// Map semantics: a repeated key takes the last value.
	for k, want := range map[string]string{"ẞ": "SS", "𝟗": "9", "&": " and "} {
		if got := byKey[k]; got != want {
			t.Errorf("replacement for %q = %q, want %q", k, got, want)
		}
	}
	n := len(replacements().pairs)
	if replacements().pairs[n-3].from != "&" || replacements().pairs[n-1].from != "♥" {
		t.Errorf("the overridable replacements are not last: %q", replacements().pairs[n-3:])
	}
	// The JavaScript passes each value to String.prototype.replace, where
	// "$&", "$1" and the like are special. None may occur for the Go port,
	// which inserts values literally, to be right.
	special := regexp.MustCompile(`\$[$&'` + "`" + `0-9<]`)
	for _, p := range replacements().pairs {
		if special.MatchString(p.to) {
			t.Errorf("value %q for %q has a replacement pattern", p.to, p.from)
		}
		// The input is NFC-normalised before the table runs, so a key that
		// is not in NFC could only match text produced by another entry.
		if !norm.NFC.IsNormalString(p.from) {
			t.Errorf("key %q is not in NFC", p.from)
		}
	}
}

// TestASCIIKeyStarts checks the list that lets ASCII text skip the table
// (and a start-up skip building it): the first character of every key that
// is ASCII throughout, and no other.
func TestASCIIKeyStarts(t *testing.T) {
	var starts []byte
	for _, p := range replacements().pairs {
		ascii := !strings.ContainsFunc(p.from, func(r rune) bool { return r >= utf8.RuneSelf })
		if ascii && !slices.Contains(starts, p.from[0]) {
			starts = append(starts, p.from[0])
		}
	}
	slices.Sort(starts)
	if string(starts) != asciiKeyStarts {
		t.Errorf("first characters of the ASCII keys: %q, asciiKeyStarts = %q", starts, asciiKeyStarts)
	}
	for _, s := range []string{"SendGrid", "Novu In-App", "Infobip (SMS) ^2", "1 # *"} {
		if mayReplace(s) || replacements().apply(s) != s {
			t.Errorf("%q: mayReplace = %v, the table gives %q; want false and the text unchanged", s, mayReplace(s), replacements().apply(s))
		}
	}
	for _, s := range []string{"a&b", "é", "x🦄"} {
		if !mayReplace(s) {
			t.Errorf("mayReplace(%q) = false, want true", s)
		}
	}
}

// lowerDashed is string.toLowerCase() plus the dash step. The two non-ASCII
// characters whose JavaScript lower case is ASCII cannot reach it through
// Slugify (transliterate has removed them), so they are tested here.
func TestLowerDashed(t *testing.T) {
	for in, want := range map[string]string{
		"SendGrid":    "sendgrid",
		"a b":         "a-b",
		" a b ":       "-a-b-",
		"\u0130x":     "i-x", // "i\u0307x" in JavaScript
		"x\u0130":     "xi-",
		"\u212aelvin": "kelvin",
		"ä":           "-",
	} {
		if got := lowerDashed(in); got != want {
			t.Errorf("lowerDashed(%q) = %q, want %q", in, got, want)
		}
	}
}

// The results of these were checked against @novu/shared. Node needs about
// 0.4 s for the all-letter ones (its regular expressions backtrack); Go's
// run in linear time.
func TestSlugifyLongInput(t *testing.T) {
	cases := []slugCase{
		{strings.Repeat("aB", 5000), "a-" + strings.Repeat("ba-", 4999) + "b"},
		{strings.Repeat("a-", 5000), strings.Repeat("a-", 4999) + "a"},
		{strings.Repeat("a-s-", 2500), strings.Repeat("as-", 2499) + "as"},
		{strings.Repeat("Ä", 10000), strings.Repeat("ae-", 9999) + "ae"},
		{strings.Repeat("A", 10000), strings.Repeat("a", 10000)},
		{strings.Repeat("a", 10000), strings.Repeat("a", 10000)},
		{strings.Repeat("SendGrid ", 1111) + "S", strings.Repeat("send-grid-", 1110) + "send-grids"},
	}
	for _, c := range cases {
		got := Slugify(c.in)
		if got != c.want {
			t.Errorf("Slugify(%q...) = %q..., want %q... (lengths %d, %d)", c.in[:8], head(got), head(c.want), len(got), len(c.want))
		}
	}
	// 10,000 characters taken from the whole table.
	rng := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for n := 0; n < 10000; n++ {
		b.WriteString(builtinReplacements[rng.IntN(len(builtinReplacements))].from)
	}
	if got := Slugify(b.String()); !slugShape.MatchString(got) {
		t.Errorf("Slugify of 10,000 table keys gave %q…, not a slug", head(got))
	}
}

// BenchmarkSlugifyLong measures long inputs, where a quadratic pass would
// show (a timed test would fail on a loaded machine, not on a slow code).
func BenchmarkSlugifyLong(b *testing.B) {
	for _, in := range []string{strings.Repeat("aB", 5000), strings.Repeat("Ä", 10000), strings.Repeat("SendGrid ", 1111)} {
		b.Run(fmt.Sprint(len(in)), func(b *testing.B) {
			for b.Loop() {
				Slugify(in)
			}
		})
	}
}

func head(s string) string {
	if len(s) > 20 {
		return s[:20]
	}
	return s
}

var slugShape = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*)?$`)

func FuzzSlugify(f *testing.F) {
	for _, s := range []string{"SendGrid", "Straße & Co", "a𝟏️⃣b", "Don't Stop", "ու", "テスト", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := Slugify(s); !slugShape.MatchString(got) {
			t.Errorf("Slugify(%q) = %q, not a slug", s, got)
		}
	})
}

func BenchmarkSlugify(b *testing.B) {
	names := []string{"SendGrid", "Firebase Cloud Messaging", "Africa's Talking", "Müller SMS", "Привет мир"}
	for _, name := range names {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				Slugify(name)
			}
		})
	}
}
