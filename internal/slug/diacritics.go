package slug

import "unicode"

// diacriticSince16 holds the code points that have the Unicode Diacritic
// property in Unicode 17.0 but not in Unicode 15.0.0, the version of Go's
// unicode package (unicode.Version) as of Go 1.26.
//
// transliterate.ts deletes /\p{Diacritic}/u, and the JavaScript engine
// decides what that matches: Node 20.20.2, against which this package is
// checked, ships ICU 78.2 with Unicode 17.0. Without this table Go would keep
// these characters (as a dash) where Node deletes them: "a\u1D9Bb" is "ab" in
// Node. The list was produced by testing every code point against
// /\p{Diacritic}/u in that Node and against unicode.Diacritic in Go 1.26;
// Go had none that Node lacked. Once Go's tables reach Unicode 17 this table
// is redundant but harmless.
var diacriticSince16 = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x05A2, Hi: 0x05A2, Stride: 1},
		{Lo: 0x05C5, Hi: 0x05C5, Stride: 1},
		{Lo: 0x05C7, Hi: 0x05C7, Stride: 1},
		{Lo: 0x0E3A, Hi: 0x0E3A, Stride: 1},
		{Lo: 0x1734, Hi: 0x1734, Stride: 1},
		{Lo: 0x1A60, Hi: 0x1A60, Stride: 1},
		{Lo: 0x1ACF, Hi: 0x1ADD, Stride: 1},
		{Lo: 0x1AE0, Hi: 0x1AEB, Stride: 1},
		{Lo: 0x1BE6, Hi: 0x1BE6, Stride: 1},
		{Lo: 0x1BF2, Hi: 0x1BF3, Stride: 1},
		{Lo: 0x1D9B, Hi: 0x1DBE, Stride: 1},
		{Lo: 0xA7F1, Hi: 0xA7F1, Stride: 1},
		{Lo: 0xA806, Hi: 0xA806, Stride: 1},
		{Lo: 0xA82C, Hi: 0xA82C, Stride: 1},
	},
	R32: []unicode.Range32{
		{Lo: 0x10A38, Hi: 0x10A3A, Stride: 1},
		{Lo: 0x10A3F, Hi: 0x10A3F, Stride: 1},
		{Lo: 0x10D4E, Hi: 0x10D4E, Stride: 1},
		{Lo: 0x10D69, Hi: 0x10D6D, Stride: 1},
		{Lo: 0x10EFA, Hi: 0x10EFA, Stride: 1},
		{Lo: 0x1133B, Hi: 0x1133B, Stride: 1},
		{Lo: 0x113CE, Hi: 0x113D0, Stride: 1},
		{Lo: 0x113D2, Hi: 0x113D3, Stride: 1},
		{Lo: 0x113E1, Hi: 0x113E2, Stride: 1},
		{Lo: 0x11DD9, Hi: 0x11DD9, Stride: 1},
		{Lo: 0x11F41, Hi: 0x11F42, Stride: 1},
		{Lo: 0x11F5A, Hi: 0x11F5A, Stride: 1},
		{Lo: 0x1612F, Hi: 0x1612F, Stride: 1},
		{Lo: 0x16D6B, Hi: 0x16D6C, Stride: 1},
		{Lo: 0x1E5EE, Hi: 0x1E5EF, Stride: 1},
	},
}
