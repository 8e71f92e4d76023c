package main

import (
	"math"
	"math/rand/v2"
	"strings"
)

// words is the vocabulary of the generated source text.
var words = strings.Fields(`function return const let var if else for while switch case break
	continue new this typeof instanceof undefined null true false module exports require
	async await Promise resolve reject then catch finally throw Error TypeError options
	config value key index length push map filter reduce forEach Object assign keys
	Array isArray String Number Buffer from toString JSON parse stringify prototype call
	apply bind arguments callback err result data request response headers body status
	stream pipe write read end on emit listener event handler path join dirname basename
	process env argv cwd exit nextTick setTimeout clearTimeout Symbol iterator default
	name version type payload encode decode escape charCodeAt slice substring indexOf
	replace split trim toLowerCase match test exec RegExp Math floor max min abs random`)

var punct = []string{"(", ")", "{", "}", ";", ".", ",", " = ", " === ", " && ", " || ", "[", "]", ": ", " => ", "'", "\n", "\n  ", "\n    "}

// gen produces deterministic pseudo-random names, text and binary content.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))} }

// size draws a size log-uniformly between lo and hi bytes.
func (g *gen) size(lo, hi int) int {
	return int(math.Exp(math.Log(float64(lo)) + g.r.Float64()*(math.Log(float64(hi))-math.Log(float64(lo)))))
}

// name makes a package-like name of two to four syllables.
func (g *gen) name() string {
	const cons, vows = "bcdfghjklmnprstvwz", "aeiou"
	var b strings.Builder
	for range 2 + g.r.IntN(3) {
		b.WriteByte(cons[g.r.IntN(len(cons))])
		b.WriteByte(vows[g.r.IntN(len(vows))])
		if g.r.IntN(4) == 0 {
			b.WriteByte(cons[g.r.IntN(len(cons))])
		}
	}
	return b.String()
}

// text makes n bytes of source-like text.
func (g *gen) text(n int) []byte {
	b := make([]byte, 0, n+16)
	for len(b) < n {
		if g.r.IntN(3) == 0 {
			b = append(b, punct[g.r.IntN(len(punct))]...)
		} else {
			b = append(b, words[g.r.IntN(len(words))]...)
			b = append(b, ' ')
		}
	}
	return b[:n]
}

// binReader is an endless stream of machine-code-like bytes: a mix of random
// bytes, skewed "opcode" bytes, zero padding and embedded strings, which gzip
// compresses about as well as it compresses real executables.
type binReader struct {
	g   *gen
	buf []byte
}

func (b *binReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(b.buf) == 0 {
			b.buf = b.chunk()
		}
		c := copy(p[n:], b.buf)
		b.buf = b.buf[c:]
		n += c
	}
	return n, nil
}

func (b *binReader) chunk() []byte {
	const size = 512
	r := b.g.r
	out := make([]byte, size)
	switch k := r.IntN(20); {
	case k < 3: // random: constants, compressed data
		for i := range out {
			out[i] = byte(r.Uint32())
		}
	case k < 12: // opcodes: a small, skewed alphabet
		const ops = "\x48\x89\x8b\xe8\xc3\x0f\x85\x84\x74\x75\xff\x83\xc7\x45\x24\x00\x01\x31\xc0\x5d\x55\x41\x4c\x8d"
		for i := range out {
			out[i] = ops[min(r.IntN(len(ops)), r.IntN(len(ops)))]
		}
	case k < 15: // padding
	default: // strings: symbol tables, messages
		copy(out, b.g.text(size))
	}
	return out
}
